import {afterEach, describe, expect, it} from 'vitest'

import type {Resource} from '../../../src/resources/types.js'
import type {Store} from '../../../src/store/database.js'
import {canonicalJson, sha256} from '../../../src/store/hash.js'
import {type CoverageRecord, SnapshotWriter} from '../../../src/store/writer.js'
import {countRows, coverageRecord, fakeResource, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-writer-')
afterEach(() => stores.cleanup())

const coverageRow = (overrides: Partial<CoverageRecord> = {}) => coverageRecord({apiCalls: 2, itemCount: 3, durationMs: 40, ...overrides})

/** A varied account: 20 VPCs with distinct configurations and tags, and 5 subnets sharing one. */
function accountResources(): Resource[] {
  const vpcs = Array.from({length: 20}, (_, i) =>
    fakeResource(`vpc-${i}`, {configuration: {VpcId: `vpc-${i}`, CidrBlock: `10.${i}.0.0/16`, State: 'available'}, tags: {Name: `vpc ${i}`, env: 'dev'}}),
  )
  const subnets = Array.from({length: 5}, (_, i) =>
    fakeResource(`subnet-${i}`, {
      arn: `arn:aws:ec2:us-east-1:123456789012:subnet/subnet-${i}`,
      type: 'AWS::EC2::Subnet',
      configuration: {MapPublicIpOnLaunch: false, State: 'available'},
      relationships: [{type: 'AWS::EC2::VPC', id: 'vpc-0', kind: 'in'}],
    }),
  )
  return [...vpcs, ...subnets]
}

function resourceRow(store: Store, snapshotId: number, arn: string) {
  return store.sqlite.prepare('select * from resources where snapshot_id = ? and arn = ?').get(snapshotId, arn) as Record<string, unknown> | undefined
}

function tagsOf(store: Store, snapshotId: number, arn: string): Record<string, string> {
  const rows = store.sqlite
    .prepare('select t.key, t.value from resource_tags t join resources r on r.id = t.resource_id where r.snapshot_id = ? and r.arn = ? order by t.key')
    .all(snapshotId, arn) as Array<{key: string; value: string}>
  return Object.fromEntries(rows.map((r) => [r.key, r.value]))
}

describe('SnapshotWriter.write', () => {
  it('stores each resource with its service, relationships, tags and configuration', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    const resource = fakeResource('vpc-1', {
      name: 'main',
      createdAt: '2024-01-02T03:04:05.000Z',
      tags: {Name: 'main', env: 'prod'},
      relationships: [{type: 'AWS::EC2::DHCPOptions', id: 'dopt-1', kind: 'uses'}],
      source: 'config',
    })
    expect(new SnapshotWriter(store, id).write([resource], 'ec2')).toBe(1)

    const row = resourceRow(store, id, resource.arn)
    expect(row).toMatchObject({
      type: 'AWS::EC2::VPC',
      service: 'ec2',
      resource_id: 'vpc-1',
      name: 'main',
      region: 'us-east-1',
      account_id: '123456789012',
      created_at: '2024-01-02T03:04:05.000Z',
      source: 'config',
    })
    expect(JSON.parse(row!.relationships as string)).toEqual(resource.relationships)
    expect(tagsOf(store, id, resource.arn)).toEqual({Name: 'main', env: 'prod'})
    const json = store.sqlite.prepare('select json from configurations where hash = ?').pluck().get(row!.config_hash) as string
    expect(JSON.parse(json)).toEqual(resource.configuration)
    expect(row!.config_hash).toBe(sha256(canonicalJson(resource.configuration)))
  })

  it('writes nothing for an empty page', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    expect(new SnapshotWriter(store, id).write([], 'ec2')).toBe(0)
    expect(countRows(store, 'resources')).toBe(0)
  })

  it('writes a page in one transaction: a failing resource leaves none of its page behind', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    const writer = new SnapshotWriter(store, id)
    writer.write([fakeResource('vpc-earlier')], 'ec2')
    const broken = {...fakeResource('vpc-broken'), id: null} as unknown as Resource
    expect(() => writer.write([fakeResource('vpc-good'), broken], 'ec2')).toThrow(/NOT NULL/)
    expect(store.sqlite.prepare('select resource_id from resources').pluck().all()).toEqual(['vpc-earlier'])
    expect(countRows(store, 'configurations')).toBe(1)
  })

  it('stores identical configurations once across snapshots: a second unchanged snapshot adds only index rows', () => {
    const store = stores.open()
    const first = seedSnapshot(store, 'first')
    new SnapshotWriter(store, first).write(accountResources(), 'ec2')
    // 20 distinct VPC documents + 1 shared by the 5 subnets.
    expect(countRows(store, 'configurations')).toBe(21)
    const configBytes = () => store.sqlite.prepare('select sum(length(json)) from configurations').pluck().get() as number
    const bytesAfterFirst = configBytes()

    const second = seedSnapshot(store, 'second')
    new SnapshotWriter(store, second).write(accountResources(), 'ec2')
    expect(countRows(store, 'configurations')).toBe(21)
    expect(configBytes()).toBe(bytesAfterFirst)
    expect(countRows(store, 'resources where snapshot_id = ?', first)).toBe(25)
    expect(countRows(store, 'resources where snapshot_id = ?', second)).toBe(25)

    // One changed resource in a third snapshot adds exactly one document.
    const third = seedSnapshot(store, 'third')
    const changed = accountResources()
    changed[0] = {...changed[0]!, configuration: {...changed[0]!.configuration, State: 'pending'}}
    new SnapshotWriter(store, third).write(changed, 'ec2')
    expect(countRows(store, 'configurations')).toBe(22)
  })

  it('hashes configurations canonically, whatever the key order at any depth', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    const writer = new SnapshotWriter(store, id)
    writer.write(
      [
        fakeResource('vpc-a', {configuration: {a: 1, b: {c: 2, d: [{x: 1, y: 2}]}}}),
        fakeResource('vpc-b', {configuration: {b: {d: [{y: 2, x: 1}], c: 2}, a: 1}}),
        // Array order is meaningful: a different document.
        fakeResource('vpc-c', {configuration: {a: 1, b: {c: 2, d: [{x: 1, y: 2}, {x: 3}]}}}),
        fakeResource('vpc-d', {configuration: {a: 1, b: {c: 2, d: [{x: 3}, {x: 1, y: 2}]}}}),
      ],
      'ec2',
    )
    const hashes = store.sqlite.prepare('select resource_id, config_hash from resources order by resource_id').all() as Array<{resource_id: string; config_hash: string}>
    const [a, b, c, d] = hashes.map((h) => h.config_hash)
    expect(a).toBe(b)
    expect(c).not.toBe(a)
    expect(d).not.toBe(c)
    expect(countRows(store, 'configurations')).toBe(3)
    // The stored text is the canonical form (sorted keys), so SQL users see one spelling.
    expect(store.sqlite.prepare('select json from configurations where hash = ?').pluck().get(a)).toBe('{"a":1,"b":{"c":2,"d":[{"x":1,"y":2}]}}')
  })

  it('keeps one row per ARN in a snapshot, the later copy winning, with its tags replacing the earlier ones', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    const writer = new SnapshotWriter(store, id)
    const arn = fakeResource('vpc-1').arn
    writer.write([fakeResource('vpc-1', {name: 'old', tags: {a: '1', b: '2'}, configuration: {v: 1}})], 'ec2')
    writer.write([fakeResource('vpc-1', {name: 'new', tags: {b: '3', c: '4'}, configuration: {v: 2}})], 'ec2')
    expect(countRows(store, 'resources where snapshot_id = ?', id)).toBe(1)
    expect(resourceRow(store, id, arn)).toMatchObject({name: 'new', config_hash: sha256(canonicalJson({v: 2}))})
    expect(tagsOf(store, id, arn)).toEqual({b: '3', c: '4'})
    expect(countRows(store, 'resource_tags')).toBe(2)

    // Written again without tags, it has none.
    writer.write([fakeResource('vpc-1', {tags: {}})], 'ec2')
    expect(tagsOf(store, id, arn)).toEqual({})
  })

  it('keeps the same ARN apart in different snapshots', () => {
    const store = stores.open()
    const a = seedSnapshot(store, 'a')
    const b = seedSnapshot(store, 'b')
    new SnapshotWriter(store, a).write([fakeResource('vpc-1', {tags: {snap: 'a'}})], 'ec2')
    new SnapshotWriter(store, b).write([fakeResource('vpc-1', {tags: {snap: 'b'}})], 'ec2')
    const arn = fakeResource('vpc-1').arn
    expect(tagsOf(store, a, arn)).toEqual({snap: 'a'})
    expect(tagsOf(store, b, arn)).toEqual({snap: 'b'})
  })
})

describe('SnapshotWriter.discardCell', () => {
  it("removes only that cell's resources (and their tags) in that snapshot", () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    const other = seedSnapshot(store, 's2')
    const writer = new SnapshotWriter(store, id)
    const inCell = [fakeResource('vpc-1', {tags: {k: 'gone'}}), fakeResource('vpc-2')]
    const outside = [
      fakeResource('vpc-3', {region: 'us-west-2', tags: {k: 'kept'}}),
      fakeResource('vpc-4', {accountId: '210987654321'}),
      fakeResource('subnet-1', {arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1', type: 'AWS::EC2::Subnet'}),
    ]
    writer.write([...inCell, ...outside], 'ec2')
    new SnapshotWriter(store, other).write(inCell, 'ec2')

    writer.discardCell('123456789012', 'us-east-1', 'AWS::EC2::VPC')

    expect(store.sqlite.prepare('select resource_id from resources where snapshot_id = ? order by resource_id').pluck().all(id)).toEqual([
      'subnet-1',
      'vpc-3',
      'vpc-4',
    ])
    expect(countRows(store, 'resources where snapshot_id = ?', other)).toBe(2)
    expect(store.sqlite.prepare('select value from resource_tags order by value').pluck().all()).toEqual(['gone', 'kept'])
    expect(tagsOf(store, id, inCell[0]!.arn)).toEqual({})
    expect(tagsOf(store, other, inCell[0]!.arn)).toEqual({k: 'gone'})
  })
})

describe('SnapshotWriter.coverage', () => {
  it('records one row per cell, the latest outcome replacing an earlier one', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 's1')
    const writer = new SnapshotWriter(store, id)
    writer.coverage(coverageRow({status: 'throttled', errorCode: 'Throttling', error: 'Rate exceeded', itemCount: 0}))
    writer.coverage(coverageRow({region: 'us-west-2'}))
    writer.coverage(coverageRow({resourceType: 'AWS::EC2::Subnet'}))
    writer.coverage(coverageRow({accountId: '210987654321'}))
    writer.coverage(coverageRow({status: 'ok', apiCalls: 7, itemCount: 9}))

    expect(countRows(store, 'coverage where snapshot_id = ?', id)).toBe(4)
    const cell = store.sqlite
      .prepare(
        `select status, source, source_reason, api_calls, item_count, duration_ms, error_code, error from coverage
         where snapshot_id = ? and account_id = '123456789012' and region = 'us-east-1' and resource_type = 'AWS::EC2::VPC'`,
      )
      .all(id)
    expect(cell).toEqual([
      {
        status: 'ok',
        source: 'api',
        source_reason: 'direct API (--no-config)',
        api_calls: 7,
        item_count: 9,
        duration_ms: 40,
        error_code: null,
        error: null,
      },
    ])
  })

  it('keeps the same cell of different snapshots apart', () => {
    const store = stores.open()
    const a = seedSnapshot(store, 'a')
    const b = seedSnapshot(store, 'b')
    new SnapshotWriter(store, a).coverage(coverageRow({status: 'access_denied'}))
    new SnapshotWriter(store, b).coverage(coverageRow({status: 'ok'}))
    expect(store.sqlite.prepare('select status from coverage where snapshot_id = ?').pluck().all(a)).toEqual(['access_denied'])
    expect(store.sqlite.prepare('select status from coverage where snapshot_id = ?').pluck().all(b)).toEqual(['ok'])
  })
})
