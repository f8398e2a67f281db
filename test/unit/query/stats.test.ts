import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {computeStats, parseGroupBy, parseRequiredTags} from '../../../src/query/stats.js'
import type {Store} from '../../../src/store/database.js'
import {defaultInventory, insertInventory} from '../../../src/store/inventories.js'
import {fakeResource, finishedSnapshot, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-stats-')
afterEach(() => stores.cleanup())

const OTHER_ACCOUNT = '210987654321'
const role = (name: string, tags: Record<string, string> = {}) =>
  fakeResource(name, {arn: `arn:aws:iam::123456789012:role/${name}`, type: 'AWS::IAM::Role', region: 'global', tags})
const subnet = (id: string, tags: Record<string, string> = {}) =>
  fakeResource(id, {arn: `arn:aws:ec2:us-east-1:123456789012:subnet/${id}`, type: 'AWS::EC2::Subnet', tags})

/**
 * `current` (active): 3 VPCs (one in us-west-2, one of another account), 1 subnet, 2 roles; 4 of the 6
 * carry tags, 2 carry both owner and env. `older`: 2 VPCs, one tagged.
 */
function seeded(store: Store): void {
  finishedSnapshot(store, 'older', {resources: [fakeResource('vpc-a', {tags: {owner: 'a'}}), fakeResource('vpc-b')]})
  finishedSnapshot(store, 'current', {
    setActive: true,
    resources: [
      fakeResource('vpc-a', {tags: {owner: 'a', env: 'dev'}}),
      fakeResource('vpc-b', {tags: {owner: 'b'}}),
      fakeResource('vpc-c', {region: 'us-west-2', accountId: OTHER_ACCOUNT}),
      subnet('subnet-1', {env: 'prod'}),
      role('r1', {owner: 'a', env: 'prod'}),
      role('r2'),
    ],
  })
}

const defaults = {inventory: 'default', groupBy: {by: 'type'} as const, requiredTags: []}

describe('parseGroupBy', () => {
  it('accepts the groupings and tag:KEY', () => {
    expect(parseGroupBy('type')).toEqual({by: 'type'})
    expect(parseGroupBy('snapshot')).toEqual({by: 'snapshot'})
    expect(parseGroupBy('tag:owner')).toEqual({by: 'tag', key: 'owner'})
    expect(parseGroupBy('tag:cost:center')).toEqual({by: 'tag', key: 'cost:center'})
    // The groupings are case-insensitive, as every choice is; a tag key is not.
    expect(parseGroupBy('Type')).toEqual({by: 'type'})
    expect(parseGroupBy('TAG:Owner')).toEqual({by: 'tag', key: 'Owner'})
  })

  it('trims spaces around a grouping and a tag key, as --required-tags trims its keys', () => {
    expect(parseGroupBy('tag: env')).toEqual({by: 'tag', key: 'env'})
    expect(parseGroupBy(' tag:env ')).toEqual({by: 'tag', key: 'env'})
    expect(parseGroupBy('tag:cost center ')).toEqual({by: 'tag', key: 'cost center'})
    expect(parseGroupBy(' region')).toEqual({by: 'region'})
  })

  it.each([
    ['owner', /Unknown --group-by "owner"\. Use type, region, service, account, snapshot or tag:KEY\./],
    ['', /Unknown --group-by ""/],
    ['tag:', /--group-by tag: needs a tag key/],
    ['tag:  ', /--group-by tag: needs a tag key/],
  ])('refuses %j', (value, message) => {
    expect(() => parseGroupBy(value)).toThrow(UserError)
    expect(() => parseGroupBy(value)).toThrow(message)
  })
})

describe('parseRequiredTags', () => {
  it('splits, trims and deduplicates keys', () => {
    expect(parseRequiredTags('owner, env,owner,,')).toEqual(['owner', 'env'])
  })

  it('refuses an empty list', () => {
    expect(() => parseRequiredTags(' , ')).toThrow(/--required-tags needs tag keys/)
  })
})

describe('computeStats', () => {
  it('counts the active snapshot by type, with coverage and a total', () => {
    const store = stores.open()
    seeded(store)
    const stats = computeStats(store, defaults)
    expect(stats).toMatchObject({groupBy: 'type', snapshot: 'current', inventory: 'default', requiredTags: []})
    expect(stats.rows).toEqual([
      {group: 'AWS::EC2::Subnet', resources: 1, tagged: 1, untagged: 0, tagCoverage: 100},
      {group: 'AWS::EC2::VPC', resources: 3, tagged: 2, untagged: 1, tagCoverage: 66.7},
      {group: 'AWS::IAM::Role', resources: 2, tagged: 1, untagged: 1, tagCoverage: 50},
    ])
    expect(stats.total).toEqual({group: null, resources: 6, tagged: 4, untagged: 2, tagCoverage: 66.7})
  })

  it('adds the coverage of the required keys', () => {
    const store = stores.open()
    seeded(store)
    const stats = computeStats(store, {...defaults, requiredTags: ['owner', 'env']})
    expect(stats.requiredTags).toEqual(['owner', 'env'])
    expect(stats.rows.map((r) => [r.group, r.withRequiredTags, r.requiredTagCoverage])).toEqual([
      ['AWS::EC2::Subnet', 0, 0],
      ['AWS::EC2::VPC', 1, 33.3],
      ['AWS::IAM::Role', 1, 50],
    ])
    expect(stats.total).toMatchObject({resources: 6, withRequiredTags: 2, requiredTagCoverage: 33.3})
    // One key: resources with that key, whatever its value.
    expect(computeStats(store, {...defaults, requiredTags: ['owner']}).total).toMatchObject({withRequiredTags: 3, requiredTagCoverage: 50})
  })

  it('groups by region, service and account', () => {
    const store = stores.open()
    seeded(store)
    const rows = (by: 'region' | 'service' | 'account') => computeStats(store, {...defaults, groupBy: {by}}).rows.map((r) => [r.group, r.resources, r.tagged])
    expect(rows('region')).toEqual([
      ['global', 2, 1],
      ['us-east-1', 3, 3],
      ['us-west-2', 1, 0],
    ])
    expect(rows('service')).toEqual([
      ['ec2', 4, 3],
      ['iam', 2, 1],
    ])
    expect(rows('account')).toEqual([
      ['123456789012', 5, 4],
      [OTHER_ACCOUNT, 1, 0],
    ])
  })

  it('groups by a tag value, resources without the tag last', () => {
    const store = stores.open()
    seeded(store)
    const stats = computeStats(store, {...defaults, groupBy: {by: 'tag', key: 'owner'}, requiredTags: ['env']})
    expect(stats.groupBy).toBe('tag:owner')
    expect(stats.rows.map((r) => [r.group, r.resources, r.tagged, r.withRequiredTags])).toEqual([
      ['a', 2, 2, 2],
      ['b', 1, 1, 0],
      [null, 3, 1, 1],
    ])
    expect(stats.total.resources).toBe(6)
  })

  it('counts a named snapshot instead of the active one', () => {
    const store = stores.open()
    seeded(store)
    const stats = computeStats(store, {...defaults, snapshot: 'older'})
    expect(stats.snapshot).toBe('older')
    expect(stats.rows).toEqual([{group: 'AWS::EC2::VPC', resources: 2, tagged: 1, untagged: 1, tagCoverage: 50}])
  })

  it('groups by snapshot: every finished snapshot of the inventory, oldest first, empty ones included', () => {
    const store = stores.open()
    seeded(store)
    finishedSnapshot(store, 'empty', {resources: []})
    seedSnapshot(store, 'still-running')
    const team = insertInventory(store, {name: 'team'})
    finishedSnapshot(store, 'team-1', {inventoryId: team.id, resources: [fakeResource('vpc-t', {tags: {owner: 't'}})]})

    const stats = computeStats(store, {...defaults, groupBy: {by: 'snapshot'}, requiredTags: ['owner']})
    expect(stats).toMatchObject({groupBy: 'snapshot', snapshot: null, inventory: 'default'})
    expect(stats.rows).toEqual([
      {group: 'older', resources: 2, tagged: 1, untagged: 1, tagCoverage: 50, withRequiredTags: 1, requiredTagCoverage: 50},
      {group: 'current', resources: 6, tagged: 4, untagged: 2, tagCoverage: 66.7, withRequiredTags: 3, requiredTagCoverage: 50},
      {group: 'empty', resources: 0, tagged: 0, untagged: 0, tagCoverage: null, withRequiredTags: 0, requiredTagCoverage: null},
    ])
    expect(stats.total).toMatchObject({resources: 8, tagged: 5, withRequiredTags: 4})

    // --inventory, or the inventory of --snapshot, chooses the snapshots.
    expect(computeStats(store, {...defaults, inventory: 'team', groupBy: {by: 'snapshot'}}).rows.map((r) => r.group)).toEqual(['team-1'])
    const ofNamed = computeStats(store, {...defaults, snapshot: 'team-1', groupBy: {by: 'snapshot'}})
    expect(ofNamed.inventory).toBe('team')
    expect(ofNamed.rows.map((r) => r.group)).toEqual(['team-1'])
    expect(stats.incompleteSnapshots).toEqual([])
  })

  it('lists the counted snapshots that did not finish: their figures are incomplete', () => {
    const store = stores.open()
    seeded(store)
    finishedSnapshot(store, 'cut', {status: 'interrupted'})
    finishedSnapshot(store, 'broken', {status: 'failed', resources: []})
    seedSnapshot(store, 'running')
    expect(computeStats(store, {...defaults, groupBy: {by: 'snapshot'}}).incompleteSnapshots).toEqual([
      {name: 'cut', status: 'interrupted'},
      {name: 'broken', status: 'failed'},
    ])
    // A running snapshot is counted only when named, and then said to be incomplete.
    expect(computeStats(store, {...defaults, snapshot: 'running'}).incompleteSnapshots).toEqual([{name: 'running', status: 'running'}])
    expect(computeStats(store, {...defaults, snapshot: 'cut'}).incompleteSnapshots).toEqual([{name: 'cut', status: 'interrupted'}])
    expect(computeStats(store, {...defaults, snapshot: 'older'}).incompleteSnapshots).toEqual([])
  })

  it('explains what is missing', () => {
    const store = stores.open()
    defaultInventory(store)
    expect(() => computeStats(store, defaults)).toThrow(/Inventory "default" has no active snapshot\. Name one with --snapshot/)
    expect(() => computeStats(store, {...defaults, groupBy: {by: 'snapshot'}})).toThrow(/Inventory "default" has no finished snapshots/)
    expect(() => computeStats(store, {...defaults, snapshot: 'nope'})).toThrow(/Unknown snapshot "nope"/)
    expect(() => computeStats(store, {...defaults, inventory: 'nope'})).toThrow(/Unknown inventory "nope"/)
    expect(() => computeStats(store, {...defaults, inventory: 'nope', groupBy: {by: 'snapshot'}})).toThrow(/Unknown inventory "nope"/)
  })

  it('refuses an unknown inventory named along with a snapshot, rather than ignoring it', () => {
    const store = stores.open()
    finishedSnapshot(store, 'named')
    expect(() => computeStats(store, {...defaults, snapshot: 'named', inventory: 'nope'})).toThrow(/^Unknown inventory "nope"/)
    expect(() => computeStats(store, {...defaults, snapshot: 'named', inventory: 'nope', groupBy: {by: 'snapshot'}})).toThrow(/^Unknown inventory "nope"/)
    expect(computeStats(store, {...defaults, snapshot: 'named'}).snapshot).toBe('named')
  })
})
