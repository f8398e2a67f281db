import {spawnSync} from 'node:child_process'
import {hostname} from 'node:os'
import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import type {Store} from '../../../src/store/database.js'
import {defaultInventory, findInventory, insertInventory} from '../../../src/store/inventories.js'
import {
  activeSnapshot,
  activeSnapshotAdvice,
  deleteSnapshot,
  findSnapshot,
  finishSnapshot,
  deletableSnapshot,
  incompleteNote,
  insertSnapshot,
  isIncomplete,
  listSnapshots,
  namedOrActiveSnapshot,
  newestUsableSnapshot,
  reapAbandonedSnapshots,
  renameSnapshot,
  requireSnapshot,
  setActiveSnapshot,
  validateSnapshotName,
} from '../../../src/store/snapshots.js'
import {SnapshotWriter} from '../../../src/store/writer.js'
import {countRows, coverageRecord, fakeResource, finishedSnapshot, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-snapshots-')
afterEach(() => stores.cleanup())

const coverageRow = coverageRecord

/** A process id that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  expect(child.pid).toBeGreaterThan(0)
  return child.pid!
}

function setRunningOwner(store: Store, id: number, pid: number | null, host: string): void {
  store.sqlite.prepare('update snapshots set pid = ?, host = ? where id = ?').run(pid, host, id)
}

describe('insertSnapshot', () => {
  it('records a running snapshot owned by this process', () => {
    const store = stores.open()
    const inventory = defaultInventory(store)
    const id = insertSnapshot(store, {
      name: 'first',
      inventoryId: inventory.id,
      accountId: '111111111111',
      regions: ['us-east-1', 'eu-west-1'],
      resourceTypes: ['AWS::EC2::VPC', 'AWS::IAM::Role'],
      filters: {includeTags: {env: 'prod'}, excludeTags: {keep: 'yes'}},
      useConfig: true,
      toolVersion: '9.9.9',
    })
    const snapshot = requireSnapshot(store, 'first')
    expect(snapshot).toMatchObject({
      id,
      name: 'first',
      inventory: 'default',
      status: 'running',
      accountId: '111111111111',
      accounts: ['111111111111'],
      regions: ['us-east-1', 'eu-west-1'],
      resourceTypes: ['AWS::EC2::VPC', 'AWS::IAM::Role'],
      filters: {includeTags: {env: 'prod'}, excludeTags: {keep: 'yes'}},
      useConfig: true,
      toolVersion: '9.9.9',
      finishedAt: null,
      resourceCount: 0,
      active: false,
    })
    expect(Number.isNaN(Date.parse(snapshot.startedAt))).toBe(false)
    const owner = store.sqlite.prepare('select pid, host from snapshots where id = ?').get(id)
    expect(owner).toEqual({pid: process.pid, host: hostname()})
  })

  it('refuses a duplicate name with a UserError and leaves the store unchanged', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'dup', {accountId: '111111111111'})
    const before = store.sqlite.prepare('select * from snapshots').all()
    expect(() => seedSnapshot(store, 'dup', {accountId: '222222222222'})).toThrow(UserError)
    expect(() => seedSnapshot(store, 'dup')).toThrow(/already exists/)
    expect(store.sqlite.prepare('select * from snapshots').all()).toEqual(before)
    expect(requireSnapshot(store, 'dup').id).toBe(id)
  })
})

describe('finishSnapshot', () => {
  it('seals the snapshot with resource, gap and API call counts and the accounts it holds', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'counted', {accountId: '111111111111'})
    const writer = new SnapshotWriter(store, id)
    writer.write(
      [
        fakeResource('vpc-b', {accountId: '222222222222'}),
        fakeResource('vpc-a', {accountId: '111111111111'}),
        fakeResource('vpc-c', {accountId: '222222222222'}),
      ],
      'ec2',
    )
    writer.coverage(coverageRow({apiCalls: 3}))
    writer.coverage(coverageRow({region: 'us-west-2', apiCalls: 4}))
    writer.coverage(coverageRow({region: 'eu-west-1', status: 'access_denied', apiCalls: 1, error: 'denied'}))
    writer.coverage(coverageRow({region: 'eu-west-2', status: 'throttled', apiCalls: 2}))

    finishSnapshot(store, id, {status: 'partial', setActive: false})

    const snapshot = requireSnapshot(store, 'counted')
    expect(snapshot.status).toBe('partial')
    expect(snapshot.resourceCount).toBe(3)
    expect(snapshot.gapCount).toBe(2)
    expect(snapshot.apiCalls).toBe(10)
    expect(snapshot.accounts).toEqual(['111111111111', '222222222222'])
    expect(snapshot.error).toBeNull()
    expect(snapshot.finishedAt).not.toBeNull()
    expect(store.sqlite.prepare('select pid from snapshots where id = ?').pluck().get(id)).toBeNull()
  })

  it('keeps the calling account when the snapshot holds no resources, and records the error', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'empty', {accountId: '111111111111'})
    finishSnapshot(store, id, {status: 'failed', error: 'credentials expired', setActive: true})
    const snapshot = requireSnapshot(store, 'empty')
    expect(snapshot).toMatchObject({status: 'failed', error: 'credentials expired', accounts: ['111111111111'], resourceCount: 0, gapCount: 0, apiCalls: 0})
  })

  it.each([
    ['complete', true, true],
    ['partial', true, true],
    ['complete', false, false],
    ['interrupted', true, false],
    ['failed', true, false],
  ] as const)('status %s with setActive=%s makes it active: %s', (status, setActive, active) => {
    const store = stores.open()
    const id = finishedSnapshot(store, 'one', {status, setActive})
    expect(requireSnapshot(store, 'one').active).toBe(active)
    expect(defaultInventory(store).activeSnapshotId).toBe(active ? id : null)
  })

  it('only touches the active pointer of the snapshot’s own inventory', () => {
    const store = stores.open()
    const other = insertInventory(store, {name: 'other'})
    const otherId = finishedSnapshot(store, 'other-active', {inventoryId: other.id, setActive: true})
    const id = finishedSnapshot(store, 'default-active', {setActive: true})
    expect(findInventory(store, 'other')!.activeSnapshotId).toBe(otherId)
    expect(defaultInventory(store).activeSnapshotId).toBe(id)
  })

  it('never changes a finished snapshot again', () => {
    const store = stores.open()
    const id = finishedSnapshot(store, 'sealed', {status: 'complete'})
    const before = store.sqlite.prepare('select * from snapshots where id = ?').get(id)
    // Something written after the seal (it should not happen) must not leak into its counts either.
    new SnapshotWriter(store, id).write([fakeResource('vpc-late')], 'ec2')
    finishSnapshot(store, id, {status: 'failed', error: 'late failure', setActive: false})
    expect(store.sqlite.prepare('select * from snapshots where id = ?').get(id)).toEqual(before)
  })

  it('does not make an interrupted snapshot active through a second finish', () => {
    const store = stores.open()
    const id = finishedSnapshot(store, 'stopped', {status: 'interrupted'})
    finishSnapshot(store, id, {status: 'complete', setActive: true})
    expect(requireSnapshot(store, 'stopped')).toMatchObject({status: 'interrupted', active: false})
    expect(defaultInventory(store).activeSnapshotId).toBeNull()
  })
})

describe('reapAbandonedSnapshots', () => {
  it('marks a running snapshot whose process on this host is gone as interrupted', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'killed')
    setRunningOwner(store, id, deadPid(), hostname())
    expect(reapAbandonedSnapshots(store)).toBe(1)
    const snapshot = requireSnapshot(store, 'killed')
    expect(snapshot.status).toBe('interrupted')
    expect(snapshot.error).toMatch(/stopped before finishing/)
    expect(store.sqlite.prepare('select pid from snapshots where id = ?').pluck().get(id)).toBeNull()
  })

  it('drops the resources of the cells the killed process had not finished, keeping those of its finished cells', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'killed', {resourceTypes: ['AWS::EC2::VPC', 'AWS::SQS::Queue']})
    const writer = new SnapshotWriter(store, id)
    writer.write([fakeResource('vpc-done')], 'ec2')
    writer.coverage(coverageRecord({itemCount: 1}))
    // Pages of a queue cell written, its coverage row never: the process died in it.
    const queue = fakeResource('half', {arn: 'arn:aws:sqs:us-east-1:123456789012:half', type: 'AWS::SQS::Queue', tags: {team: 'a'}})
    writer.write([queue], 'sqs')
    setRunningOwner(store, id, deadPid(), hostname())
    expect(reapAbandonedSnapshots(store)).toBe(1)
    expect(store.sqlite.prepare('select type from resources where snapshot_id = ?').pluck().all(id)).toEqual(['AWS::EC2::VPC'])
    expect(countRows(store, 'resource_tags')).toBe(0)
    expect(requireSnapshot(store, 'killed')).toMatchObject({status: 'interrupted', resourceCount: 1})
  })

  it('leaves a snapshot of a live process running', () => {
    const store = stores.open()
    seedSnapshot(store, 'live') // owned by process.pid on this host
    expect(reapAbandonedSnapshots(store)).toBe(0)
    expect(requireSnapshot(store, 'live').status).toBe('running')
  })

  it('leaves a snapshot of another host alone, even when the pid is dead here', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'remote')
    setRunningOwner(store, id, deadPid(), `${hostname()}-elsewhere`)
    expect(reapAbandonedSnapshots(store)).toBe(0)
    expect(requireSnapshot(store, 'remote').status).toBe('running')
  })

  it('never touches finished snapshots and reaps only the abandoned ones', () => {
    const store = stores.open()
    finishedSnapshot(store, 'done')
    const killed = seedSnapshot(store, 'killed')
    setRunningOwner(store, killed, deadPid(), hostname())
    seedSnapshot(store, 'live')
    const before = store.sqlite.prepare(`select * from snapshots where name = 'done'`).get()
    expect(reapAbandonedSnapshots(store)).toBe(1)
    expect(store.sqlite.prepare(`select * from snapshots where name = 'done'`).get()).toEqual(before)
    expect(listSnapshots(store).map((s) => [s.name, s.status])).toEqual(
      expect.arrayContaining([
        ['done', 'complete'],
        ['killed', 'interrupted'],
        ['live', 'running'],
      ]),
    )
  })
})

describe('deleteSnapshot', () => {
  it('removes the snapshot’s resources, tags and coverage, and configurations only it used', () => {
    const store = stores.open()
    const shared = {VpcId: 'vpc-shared', CidrBlock: '10.0.0.0/16'}
    const a = finishedSnapshot(store, 'a', {
      resources: [fakeResource('vpc-shared', {configuration: shared, tags: {env: 'a'}}), fakeResource('vpc-only-a', {tags: {x: '1'}})],
    })
    const b = finishedSnapshot(store, 'b', {
      resources: [fakeResource('vpc-shared', {configuration: shared, tags: {env: 'b'}}), fakeResource('vpc-only-b')],
    })
    expect(countRows(store, 'configurations')).toBe(3)
    const hashOf = (snapshotId: number, arnSuffix: string) =>
      store.sqlite.prepare(`select config_hash from resources where snapshot_id = ? and arn like ?`).pluck().get(snapshotId, `%${arnSuffix}`) as string

    const onlyA = hashOf(a, 'vpc-only-a')
    const sharedHash = hashOf(a, 'vpc-shared')
    const onlyB = hashOf(b, 'vpc-only-b')

    const deleted = deleteSnapshot(store, 'a')
    expect(deleted.name).toBe('a')
    expect(findSnapshot(store, 'a')).toBeUndefined()
    expect(countRows(store, 'resources where snapshot_id = ?', a)).toBe(0)
    expect(countRows(store, 'coverage where snapshot_id = ?', a)).toBe(0)
    expect(countRows(store, `resource_tags where value in ('a', '1')`)).toBe(0)
    const hashes = store.sqlite.prepare('select hash from configurations').pluck().all()
    expect(hashes).not.toContain(onlyA)
    expect(hashes).toEqual(expect.arrayContaining([sharedHash, onlyB]))
    expect(hashes).toHaveLength(2)

    // The other snapshot is whole.
    expect(countRows(store, 'resources where snapshot_id = ?', b)).toBe(2)
    expect(countRows(store, 'coverage where snapshot_id = ?', b)).toBe(1)
    expect(countRows(store, `resource_tags where value = 'b'`)).toBe(1)
    expect(store.sqlite.prepare('select count(*) from v_resources where snapshot_id = ?').pluck().get(b)).toBe(2)
  })

  it('clears the active pointer of the deleted snapshot', () => {
    const store = stores.open()
    finishedSnapshot(store, 'active', {setActive: true})
    expect(defaultInventory(store).activeSnapshotId).not.toBeNull()
    deleteSnapshot(store, 'active')
    expect(defaultInventory(store).activeSnapshotId).toBeNull()
    expect(activeSnapshot(store, 'default')).toBeUndefined()
  })

  it('keeps another active snapshot active', () => {
    const store = stores.open()
    finishedSnapshot(store, 'old')
    const current = finishedSnapshot(store, 'current', {setActive: true})
    deleteSnapshot(store, 'old')
    expect(defaultInventory(store).activeSnapshotId).toBe(current)
  })

  it('rejects an unknown name with a UserError', () => {
    const store = stores.open()
    finishedSnapshot(store, 'kept')
    expect(() => deleteSnapshot(store, 'nope')).toThrow(UserError)
    expect(() => deleteSnapshot(store, 'nope')).toThrow(/Unknown snapshot "nope"/)
    expect(countRows(store, 'snapshots')).toBe(1)
  })

  it('says first, without deleting, whether a snapshot can be deleted (deletableSnapshot)', () => {
    const store = stores.open()
    finishedSnapshot(store, 'kept')
    seedSnapshot(store, 'busy')
    expect(deletableSnapshot(store, 'kept')).toMatchObject({name: 'kept'})
    expect(() => deletableSnapshot(store, 'nope')).toThrow(/^Unknown snapshot "nope"\./)
    expect(() => deletableSnapshot(store, 'busy')).toThrow(/^Snapshot "busy" is still being collected\./)
    expect(countRows(store, 'snapshots')).toBe(2)
  })

  it('refuses a snapshot that is still running and keeps its data', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'busy')
    new SnapshotWriter(store, id).write([fakeResource('vpc-1')], 'ec2')
    expect(() => deleteSnapshot(store, 'busy')).toThrow(/still being collected/)
    expect(requireSnapshot(store, 'busy').status).toBe('running')
    expect(countRows(store, 'resources where snapshot_id = ?', id)).toBe(1)
    expect(countRows(store, 'configurations')).toBe(1)
  })
})

describe('renameSnapshot', () => {
  it('renames, keeping the id and the data', () => {
    const store = stores.open()
    const id = finishedSnapshot(store, 'before', {setActive: true})
    const renamed = renameSnapshot(store, 'before', 'after')
    expect(renamed).toMatchObject({id, name: 'after', active: true})
    expect(findSnapshot(store, 'before')).toBeUndefined()
    expect(requireSnapshot(store, 'after')).toMatchObject({id, resourceCount: 1, active: true})
  })

  it('refuses a name that is taken', () => {
    const store = stores.open()
    const a = finishedSnapshot(store, 'a')
    const b = finishedSnapshot(store, 'b')
    expect(() => renameSnapshot(store, 'a', 'b')).toThrow(UserError)
    expect(() => renameSnapshot(store, 'a', 'b')).toThrow(/already exists/)
    expect(requireSnapshot(store, 'a').id).toBe(a)
    expect(requireSnapshot(store, 'b').id).toBe(b)
  })

  it.each(['', 'has space', 'slash/name', 'x'.repeat(129)])('refuses the invalid name %j', (to) => {
    const store = stores.open()
    finishedSnapshot(store, 'a')
    expect(() => renameSnapshot(store, 'a', to)).toThrow(/Invalid snapshot name/)
    expect(listSnapshots(store).map((s) => s.name)).toEqual(['a'])
  })

  it('renames a stored name that starts with "-" (taken before such names were refused), but never to one', () => {
    const store = stores.open()
    finishedSnapshot(store, '-old')
    expect(() => renameSnapshot(store, '-old', '-new')).toThrow(/Invalid snapshot name "-new": it cannot start with "-"/)
    expect(renameSnapshot(store, '-old', 'old')).toMatchObject({name: 'old'})
  })

  it('rejects an unknown source snapshot', () => {
    const store = stores.open()
    expect(() => renameSnapshot(store, 'ghost', 'new')).toThrow(/Unknown snapshot "ghost"/)
  })

  it('refuses a snapshot still being collected: the run collecting it finds it by name when it ends', () => {
    const store = stores.open()
    seedSnapshot(store, 'live') // running, owned by this process
    expect(() => renameSnapshot(store, 'live', 'other')).toThrow(new UserError('Snapshot "live" is still being collected. Wait for it to finish or stop it first.'))
    expect(requireSnapshot(store, 'live').status).toBe('running')
  })
})

describe('setActiveSnapshot', () => {
  it.each(['complete', 'partial'] as const)('makes a %s snapshot active, replacing the previous one', (status) => {
    const store = stores.open()
    finishedSnapshot(store, 'first', {setActive: true})
    const id = finishedSnapshot(store, 'second', {status})
    expect(setActiveSnapshot(store, 'second')).toMatchObject({id, active: true})
    expect(activeSnapshot(store, 'default')?.name).toBe('second')
    expect(requireSnapshot(store, 'first').active).toBe(false)
    expect(listSnapshots(store).filter((s) => s.active).map((s) => s.name)).toEqual(['second'])
  })

  it.each(['interrupted', 'failed'] as const)('refuses a %s snapshot', (status) => {
    const store = stores.open()
    const active = finishedSnapshot(store, 'good', {setActive: true})
    finishedSnapshot(store, 'bad', {status})
    expect(() => setActiveSnapshot(store, 'bad')).toThrow(new RegExp(`is ${status}; only complete or partial`))
    expect(defaultInventory(store).activeSnapshotId).toBe(active)
  })

  it('refuses a running snapshot', () => {
    const store = stores.open()
    seedSnapshot(store, 'busy')
    expect(() => setActiveSnapshot(store, 'busy')).toThrow(UserError)
    expect(defaultInventory(store).activeSnapshotId).toBeNull()
  })

  it('sets the pointer of the snapshot’s own inventory', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    const id = finishedSnapshot(store, 'p1', {inventoryId: prod.id})
    setActiveSnapshot(store, 'p1')
    expect(findInventory(store, 'prod')!.activeSnapshotId).toBe(id)
    expect(defaultInventory(store).activeSnapshotId).toBeNull()
    expect(activeSnapshot(store, 'prod')?.id).toBe(id)
  })
})

describe('listSnapshots', () => {
  it('lists newest first by start time, then by id', () => {
    const store = stores.open()
    const setStart = (name: string, startedAt: string) => store.sqlite.prepare('update snapshots set started_at = ? where name = ?').run(startedAt, name)
    finishedSnapshot(store, 'middle')
    finishedSnapshot(store, 'oldest')
    finishedSnapshot(store, 'newest')
    finishedSnapshot(store, 'tie-first')
    finishedSnapshot(store, 'tie-second')
    setStart('oldest', '2024-01-01T00:00:00.000Z')
    setStart('middle', '2024-06-01T00:00:00.000Z')
    setStart('newest', '2025-01-01T00:00:00.000Z')
    setStart('tie-first', '2024-03-01T00:00:00.000Z')
    setStart('tie-second', '2024-03-01T00:00:00.000Z')
    expect(listSnapshots(store).map((s) => s.name)).toEqual(['newest', 'middle', 'tie-second', 'tie-first', 'oldest'])
  })

  it('filters by inventory', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    finishedSnapshot(store, 'd1')
    finishedSnapshot(store, 'p1', {inventoryId: prod.id})
    finishedSnapshot(store, 'p2', {inventoryId: prod.id})
    expect(
      listSnapshots(store, 'prod')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['p1', 'p2'])
    expect(listSnapshots(store, 'prod').every((s) => s.inventory === 'prod')).toBe(true)
    expect(listSnapshots(store, 'default').map((s) => s.name)).toEqual(['d1'])
    expect(listSnapshots(store)).toHaveLength(3)
  })

  it('is empty for a new store', () => {
    expect(listSnapshots(stores.open())).toEqual([])
  })
})

describe('activeSnapshot', () => {
  it('is undefined until one is set, and rejects an unknown inventory', () => {
    const store = stores.open()
    finishedSnapshot(store, 'a')
    expect(activeSnapshot(store, 'default')).toBeUndefined()
    setActiveSnapshot(store, 'a')
    expect(activeSnapshot(store, 'default')).toMatchObject({name: 'a', active: true})
    expect(() => activeSnapshot(store, 'nope')).toThrow(/Unknown inventory "nope"/)
  })
})

describe('namedOrActiveSnapshot', () => {
  it('is the named snapshot, active or not, whatever the (known) inventory', () => {
    const store = stores.open()
    insertInventory(store, {name: 'other'})
    finishedSnapshot(store, 'active', {setActive: true})
    finishedSnapshot(store, 'older')
    expect(namedOrActiveSnapshot(store, 'older', 'default')).toMatchObject({name: 'older', active: false})
    expect(namedOrActiveSnapshot(store, 'older', 'other')).toMatchObject({name: 'older'})
  })

  it("without a name, is the inventory's active snapshot", () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    finishedSnapshot(store, 'default-one', {setActive: true})
    finishedSnapshot(store, 'prod-one', {setActive: true, inventoryId: prod.id})
    expect(namedOrActiveSnapshot(store, undefined, 'default').name).toBe('default-one')
    expect(namedOrActiveSnapshot(store, undefined, 'prod').name).toBe('prod-one')
  })

  it('fails with one line when the name is unknown, the inventory is unknown, or it has no active snapshot', () => {
    const store = stores.open()
    defaultInventory(store)
    insertInventory(store, {name: 'team'})
    expect(() => namedOrActiveSnapshot(store, 'ghost', 'default')).toThrow(UserError)
    expect(() => namedOrActiveSnapshot(store, 'ghost', 'default')).toThrow(/Unknown snapshot "ghost"/)
    expect(() => namedOrActiveSnapshot(store, undefined, 'nope')).toThrow(/Unknown inventory "nope"/)
    expect(() => namedOrActiveSnapshot(store, undefined, 'default')).toThrow(/^Inventory "default" has no active snapshot\. Name one with --snapshot, or take one with "awsinv snapshot create"\.$/)
    // An inventory named along with the snapshot is not used, but an unknown one is not ignored.
    seedSnapshot(store, 'named')
    expect(() => namedOrActiveSnapshot(store, 'named', 'nope')).toThrow(/^Unknown inventory "nope"/)
    expect(namedOrActiveSnapshot(store, 'named', 'team').name).toBe('named')
    expect(() => namedOrActiveSnapshot(store, undefined, 'default', '(awsinv snapshot report NAME)')).toThrow(/^Inventory "default" has no active snapshot\. Name one \(awsinv snapshot report NAME\), or/)
    expect(() => namedOrActiveSnapshot(store, undefined, 'team')).toThrow(/^Inventory "team" has no active snapshot\. Name one with --snapshot, or take one with "awsinv snapshot create --inventory team"\.$/)
  })

  it('without an active snapshot but with finished ones, says which one set-active would make active', () => {
    const store = stores.open()
    finishedSnapshot(store, 'inactive')
    expect(() => namedOrActiveSnapshot(store, undefined, 'default')).toThrow(
      /^Inventory "default" has no active snapshot\. Name one with --snapshot, or make one active with "awsinv snapshot set-active inactive" \(its newest complete or partial snapshot\)\.$/,
    )
  })
})

describe('isIncomplete and incompleteNote', () => {
  it('call running, interrupted and failed snapshots incomplete, never complete or partial ones', () => {
    expect((['running', 'complete', 'partial', 'interrupted', 'failed'] as const).map((s) => isIncomplete(s))).toEqual([true, false, false, true, true])
  })

  it('say in one line which snapshots did not finish, and nothing when all did', () => {
    expect(incompleteNote([{name: 'a', status: 'complete'}, {name: 'b', status: 'partial'}])).toBeUndefined()
    expect(incompleteNote([])).toBeUndefined()
    expect(incompleteNote([{name: 'now', status: 'running'}])).toBe('Note: snapshot "now" is still running: its figures are incomplete.')
    expect(incompleteNote([{name: 'cut', status: 'interrupted'}])).toBe('Note: snapshot "cut" was interrupted: its figures are incomplete.')
    expect(incompleteNote([{name: 'a', status: 'complete'}, {name: 'gone', status: 'failed'}])).toBe('Note: snapshot "gone" failed: its figures are incomplete.')
    expect(incompleteNote([{name: 'cut', status: 'interrupted'}, {name: 'ok', status: 'complete'}, {name: 'gone', status: 'failed'}, {name: 'x', status: 'interrupted'}])).toBe(
      'Note: snapshots "cut" (interrupted), "gone" (failed) and "x" (interrupted) did not finish: their figures are incomplete.',
    )
  })
})

describe('newestUsableSnapshot and activeSnapshotAdvice', () => {
  it('pick the newest complete or partial snapshot of the inventory, never a failed, interrupted or running one', () => {
    const store = stores.open()
    const team = insertInventory(store, {name: 'team'})
    finishedSnapshot(store, 'old', {status: 'complete'})
    finishedSnapshot(store, 'gappy', {status: 'partial'})
    finishedSnapshot(store, 'broken', {status: 'failed'})
    finishedSnapshot(store, 'stopped', {status: 'interrupted'})
    seedSnapshot(store, 'running')
    finishedSnapshot(store, 'elsewhere', {inventoryId: team.id})
    expect(newestUsableSnapshot(store, 'default')?.name).toBe('gappy')
    expect(activeSnapshotAdvice(store, 'default')).toBe('make one active with "awsinv snapshot set-active gappy" (its newest complete or partial snapshot)')
    expect(newestUsableSnapshot(store, 'team')?.name).toBe('elsewhere')
  })

  it('say how to take one when the inventory has no usable snapshot', () => {
    const store = stores.open()
    insertInventory(store, {name: 'team'})
    finishedSnapshot(store, 'broken', {status: 'failed'})
    expect(newestUsableSnapshot(store, 'default')).toBeUndefined()
    expect(activeSnapshotAdvice(store, 'default')).toBe('take one with "awsinv snapshot create"')
    expect(activeSnapshotAdvice(store, 'team')).toBe('take one with "awsinv snapshot create --inventory team"')
  })
})

describe('validateSnapshotName', () => {
  it.each(['a', 'baseline', 'pre-deploy_2024.06.01', 'x:y@z+1', 'A'.repeat(128)])('accepts %j', (name) => {
    expect(() => validateSnapshotName(name)).not.toThrow()
  })

  it.each(['', ' ', 'two words', 'a/b', 'a\\b', 'semi;colon', 'quote"', 'émoji', 'new\nline', 'A'.repeat(129)])('rejects %j', (name) => {
    expect(() => validateSnapshotName(name)).toThrow(UserError)
  })

  it('names what is being validated', () => {
    expect(() => validateSnapshotName('bad name', 'inventory')).toThrow(/Invalid inventory name "bad name"/)
  })

  it.each(['-x', '--json', '-', '--', '-1'])('rejects %j, which would read as an option', (name) => {
    expect(() => validateSnapshotName(name)).toThrow(new UserError(`Invalid snapshot name "${name}": it cannot start with "-", which reads as an option in a command line.`))
    expect(() => validateSnapshotName(name, 'inventory')).toThrow(/^Invalid inventory name ".*": it cannot start with "-"/)
  })

  it.each(['a-', 'a--b', 'x-1'])('accepts %j, with "-" after the first character', (name) => {
    expect(() => validateSnapshotName(name)).not.toThrow()
  })
})
