import {describe, expect, it} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'
import {type AuditSink, type ExecuteOptions, type ExecutionResult, type ItemResult, executePlan, newRunId} from '../../../src/cleanup/execute.js'
import {RunInterrupted} from '../../../src/cleanup/run-item.js'
import type {CleanupPlan, CurrentState, Deleter, DeleteContext, IncludedResource, PlanItem, StepOutcome} from '../../../src/cleanup/types.js'
import {UserError} from '../../../src/errors.js'
import {specOf as registered} from '../../../src/resources/registry.js'
import type {ResourceSpec} from '../../../src/resources/types.js'
import {ACCOUNT, ADMIN, NOW, REGION, arnOf, item, planOf, prepareItem, rules} from '../../support/cleanup.js'

/** What every fake deleter shares: a log of events, the resources that exist, and per-id scripts. */
class World {
  events: string[] = []
  active = 0
  maxActive = 0
  /** id → current state; absent: gone. */
  existing = new Map<string, CurrentState>()
  /** id → outcomes of successive `run` calls (an Error is thrown); default `done`. */
  scripts = new Map<string, Array<StepOutcome | Error>>()
  /** id → an error `current` throws. */
  unreadable = new Map<string, Error>()
  contexts: Array<{id: string; region: string}> = []
  /** Called inside every `run`, e.g. to abort the run at a chosen moment. */
  onRun?: (id: string, action: string) => void

  exists(...ids: string[]): this {
    for (const id of ids) this.existing.set(id, {tags: {}, configuration: {Id: id}})
    return this
  }

  deleter(): Deleter {
    return {
      steps: () => [],
      current: async (ctx: DeleteContext, planned: PlanItem) => {
        this.contexts.push({id: planned.id, region: ctx.region})
        const error = this.unreadable.get(planned.id)
        if (error) throw error
        return this.existing.get(planned.id)
      },
      run: async (_ctx: DeleteContext, planned: PlanItem, step) => {
        this.events.push(`start ${planned.id} ${step.action}`)
        this.active++
        this.maxActive = Math.max(this.maxActive, this.active)
        this.onRun?.(planned.id, step.action)
        // Let the other items of the wave start before this one ends.
        await new Promise((resolve) => setTimeout(resolve, 5))
        this.active--
        this.events.push(`end ${planned.id} ${step.action}`)
        const next = this.scripts.get(planned.id)?.shift() ?? {status: 'done', requestIds: [`req-${planned.id}-${step.action}`]}
        if (next instanceof Error) throw next
        // A preparation leaves its resource in place.
        if (next.status === 'done' && step === planned.steps.at(-1) && planned.kind === 'delete') this.existing.delete(planned.id)
        return next
      },
    }
  }
}

const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status, requestId: `req-${name}`}})

/** An audit sink that keeps what it is given. */
class MemoryAudit implements AuditSink {
  readonly logFile = '/tmp/audit.jsonl'
  started: Array<{runId: string; plan: CleanupPlan}> = []
  items: ItemResult[] = []
  finished: ExecutionResult[] = []
  failAfter = Number.POSITIVE_INFINITY

  runStarted(run: {runId: string; plan: CleanupPlan}): void {
    this.started.push(run)
  }

  itemFinished(_runId: string, result: ItemResult): void {
    if (this.items.length >= this.failAfter) throw new Error('disk full')
    this.items.push(result)
  }

  runFinished(result: ExecutionResult): void {
    this.finished.push(result)
  }
}

const TYPES = ['AWS::EC2::Instance', 'AWS::EC2::SecurityGroup', 'AWS::EC2::VPC', 'AWS::EC2::Volume', 'AWS::SNS::Topic', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Policy']

function execute(plan: CleanupPlan, world: World, overrides: Partial<ExecuteOptions> = {}): Promise<ExecutionResult> {
  const deleter = world.deleter()
  const specs = new Map(TYPES.map((type) => [type, {...registered(type)!, deleter} satisfies ResourceSpec]))
  let tick = 0
  return executePlan(plan, {
    specOf: (type) => specs.get(type),
    clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, REGION),
    caller: ADMIN,
    homeRegion: 'eu-west-1',
    concurrency: 4,
    signal: new AbortController().signal,
    // Every reading of the clock one second later: times are distinct and ordered.
    now: () => new Date(NOW.getTime() + 1000 * tick++),
    steps: {baseDelayMs: 1, maxRetries: 2, sleep: async () => {}},
    ...overrides,
  })
}

const outcomes = (result: ExecutionResult) => Object.fromEntries(result.items.map((i) => [i.id, i.result]))

describe('executePlan', () => {
  it('runs each item after every item it waits for, independent items in parallel, and deletes everything', async () => {
    const sg = item('AWS::EC2::SecurityGroup', 'sg-1')
    const plan = planOf([
      [item('AWS::EC2::Instance', 'i-1'), item('AWS::EC2::Instance', 'i-2'), item('AWS::SNS::Topic', 't-1')],
      [{...sg, after: [arnOf('AWS::EC2::Instance', 'i-1'), arnOf('AWS::EC2::Instance', 'i-2')]}],
      [item('AWS::EC2::VPC', 'vpc-1', {after: [sg.key]})],
    ])
    const world = new World().exists('i-1', 'i-2', 't-1', 'sg-1', 'vpc-1')
    const result = await execute(plan, world)

    expect(outcomes(result)).toEqual({'i-1': 'deleted', 'i-2': 'deleted', 't-1': 'deleted', 'sg-1': 'deleted', 'vpc-1': 'deleted'})
    const position = (event: string) => world.events.indexOf(event)
    const instancesDone = Math.max(...['i-1', 'i-2'].map((id) => position(`end ${id} delete`)))
    expect(position('start sg-1 delete')).toBeGreaterThan(instancesDone)
    expect(position('start vpc-1 delete')).toBeGreaterThan(position('end sg-1 delete'))
    // The three items of the first wave overlapped.
    expect(world.maxActive).toBe(3)
    expect(result).toMatchObject({status: 'succeeded', exitCode: 0, summary: {items: 5, deleted: 5, prepared: 0, scheduled: 0, gone: 0, skipped: 0, failed: 0, interrupted: 0, notAttempted: 0}})
    expect(world.existing.size).toBe(0)
  })

  it('reports a preparation done as prepared, never as deleted', async () => {
    // Two security groups whose rules name each other: each revokes its rule first, then both go.
    const cycle = [arnOf('AWS::EC2::SecurityGroup', 'sg-a'), arnOf('AWS::EC2::SecurityGroup', 'sg-b')]
    const [prepareA, prepareB] = [prepareItem('AWS::EC2::SecurityGroup', 'sg-a', {cycle}), prepareItem('AWS::EC2::SecurityGroup', 'sg-b', {cycle})]
    const after = [prepareA.key, prepareB.key]
    const plan = planOf([[prepareA, prepareB], [item('AWS::EC2::SecurityGroup', 'sg-a', {after}), item('AWS::EC2::SecurityGroup', 'sg-b', {after}), item('AWS::SNS::Topic', 't-1')]])
    const world = new World().exists('sg-a', 'sg-b')
    const result = await execute(plan, world)
    expect(result.items.map((i) => [i.key.split(':').at(-1), i.result])).toEqual([
      ['sg-a#prepare', 'prepared'],
      ['sg-b#prepare', 'prepared'],
      ['sg-a', 'deleted'],
      ['sg-b', 'deleted'],
      ['t-1', 'gone'],
    ])
    expect(result).toMatchObject({status: 'succeeded', exitCode: 0, summary: {items: 5, deleted: 2, prepared: 2, gone: 1, skipped: 0}})
  })

  it('starts an item as soon as what it waits for has settled, not when its whole previous wave has', async () => {
    // Wave 0: an instance that takes three calls to terminate, and a topic. Wave 1: a security group
    // waiting for the instance, and a topic waiting only for the first topic.
    const instance = item('AWS::EC2::Instance', 'i-1')
    const topic = item('AWS::SNS::Topic', 't-1')
    const plan = planOf([
      [instance, topic],
      [item('AWS::EC2::SecurityGroup', 'sg-1', {after: [instance.key]}), item('AWS::SNS::Topic', 't-2', {after: [topic.key]})],
    ])
    const world = new World().exists('i-1', 't-1', 'sg-1', 't-2')
    world.scripts.set('i-1', [
      {status: 'wait', detail: 'shutting-down'},
      {status: 'wait', detail: 'shutting-down'},
    ])
    const sleep = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }

    const result = await execute(plan, world, {steps: {baseDelayMs: 1, maxRetries: 2, sleep}})
    expect(outcomes(result)).toEqual({'i-1': 'deleted', 't-1': 'deleted', 'sg-1': 'deleted', 't-2': 'deleted'})
    const position = (event: string) => world.events.indexOf(event)
    const instanceDone = world.events.lastIndexOf('end i-1 delete')
    expect(position('start t-2 delete')).toBeGreaterThan(position('end t-1 delete'))
    expect(position('end t-2 delete')).toBeLessThan(instanceDone)
    expect(position('start sg-1 delete')).toBeGreaterThan(instanceDone)
  })

  it('gives a free slot to the types that wait for AWS first within a wave, so that their waits overlap the rest', async () => {
    // One slot; the instance comes last in plan order, but its type's deleter waits (waitTimeoutMs).
    const plan = planOf([[item('AWS::SNS::Topic', 't-1'), item('AWS::SNS::Topic', 't-2'), item('AWS::EC2::Instance', 'i-1')]])
    const world = new World().exists('t-1', 't-2', 'i-1')
    const plain = world.deleter()
    const waiting = {...plain, waitTimeoutMs: 60_000}
    const specs = new Map(TYPES.map((type) => [type, {...registered(type)!, deleter: type === 'AWS::EC2::Instance' ? waiting : plain} satisfies ResourceSpec]))
    await execute(plan, world, {concurrency: 1, specOf: (type) => specs.get(type)})
    expect(world.events.filter((e) => e.startsWith('start'))).toEqual(['start i-1 delete', 'start t-1 delete', 'start t-2 delete'])
  })

  it('runs at most `concurrency` items at once', async () => {
    const plan = planOf([Array.from({length: 6}, (_, n) => item('AWS::SNS::Topic', `t-${n}`))])
    const world = new World().exists(...plan.waves[0]!.items.map((i) => i.id))
    const result = await execute(plan, world, {concurrency: 2})
    expect(world.maxActive).toBe(2)
    expect(result.summary.deleted).toBe(6)
  })

  it('lets other items work while one waits for AWS: a pausing item gives its slot up', async () => {
    // One slot. The instance answers `wait` twice (terminating); meanwhile the three topics are deleted.
    const plan = planOf([[item('AWS::EC2::Instance', 'i-1'), ...Array.from({length: 3}, (_, n) => item('AWS::SNS::Topic', `t-${n}`))]])
    const world = new World().exists('i-1', 't-0', 't-1', 't-2')
    world.scripts.set('i-1', [
      {status: 'wait', detail: 'shutting-down'},
      {status: 'wait', detail: 'shutting-down'},
    ])
    const pauses: number[] = []
    const sleep = async (ms: number) => {
      pauses.push(ms)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }

    const result = await execute(plan, world, {concurrency: 1, steps: {baseDelayMs: 1, maxRetries: 2, sleep}})
    expect(outcomes(result)).toEqual({'i-1': 'deleted', 't-0': 'deleted', 't-1': 'deleted', 't-2': 'deleted'})
    expect(world.maxActive).toBe(1)
    expect(pauses).toHaveLength(2)
    // Every topic was deleted between the instance's first call and its last.
    const position = (event: string) => world.events.indexOf(event)
    const first = position('end i-1 delete')
    const last = world.events.lastIndexOf('start i-1 delete')
    for (const id of ['t-0', 't-1', 't-2']) {
      expect(position(`end ${id} delete`), id).toBeGreaterThan(first)
      expect(position(`end ${id} delete`), id).toBeLessThan(last)
    }
  })

  describe('the preparations of a dependency cycle', () => {
    const group = (id: string) => arnOf('AWS::EC2::SecurityGroup', id)
    const keep = rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})

    /** Groups sg-a and sg-b naming each other: each one's rule revoked first, then both deleted; `waitFor` before sg-a. */
    function cyclePlan(waitFor: PlanItem[] = []) {
      const cycle = [group('sg-a'), group('sg-b')]
      const prepares = [prepareItem('AWS::EC2::SecurityGroup', 'sg-a', {cycle}), prepareItem('AWS::EC2::SecurityGroup', 'sg-b', {cycle})]
      const after = prepares.map((p) => p.key)
      const groups = [item('AWS::EC2::SecurityGroup', 'sg-a', {after: [...after, ...waitFor.map((w) => w.key)]}), item('AWS::EC2::SecurityGroup', 'sg-b', {after})]
      return planOf([[...waitFor, ...prepares], groups])
    }

    it('runs none of them when a group of the cycle is protected now, so that the other keeps its rules', async () => {
      const world = new World().exists('sg-a')
      world.existing.set('sg-b', {tags: {keep: 'yes'}})
      const result = await execute(cyclePlan(), world, {extraRules: keep})

      expect(world.events).toEqual([])
      const [prepareA, prepareB, groupA, groupB] = result.items
      expect(prepareA).toMatchObject({
        kind: 'prepare',
        id: 'sg-a',
        result: 'skipped',
        blockedBy: [group('sg-b')],
        protectedBy: [{kind: 'tag-rule', rule: 'keep=*', source: '--protect-tag'}],
        reason:
          'not run: AWS::EC2::SecurityGroup sg-b, of the dependency cycle it breaks, would not be deleted (skipped: protected now: tagged keep=yes, matching keep=* (--protect-tag)), so its references are left as they are',
      })
      expect(prepareB).toMatchObject({kind: 'prepare', id: 'sg-b', result: 'skipped', reason: 'protected now: tagged keep=yes, matching keep=* (--protect-tag)'})
      const waiting = `not run: it waits for the preparation of AWS::EC2::SecurityGroup sg-a (skipped), the preparation of AWS::EC2::SecurityGroup sg-b (skipped), which were not done`
      expect(groupA).toMatchObject({kind: 'delete', result: 'skipped', reason: waiting})
      expect(groupB).toMatchObject({kind: 'delete', result: 'skipped', reason: waiting})
      expect(result).toMatchObject({status: 'incomplete', exitCode: 3, summary: {items: 4, deleted: 0, prepared: 0, skipped: 4}})
      expect([...world.existing.keys()].sort()).toEqual(['sg-a', 'sg-b'])
    })

    it('runs none of them when a group of the cycle cannot be re-read', async () => {
      const world = new World().exists('sg-a', 'sg-b')
      world.unreadable.set('sg-a', awsError('UnauthorizedOperation', 'not allowed', 403))
      const result = await execute(cyclePlan(), world)

      expect(world.events).toEqual([])
      expect(result.items.filter((i) => i.kind === 'prepare').map((i) => [i.id, i.result])).toEqual([
        ['sg-a', 'failed'],
        ['sg-b', 'skipped'],
      ])
      expect(result.items[1]?.reason).toBe(
        'not run: AWS::EC2::SecurityGroup sg-a, of the dependency cycle it breaks, would not be deleted (failed: could not re-read it before deleting, so it was not re-checked: UnauthorizedOperation: not allowed), so its references are left as they are',
      )
    })

    it('runs none of them when a group of the cycle waits for something that was not deleted', async () => {
      // A hand-made plan whose preparations do not wait for the instance: whether it has failed or not yet
      // settled when they start, sg-a may not go, so they do not run.
      const instance = item('AWS::EC2::Instance', 'i-1')
      const world = new World().exists('i-1', 'sg-a', 'sg-b')
      world.scripts.set('i-1', [awsError('UnauthorizedOperation', 'not allowed', 403)])
      const result = await execute(cyclePlan([instance]), world)

      expect(outcomes(result)).toEqual({'i-1': 'failed', 'sg-a': 'skipped', 'sg-b': 'skipped'})
      expect(result.items.filter((i) => i.kind === 'prepare').map((i) => i.result)).toEqual(['skipped', 'skipped'])
      expect(result.items.find((i) => i.key === `${group('sg-a')}#prepare`)?.reason).toMatch(
        /^not run: AWS::EC2::SecurityGroup sg-a, of the dependency cycle it breaks, would not be deleted \(skipped: not run: it waits for AWS::EC2::Instance i-1 \((failed|not-attempted)\), which was not deleted\), so its references are left as they are$/,
      )
      expect(world.events.filter((e) => e.includes('sg-'))).toEqual([])
    })

    it('runs them all when every group of the cycle is to go, one already gone included, deciding once for the cycle', async () => {
      const world = new World().exists('sg-a', 'sg-b')
      const plan = cyclePlan()
      world.onRun = (id, action) => {
        // sg-b goes by other means while sg-a's rule is revoked.
        if (id === 'sg-a' && action === 'revoke') world.existing.delete('sg-b')
      }

      const result = await execute(plan, world, {concurrency: 1})
      expect(result.items.map((i) => [i.key.split(':').at(-1), i.result])).toEqual([
        ['sg-a#prepare', 'prepared'],
        ['sg-b#prepare', 'gone'],
        ['sg-a', 'deleted'],
        ['sg-b', 'gone'],
      ])
      // sg-a read once by the cycle's check, once by each item about it: the check was made once for both preparations.
      expect(world.contexts.filter((c) => c.id === 'sg-a')).toHaveLength(3)
      expect(result).toMatchObject({status: 'succeeded', exitCode: 0, summary: {deleted: 1, prepared: 1, gone: 2}})
    })
  })

  it('counts an item that no longer exists as gone, without running its steps', async () => {
    const world = new World().exists('t-2')
    const result = await execute(planOf([[item('AWS::SNS::Topic', 't-1'), item('AWS::SNS::Topic', 't-2')]]), world)
    expect(result.items[0]).toMatchObject({id: 't-1', result: 'gone', reason: 'it no longer existed, or was already scheduled for deletion, when re-read before its first step', steps: [], before: null})
    expect(world.events.filter((e) => e.includes('t-1'))).toEqual([])
    expect(result).toMatchObject({status: 'succeeded', exitCode: 0, summary: {gone: 1, deleted: 1}})
  })

  it('skips an item tagged protected since the plan was made, and what waits for it; the run is incomplete, not failed', async () => {
    const instance = item('AWS::EC2::Instance', 'i-1')
    const plan = planOf(
      [[instance, item('AWS::SNS::Topic', 't-1')], [item('AWS::EC2::SecurityGroup', 'sg-1', {after: [instance.key]})]],
      {rules: rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})},
    )
    const world = new World().exists('t-1', 'sg-1')
    world.existing.set('i-1', {tags: {keep: 'yes'}, name: 'web'})
    const result = await execute(plan, world)

    expect(result.items.find((i) => i.id === 'i-1')).toMatchObject({
      result: 'skipped',
      reason: 'protected now: tagged keep=yes, matching keep=* (--protect-tag)',
      protectedBy: [{kind: 'tag-rule', rule: 'keep=*', source: '--protect-tag'}],
      before: {tags: {keep: 'yes'}, name: 'web'},
      steps: [],
    })
    expect(result.items.find((i) => i.id === 'sg-1')).toMatchObject({
      result: 'skipped',
      blockedBy: [instance.key],
      reason: 'not run: it waits for AWS::EC2::Instance i-1 (skipped), which was not deleted',
    })
    expect(world.events.some((e) => e.includes('i-1') || e.includes('sg-1'))).toBe(false)
    expect(world.existing.has('i-1')).toBe(true)
    // Skipping what the rules protect is not a failure, but the skipped items still exist: exit 3, not 0.
    expect(result).toMatchObject({status: 'incomplete', exitCode: 3, summary: {deleted: 1, skipped: 2, failed: 0}})
  })

  it('refuses what its state shows is always protected, should a plan file name it (edited, and hashed again)', async () => {
    const plan = planOf([[item('AWS::EC2::VPC', 'vpc-1'), item('AWS::IAM::Role', 'AWSServiceRoleForSupport', {region: 'global'}), item('AWS::SNS::Topic', 't-1')]])
    const world = new World().exists('t-1')
    world.existing.set('vpc-1', {tags: {}, configuration: {VpcId: 'vpc-1', IsDefault: true}})
    world.existing.set('AWSServiceRoleForSupport', {tags: {}, configuration: {RoleName: 'AWSServiceRoleForSupport', Path: '/aws-service-role/support.amazonaws.com/'}})
    const result = await execute(plan, world)

    expect(result.items.find((i) => i.id === 'vpc-1')).toMatchObject({result: 'skipped', reason: 'protected now: the default VPC', protectedBy: [{kind: 'default-vpc'}]})
    expect(result.items.find((i) => i.id === 'AWSServiceRoleForSupport')).toMatchObject({result: 'skipped', protectedBy: [{kind: 'service-linked'}]})
    expect(world.events.filter((e) => !e.includes('t-1'))).toEqual([])
    expect(result).toMatchObject({status: 'incomplete', exitCode: 3, summary: {deleted: 1, skipped: 2}})
  })

  it('re-checks what is always protected from the ARN AWS answers with and from further reads, when the re-read carries no configuration', async () => {
    // A forged plan names the role under an innocent ARN; GetRole answers with its real one, and no configuration.
    const role = item('AWS::IAM::Role', 'AWSServiceRoleForSupport', {region: 'global'})
    const reserved = item('AWS::IAM::Role', 'AWSReservedSSO_Admin_0123', {region: 'global'})
    const plan = planOf([[role, {...reserved, arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123`}, item('AWS::EC2::VPC', 'vpc-9')]])
    const world = new World()
    world.existing.set('AWSServiceRoleForSupport', {tags: {}, arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`})
    world.existing.set('AWSReservedSSO_Admin_0123', {tags: {}})
    world.existing.set('vpc-9', {tags: {}, configuration: {VpcId: 'vpc-9'}, alwaysProtected: [{kind: 'default-vpc', explanation: 'the internet gateway of the default VPC vpc-0d'}]})
    const result = await execute(plan, world)

    expect(outcomes(result)).toEqual({AWSServiceRoleForSupport: 'skipped', AWSReservedSSO_Admin_0123: 'skipped', 'vpc-9': 'skipped'})
    expect(result.items[0]?.protectedBy).toEqual([{kind: 'service-linked', explanation: 'a service-linked role: it is deleted through the service that uses it'}])
    expect(result.items[1]?.protectedBy).toEqual([{kind: 'aws-managed', explanation: 'managed by AWS (path /aws-reserved/sso.amazonaws.com/, e.g. IAM Identity Center)'}])
    expect(result.items[2]?.reason).toBe('protected now: the internet gateway of the default VPC vpc-0d')
    expect(world.events).toEqual([])
  })

  it('skips an item deleted and recreated under its name since the plan was made (another unique id), and what waits for it', async () => {
    const user = item('AWS::IAM::User', 'sbx-bob', {region: 'global', uniqueId: 'AIDAPLANNED0000000001'})
    const plan = planOf([[user], [item('AWS::IAM::Group', 'sbx-devs', {region: 'global', after: [user.key]})]])
    const world = new World().exists('sbx-devs')
    world.existing.set('sbx-bob', {tags: {}, uniqueId: 'AIDARECREATED00000002'})
    const result = await execute(plan, world)

    expect(result.items[0]).toMatchObject({
      result: 'skipped',
      reason: "replaced since the plan was made: its UserId is now AIDARECREATED00000002 (the plan's: AIDAPLANNED0000000001)",
      before: {tags: {}, uniqueId: 'AIDARECREATED00000002'},
      steps: [],
    })
    expect(result.items[0]?.protectedBy).toBeUndefined()
    expect(result.items[1]).toMatchObject({result: 'skipped', blockedBy: [user.key]})
    expect(world.events).toEqual([])
    expect(world.existing.has('sbx-bob')).toBe(true)
    expect(result).toMatchObject({status: 'incomplete', exitCode: 3, summary: {skipped: 2, deleted: 0, failed: 0}})
  })

  it('deletes an item whose unique id is the plan’s, or that either side has none of (a type without one, a read that could not tell)', async () => {
    const global = {region: 'global'}
    const plan = planOf([
      [
        item('AWS::IAM::User', 'same', {...global, uniqueId: 'AIDASAME000000000001'}),
        item('AWS::IAM::User', 'unread', {...global, uniqueId: 'AIDAUNREAD0000000001'}),
        item('AWS::IAM::User', 'unplanned', global),
        item('AWS::SNS::Topic', 't-1'),
      ],
    ])
    const world = new World().exists('unread', 't-1')
    world.existing.set('same', {tags: {}, uniqueId: 'AIDASAME000000000001'})
    world.existing.set('unplanned', {tags: {}, uniqueId: 'AIDANOTINPLAN0000001'})
    const result = await execute(plan, world)

    expect(outcomes(result)).toEqual({same: 'deleted', unread: 'deleted', unplanned: 'deleted', 't-1': 'deleted'})
    expect(result).toMatchObject({status: 'succeeded', exitCode: 0})
  })

  it('re-checks the rules given at execution too, and management tags AWS added', async () => {
    const plan = planOf([[item('AWS::SNS::Topic', 't-1'), item('AWS::SNS::Topic', 't-2')]])
    const world = new World()
    world.existing.set('t-1', {tags: {team: 'payments'}})
    world.existing.set('t-2', {tags: {'aws:cloudformation:stack-name': 'app'}})
    const result = await execute(plan, world, {extraRules: rules({tags: [{key: 'team', value: 'pay*', source: 'rules.yaml'}]})})
    expect(result.items.map((i) => [i.id, i.result, i.protectedBy?.map((p) => p.kind)])).toEqual([
      ['t-1', 'skipped', ['tag-rule']],
      ['t-2', 'skipped', ['aws-managed']],
    ])
  })

  it('names each reason once when the rules given at execution repeat the plan\'s', async () => {
    const keep = rules({tags: [{key: 'keep', value: '*', source: '.awsinv-cleanup.yaml'}]})
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]], {rules: keep})
    const world = new World()
    world.existing.set('t-1', {tags: {keep: 'late'}})
    const result = await execute(plan, world, {extraRules: keep})
    expect(result.items[0]).toMatchObject({result: 'skipped', reason: 'protected now: tagged keep=late, matching keep=* (.awsinv-cleanup.yaml)'})
    expect(result.items[0]?.protectedBy).toHaveLength(1)
  })

  it('skips a group or policy the caller\'s identity came to stand on since the plan was made, reading that once', async () => {
    const group = item('AWS::IAM::Group', 'sbx-devs', {region: 'global'})
    const policy = item('AWS::IAM::Policy', 'sbx-pol', {region: 'global'})
    const other = item('AWS::IAM::Policy', 'sbx-other', {region: 'global'})
    const world = new World().exists('sbx-devs', 'sbx-pol', 'sbx-other', 't-1')
    let reads = 0
    const readCallerLinks = async () => {
      reads++
      return {links: new Map([[group.arn, "a group the caller's user admin is in (now)"], [policy.arn, "attached to the caller's user admin (now)"]])}
    }
    const result = await execute(planOf([[group, policy, other, item('AWS::SNS::Topic', 't-1')]]), world, {readCallerLinks})
    expect(outcomes(result)).toEqual({'sbx-devs': 'skipped', 'sbx-pol': 'skipped', 'sbx-other': 'deleted', 't-1': 'deleted'})
    expect(result.items.find((i) => i.id === 'sbx-pol')).toMatchObject({protectedBy: [{kind: 'caller-identity'}], reason: "protected now: attached to the caller's user admin (now)"})
    expect(reads).toBe(1)
    expect(result).toMatchObject({status: 'incomplete', exitCode: 3})

    // Unreadable: every group and policy is kept (fail closed); other types are not concerned, and never read it.
    const denied = await execute(planOf([[item('AWS::IAM::Group', 'g-2', {region: 'global'}), item('AWS::SNS::Topic', 't-2')]]), new World().exists('g-2', 't-2'), {
      readCallerLinks: async () => ({error: 'AccessDenied: iam:ListGroupsForUser'}),
    })
    expect(outcomes(denied)).toEqual({'g-2': 'skipped', 't-2': 'deleted'})
    expect(denied.items[0]?.reason).toBe("protected now: what the caller's identity stands on could not be read (AccessDenied: iam:ListGroupsForUser), so it may be this")
    let topicOnlyReads = 0
    await execute(planOf([[item('AWS::SNS::Topic', 't-3')]]), new World().exists('t-3'), {
      readCallerLinks: async () => {
        topicOnlyReads++
        return {links: new Map()}
      },
    })
    expect(topicOnlyReads).toBe(0)
  })

  it('skips an item whose tags cannot be read when a tag rule is in force (fail closed)', async () => {
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]], {rules: rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})})
    const world = new World()
    world.existing.set('t-1', {tags: null})
    const result = await execute(plan, world)
    expect(result.items[0]).toMatchObject({result: 'skipped', reason: 'protected now: its tags could not be read, so tag rule keep=* (--protect-tag) protects it'})
  })

  it('skips an item that would take along a resource protected since the plan was made', async () => {
    const volume: IncludedResource = {arn: arnOf('AWS::EC2::Volume', 'vol-1'), type: 'AWS::EC2::Volume', id: 'vol-1', name: 'vol-1', region: REGION, accountId: ACCOUNT, explanation: 'deleted by AWS with i-1'}
    const plan = planOf([[item('AWS::EC2::Instance', 'i-1', {includes: [volume]})]], {rules: rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})})
    const world = new World().exists('i-1')
    world.existing.set('vol-1', {tags: {keep: 'data'}})
    const result = await execute(plan, world)
    expect(result.items[0]).toMatchObject({
      result: 'skipped',
      blockedBy: [volume.arn],
      includes: [volume.arn],
      reason: 'deleting it would also delete AWS::EC2::Volume vol-1, which is protected now: tagged keep=data, matching keep=* (--protect-tag)',
    })
    expect(world.events).toEqual([])

    // Gone already, or unprotected: the instance goes.
    world.existing.delete('vol-1')
    expect((await execute(plan, world)).items[0]?.result).toBe('deleted')
  })

  it('fails an item that cannot be re-read, without deleting it', async () => {
    const world = new World().exists('t-1')
    world.unreadable.set('t-1', awsError('AuthorizationError', 'not authorized to perform SNS:GetTopicAttributes', 403))
    const result = await execute(planOf([[item('AWS::SNS::Topic', 't-1')]]), world)
    expect(result.items[0]).toMatchObject({
      result: 'failed',
      reason: 'could not re-read it before deleting, so it was not re-checked: AuthorizationError: not authorized to perform SNS:GetTopicAttributes',
    })
    expect(world.events).toEqual([])
    expect(result).toMatchObject({status: 'failed', exitCode: 1})
  })

  it('does not run what waits for a failed item, names what blocked each, and exits 1', async () => {
    const instance = item('AWS::EC2::Instance', 'i-1')
    const sg = item('AWS::EC2::SecurityGroup', 'sg-1', {after: [instance.key]})
    const vpc = item('AWS::EC2::VPC', 'vpc-1', {after: [sg.key]})
    const world = new World().exists('i-1', 'sg-1', 'vpc-1', 'vpc-2')
    world.scripts.set('i-1', [awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)])
    const result = await execute(planOf([[instance], [sg], [vpc, item('AWS::EC2::VPC', 'vpc-2')]]), world)

    expect(result.items.map((i) => [i.id, i.result, i.reason])).toEqual([
      ['i-1', 'failed', 'delete failed: UnauthorizedOperation: You are not authorized to perform this operation.'],
      ['sg-1', 'skipped', 'not run: it waits for AWS::EC2::Instance i-1 (failed), which was not deleted'],
      ['vpc-1', 'skipped', 'not run: it waits for AWS::EC2::SecurityGroup sg-1 (skipped), which was not deleted'],
      ['vpc-2', 'deleted', null],
    ])
    expect(result.items[0]?.steps).toMatchObject([{action: 'delete', status: 'failed', attempts: 1, requestIds: ['req-UnauthorizedOperation']}])
    expect(result).toMatchObject({status: 'failed', exitCode: 1, summary: {failed: 1, skipped: 2, deleted: 1}})
  })

  it('fails a hold that never clears, naming what AWS still sees: after its retries when the plan deletes the blocker, at once when not', async () => {
    const world = new World().exists('sg-1', 'i-1')
    world.scripts.set('sg-1', Array.from({length: 5}, () => ({status: 'hold' as const, detail: 'still used by i-1', blockedBy: ['i-1']})))
    const result = await execute(planOf([[item('AWS::EC2::SecurityGroup', 'sg-1'), item('AWS::EC2::Instance', 'i-1')]]), world)
    expect(result.items.find((i) => i.id === 'sg-1')).toMatchObject({result: 'failed', blockedBy: ['i-1'], reason: 'delete blocked by i-1 after 2 retries: still used by i-1'})

    const alone = new World().exists('sg-2')
    alone.scripts.set('sg-2', Array.from({length: 5}, () => ({status: 'hold' as const, detail: 'still used by eni-1', blockedBy: ['eni-1']})))
    const outside = await execute(planOf([[item('AWS::EC2::SecurityGroup', 'sg-2')]]), alone)
    expect(outside.items[0]).toMatchObject({result: 'failed', blockedBy: ['eni-1'], reason: 'delete blocked by eni-1, which this run does not delete: still used by eni-1'})
    expect(outside.items[0]?.steps[0]?.attempts).toBe(1)

    // Blocked by an item of the plan that was skipped: it will not go either, so no waiting for it.
    const kept = new World().exists('sg-3')
    kept.existing.set('i-3', {tags: {keep: 'now'}})
    kept.scripts.set('sg-3', Array.from({length: 5}, () => ({status: 'hold' as const, detail: 'still used by i-3', blockedBy: ['i-3']})))
    const keep = rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})
    const skippedBlocker = await execute(planOf([[item('AWS::EC2::Instance', 'i-3')], [item('AWS::EC2::SecurityGroup', 'sg-3')]], {rules: keep}), kept)
    expect(skippedBlocker.items.map((i) => [i.id, i.result])).toEqual([
      ['i-3', 'skipped'],
      ['sg-3', 'failed'],
    ])
    expect(skippedBlocker.items[1]?.reason).toBe('delete blocked by i-3, which this run does not delete: still used by i-3')
  })

  it('reports a deletion AWS only scheduled as scheduled, which counts as success', async () => {
    const world = new World().exists('key-1')
    world.scripts.set('key-1', [{status: 'done', detail: 'scheduled for deletion on 2026-12-12T12:00:00.000Z', scheduled: {deletionDate: '2026-12-12T12:00:00.000Z'}}])
    const result = await execute(planOf([[item('AWS::SNS::Topic', 'key-1')]]), world)
    expect(result.items[0]).toMatchObject({result: 'scheduled', reason: 'scheduled for deletion on 2026-12-12T12:00:00.000Z'})
    expect(result).toMatchObject({status: 'succeeded', exitCode: 0, summary: {scheduled: 1}})
  })

  it('counts an item whose every step found its target gone as gone', async () => {
    const world = new World().exists('t-1')
    world.scripts.set('t-1', [awsError('NotFoundException', 'Topic does not exist', 404)])
    const result = await execute(planOf([[item('AWS::SNS::Topic', 't-1')]]), world)
    expect(result.items[0]).toMatchObject({result: 'gone', reason: 'already gone: NotFoundException: Topic does not exist'})
  })

  it('stops between calls when interrupted: the running item is interrupted with what it did, the rest not attempted, exit 130', async () => {
    const controller = new AbortController()
    const instance = item('AWS::EC2::Instance', 'i-1', {actions: ['stop', 'terminate-instance']})
    const plan = planOf([[instance], [item('AWS::EC2::SecurityGroup', 'sg-1', {after: [instance.key]})]])
    const world = new World().exists('i-1', 'sg-1')
    world.scripts.set('i-1', [{status: 'done'}, {status: 'wait', detail: 'shutting-down'}])
    world.onRun = (_id, action) => action === 'terminate-instance' && controller.abort()
    const sleep = async (_ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw new RunInterrupted()
    }

    const result = await execute(plan, world, {signal: controller.signal, steps: {sleep}})
    expect(result.items.map((i) => [i.id, i.result, i.reason])).toEqual([
      ['i-1', 'interrupted', 'the run was interrupted during terminate-instance'],
      ['sg-1', 'not-attempted', 'the run was interrupted before it started'],
    ])
    expect(result.items[0]?.steps.map((s) => [s.action, s.status])).toEqual([
      ['stop', 'done'],
      ['terminate-instance', 'interrupted'],
    ])
    expect(result.items[1]).toMatchObject({startedAt: null, finishedAt: null, steps: []})
    expect(result).toMatchObject({status: 'interrupted', exitCode: 130, summary: {interrupted: 1, notAttempted: 1}})
  })

  it('records the run, then every item as it settles, then the result, in the audit sink', async () => {
    const audit = new MemoryAudit()
    const topic = item('AWS::SNS::Topic', 't-1')
    const plan = planOf([[topic, item('AWS::SNS::Topic', 't-2')]], {rules: rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})})
    const world = new World().exists('t-1')
    world.existing.set('t-2', {tags: {keep: '1'}})
    const result = await execute(plan, world, {audit, runId: 'run-test'})

    expect(audit.started).toEqual([expect.objectContaining({runId: 'run-test', plan, caller: ADMIN, startedAt: result.startedAt})])
    expect(audit.items).toHaveLength(2)
    expect(audit.finished).toEqual([result])
    expect(result.auditLog).toBe('/tmp/audit.jsonl')
    const deleted = audit.items.find((i) => i.id === 't-1')!
    expect(deleted).toEqual({
      key: topic.key,
      kind: 'delete',
      arn: topic.arn,
      type: 'AWS::SNS::Topic',
      id: 't-1',
      name: 't-1',
      region: REGION,
      accountId: ACCOUNT,
      wave: 0,
      result: 'deleted',
      reason: null,
      includes: [],
      before: {tags: {}, configuration: {Id: 't-1'}},
      steps: [
        {
          action: 'delete',
          description: 'delete t-1',
          params: {id: 't-1'},
          status: 'done',
          attempts: 1,
          requestIds: ['req-t-1-delete'],
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
        },
      ],
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    })
    expect(Date.parse(deleted.finishedAt!)).toBeGreaterThan(Date.parse(deleted.startedAt!))
  })

  it('stops starting items when the audit cannot be written, and fails the run', async () => {
    const audit = new MemoryAudit()
    audit.failAfter = 0
    const world = new World().exists('t-1', 't-2')
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')], [item('AWS::SNS::Topic', 't-2')]])
    // One slot: the second topic is still queued when the first one's record fails.
    await expect(execute(plan, world, {audit, concurrency: 1})).rejects.toThrow('disk full')
    expect(world.existing.has('t-2')).toBe(true)
  })

  it('refuses a plan of another account, deleting nothing', async () => {
    const world = new World().exists('t-1')
    const run = execute(planOf([[item('AWS::SNS::Topic', 't-1')]]), world, {caller: {arn: 'arn:aws:iam::210987654321:user/bob', accountId: '210987654321'}})
    await expect(run).rejects.toThrow(UserError)
    await expect(run).rejects.toThrow('Plan plan-0123456789ab is for account 123456789012, but the credentials in use are for account 210987654321: nothing was deleted.')
    expect(world.events).toEqual([])
  })

  it('calls global types in the home region, regional ones in their own', async () => {
    const world = new World().exists('app', 't-1')
    await execute(planOf([[item('AWS::IAM::Role', 'app', {region: 'global'}), item('AWS::SNS::Topic', 't-1', {region: 'ap-south-1'})]]), world)
    expect(world.contexts).toEqual(expect.arrayContaining([{id: 'app', region: 'eu-west-1'}, {id: 't-1', region: 'ap-south-1'}]))
  })

  it('fails an item of a type without a deleter', async () => {
    const world = new World().exists('x')
    const result = await execute(planOf([[item('AWS::EC2::Subnet', 'x')]]), world)
    expect(result.items[0]).toMatchObject({result: 'failed', reason: 'awsinv has no deleter for AWS::EC2::Subnet'})
  })

  it('names runs after their start time, uniquely', () => {
    expect(newRunId(NOW)).toMatch(/^run-20261205-120000-[0-9a-f]{6}$/)
    expect(newRunId(NOW)).not.toBe(newRunId(NOW))
  })
})
