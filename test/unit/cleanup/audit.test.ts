import {spawnSync} from 'node:child_process'
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {hostname} from 'node:os'
import {afterEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'
import {type AuditLine, StoreAuditSink, auditLogDir} from '../../../src/cleanup/audit.js'
import {executePlan} from '../../../src/cleanup/execute.js'
import type {Deleter} from '../../../src/cleanup/types.js'
import {UserError} from '../../../src/errors.js'
import {specOf} from '../../../src/resources/registry.js'
import {cleanupRunItems, findCleanupRun, insertCleanupItem, insertCleanupRun, reapAbandonedCleanupRuns} from '../../../src/store/cleanup-audit.js'
import {ACCOUNT, ADMIN, NOW, REGION, item, planOf, prepareItem, rules} from '../../support/cleanup.js'
import {tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-audit-')
afterEach(() => stores.cleanup())

/** Topics t-1 (deleted) and t-2 (tagged keep since the plan), then t-3 waiting for t-2. */
async function runScenario() {
  const store = stores.open()
  const t2 = item('AWS::SNS::Topic', 't-2')
  const plan = planOf([[item('AWS::SNS::Topic', 't-1'), t2], [item('AWS::SNS::Topic', 't-3', {after: [t2.key]})]], {
    rules: rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]}),
  })
  const deleter: Deleter = {
    steps: () => [],
    current: async (_ctx, planned) => {
      const tags: Record<string, string> = planned.id === 't-2' ? {keep: 'yes'} : {env: 'dev'}
      return {tags, configuration: {TopicArn: planned.arn}}
    },
    run: async (_ctx, planned) => ({status: 'done', requestIds: [`req-${planned.id}`]}),
  }
  const sink = new StoreAuditSink(store)
  const result = await executePlan(plan, {
    specOf: (type) => ({...specOf(type)!, deleter}),
    clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, REGION),
    caller: ADMIN,
    homeRegion: REGION,
    concurrency: 2,
    signal: new AbortController().signal,
    audit: sink,
    runId: 'run-20261205-120000-abcdef',
  })
  return {store, plan, result}
}

describe('StoreAuditSink', () => {
  it('records the run and every item in the store', async () => {
    const {store, plan, result} = await runScenario()
    const run = findCleanupRun(store, result.runId)
    expect(run).toMatchObject({
      id: 'run-20261205-120000-abcdef',
      planId: plan.id,
      planHash: plan.hash,
      mode: 'cleanup',
      accountId: ACCOUNT,
      callerArn: ADMIN.arn,
      baselineSnapshot: 'base',
      currentSnapshot: 'now',
      planCreatedAt: NOW.toISOString(),
      plan,
      status: 'incomplete',
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      items: 3,
      deleted: 1,
      skipped: 2,
      failed: 0,
      logFile: result.auditLog,
    })
    // In the order they settled: t-2 without running anything, t-1 after its call, t-3 in the next wave.
    const items = cleanupRunItems(store, result.runId)
    expect(items.map((i) => [i.resourceId, i.result, i.wave])).toEqual([
      ['t-2', 'skipped', 0],
      ['t-1', 'deleted', 0],
      ['t-3', 'skipped', 1],
    ])
    expect(items[1]).toMatchObject({
      kind: 'delete',
      type: 'AWS::SNS::Topic',
      region: REGION,
      reason: null,
      beforeState: {tags: {env: 'dev'}, configuration: {TopicArn: plan.waves[0]!.items[0]!.arn}},
      steps: [{action: 'delete', params: {id: 't-1'}, status: 'done', attempts: 1, requestIds: ['req-t-1']}],
      blockedBy: null,
      protectedBy: null,
    })
    expect(items[0]).toMatchObject({protectedBy: [{kind: 'tag-rule', rule: 'keep=*'}], reason: expect.stringMatching(/^protected now: tagged keep=yes/)})
    expect(items[2]).toMatchObject({blockedBy: [plan.waves[0]!.items[1]!.key], startedAt: expect.any(String), finishedAt: expect.any(String)})
  })

  it('counts preparations apart from deletions', async () => {
    const store = stores.open()
    const prepare = prepareItem('AWS::EC2::SecurityGroup', 'sg-1')
    const plan = planOf([[prepare], [item('AWS::EC2::SecurityGroup', 'sg-1', {after: [prepare.key]})]])
    const deleter: Deleter = {steps: () => [], current: async () => ({tags: {}}), run: async () => ({status: 'done'})}
    const result = await executePlan(plan, {
      specOf: (type) => ({...specOf(type)!, deleter}),
      clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, REGION),
      caller: ADMIN,
      homeRegion: REGION,
      concurrency: 2,
      signal: new AbortController().signal,
      audit: new StoreAuditSink(store),
      runId: 'run-20261205-120000-abcdef',
    })
    expect(result.summary).toMatchObject({items: 2, deleted: 1, prepared: 1})
    expect(findCleanupRun(store, result.runId)).toMatchObject({status: 'succeeded', items: 2, deleted: 1, prepared: 1})
    expect(cleanupRunItems(store, result.runId).map((i) => [i.kind, i.result])).toEqual([
      ['prepare', 'prepared'],
      ['delete', 'deleted'],
    ])

    // Reaped after its process died with only the preparation recorded: counted the same way.
    insertCleanupRun(store, {runId: 'run-killed', plan, caller: ADMIN, startedAt: NOW.toISOString(), logFile: null, toolVersion: '0.0.0'})
    insertCleanupItem(store, 'run-killed', result.items[0]!)
    store.sqlite.prepare('update cleanup_runs set pid = ?, host = ? where id = ?').run(spawnSync(process.execPath, ['-e', '']).pid!, hostname(), 'run-killed')
    expect(reapAbandonedCleanupRuns(store)).toBe(1)
    expect(findCleanupRun(store, 'run-killed')).toMatchObject({status: 'interrupted', items: 2, deleted: 0, prepared: 1, notAttempted: 1})
  })

  it('appends a header, one line per item and a footer to an owner-only JSON lines file', async () => {
    const {store, result} = await runScenario()
    expect(result.auditLog).toBe(`${auditLogDir(store.dir)}/run-20261205-120000-abcdef.jsonl`)
    expect(statSync(result.auditLog!).mode & 0o777).toBe(0o600)
    expect(statSync(auditLogDir(store.dir)).mode & 0o777).toBe(0o700)
    const lines = readFileSync(result.auditLog!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as AuditLine)
    expect(lines.map((l) => l.event)).toEqual(['run-started', 'item', 'item', 'item', 'run-finished'])
    expect(lines[0]).toMatchObject({runId: result.runId, time: result.startedAt, caller: ADMIN, plan: {id: result.planId}})
    const items = lines.filter((l) => l.event === 'item')
    const byKey = (a: {key: string}, b: {key: string}) => a.key.localeCompare(b.key)
    expect(items.map(({event: _e, runId: _r, ...rest}) => rest).sort(byKey)).toEqual([...result.items].sort(byKey))
    expect(lines[4]).toEqual({
      event: 'run-finished',
      runId: result.runId,
      time: result.finishedAt,
      status: 'incomplete',
      exitCode: 3,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      summary: result.summary,
    })
  })
})

describe('reapAbandonedCleanupRuns', () => {
  /** A pid no process has any more: a child that already exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!

  /** The scenario's plan recorded again as run `id`, still running, with its first item settled, owned by `pid` on `host`. */
  async function runningRun(id: string, pid: number, host: string) {
    const {store, plan, result} = await runScenario()
    insertCleanupRun(store, {runId: id, plan, caller: ADMIN, startedAt: NOW.toISOString(), logFile: null, toolVersion: '0.0.0'})
    insertCleanupItem(store, id, result.items[0]!)
    store.sqlite.prepare('update cleanup_runs set pid = ?, host = ? where id = ?').run(pid, host, id)
    return {store, result}
  }

  it('marks a running run whose process on this host is gone as interrupted, with the counts of what it recorded', async () => {
    const {store, result} = await runningRun('run-killed', deadPid(), hostname())
    expect(result.items[0]!.result).toBe('deleted')
    const later = new Date(NOW.getTime() + 60_000)
    expect(reapAbandonedCleanupRuns(store, later)).toBe(1)
    expect(findCleanupRun(store, 'run-killed')).toMatchObject({
      status: 'interrupted',
      finishedAt: later.toISOString(),
      items: 3,
      deleted: 1,
      notAttempted: 2,
      pid: null,
    })
    // The finished run it was copied from is left as it was.
    expect(findCleanupRun(store, result.runId)).toMatchObject({status: 'incomplete', pid: null})
  })

  it('leaves a run of a live process, or of another host, running', async () => {
    const {store} = await runningRun('run-live', process.pid, hostname())
    // Of another account: a live run of this host refuses a second run in its own account only.
    const elsewhere = {...findCleanupRun(store, 'run-live')!.plan, accountId: '210987654321'}
    insertCleanupRun(store, {runId: 'run-remote', plan: elsewhere, caller: ADMIN, startedAt: NOW.toISOString(), logFile: null, toolVersion: '0.0.0'})
    store.sqlite.prepare('update cleanup_runs set pid = ?, host = ? where id = ?').run(deadPid(), `${hostname()}-elsewhere`, 'run-remote')
    expect(reapAbandonedCleanupRuns(store)).toBe(0)
    expect(findCleanupRun(store, 'run-live')).toMatchObject({status: 'running', pid: process.pid, host: hostname()})
    expect(findCleanupRun(store, 'run-remote')).toMatchObject({status: 'running'})
  })
})

describe('one run at a time per account', () => {
  const newRun = (runId: string, plan: ReturnType<typeof planOf>) => ({runId, plan, caller: ADMIN, startedAt: NOW.toISOString(), logFile: null, toolVersion: '0.0.0'})
  const runsOf = (store: ReturnType<typeof stores.open>) => store.sqlite.prepare('select id, status from cleanup_runs order by id').all()

  it('refuses a run while a live run of this host is deleting in the same account, and allows it in another account', () => {
    const store = stores.open()
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]])
    insertCleanupRun(store, newRun('run-a', plan))
    expect(() => insertCleanupRun(store, newRun('run-b', plan))).toThrow(
      new UserError(`Another cleanup run is deleting in account ${ACCOUNT} now (run-a of plan ${plan.id}, process ${process.pid}): wait for it to end, then run again. Nothing was deleted.`),
    )
    insertCleanupRun(store, newRun('run-c', {...plan, accountId: '210987654321'}))
    expect(runsOf(store)).toEqual([
      {id: 'run-a', status: 'running'},
      {id: 'run-c', status: 'running'},
    ])
  })

  it('does not wait on a run whose process is gone, of another host, or finished', () => {
    const store = stores.open()
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]])
    const owner = store.sqlite.prepare('update cleanup_runs set pid = ?, host = ? where id = ?')
    insertCleanupRun(store, newRun('run-a', plan))
    owner.run(spawnSync(process.execPath, ['-e', '']).pid!, hostname(), 'run-a')
    insertCleanupRun(store, newRun('run-b', plan))
    owner.run(process.pid, `${hostname()}-elsewhere`, 'run-b')
    insertCleanupRun(store, newRun('run-c', plan))
    store.sqlite.prepare(`update cleanup_runs set status = 'succeeded' where id = 'run-c'`).run()
    insertCleanupRun(store, newRun('run-d', plan))
    expect(runsOf(store)).toHaveLength(4)
  })

  it('leaves no audit file and no run behind when the run is refused', () => {
    const store = stores.open()
    const plan = planOf([[item('AWS::SNS::Topic', 't-1')]])
    insertCleanupRun(store, newRun('run-a', plan))
    const sink = new StoreAuditSink(store)
    expect(() => sink.runStarted({runId: 'run-b', plan, caller: ADMIN, startedAt: NOW.toISOString()})).toThrow(/Another cleanup run is deleting/)
    expect(sink.logFile).toBeNull()
    expect(readdirSync(auditLogDir(store.dir))).toEqual([])
    expect(runsOf(store)).toEqual([{id: 'run-a', status: 'running'}])
  })
})
