import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {type ResourceSearch, globToSqlite, parseTagPattern, searchResources} from '../../../src/query/resources.js'
import type {Store} from '../../../src/store/database.js'
import {defaultInventory, insertInventory} from '../../../src/store/inventories.js'
import {fakeResource, finishedSnapshot, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-query-resources-')
afterEach(() => stores.cleanup())

describe('globToSqlite', () => {
  it.each([
    ['AWS::EC2::*', 'AWS::EC2::*'],
    ['vpc-?', 'vpc-?'],
    ['plain', 'plain'],
    ['[prod]*', '[[]prod]*'],
    ['a[b[c', 'a[[]b[[]c'],
    ['', ''],
  ])('%j → %j', (glob, pattern) => {
    expect(globToSqlite(glob)).toBe(pattern)
  })
})

describe('parseTagPattern', () => {
  it.each([
    ['env=prod', {key: 'env', value: 'prod'}],
    ['env=*', {key: 'env', value: '*'}],
    ['env=', {key: 'env', value: ''}],
    ['url=a=b', {key: 'url', value: 'a=b'}],
    ['aws:cloudformation:stack-name=app-*', {key: 'aws:cloudformation:stack-name', value: 'app-*'}],
    ['Name=my app', {key: 'Name', value: 'my app'}],
  ])('%j → %j', (text, pattern) => {
    expect(parseTagPattern(text)).toEqual(pattern)
  })

  it('refuses a filter without =, in one line', () => {
    expect(() => parseTagPattern('env')).toThrow(UserError)
    expect(() => parseTagPattern('env')).toThrow('--tag "env" must be KEY=VALUE (VALUE may use * and ?; KEY=* matches any value).')
  })

  it.each(['=prod', ' =prod', '='])('refuses the empty key of %j', (text) => {
    expect(() => parseTagPattern(text)).toThrow(/has an empty key/)
  })
})

/** Snapshot `old` (active) and `new`, in two regions, with tags and names to search on. */
function seeded(): Store {
  const store = stores.open()
  finishedSnapshot(store, 'old', {setActive: true, resources: [fakeResource('vpc-old')]})
  finishedSnapshot(store, 'new', {
    resources: [
      fakeResource('vpc-1', {name: 'prod-net', tags: {env: 'prod', owner: 'team-a'}}),
      fakeResource('vpc-2', {name: 'dev-net', region: 'eu-west-1', tags: {env: 'dev', owner: 'team-b'}}),
      fakeResource('vpc-3', {name: '[legacy] net', region: 'eu-central-1', tags: {env: 'Prod'}}),
      fakeResource('role-1', {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/app', name: 'app', region: 'global', tags: {owner: ''}}),
    ],
  })
  return store
}

const ids = (store: Store, search: Partial<ResourceSearch>) => searchResources({snapshot: 'new', limit: 100, ...search}, () => store).resources.map((r) => r.id)

describe('searchResources', () => {
  it('returns every resource of the snapshot without filters, in type, region, ARN order', () => {
    expect(ids(seeded(), {})).toEqual(['vpc-3', 'vpc-2', 'vpc-1', 'role-1'])
  })

  it('filters by type glob, any of several', () => {
    const store = seeded()
    expect(ids(store, {types: ['AWS::IAM::*']})).toEqual(['role-1'])
    expect(ids(store, {types: ['AWS::EC2::VPC', 'AWS::IAM::Role']})).toHaveLength(4)
    // A type the snapshot lacks is no error: nothing matches. (The command resolves services and case first.)
    expect(ids(store, {types: ['AWS::SQS::Queue']})).toEqual([])
  })

  it('filters by region, any of several, globs included', () => {
    const store = seeded()
    expect(ids(store, {regions: ['eu-west-1', 'global']})).toEqual(['vpc-2', 'role-1'])
    expect(ids(store, {regions: ['eu-*']}).sort()).toEqual(['vpc-2', 'vpc-3'])
    // Region ids are lower case, whatever the case typed.
    expect(ids(store, {regions: ['EU-WEST-1', 'Global']})).toEqual(['vpc-2', 'role-1'])
  })

  it('filters by tags: every one must match, values as globs, KEY=* for any value', () => {
    const store = seeded()
    expect(ids(store, {tags: ['env=prod']})).toEqual(['vpc-1'])
    expect(ids(store, {tags: ['env=*']}).sort()).toEqual(['vpc-1', 'vpc-2', 'vpc-3'])
    expect(ids(store, {tags: ['env=?rod']}).sort()).toEqual(['vpc-1', 'vpc-3'])
    expect(ids(store, {tags: ['env=*', 'owner=team-*']}).sort()).toEqual(['vpc-1', 'vpc-2'])
    expect(ids(store, {tags: ['env=prod', 'owner=team-b']})).toEqual([])
    // An empty value matches an empty tag value, and KEY=* a key with an empty value.
    expect(ids(store, {tags: ['owner=']})).toEqual(['role-1'])
    expect(ids(store, {tags: ['owner=*']}).sort()).toEqual(['role-1', 'vpc-1', 'vpc-2'])
    expect(ids(store, {tags: ['missing=*']})).toEqual([])
  })

  it('filters by ARN and name globs, with [ taken literally', () => {
    const store = seeded()
    expect(ids(store, {arn: 'arn:aws:iam::*:role/*'})).toEqual(['role-1'])
    expect(ids(store, {name: '*-net'}).sort()).toEqual(['vpc-1', 'vpc-2'])
    expect(ids(store, {name: '[legacy]*'})).toEqual(['vpc-3'])
    expect(ids(store, {name: '[l]*'})).toEqual([])
  })

  it('combines every filter', () => {
    expect(ids(seeded(), {types: ['AWS::EC2::*'], regions: ['us-east-1', 'eu-west-1'], tags: ['owner=team-*'], name: 'dev*'})).toEqual(['vpc-2'])
  })

  it('stops at the limit and says more matched', () => {
    const store = seeded()
    const cut = searchResources({snapshot: 'new', limit: 2}, () => store)
    expect(cut).toMatchObject({count: 2, truncated: true})
    expect(cut.resources).toHaveLength(2)
    expect(searchResources({snapshot: 'new', limit: 4}, () => store)).toMatchObject({count: 4, truncated: false})
  })

  it('returns the snapshot searched with the resources and their tags', () => {
    const result = searchResources({snapshot: 'new', limit: 10, tags: ['env=prod']}, () => seeded())
    expect(result.snapshot).toMatchObject({name: 'new', active: false})
    expect(result.resources).toEqual([
      {
        arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1',
        type: 'AWS::EC2::VPC',
        id: 'vpc-1',
        name: 'prod-net',
        region: 'us-east-1',
        accountId: '123456789012',
        createdAt: null,
        source: 'api',
        tags: {env: 'prod', owner: 'team-a'},
      },
    ])
  })

  it("searches the inventory's active snapshot by default", () => {
    const store = seeded()
    const team = insertInventory(store, {name: 'team'})
    finishedSnapshot(store, 'team-1', {setActive: true, inventoryId: team.id, resources: [fakeResource('vpc-team')]})
    expect(searchResources({limit: 10}, () => store)).toMatchObject({snapshot: {name: 'old'}, count: 1})
    expect(searchResources({inventory: 'team', limit: 10}, () => store).resources.map((r) => r.id)).toEqual(['vpc-team'])
  })

  it('fails in one line without an active snapshot, or for an unknown snapshot', () => {
    const store = stores.open()
    defaultInventory(store)
    expect(() => searchResources({limit: 10}, () => store)).toThrow(/^Inventory "default" has no active snapshot\. Name one with --snapshot/)
    expect(() => searchResources({snapshot: 'ghost', limit: 10}, () => store)).toThrow(/^Unknown snapshot "ghost"/)
  })

  it('says whether the snapshot searched is incomplete: running, interrupted or failed', () => {
    const store = seeded()
    seedSnapshot(store, 'running')
    finishedSnapshot(store, 'cut', {status: 'interrupted'})
    finishedSnapshot(store, 'gappy', {status: 'partial'})
    const incomplete = (snapshot: string) => searchResources({snapshot, limit: 10}, () => store).incomplete
    expect([incomplete('running'), incomplete('cut'), incomplete('gappy'), incomplete('old')]).toEqual([true, true, false, false])
  })

  it('refuses an unknown inventory named along with a snapshot, rather than ignoring it', () => {
    const store = seeded()
    expect(() => searchResources({snapshot: 'old', inventory: 'nope', limit: 10}, () => store)).toThrow(/^Unknown inventory "nope"/)
    expect(searchResources({snapshot: 'old', inventory: 'default', limit: 10}, () => store).snapshot.name).toBe('old')
  })

  it('checks the tag filters before opening the store', () => {
    let opened = false
    expect(() =>
      searchResources({tags: ['env=prod', 'broken'], limit: 10}, () => {
        opened = true
        return seeded()
      }),
    ).toThrow(/--tag "broken" must be KEY=VALUE/)
    expect(opened).toBe(false)
  })
})
