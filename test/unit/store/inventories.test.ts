import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import type {Store} from '../../../src/store/database.js'
import {
  DEFAULT_INVENTORY,
  defaultInventory,
  deletableInventory,
  deleteInventory,
  findInventory,
  insertInventory,
  listInventories,
  requireInventory,
} from '../../../src/store/inventories.js'
import {finishSnapshot, listSnapshots, setActiveSnapshot} from '../../../src/store/snapshots.js'
import {SnapshotWriter} from '../../../src/store/writer.js'
import {countRows, fakeResource, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-inventories-')
afterEach(() => stores.cleanup())

/** A complete snapshot in `inventoryId` holding one resource with a configuration of its own and a tag. */
function snapshotIn(store: Store, name: string, inventoryId: number): number {
  const id = seedSnapshot(store, name, {inventoryId})
  const writer = new SnapshotWriter(store, id)
  writer.write([fakeResource(`vpc-${name}`, {tags: {owner: name}})], 'ec2')
  writer.coverage({
    accountId: '123456789012',
    region: 'us-east-1',
    resourceType: 'AWS::EC2::VPC',
    status: 'ok',
    source: 'api',
    sourceReason: null,
    apiCalls: 1,
    itemCount: 1,
    durationMs: 1,
    errorCode: null,
    error: null,
  })
  finishSnapshot(store, id, {status: 'complete', setActive: false})
  return id
}

describe('insertInventory', () => {
  it('stores the name, description and tag filters', () => {
    const store = stores.open()
    const created = insertInventory(store, {name: 'prod', description: 'Production', includeTags: {env: 'prod'}, excludeTags: {temp: 'yes'}})
    expect(created).toMatchObject({name: 'prod', description: 'Production', includeTags: {env: 'prod'}, excludeTags: {temp: 'yes'}, activeSnapshotId: null})
    expect(findInventory(store, 'prod')).toEqual(created)
  })

  it('defaults to no description and empty filters', () => {
    const store = stores.open()
    expect(insertInventory(store, {name: 'bare'})).toMatchObject({description: null, includeTags: {}, excludeTags: {}})
  })

  it('refuses a duplicate name with a UserError and keeps the original', () => {
    const store = stores.open()
    const original = insertInventory(store, {name: 'prod', includeTags: {env: 'prod'}})
    expect(() => insertInventory(store, {name: 'prod', includeTags: {env: 'other'}})).toThrow(UserError)
    expect(() => insertInventory(store, {name: 'prod'})).toThrow(/Inventory "prod" already exists/)
    expect(countRows(store, 'inventories')).toBe(1)
    expect(findInventory(store, 'prod')).toEqual(original)
  })
})

describe('defaultInventory', () => {
  it('creates the default inventory once and returns the same one afterwards', () => {
    const store = stores.open()
    expect(countRows(store, 'inventories')).toBe(0)
    const first = defaultInventory(store)
    const second = defaultInventory(store)
    expect(first.name).toBe(DEFAULT_INVENTORY)
    expect(second).toEqual(first)
    expect(countRows(store, 'inventories')).toBe(1)
  })
})

describe('listInventories', () => {
  it('lists inventories by name with their snapshot counts and active snapshot name', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    const dev = insertInventory(store, {name: 'dev'})
    const def = defaultInventory(store)
    snapshotIn(store, 'p1', prod.id)
    snapshotIn(store, 'p2', prod.id)
    snapshotIn(store, 'd1', def.id)
    setActiveSnapshot(store, 'p2')

    const listed = listInventories(store)
    expect(listed.map((i) => [i.name, i.snapshotCount, i.activeSnapshot])).toEqual([
      ['default', 1, null],
      ['dev', 0, null],
      ['prod', 2, 'p2'],
    ])
    expect(listed.find((i) => i.name === 'dev')).toMatchObject({id: dev.id, includeTags: {}, excludeTags: {}})
  })

  it('is empty for a new store', () => {
    expect(listInventories(stores.open())).toEqual([])
  })
})

describe('requireInventory', () => {
  it('returns a known inventory', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    expect(requireInventory(store, 'prod')).toEqual(prod)
  })

  it('rejects an unknown name with a UserError naming the known inventories', () => {
    const store = stores.open()
    insertInventory(store, {name: 'prod'})
    insertInventory(store, {name: 'dev'})
    expect(() => requireInventory(store, 'staging')).toThrow(UserError)
    expect(() => requireInventory(store, 'staging')).toThrow('Unknown inventory "staging". Known inventories: dev, prod.')
    expect(() => requireInventory(store, 'prd')).toThrow('Unknown inventory "prd". Did you mean "prod"? Known inventories: dev, prod.')
  })

  it('says so when there are none', () => {
    expect(() => requireInventory(stores.open(), 'x')).toThrow(/Known inventories: none/)
  })
})

describe('deletableInventory', () => {
  it('says, without deleting anything, what deleting would meet: unknown, default, snapshots held, one still running', () => {
    const store = stores.open()
    defaultInventory(store)
    const prod = insertInventory(store, {name: 'prod'})
    snapshotIn(store, 'p1', prod.id)
    expect(() => deletableInventory(store, 'ghost', true)).toThrow(/^Unknown inventory "ghost"\./)
    expect(() => deletableInventory(store, DEFAULT_INVENTORY, true)).toThrow(/cannot be deleted/)
    expect(() => deletableInventory(store, 'prod', false)).toThrow(/^Inventory "prod" holds 1 snapshot\. Delete it first or pass --delete-snapshots\.$/)
    expect(deletableInventory(store, 'prod', true)).toMatchObject({inventory: {name: 'prod'}, snapshots: 1})
    seedSnapshot(store, 'p-running', {inventoryId: prod.id})
    expect(() => deletableInventory(store, 'prod', true)).toThrow(/^Snapshot "p-running" of inventory "prod" is still being collected\./)
    expect(listSnapshots(store, 'prod')).toHaveLength(2)
  })
})

describe('deleteInventory', () => {
  it('refuses the default inventory, even with its snapshots', () => {
    const store = stores.open()
    const def = defaultInventory(store)
    snapshotIn(store, 'd1', def.id)
    expect(() => deleteInventory(store, DEFAULT_INVENTORY, false)).toThrow(/cannot be deleted/)
    expect(() => deleteInventory(store, DEFAULT_INVENTORY, true)).toThrow(UserError)
    expect(findInventory(store, DEFAULT_INVENTORY)).toBeDefined()
    expect(listSnapshots(store)).toHaveLength(1)
  })

  it('deletes an empty inventory', () => {
    const store = stores.open()
    insertInventory(store, {name: 'empty'})
    expect(deleteInventory(store, 'empty', false)).toEqual({deletedSnapshots: 0})
    expect(findInventory(store, 'empty')).toBeUndefined()
  })

  it('refuses an inventory holding snapshots unless told to delete them, changing nothing', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    snapshotIn(store, 'p1', prod.id)
    snapshotIn(store, 'p2', prod.id)
    expect(() => deleteInventory(store, 'prod', false)).toThrow(/holds 2 snapshots\. Delete them first or pass --delete-snapshots\.$/)
    expect(findInventory(store, 'prod')).toBeDefined()
    expect(listSnapshots(store, 'prod')).toHaveLength(2)
    expect(countRows(store, 'resources')).toBe(2)
  })

  it('with its snapshots deletes them, their data and the configurations only they used', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    const def = defaultInventory(store)
    snapshotIn(store, 'p1', prod.id)
    snapshotIn(store, 'p2', prod.id)
    const kept = snapshotIn(store, 'd1', def.id)
    setActiveSnapshot(store, 'p1')

    expect(deleteInventory(store, 'prod', true)).toEqual({deletedSnapshots: 2})
    expect(findInventory(store, 'prod')).toBeUndefined()
    expect(listSnapshots(store).map((s) => s.name)).toEqual(['d1'])
    expect(countRows(store, 'resources')).toBe(1)
    expect(countRows(store, 'resources where snapshot_id = ?', kept)).toBe(1)
    expect(countRows(store, 'resource_tags')).toBe(1)
    expect(countRows(store, 'coverage')).toBe(1)
    expect(countRows(store, 'configurations')).toBe(1)
  })

  it('rejects an unknown inventory', () => {
    expect(() => deleteInventory(stores.open(), 'ghost', true)).toThrow(/Unknown inventory "ghost"/)
  })

  it('refuses to delete a snapshot that is still being collected', () => {
    const store = stores.open()
    const prod = insertInventory(store, {name: 'prod'})
    snapshotIn(store, 'p1', prod.id)
    const running = seedSnapshot(store, 'p-running', {inventoryId: prod.id})
    expect(() => deleteInventory(store, 'prod', true)).toThrow(/still being collected/)
    expect(findInventory(store, 'prod')).toBeDefined()
    expect(listSnapshots(store, 'prod').map((s) => s.id)).toContain(running)
  })
})
