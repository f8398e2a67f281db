import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {type HistoryEntry, diffTags, resourceHistory} from '../../../src/query/history.js'
import type {Resource} from '../../../src/resources/types.js'
import type {Store} from '../../../src/store/database.js'
import {defaultInventory, insertInventory} from '../../../src/store/inventories.js'
import {coverageRecord, fakeResource, finishedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-history-')
afterEach(() => stores.cleanup())

const vpc = (cidr: string, tags: Record<string, string> = {env: 'dev'}) => fakeResource('vpc-1', {configuration: {VpcId: 'vpc-1', CidrBlock: cidr}, tags})
const ARN = vpc('').arn
const ok = coverageRecord()
const denied = coverageRecord({status: 'access_denied', errorCode: 'UnauthorizedOperation'})
const otherRegionOnly = coverageRecord({region: 'us-west-2'})
const other = fakeResource('vpc-other')

/** Snapshots in the default inventory, oldest first: each holds `resources` (plus another VPC) with coverage `cells`. */
function snapshots(store: Store, list: Array<[name: string, resources: Resource[], cells: ReturnType<typeof coverageRecord>[]]>): void {
  for (const [name, resources, coverage] of list) finishedSnapshot(store, name, {resources: [...resources, other], coverage})
}

const events = (entries: HistoryEntry[]) => entries.map((e) => [e.snapshot, e.event])

describe('resourceHistory', () => {
  it('follows a resource through appearing, changes, a coverage gap, disappearing and coming back', () => {
    const store = stores.open()
    defaultInventory(store)
    const team = insertInventory(store, {name: 'team', includeTags: {owner: 'y'}})
    snapshots(store, [
      ['before', [], [ok]],
      ['s1', [vpc('10.0.0.0/16')], [ok]],
      ['s2', [vpc('10.0.0.0/16')], [ok]],
      ['s3', [vpc('10.1.0.0/16', {env: 'prod', owner: 'x'})], [ok]],
      ['s4', [], [denied]],
      ['s5', [], [otherRegionOnly]],
    ])
    // Its inventory keeps only owner=y resources: saying nothing about this one.
    finishedSnapshot(store, 'team-1', {inventoryId: team.id, filters: {includeTags: {owner: 'y'}, excludeTags: {}}, resources: [], coverage: [ok]})
    snapshots(store, [
      ['s6', [], [ok]],
      ['s7', [], [ok]],
      ['s8', [vpc('10.1.0.0/16', {env: 'prod', owner: 'x'})], [ok]],
      ['s9', [vpc('10.2.0.0/16', {env: 'prod', owner: 'x'})], [ok]],
    ])

    const history = resourceHistory(store, ARN)
    expect(history).toMatchObject({arn: ARN, type: 'AWS::EC2::VPC', resourceId: 'vpc-1', region: 'us-east-1', accountId: '123456789012', inventory: null})
    expect(history.tags).toEqual({env: 'prod', owner: 'x'})
    expect(events(history.entries)).toEqual([
      ['s1', 'appeared'],
      ['s2', 'unchanged'],
      ['s3', 'changed'],
      ['s4', 'not-collected'],
      ['s6', 'disappeared'],
      ['s8', 'reappeared'],
      ['s9', 'changed'],
    ])
    const [s1, s2, s3, s4, s6, s8, s9] = history.entries as [HistoryEntry, HistoryEntry, HistoryEntry, HistoryEntry, HistoryEntry, HistoryEntry, HistoryEntry]
    expect(s1).toMatchObject({present: true, inventory: 'default'})
    expect(s1.configHash).toMatch(/^[0-9a-f]{64}$/)
    expect(s1.previous).toBeUndefined()
    expect(s2.configHash).toBe(s1.configHash)
    expect(s2.previous).toBeUndefined()
    expect(s2.tagChanges).toBeUndefined()
    expect(s3.configHash).not.toBe(s1.configHash)
    expect(s3.previous).toEqual({snapshot: 's2', snapshotId: s2.snapshotId, configHash: s2.configHash})
    expect(s3.tagChanges).toEqual({added: {owner: 'x'}, removed: {}, changed: {env: {from: 'dev', to: 'prod'}}})
    expect(s4).toMatchObject({present: false, event: 'not-collected', coverage: 'access_denied'})
    expect(s4.configHash).toBeUndefined()
    expect(s6).toMatchObject({present: false, event: 'disappeared'})
    expect(s6.coverage).toBeUndefined()
    // Back with the configuration it had: no previous configuration to compare with.
    expect(s8.configHash).toBe(s3.configHash)
    expect(s8.previous).toBeUndefined()
    expect(s9.previous).toEqual({snapshot: 's8', snapshotId: s8.snapshotId, configHash: s8.configHash})
    const started = history.entries.map((e) => e.startedAt)
    expect([...started].sort()).toEqual(started)
  })

  it('says replaced, with the reason, when another resource took the ARN between two snapshots, as delta does', () => {
    const store = stores.open()
    defaultInventory(store)
    const role = (roleId: string, createdAt: string) =>
      fakeResource('app', {arn: 'arn:aws:iam::123456789012:role/app', type: 'AWS::IAM::Role', region: 'global', createdAt, configuration: {RoleName: 'app', RoleId: roleId}})
    const roleCell = coverageRecord({region: 'global', resourceType: 'AWS::IAM::Role'})
    snapshots(store, [
      ['r1', [role('AROAFIRST', '2026-01-01T00:00:00.000Z')], [roleCell]],
      ['r2', [role('AROAFIRST', '2026-01-01T00:00:00.000Z')], [roleCell]],
      ['r3', [role('AROASECOND', '2026-01-01T00:00:00.000Z')], [roleCell]],
      ['r4', [role('AROASECOND', '2026-02-01T00:00:00.000Z')], [roleCell]],
    ])
    const history = resourceHistory(store, 'arn:aws:iam::123456789012:role/app')
    expect(history.entries.map((e) => [e.snapshot, e.event, e.reason])).toEqual([
      ['r1', 'appeared', undefined],
      ['r2', 'unchanged', undefined],
      ['r3', 'replaced', 'RoleId AROAFIRST → AROASECOND'],
      // Same configuration, another creation time.
      ['r4', 'replaced', 'created 2026-01-01T00:00:00.000Z → 2026-02-01T00:00:00.000Z'],
    ])
  })

  it('says replaced when a bucket is back in another region, as query diff does, and looks for it where it was last seen', () => {
    const store = stores.open()
    defaultInventory(store)
    const bucket = (region: string) =>
      fakeResource('mover', {arn: 'arn:aws:s3:::mover', type: 'AWS::S3::Bucket', region, configuration: {Name: 'mover', BucketRegion: region}})
    const cell = (region: string) => coverageRecord({region, resourceType: 'AWS::S3::Bucket'})
    snapshots(store, [
      ['m1', [bucket('us-east-1')], [cell('us-east-1'), cell('eu-west-1')]],
      ['m2', [bucket('eu-west-1')], [cell('us-east-1'), cell('eu-west-1')]],
      // Collected where it was before, not where it is now: it says nothing about the bucket.
      ['m3', [], [cell('us-east-1')]],
      ['m4', [], [cell('eu-west-1')]],
    ])
    const history = resourceHistory(store, 'arn:aws:s3:::mover')
    expect(history.entries.map((e) => [e.snapshot, e.event, e.reason])).toEqual([
      ['m1', 'appeared', undefined],
      ['m2', 'replaced', 'region us-east-1 → eu-west-1'],
      ['m4', 'disappeared', undefined],
    ])
    expect(history.region).toBe('eu-west-1')
  })

  it('reports a reappearance with another configuration against the last one seen', () => {
    const store = stores.open()
    defaultInventory(store)
    snapshots(store, [
      ['a', [vpc('10.0.0.0/16')], [ok]],
      ['b', [], [ok]],
      ['c', [vpc('10.9.0.0/16')], [ok]],
    ])
    const [a, , c] = resourceHistory(store, ARN).entries
    expect(c).toMatchObject({event: 'reappeared', previous: {snapshot: 'a', configHash: a!.configHash}})
  })

  it('calls a configuration differing only in volatile fields unchanged, as delta does', () => {
    const store = stores.open()
    defaultInventory(store)
    // A bucket's CreationDate moves when its configuration is edited: neither a change nor a replacement.
    const bucket = (created: string, versioning: string) =>
      fakeResource('qa-bucket', {
        arn: 'arn:aws:s3:::qa-bucket',
        type: 'AWS::S3::Bucket',
        createdAt: created,
        configuration: {Name: 'qa-bucket', CreationDate: created, Versioning: {Status: versioning}},
      })
    const s3 = coverageRecord({resourceType: 'AWS::S3::Bucket'})
    snapshots(store, [
      ['a', [bucket('2026-01-01T00:00:00.000Z', 'Enabled')], [ok, s3]],
      ['b', [bucket('2026-02-01T00:00:00.000Z', 'Enabled')], [ok, s3]],
      ['c', [bucket('2026-03-01T00:00:00.000Z', 'Suspended')], [ok, s3]],
    ])
    const [, b, c] = resourceHistory(store, 'arn:aws:s3:::qa-bucket', {showDiff: true}).entries
    expect(b).toMatchObject({event: 'unchanged'})
    expect(b!.previous).toBeUndefined()
    expect(b!.changes).toBeUndefined()
    expect(c).toMatchObject({event: 'changed', previous: {snapshot: 'b'}})
    expect(c!.changes!.map((x) => x.path)).toEqual(['Versioning.Status'])
  })

  it('with showDiff, carries the drift engine\'s field changes of every entry that changed', () => {
    const store = stores.open()
    defaultInventory(store)
    snapshots(store, [
      ['a', [vpc('10.0.0.0/16')], [ok]],
      ['b', [vpc('10.0.0.0/16')], [ok]],
      ['c', [vpc('10.1.0.0/16', {env: 'prod'})], [ok]],
      ['d', [vpc('10.1.0.0/16', {env: 'test'})], [ok]],
    ])
    const [a, b, c, d] = resourceHistory(store, ARN, {showDiff: true}).entries
    expect(a!.changes).toBeUndefined()
    expect(b!.changes).toBeUndefined()
    expect(c!.changes!.map((x) => [x.path, x.kind, x.category, x.before, x.after])).toEqual([
      ['CidrBlock', 'changed', 'configuration', '10.0.0.0/16', '10.1.0.0/16'],
      ['Tags[env]', 'changed', 'tags', 'dev', 'prod'],
    ])
    expect(d!.changes!.map((x) => x.path)).toEqual(['Tags[env]'])
    // A change of tags alone is a change, as delta reports it.
    expect(d).toMatchObject({event: 'changed', previous: {snapshot: 'c', configHash: c!.configHash}, tagChanges: {changed: {env: {from: 'prod', to: 'test'}}}})
    expect(resourceHistory(store, ARN).entries.some((e) => e.changes)).toBe(false)
  })

  it('is limited to one inventory with --inventory', () => {
    const store = stores.open()
    defaultInventory(store)
    const team = insertInventory(store, {name: 'team'})
    snapshots(store, [['d1', [vpc('10.0.0.0/16')], [ok]]])
    finishedSnapshot(store, 't1', {inventoryId: team.id, resources: [vpc('10.0.0.0/16')], coverage: [ok]})
    finishedSnapshot(store, 't2', {inventoryId: team.id, resources: [], coverage: [ok]})
    expect(events(resourceHistory(store, ARN).entries)).toEqual([
      ['d1', 'appeared'],
      ['t1', 'unchanged'],
      ['t2', 'disappeared'],
    ])
    const history = resourceHistory(store, ARN, {inventory: 'team'})
    expect(history.inventory).toBe('team')
    expect(events(history.entries)).toEqual([
      ['t1', 'appeared'],
      ['t2', 'disappeared'],
    ])
  })

  it('refuses an unknown ARN, an empty store and an unknown inventory', () => {
    const store = stores.open()
    defaultInventory(store)
    insertInventory(store, {name: 'team'})
    expect(() => resourceHistory(store, ARN)).toThrow(/^The store has no snapshots yet\. Take one with "awsinv snapshot create"\.$/)
    expect(() => resourceHistory(store, ARN, {inventory: 'team'})).toThrow(/^Inventory "team" has no snapshots yet/)
    expect(() => resourceHistory(store, ARN, {inventory: 'nope'})).toThrow(/Unknown inventory "nope"/)
    snapshots(store, [['d1', [vpc('10.0.0.0/16')], [ok]]])
    // A typo in the resource name is answered with the stored ARN; a name nothing like a stored one is not.
    expect(() => resourceHistory(store, `${ARN}x`)).toThrow(`No snapshot holds a resource with ARN "${ARN}x". Did you mean "${ARN}"? "awsinv snapshot report NAME`)
    const far = `${ARN.slice(0, ARN.lastIndexOf('/') + 1)}zzzzzz`
    expect(() => resourceHistory(store, far)).toThrow(`No snapshot holds a resource with ARN "${far}". "awsinv snapshot report NAME --detailed" lists a snapshot's ARNs.`)
    finishedSnapshot(store, 't1', {inventoryId: 2, resources: [], coverage: [ok]})
    // Held by another inventory's snapshots: said so, rather than suggesting another ARN.
    expect(() => resourceHistory(store, ARN, {inventory: 'team'})).toThrow(
      new UserError(`No snapshot of inventory "team" holds a resource with ARN "${ARN}". Snapshots of inventory "default" do: leave out --inventory (or AWSINV_INVENTORY) to see its history there.`),
    )
    // A near ARN only other inventories hold is no suggestion for this one.
    expect(() => resourceHistory(store, `${ARN}x`, {inventory: 'team'})).toThrow(
      new UserError(`No snapshot of inventory "team" holds a resource with ARN "${ARN}x". "awsinv snapshot report NAME --detailed" lists a snapshot's ARNs.`),
    )
  })
})

describe('diffTags', () => {
  it('lists added, removed and changed tags, or nothing', () => {
    expect(diffTags({a: '1', b: '2', c: '3'}, {a: '1', b: '20', d: '4'})).toEqual({added: {d: '4'}, removed: {c: '3'}, changed: {b: {from: '2', to: '20'}}})
    expect(diffTags({a: '1'}, {a: '1'})).toBeUndefined()
    expect(diffTags({}, {})).toBeUndefined()
  })

  it('treats keys named like Object properties as plain keys', () => {
    expect(diffTags({}, {constructor: 'x', toString: 'y'})).toEqual({added: {constructor: 'x', toString: 'y'}, removed: {}, changed: {}})
    const changes = diffTags(JSON.parse('{"__proto__": "a"}') as Record<string, string>, {})
    expect(Object.keys(changes!.removed)).toEqual(['__proto__'])
  })
})
