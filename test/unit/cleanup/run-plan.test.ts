import {IAMClient, ListAccountAliasesCommand} from '@aws-sdk/client-iam'
import {GetTopicAttributesCommand, SNSClient} from '@aws-sdk/client-sns'
import {mockClient} from 'aws-sdk-client-mock'
import {PassThrough} from 'node:stream'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'
import type {AwsSession} from '../../../src/aws/session.js'
import {type RunPlanOptions, confirmAndExecute} from '../../../src/cleanup/run-plan.js'
import {UserError} from '../../../src/errors.js'
import {awsError} from '../../support/aws-error.js'
import {ACCOUNT, ADMIN, NOW, item, planOf} from '../../support/cleanup.js'
import {tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-run-plan-')
const HOUR = 3_600_000

describe('confirmAndExecute', () => {
  const iam = mockClient(IAMClient)
  const sns = mockClient(SNSClient)
  let session: AwsSession

  beforeEach(() => {
    iam.on(ListAccountAliasesCommand).resolves({AccountAliases: ['sbx-dev']})
    // The topic is gone by the time it is re-read: a run that gets that far ends at once, deleting nothing.
    sns.on(GetTopicAttributesCommand).rejects(awsError('NotFound', 404))
    session = {clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, 'us-east-1'), homeRegion: 'us-east-1', identity: {...ADMIN, userId: 'AROA', partition: 'aws'}, notes: []}
  })

  afterEach(async () => {
    iam.reset()
    sns.reset()
    await session.clients.destroy()
    stores.cleanup()
  })

  /** Runs a saved plan made at NOW (max age 1 hour) through the prompt, answered with the account id; the clock reads `minutes` after NOW once it is answered. */
  async function runAnsweredAfter(minutes: number, overrides: Partial<RunPlanOptions> = {}) {
    const input = new PassThrough()
    const output = new PassThrough()
    let answered = false
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]])
    plan.summary = {...plan.summary, deletions: 1}
    const run = confirmAndExecute(stores.open(), session, plan, {
      confirmation: 'prompt',
      concurrency: 1,
      signal: new AbortController().signal,
      maxAgeMs: HOUR,
      promptIo: {input, output, terminal: false},
      now: () => new Date(NOW.getTime() + (answered ? minutes * 60_000 : 0)),
      ...overrides,
    })
    // The question is asked once the alias is read; the answer comes `minutes` later.
    await new Promise<void>((resolve) => output.once('data', () => resolve()))
    answered = true
    input.write(`${ACCOUNT}\n`)
    return run
  }

  it('refuses a saved plan that grew older than --max-plan-age while the prompt waited, deleting nothing', async () => {
    const refusal = await runAnsweredAfter(61).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(UserError)
    expect((refusal as UserError).message).toBe(
      `Plan plan-0123456789ab was made 1h 1m ago (${NOW.toISOString()}), more than --max-plan-age 1h; it grew older while the confirmation prompt waited, and nothing was deleted: the account may have changed since; make a new plan with "awsinv cleanup preview", or raise --max-plan-age.`,
    )
    expect((refusal as UserError).exitCode).toBe(1)
    // Not even re-read.
    expect(sns.commandCalls(GetTopicAttributesCommand)).toHaveLength(0)
  })

  it('runs a saved plan still young enough once the prompt is answered, and a plan made now whatever the wait', async () => {
    const run = await runAnsweredAfter(59)
    expect(run).toMatchObject({status: 'succeeded', summary: {items: 1, gone: 1}})
    expect(sns.commandCalls(GetTopicAttributesCommand)).toHaveLength(1)
    // A plan made now (no --max-plan-age applies) is not refused for the time the prompt took.
    expect(await runAnsweredAfter(24 * 60, {maxAgeMs: undefined})).toMatchObject({status: 'succeeded'})
  })
})
