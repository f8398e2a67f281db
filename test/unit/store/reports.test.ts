import {afterEach, describe, expect, it} from 'vitest'

import {servicePermissions} from '../../../src/collect/permissions.js'
import type {Store} from '../../../src/store/database.js'
import {buildSnapshotReport, iterateResources} from '../../../src/store/reports.js'
import {finishSnapshot, requireSnapshot} from '../../../src/store/snapshots.js'
import {type CoverageRecord, SnapshotWriter} from '../../../src/store/writer.js'
import {fakeResource, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-reports-')
afterEach(() => stores.cleanup())

function coverageRow(overrides: Partial<CoverageRecord>): CoverageRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    resourceType: 'AWS::EC2::VPC',
    status: 'ok',
    source: 'api',
    sourceReason: null,
    apiCalls: 1,
    itemCount: 0,
    durationMs: 10,
    errorCode: null,
    error: null,
    ...overrides,
  }
}

const role = (name: string, tags: Record<string, string> = {}) =>
  fakeResource(name, {arn: `arn:aws:iam::123456789012:role/${name}`, type: 'AWS::IAM::Role', region: 'global', tags})
const subnet = (id: string, region = 'us-east-1') =>
  fakeResource(id, {arn: `arn:aws:ec2:${region}:123456789012:subnet/${id}`, type: 'AWS::EC2::Subnet', region})

/**
 * ec2: 2 VPCs in us-east-1, 1 in us-west-2, 1 subnet in us-east-1 (4); iam: 2 roles (global).
 * Coverage: 4 ok cells and 3 gaps.
 */
function seededReportSnapshot(store: Store) {
  const id = seedSnapshot(store, 'report')
  const writer = new SnapshotWriter(store, id)
  writer.write([fakeResource('vpc-b', {tags: {env: 'prod', team: 'net'}}), fakeResource('vpc-a'), fakeResource('vpc-c', {region: 'us-west-2'}), subnet('subnet-1')], 'ec2')
  writer.write([role('zeta', {owner: 'sec'}), role('alpha')], 'iam')
  writer.coverage(coverageRow({apiCalls: 2, itemCount: 2, durationMs: 100}))
  writer.coverage(coverageRow({region: 'us-west-2', apiCalls: 1, itemCount: 1, durationMs: 50}))
  writer.coverage(coverageRow({resourceType: 'AWS::EC2::Subnet', apiCalls: 1, itemCount: 1, durationMs: 20}))
  writer.coverage(coverageRow({region: 'global', resourceType: 'AWS::IAM::Role', apiCalls: 3, itemCount: 2, durationMs: 30}))
  writer.coverage(
    coverageRow({
      region: 'eu-west-1',
      status: 'access_denied',
      errorCode: 'UnauthorizedOperation',
      error: 'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/x is not authorized to perform: ec2:DescribeVpcs',
      apiCalls: 1,
      durationMs: 5,
    }),
  )
  writer.coverage(
    coverageRow({region: 'global', resourceType: 'AWS::IAM::User', status: 'access_denied', errorCode: 'AccessDenied', error: 'Access Denied', apiCalls: 1}),
  )
  writer.coverage(
    coverageRow({region: 'ap-south-1', resourceType: 'AWS::EC2::Subnet', status: 'throttled', errorCode: 'RequestLimitExceeded', error: 'Request limit exceeded.', apiCalls: 5}),
  )
  finishSnapshot(store, id, {status: 'partial', setActive: false})
  return requireSnapshot(store, 'report')
}

describe('buildSnapshotReport', () => {
  it('counts resources by service, region and type', () => {
    const store = stores.open()
    const report = buildSnapshotReport(store, seededReportSnapshot(store))
    expect(report.byService).toEqual([
      {key: 'ec2', count: 4},
      {key: 'iam', count: 2},
    ])
    expect(report.byRegion).toEqual([
      {key: 'us-east-1', count: 3},
      {key: 'global', count: 2},
      {key: 'us-west-2', count: 1},
    ])
    expect(report.byType).toEqual([
      {service: 'ec2', type: 'AWS::EC2::Subnet', region: 'us-east-1', count: 1},
      {service: 'ec2', type: 'AWS::EC2::VPC', region: 'us-east-1', count: 2},
      {service: 'ec2', type: 'AWS::EC2::VPC', region: 'us-west-2', count: 1},
      {service: 'iam', type: 'AWS::IAM::Role', region: 'global', count: 2},
    ])
    expect(report.snapshot.name).toBe('report')
    expect(report.resources).toBeUndefined()
  })

  it('says whether the counts are incomplete: a snapshot still running, interrupted or failed', () => {
    const store = stores.open()
    seedSnapshot(store, 'running')
    for (const status of ['complete', 'partial', 'interrupted', 'failed'] as const) finishSnapshot(store, seedSnapshot(store, status), {status, setActive: false})
    const incomplete = (name: string) => buildSnapshotReport(store, requireSnapshot(store, name)).incomplete
    expect(['running', 'complete', 'partial', 'interrupted', 'failed'].map((name) => incomplete(name))).toEqual([true, false, false, true, true])
  })

  it('breaks count ties by name', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'ties')
    new SnapshotWriter(store, id).write([fakeResource('vpc-1', {region: 'us-west-2'}), fakeResource('vpc-2', {region: 'eu-west-1'})], 'ec2')
    finishSnapshot(store, id, {status: 'complete', setActive: false})
    expect(buildSnapshotReport(store, requireSnapshot(store, 'ties')).byRegion.map((r) => r.key)).toEqual(['eu-west-1', 'us-west-2'])
  })

  it('summarizes coverage', () => {
    const store = stores.open()
    const report = buildSnapshotReport(store, seededReportSnapshot(store))
    expect(report.coverage).toEqual({cells: 7, ok: 4, apiCalls: 14, durationMs: 100 + 50 + 20 + 30 + 5 + 10 + 10})
  })

  it('lists every gap by region and type, with what to do about it', () => {
    const store = stores.open()
    const {gaps} = buildSnapshotReport(store, seededReportSnapshot(store))
    expect(gaps.map((g) => [g.region, g.resourceType, g.status, g.errorCode])).toEqual([
      ['ap-south-1', 'AWS::EC2::Subnet', 'throttled', 'RequestLimitExceeded'],
      ['eu-west-1', 'AWS::EC2::VPC', 'access_denied', 'UnauthorizedOperation'],
      ['global', 'AWS::IAM::User', 'access_denied', 'AccessDenied'],
    ])
    const [throttled, deniedVpc, deniedUser] = gaps
    // The action named in the error message is the one to grant.
    expect(deniedVpc!.remedy).toContain('Grant')
    expect(deniedVpc!.remedy).toContain('ec2:DescribeVpcs')
    expect(deniedVpc!.remedy).not.toContain('ec2:Describe*')
    // Without one, the read-only permissions of the service.
    expect(deniedUser!.remedy).toContain('Grant')
    for (const action of servicePermissions.iam!) expect(deniedUser!.remedy).toContain(action)
    expect(throttled!.remedy).toMatch(/throttled/i)
    expect(deniedVpc).toMatchObject({accountId: '123456789012', source: 'api', error: expect.stringContaining('ec2:DescribeVpcs')})
  })

  it('has no gaps and zero counts for an empty snapshot', () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'empty')
    finishSnapshot(store, id, {status: 'complete', setActive: false})
    const report = buildSnapshotReport(store, requireSnapshot(store, 'empty'), {detailed: true})
    expect(report).toMatchObject({byService: [], byRegion: [], byType: [], gaps: [], resources: []})
    expect(report.coverage).toEqual({cells: 0, ok: 0, apiCalls: 0, durationMs: 0})
  })

  it('lists every resource with its tags when detailed', () => {
    const store = stores.open()
    const report = buildSnapshotReport(store, seededReportSnapshot(store), {detailed: true})
    expect(report.resources!.map((r) => r.id)).toEqual(['subnet-1', 'vpc-a', 'vpc-b', 'vpc-c', 'alpha', 'zeta'])
    expect(report.resources!.find((r) => r.id === 'vpc-b')!.tags).toEqual({env: 'prod', team: 'net'})
  })

  it('only reports the given snapshot', () => {
    const store = stores.open()
    const report = seededReportSnapshot(store)
    const other = seedSnapshot(store, 'other')
    const writer = new SnapshotWriter(store, other)
    writer.write([fakeResource('vpc-other', {region: 'sa-east-1'})], 'ec2')
    writer.coverage(coverageRow({status: 'error', region: 'sa-east-1'}))
    const built = buildSnapshotReport(store, report, {detailed: true})
    expect(built.byRegion.map((r) => r.key)).not.toContain('sa-east-1')
    expect(built.gaps).toHaveLength(3)
    expect(built.resources).toHaveLength(6)
  })
})

describe('iterateResources', () => {
  it('yields resources in type, region, ARN order with their tags parsed', () => {
    const store = stores.open()
    const snapshot = seededReportSnapshot(store)
    const rows = [...iterateResources(store, snapshot.id)]
    expect(rows.map((r) => [r.type, r.region, r.arn])).toEqual([
      ['AWS::EC2::Subnet', 'us-east-1', 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1'],
      ['AWS::EC2::VPC', 'us-east-1', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-a'],
      ['AWS::EC2::VPC', 'us-east-1', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-b'],
      ['AWS::EC2::VPC', 'us-west-2', 'arn:aws:ec2:us-west-2:123456789012:vpc/vpc-c'],
      ['AWS::IAM::Role', 'global', 'arn:aws:iam::123456789012:role/alpha'],
      ['AWS::IAM::Role', 'global', 'arn:aws:iam::123456789012:role/zeta'],
    ])
    expect(rows.find((r) => r.id === 'vpc-b')).toEqual({
      arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-b',
      type: 'AWS::EC2::VPC',
      id: 'vpc-b',
      name: 'vpc-b',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: null,
      source: 'api',
      tags: {env: 'prod', team: 'net'},
    })
    expect(rows.find((r) => r.id === 'zeta')!.tags).toEqual({owner: 'sec'})
    expect(rows.find((r) => r.id === 'vpc-a')!.tags).toEqual({})
  })

  it('is lazy: it can stop early', () => {
    const store = stores.open()
    const snapshot = seededReportSnapshot(store)
    const iterator = iterateResources(store, snapshot.id)
    expect(iterator.next().value?.id).toBe('subnet-1')
    iterator.return(undefined)
    // The statement was released: the connection is usable again.
    expect(store.sqlite.prepare('select count(*) from resources').pluck().get()).toBe(6)
  })
})
