import {afterEach, describe, expect, it, vi} from 'vitest'

import {runScan} from '../../../src/security/scan.js'
import type {Store} from '../../../src/store/database.js'
import {loadScanSnapshot} from '../../../src/store/scan-snapshot.js'
import {type Snapshot, finishSnapshot, requireSnapshot} from '../../../src/store/snapshots.js'
import {SnapshotWriter} from '../../../src/store/writer.js'
import {collected} from '../../support/scan.js'
import {coverageRecord, finishedSnapshot, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-scan-snapshot-')
afterEach(() => stores.cleanup())

const VOLUME = 'AWS::EC2::Volume'
const volume = (id: string, Encrypted: boolean, region: string) =>
  collected(
    VOLUME,
    {
      VolumeId: id,
      Size: 8,
      Encrypted,
      State: 'in-use',
      SnapshotId: 'snap-0source',
      CreateTime: new Date('2026-01-01T00:00:00Z'),
      Tags: [{Key: 'Name', Value: `name-${id}`}, {Key: 'env', Value: 'dev'}],
    },
    region,
  )

/**
 * A snapshot of volumes in two regions (written out of order), a role, and coverage: volumes ok in
 * both regions, roles denied. With `interrupted`, the run stopped before the eu-west-1 volume cell.
 */
async function stored(store: Store, options: {interrupted?: boolean} = {}): Promise<Snapshot> {
  const id = seedSnapshot(store, 'scanned', {regions: ['us-east-1', 'eu-west-1'], resourceTypes: [VOLUME, 'AWS::IAM::Role']})
  const writer = new SnapshotWriter(store, id)
  const volumes = [await volume('vol-b', false, 'us-east-1'), await volume('vol-c', true, 'eu-west-1'), await volume('vol-a', true, 'us-east-1')]
  writer.write(options.interrupted ? volumes.filter((v) => v.region === 'us-east-1') : volumes, 'ec2')
  writer.coverage(coverageRecord({resourceType: VOLUME, region: 'us-east-1', itemCount: 2}))
  if (!options.interrupted) writer.coverage(coverageRecord({resourceType: VOLUME, region: 'eu-west-1', itemCount: 1}))
  writer.coverage(coverageRecord({resourceType: 'AWS::IAM::Role', region: 'global', status: 'access_denied', errorCode: 'AccessDenied', error: 'iam:ListRoles denied'}))
  finishSnapshot(store, id, {status: options.interrupted ? 'interrupted' : 'partial', setActive: false})
  return requireSnapshot(store, 'scanned')
}

describe('loadScanSnapshot', () => {
  it('gives the snapshot as checks see it: capture time, account, regions, canonical resources and coverage cells', async () => {
    const store = stores.open()
    const snapshot = await stored(store)
    const scan = loadScanSnapshot(store, snapshot)

    expect(scan).toMatchObject({name: 'scanned', accountId: '123456789012', accounts: ['123456789012'], regions: ['us-east-1', 'eu-west-1']})
    expect(scan.capturedAt.toISOString()).toBe(snapshot.startedAt)

    const volumes = scan.resources(VOLUME)
    // Region, then ARN order.
    expect(volumes.map((v) => `${v.region} ${v.id}`)).toEqual(['eu-west-1 vol-c', 'us-east-1 vol-a', 'us-east-1 vol-b'])
    // Exactly what the collector wrote: configuration, tags, relationships and all.
    expect(volumes[2]).toEqual(await volume('vol-b', false, 'us-east-1'))
    expect(volumes[2]).toMatchObject({
      name: 'name-vol-b',
      tags: {Name: 'name-vol-b', env: 'dev'},
      configuration: {VolumeId: 'vol-b', Encrypted: false, Size: 8, CreateTime: '2026-01-01T00:00:00.000Z'},
      relationships: [{type: 'AWS::EC2::Snapshot', kind: 'references'}],
      createdAt: '2026-01-01T00:00:00.000Z',
      source: 'api',
    })
    expect(scan.resources('AWS::IAM::Role')).toEqual([])
    expect(scan.resources('AWS::S3::Bucket')).toEqual([])

    expect(scan.cells(VOLUME)).toEqual([
      {accountId: '123456789012', region: 'eu-west-1', status: 'ok', error: null},
      {accountId: '123456789012', region: 'us-east-1', status: 'ok', error: null},
    ])
    expect(scan.cells('AWS::IAM::Role')).toEqual([{accountId: '123456789012', region: 'global', status: 'access_denied', error: 'iam:ListRoles denied'}])
    expect(scan.cells('AWS::S3::Bucket')).toEqual([])
    expect(scan.tagFilters).toEqual({includeTags: {}, excludeTags: {}})
  })

  it('gives the tag filters the snapshot was taken with', () => {
    const store = stores.open()
    finishedSnapshot(store, 'dev-only', {filters: {includeTags: {env: 'dev'}, excludeTags: {keep: 'true'}}})
    expect(loadScanSnapshot(store, requireSnapshot(store, 'dev-only')).tagFilters).toEqual({includeTags: {env: 'dev'}, excludeTags: {keep: 'true'}})
  })

  it('reads resources a type at a time, when a check first asks, and only once per type', async () => {
    const store = stores.open()
    const snapshot = await stored(store)
    const prepare = store.sqlite.prepare.bind(store.sqlite)
    const reads: unknown[][] = []
    vi.spyOn(store.sqlite, 'prepare').mockImplementation((source: string) => {
      const statement = prepare(source)
      if (!/from resources r join configurations/.test(source)) return statement
      const all = statement.all.bind(statement)
      return Object.assign(statement, {all: (...params: unknown[]) => (reads.push(params), all(...params))})
    })

    const scan = loadScanSnapshot(store, snapshot)
    expect(reads).toEqual([])
    const first = scan.resources(VOLUME)
    expect(reads).toEqual([[snapshot.id, VOLUME]])
    expect(scan.resources(VOLUME)).toBe(first)
    scan.resources('AWS::IAM::Role')
    expect(reads).toEqual([
      [snapshot.id, VOLUME],
      [snapshot.id, 'AWS::IAM::Role'],
    ])
  })

  it('gives a planned cell an interrupted run never reached as an error cell, so checks report it UNKNOWN', async () => {
    const store = stores.open()
    const snapshot = await stored(store, {interrupted: true})
    const scan = loadScanSnapshot(store, snapshot)
    expect(scan.cells(VOLUME)).toEqual([
      {accountId: '123456789012', region: 'us-east-1', status: 'ok', error: null},
      {accountId: '123456789012', region: 'eu-west-1', status: 'error', error: 'the snapshot was interrupted before this cell was collected'},
    ])

    const result = runScan(scan, {status: 'all', checks: ['ec2-volume-unencrypted']})
    expect(result.findings.map((f) => `${f.status} ${f.resource}`)).toEqual([
      'FAIL arn:aws:ec2:us-east-1:123456789012:volume/vol-b',
      'UNKNOWN 123456789012/eu-west-1',
      'PASS arn:aws:ec2:us-east-1:123456789012:volume/vol-a',
    ])
    expect(result.findings[1]?.evidence).toBe(
      'AWS::EC2::Volume was not collected in 123456789012/eu-west-1: error (the snapshot was interrupted before this cell was collected)',
    )
  })

  it('lists every account the snapshot holds resources or coverage of, the caller’s own included', async () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'org', {accountId: '111111111111', regions: ['us-east-1'], resourceTypes: [VOLUME]})
    const writer = new SnapshotWriter(store, id)
    writer.write([{...(await volume('vol-x', true, 'us-east-1')), accountId: '222222222222', arn: 'arn:aws:ec2:us-east-1:222222222222:volume/vol-x'}], 'ec2')
    writer.coverage(coverageRecord({resourceType: VOLUME, accountId: '111111111111'}))
    writer.coverage(coverageRecord({resourceType: VOLUME, accountId: '222222222222'}))
    writer.coverage(coverageRecord({resourceType: VOLUME, accountId: '333333333333', status: 'access_denied'}))
    finishSnapshot(store, id, {status: 'partial', setActive: false})
    const scan = loadScanSnapshot(store, requireSnapshot(store, 'org'))
    expect(scan.accountId).toBe('111111111111')
    expect(scan.accounts).toEqual(['111111111111', '222222222222', '333333333333'])
  })
})
