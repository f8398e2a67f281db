import {describe, expect, it} from 'vitest'

import {RunInterrupted, runItemSteps} from '../../../src/cleanup/run-item.js'
import type {Deleter, DeleteContext, DeleteStep, PlanItem, StepOutcome} from '../../../src/cleanup/types.js'
import {AwsClients} from '../../../src/aws/clients.js'

const step = (action: string): DeleteStep => ({action, description: `${action} it`, params: {}})

function item(...actions: string[]): PlanItem {
  return {
    key: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1',
    kind: 'delete',
    arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1',
    type: 'AWS::EC2::VPC',
    id: 'vpc-1',
    name: 'vpc-1',
    region: 'us-east-1',
    accountId: '123456789012',
    createdAt: null,
    uniqueId: null,
    tags: {},
    why: {kind: 'created', explanation: 'not in baseline'},
    steps: actions.map((a) => step(a)),
    after: [],
    includes: [],
  }
}

function context(signal = new AbortController().signal): DeleteContext {
  return {accountId: '123456789012', partition: 'aws', region: 'us-east-1', clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, 'us-east-1'), signal}
}

/** A deleter answering each call from a script: an outcome, or an error to throw. */
function scripted(script: Array<StepOutcome | Error>, waitTimeoutMs?: number): Deleter & {calls: string[]} {
  const calls: string[] = []
  return {
    calls,
    waitTimeoutMs,
    steps: () => [],
    current: async () => ({tags: {}}),
    async run(_ctx, _item, s) {
      calls.push(s.action)
      const next = script.shift()
      if (next === undefined) throw new Error('script exhausted')
      if (next instanceof Error) throw next
      return next
    },
  }
}

const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status, requestId: `req-${name}`}})

describe('runItemSteps', () => {
  const slept: number[] = []
  let clock = 0
  const options = {
    signal: new AbortController().signal,
    sleep: async (ms: number) => {
      slept.push(ms)
      clock += ms
    },
    now: () => clock,
    baseDelayMs: 100,
    maxRetries: 3,
  }

  it('runs every step in order and collects request ids', async () => {
    const deleter = scripted([{status: 'done', requestIds: ['r1']}, {status: 'done', detail: 'deleted', requestIds: ['r2']}])
    const result = await runItemSteps(deleter, context(), item('detach', 'delete'), options)
    expect(result.status).toBe('deleted')
    expect(deleter.calls).toEqual(['detach', 'delete'])
    expect(result.steps.map((s) => [s.action, s.status, s.requestIds, s.attempts])).toEqual([
      ['detach', 'done', ['r1'], 1],
      ['delete', 'done', ['r2'], 1],
    ])
    expect(result.steps[1]?.detail).toBe('deleted')
  })

  it('fails an item without steps: nothing run is nothing deleted', async () => {
    const deleter = scripted([])
    const result = await runItemSteps(deleter, context(), item(), options)
    expect(result).toEqual({status: 'failed', steps: [], error: expect.stringMatching(/ has no steps to run$/)})
    expect(deleter.calls).toEqual([])
  })

  it('polls a step that answers wait until it is done, at the pace the deleter asks', async () => {
    slept.length = 0
    const deleter = scripted([
      {status: 'wait', detail: 'shutting-down', retryAfterMs: 250},
      {status: 'wait', detail: 'shutting-down', retryAfterMs: 250},
      {status: 'done', detail: 'terminated'},
    ])
    const result = await runItemSteps(deleter, context(), item('terminate-instance'), options)
    expect(result.status).toBe('deleted')
    expect(result.steps[0]).toMatchObject({status: 'done', attempts: 3, detail: 'terminated'})
    expect(slept).toEqual([250, 250])
  })

  it('polls sooner at first when the deleter sets no pace: 1 s, 2 s, 4 s, then the default pause', async () => {
    slept.length = 0
    const deleter = scripted([...Array.from({length: 5}, () => ({status: 'wait' as const, detail: 'deleting'})), {status: 'done'}])
    const result = await runItemSteps(deleter, context(), item('delete-nat-gateway'), {...options, defaultPollMs: 5000})
    expect(result.status).toBe('deleted')
    expect(slept).toEqual([1000, 2000, 4000, 5000, 5000])
  })

  it('fails a wait that outlasts the deleter’s timeout, saying what it waited for', async () => {
    const deleter = scripted(Array.from({length: 10}, () => ({status: 'wait' as const, detail: 'deleting', retryAfterMs: 1000})), 2500)
    const result = await runItemSteps(deleter, context(), item('delete-nat-gateway'), options)
    expect(result.status).toBe('failed')
    expect(result.error).toBe('delete-nat-gateway did not complete within 3 s: deleting')
  })

  it('retries dependency and throttling errors with growing backoff, then succeeds', async () => {
    slept.length = 0
    const deleter = scripted([awsError('DependencyViolation', 'has dependencies'), awsError('Throttling', 'Rate exceeded'), {status: 'done'}])
    const result = await runItemSteps(deleter, context(), item('delete'), options)
    expect(result.status).toBe('deleted')
    expect(result.steps[0]).toMatchObject({attempts: 3, requestIds: ['req-DependencyViolation', 'req-Throttling']})
    expect(slept).toHaveLength(2)
    expect(slept[0]).toBeGreaterThanOrEqual(50)
    expect(slept[0]).toBeLessThanOrEqual(100)
    expect(slept[1]).toBeGreaterThanOrEqual(100)
    expect(slept[1]).toBeLessThanOrEqual(200)
  })

  it('fails a dependency error that does not clear, naming the error after the retries', async () => {
    const deleter = scripted(Array.from({length: 10}, () => awsError('DependencyViolation', 'The vpc has dependencies and cannot be deleted.')))
    const result = await runItemSteps(deleter, context(), item('delete', 'never-reached'), options)
    expect(result.status).toBe('failed')
    expect(result.error).toBe('delete failed (after 3 retries): DependencyViolation: The vpc has dependencies and cannot be deleted.')
    expect(deleter.calls).not.toContain('never-reached')
  })

  it('fails a hold that does not clear, naming what blocks it', async () => {
    const deleter = scripted(Array.from({length: 10}, () => ({status: 'hold' as const, detail: 'ENI still attached', blockedBy: ['eni-1']})))
    const result = await runItemSteps(deleter, context(), item('delete'), options)
    expect(result).toMatchObject({status: 'failed', blockedBy: ['eni-1'], error: 'delete blocked by eni-1 after 3 retries: ENI still attached'})
  })

  it('fails a hold at once when the plan deletes nothing that blocks it: it would never clear', async () => {
    const hold = {status: 'hold' as const, detail: 'a secret is deleted only without replicas, and it still has one in eu-west-1', blockedBy: ['arn:replica']}
    const deleter = scripted([hold, hold])
    const result = await runItemSteps(deleter, context(), item('delete'), {...options, inPlan: (x) => x === 'arn:other'})
    expect(result).toMatchObject({status: 'failed', blockedBy: ['arn:replica']})
    expect(result.error).toBe('delete blocked by arn:replica, which this run does not delete: a secret is deleted only without replicas, and it still has one in eu-west-1')
    expect(deleter.calls).toEqual(['delete'])
    // A blocker the plan deletes is waited for.
    const waited = await runItemSteps(scripted([hold, {status: 'done'}]), context(), item('delete'), {...options, inPlan: (x) => x === 'arn:replica'})
    expect(waited.status).toBe('deleted')
  })

  it('counts a step whose target is gone as complete, and an item all gone as gone', async () => {
    const gone = await runItemSteps(scripted([awsError('InvalidVpcID.NotFound', 'does not exist'), {status: 'gone'}]), context(), item('a', 'b'), options)
    expect(gone.status).toBe('gone')
    expect(gone.steps.map((s) => s.status)).toEqual(['gone', 'gone'])
    const mixed = await runItemSteps(scripted([{status: 'gone'}, {status: 'done'}]), context(), item('a', 'b'), options)
    expect(mixed.status).toBe('deleted')
  })

  it('fails at once on any other error, without running later steps', async () => {
    const deleter = scripted([awsError('AccessDenied', 'not authorized to perform ec2:DeleteVpc', 403)])
    const result = await runItemSteps(deleter, context(), item('delete', 'later'), options)
    expect(result).toMatchObject({status: 'failed', error: 'delete failed: AccessDenied: not authorized to perform ec2:DeleteVpc'})
    expect(result.steps).toHaveLength(1)
    expect(deleter.calls).toEqual(['delete'])
  })

  it('stops when the run is interrupted', async () => {
    const controller = new AbortController()
    controller.abort()
    const stopped = await runItemSteps(scripted([{status: 'done'}]), context(controller.signal), item('delete'), options).catch((error: unknown) => error)
    expect(stopped).toBeInstanceOf(RunInterrupted)
    // Stopped before its first call: no step started.
    expect((stopped as RunInterrupted).steps).toEqual([])
  })

  it('keeps what the steps did when interrupted during a wait: finished steps, then the step it stopped in', async () => {
    const controller = new AbortController()
    const deleter = scripted([{status: 'done', requestIds: ['r1']}, {status: 'wait', detail: 'shutting-down', requestIds: ['r2']}])
    const sleepThenAbort = async (_ms: number, signal: AbortSignal) => {
      controller.abort()
      if (signal.aborted) throw new RunInterrupted()
    }

    const stopped = (await runItemSteps(deleter, context(controller.signal), item('detach', 'terminate-instance', 'never'), {...options, signal: controller.signal, sleep: sleepThenAbort}).catch(
      (error: unknown) => error,
    )) as RunInterrupted
    expect(stopped).toBeInstanceOf(RunInterrupted)
    expect(stopped.steps.map((s) => [s.action, s.status, s.attempts, s.requestIds, s.error])).toEqual([
      ['detach', 'done', 1, ['r1'], undefined],
      ['terminate-instance', 'interrupted', 1, ['r2'], 'the run was interrupted during this step'],
    ])
    expect(deleter.calls).toEqual(['detach', 'terminate-instance'])
  })

  it('records each step’s params, and a deletion the deleter says AWS only scheduled', async () => {
    const deleter = scripted([{status: 'done', detail: 'scheduled for deletion on 2026-12-12', scheduled: {deletionDate: '2026-12-12T00:00:00.000Z'}}])
    const planned = {...item(), steps: [{action: 'schedule-key-deletion', description: 'Schedule key k-1 for deletion', params: {keyId: 'k-1', pendingWindowInDays: 7}}]}
    const result = await runItemSteps(deleter, context(), planned, options)
    expect(result.status).toBe('deleted')
    expect(result.steps[0]).toMatchObject({params: {keyId: 'k-1', pendingWindowInDays: 7}, scheduled: {deletionDate: '2026-12-12T00:00:00.000Z'}})
  })
})
