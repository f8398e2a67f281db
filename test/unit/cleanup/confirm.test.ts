import {IAMClient, ListAccountAliasesCommand} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'
import {accountAlias, confirmationMessage, confirmationMode, isConfirmed, promptForAccount, requireConfirmFlag} from '../../../src/cleanup/confirm.js'
import {UserError} from '../../../src/errors.js'
import {awsError} from '../../support/aws-error.js'
import {ACCOUNT, item, planOf} from '../../support/cleanup.js'

describe('confirmation', () => {
  it('requires --confirm, saying how to review first (a usage error)', () => {
    expect(() => requireConfirmFlag(true, 'cleanup execute', 'awsinv cleanup preview SNAPSHOT')).not.toThrow()
    const refusal = (() => {
      try {
        requireConfirmFlag(false, 'cleanup execute', 'awsinv cleanup preview SNAPSHOT')
      } catch (error) {
        return error as UserError
      }
    })()
    expect(refusal).toBeInstanceOf(UserError)
    expect(refusal?.message).toBe('Nothing was deleted: "cleanup execute" deletes only with --confirm. Review the plan with "awsinv cleanup preview SNAPSHOT", then add --confirm.')
    expect(refusal?.exitCode).toBe(2)
  })

  it('asks at a terminal, skips the question with --yes, and refuses without either', () => {
    expect(confirmationMode({yes: true, interactive: false})).toBe('yes-flag')
    expect(confirmationMode({yes: true, interactive: true})).toBe('yes-flag')
    expect(confirmationMode({yes: false, interactive: true})).toBe('prompt')
    expect(() => confirmationMode({yes: false, interactive: false})).toThrow(
      'Nothing was deleted: stdin is not a terminal, so awsinv cannot ask for confirmation. Review the plan, then run again with --yes.',
    )
  })

  it('accepts exactly the account id', () => {
    expect(isConfirmed('123456789012', ACCOUNT)).toBe(true)
    expect(isConfirmed('  123456789012\n', ACCOUNT)).toBe(true)
    for (const answer of ['', 'y', 'yes', '12345678901', '1234567890123', '123456789012 please', 'sbx-dev']) expect(isConfirmed(answer, ACCOUNT)).toBe(false)
  })

  it('names the account, its alias, the caller and what goes', () => {
    // Counted from the items (a saved plan's summary is only its word): 3 deletions, 2 along, 1 preparation.
    const along = (id: string) => ({...item('AWS::EC2::Volume', id), explanation: 'deleted with it'})
    const queue = item('AWS::SQS::Queue', 'q-1')
    const plan = planOf([
      [item('AWS::SNS::Topic', 't-1', {includes: [along('vol-1'), along('vol-2')]}), item('AWS::SNS::Topic', 't-2'), {...queue, key: `${queue.key}#prepare`, kind: 'prepare' as const}],
      [queue],
    ])
    plan.summary = {...plan.summary, deletions: 1, included: 0, preparations: 0}
    expect(confirmationMessage(plan, 'sbx-dev')).toBe(
      [
        'About to delete 3 resources and 2 that AWS deletes with them, after 1 preparation, in 2 waves,',
        'in AWS account 123456789012 (alias sbx-dev), region us-east-1, as arn:aws:sts::123456789012:assumed-role/admin/jane. This cannot be undone.',
      ].join('\n'),
    )
    const purge = {...planOf([[item('AWS::SNS::Topic', 't-1')]]), mode: 'purge' as const}
    expect(confirmationMessage(purge, null)).toMatch(/^About to PURGE 1 resource, in 1 wave,\nin AWS account 123456789012 \(no account alias\), region us-east-1, as /)
  })

  it('names every region it deletes in, from the items and what goes along with them', () => {
    const along = {...item('AWS::EC2::Volume', 'vol-1', {region: 'eu-west-1'}), explanation: 'deleted with it'}
    const plan = {
      ...planOf([[item('AWS::SQS::Queue', 'q-1'), item('AWS::EC2::Instance', 'i-1', {region: 'eu-west-1', includes: [along]})], [item('AWS::IAM::Role', 'r-1', {region: 'global'})]]),
      mode: 'purge' as const,
    }
    expect(confirmationMessage(plan, null).split('\n')[1]).toBe(
      'in AWS account 123456789012 (no account alias), regions eu-west-1, global and us-east-1, as arn:aws:sts::123456789012:assumed-role/admin/jane. This cannot be undone.',
    )
    const two = planOf([[item('AWS::SQS::Queue', 'q-1'), item('AWS::IAM::Role', 'r-1', {region: 'global'})]])
    expect(confirmationMessage(two, null).split('\n')[1]).toMatch(/^in AWS account 123456789012 \(no account alias\), regions global and us-east-1, as /)
  })

  it('reads the account alias, and does without when there is none or it is denied', async () => {
    const iam = mockClient(IAMClient)
    const clients = new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, 'us-east-1')
    try {
      iam.on(ListAccountAliasesCommand).resolves({AccountAliases: ['sbx-dev']})
      expect(await accountAlias(clients)).toBe('sbx-dev')
      iam.on(ListAccountAliasesCommand).resolves({AccountAliases: []})
      expect(await accountAlias(clients)).toBeNull()
      iam.on(ListAccountAliasesCommand).rejects(awsError('AccessDenied', 403))
      expect(await accountAlias(clients)).toBeNull()
    } finally {
      iam.restore()
      await clients.destroy()
    }
  })

  describe('the prompt', () => {
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]])
    plan.summary = {...plan.summary, deletions: 1}

    /** Runs the prompt with `typed` as the user's input (null: input closes unanswered); the error, or 'confirmed', and what was shown. */
    async function answer(typed: string | null): Promise<{outcome: string; shown: string; exitCode?: number}> {
      const input = new PassThrough()
      const output = new PassThrough()
      let shown = ''
      output.on('data', (chunk: Buffer) => (shown += chunk.toString()))
      const asked = promptForAccount(plan, 'sbx-dev', {input, output, terminal: false})
      if (typed === null) input.end()
      else input.write(`${typed}\n`)
      try {
        await asked
        return {outcome: 'confirmed', shown}
      } catch (error) {
        return {outcome: (error as Error).message, shown, exitCode: (error as UserError).exitCode}
      }
    }

    it('asks for the account id, showing the account, alias and count, and goes on when it is typed', async () => {
      const {outcome, shown} = await answer('123456789012')
      expect(outcome).toBe('confirmed')
      expect(shown).toBe(`${confirmationMessage(plan, 'sbx-dev')}\nType the account id to confirm: `)
    })

    it('aborts on any other answer, and when input ends unanswered', async () => {
      expect(await answer('yes')).toMatchObject({outcome: 'Aborted: "yes" is not the account id 123456789012; nothing was deleted.', exitCode: 1})
      expect(await answer('')).toMatchObject({outcome: 'Aborted: "" is not the account id 123456789012; nothing was deleted.'})
      expect(await answer(null)).toMatchObject({outcome: 'Aborted: no answer; nothing was deleted.', exitCode: 130})
    })

    it('ends the prompt at once when the run is interrupted (SIGINT or SIGTERM sent to the process)', async () => {
      const input = new PassThrough()
      const controller = new AbortController()
      const asked = promptForAccount(plan, null, {input, output: new PassThrough(), terminal: false}, controller.signal)
      controller.abort()
      await expect(asked).rejects.toThrow(new UserError('Interrupted at the confirmation; nothing was deleted.', 130))
      await expect(asked.catch((error: UserError) => error.exitCode)).resolves.toBe(130)
      // Already interrupted: not even asked.
      await expect(promptForAccount(plan, null, {input: new PassThrough(), output: new PassThrough(), terminal: false}, controller.signal)).rejects.toThrow(
        'Interrupted before the confirmation; nothing was deleted.',
      )
    })
  })
})
