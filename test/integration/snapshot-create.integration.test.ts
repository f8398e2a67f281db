import Database from 'better-sqlite3'
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import {specOf} from '../../src/resources/registry.js'
import type {Relationship} from '../../src/resources/types.js'
import {runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {expectOnlyEmulatorGaps} from '../support/emulator-gaps.js'
import {SEEDED_SECRET, type SeededIds, seedSandbox} from '../support/seed.js'

interface StoredResource {
  arn: string
  type: string
  resource_id: string
  name: string
  region: string
  account_id: string
  created_at: string | null
  source: string
  configuration: string
  tags: string
  relationships: string
}

const ACCOUNT = '123456789012'

describe('snapshot create against the emulator', () => {
  let emulator: Emulator
  let storage: string
  let east: SeededIds
  let west: SeededIds
  let first: Extract<SnapshotCreateResult, {dryRun: false}>
  let rows: StoredResource[]

  beforeAll(async () => {
    emulator = await startEmulator()
    east = await seedSandbox(emulator.url, 'us-east-1', {prefix: 'east', global: true})
    west = await seedSandbox(emulator.url, 'eu-west-1', {prefix: 'west', tags: {env: 'prod'}})
    storage = mkdtempSync(join(tmpdir(), 'awsinv-create-'))
    first = await runCliJson<Extract<SnapshotCreateResult, {dryRun: false}>>([
      'snapshot',
      'create',
      'baseline',
      '--storage-path',
      storage,
      '--endpoint-url',
      emulator.url,
      '--regions',
      'us-east-1,eu-west-1',
    ])
    const db = new Database(join(storage, 'inventory.db'), {readonly: true})
    rows = db.prepare(`select * from v_resources where snapshot_name = 'baseline'`).all() as StoredResource[]
    db.close()
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  it('collects every cell but the emulator\'s missing Access Analyzer, and becomes the active snapshot', () => {
    expect(first.snapshot).toMatchObject({name: 'baseline', status: 'partial', accountId: ACCOUNT, active: true, inventory: 'default'})
    expectOnlyEmulatorGaps(first.gaps, ['us-east-1', 'eu-west-1'])
    // Regional types × 2 regions + global types (IAM, account settings) once.
    const regional = first.snapshot.resourceTypes.filter((t) => specOf(t)?.scope === 'regional').length
    const global = first.snapshot.resourceTypes.length - regional
    expect(first.coverage.cells).toBe(regional * 2 + global)
    expect(first.coverage.ok).toBe(first.coverage.cells - first.gaps.length)
    expect(first.snapshot.resourceCount).toBe(rows.length)
  })

  it('records every seeded resource with its type, id, region, account, tags and source', () => {
    for (const [seeded, region] of [
      [east, 'us-east-1'],
      [west, 'eu-west-1'],
    ] as const) {
      for (const [type, ids] of Object.entries(seeded)) {
        const expectedRegion = specOf(type)?.scope === 'global' ? 'global' : region
        for (const id of ids) {
          const row = rows.find((r) => r.type === type && r.resource_id === id)
          expect(row, `${type} ${id} in ${region}`).toBeDefined()
          expect(row!.region).toBe(expectedRegion)
          expect(row!.account_id).toBe(ACCOUNT)
          expect(row!.source).toBe('api')
          const tags = JSON.parse(row!.tags) as Record<string, string>
          // IAM groups have no tags API; everything else was seeded with tags.
          if (type !== 'AWS::IAM::Group') expect(tags, `${type} ${id} tags`).toMatchObject({owner: 'team-a', env: region === 'eu-west-1' ? 'prod' : 'dev'})
        }
      }
    }
  })

  it('builds the ARNs AWS uses', () => {
    const arnOf = (type: string, id: string) => rows.find((r) => r.type === type && r.resource_id === id)?.arn
    const vpcId = east['AWS::EC2::VPC']![0]!
    expect(arnOf('AWS::EC2::VPC', vpcId)).toBe(`arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${vpcId}`)
    const instanceId = west['AWS::EC2::Instance']![0]!
    expect(arnOf('AWS::EC2::Instance', instanceId)).toBe(`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/${instanceId}`)
    const snapshotId = east['AWS::EC2::Snapshot']![0]!
    expect(arnOf('AWS::EC2::Snapshot', snapshotId)).toBe(`arn:aws:ec2:us-east-1::snapshot/${snapshotId}`)
    expect(arnOf('AWS::S3::Bucket', 'west-bucket-eu-west-1')).toBe('arn:aws:s3:::west-bucket-eu-west-1')
    expect(arnOf('AWS::IAM::Role', 'east-app-role')).toBe(`arn:aws:iam::${ACCOUNT}:role/east-app-role`)
    expect(arnOf('AWS::Lambda::Function', 'west-fn-eu-west-1')).toBe(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:west-fn-eu-west-1`)
  })

  it('keeps the bucket in its own region and records its policy, versioning and tags', () => {
    const bucket = rows.find((r) => r.resource_id === 'west-bucket-eu-west-1')!
    expect(bucket.region).toBe('eu-west-1')
    expect(bucket.created_at).not.toBeNull()
    const config = JSON.parse(bucket.configuration) as {Policy: {Statement: Array<{Sid: string}>}; Versioning: {Status: string}}
    expect(config.Policy.Statement[0]!.Sid).toBe('DenyInsecure')
    expect(config.Versioning.Status).toBe('Enabled')
  })

  it('records the relationships cleanup will order deletions by', () => {
    const edges = (type: string, id: string) => JSON.parse(rows.find((r) => r.type === type && r.resource_id === id)!.relationships) as Relationship[]
    const has = (from: Relationship[], type: string, id: string) => from.some((e) => e.type === type && (e.id === id || e.arn?.endsWith(id)))
    const vpc = east['AWS::EC2::VPC']![0]!
    const subnet = east['AWS::EC2::Subnet']![0]!
    const [sgA, sgB] = east['AWS::EC2::SecurityGroup']!
    const instance = east['AWS::EC2::Instance']![0]!
    const volume = east['AWS::EC2::Volume']![0]!
    const igw = east['AWS::EC2::InternetGateway']![0]!
    const [eip, natEip] = east['AWS::EC2::EIP']!

    expect(has(edges('AWS::EC2::Subnet', subnet), 'AWS::EC2::VPC', vpc)).toBe(true)
    const instanceEdges = edges('AWS::EC2::Instance', instance)
    expect(has(instanceEdges, 'AWS::EC2::Subnet', subnet)).toBe(true)
    expect(has(instanceEdges, 'AWS::EC2::SecurityGroup', sgA!)).toBe(true)
    expect(has(instanceEdges, 'AWS::EC2::Volume', volume)).toBe(true)
    expect(instanceEdges.some((e) => e.type === 'AWS::EC2::NetworkInterface')).toBe(true)
    expect(instanceEdges.some((e) => e.type === 'AWS::IAM::InstanceProfile' && e.arn?.endsWith('instance-profile/east-app-profile'))).toBe(true)
    expect(has(edges('AWS::EC2::SecurityGroup', sgA!), 'AWS::EC2::SecurityGroup', sgB!)).toBe(true)
    expect(has(edges('AWS::EC2::SecurityGroup', sgB!), 'AWS::EC2::SecurityGroup', sgA!)).toBe(true)
    expect(has(edges('AWS::EC2::InternetGateway', igw), 'AWS::EC2::VPC', vpc)).toBe(true)
    const routeTable = edges('AWS::EC2::RouteTable', east['AWS::EC2::RouteTable']![0]!)
    expect(has(routeTable, 'AWS::EC2::Subnet', subnet)).toBe(true)
    expect(has(routeTable, 'AWS::EC2::InternetGateway', igw)).toBe(true)
    expect(has(edges('AWS::EC2::EIP', eip!), 'AWS::EC2::Instance', instance)).toBe(true)
    expect(has(edges('AWS::EC2::NatGateway', east['AWS::EC2::NatGateway']![0]!), 'AWS::EC2::EIP', natEip!)).toBe(true)
    expect(edges('AWS::IAM::InstanceProfile', 'east-app-profile').some((e) => e.type === 'AWS::IAM::Role' && e.arn?.endsWith('role/east-app-role'))).toBe(true)
    expect(edges('AWS::IAM::Role', 'east-app-role').some((e) => e.type === 'AWS::IAM::Policy' && e.arn?.endsWith('policy/east-read'))).toBe(true)
    expect(edges('AWS::IAM::User', 'east-alice').some((e) => e.type === 'AWS::IAM::Group' && e.arn?.endsWith('group/east-devs'))).toBe(true)
    const fn = edges('AWS::Lambda::Function', 'east-fn-us-east-1')
    expect(has(fn, 'AWS::EC2::Subnet', subnet)).toBe(true)
    expect(fn.some((e) => e.type === 'AWS::IAM::Role')).toBe(true)
  })

  it('only records relationships to registered types, declared as dependencies by their spec', () => {
    for (const row of rows) {
      const spec = specOf(row.type)!
      for (const edge of JSON.parse(row.relationships) as Relationship[]) {
        expect(specOf(edge.type), `${row.type} -> ${edge.type}`).toBeDefined()
        if (edge.kind !== 'references') expect(spec.dependsOn ?? [], `${row.type} -> ${edge.type}`).toContain(edge.type)
      }
    }
  })

  it('records real creation times, never the collection time', () => {
    const instance = rows.find((r) => r.type === 'AWS::EC2::Instance')!
    expect(instance.created_at).not.toBeNull()
    expect(rows.find((r) => r.type === 'AWS::EC2::VPC')!.created_at).toBeNull()
  })

  it('never stores a secret value, and keeps the names of Lambda environment variables', () => {
    const fn = rows.find((r) => r.type === 'AWS::Lambda::Function')!
    expect(JSON.parse(fn.configuration)).toMatchObject({Environment: {VariableNames: ['DB_PASSWORD', 'LOG_LEVEL']}})
    for (const file of readdirSync(storage).filter((f) => f.startsWith('inventory.db'))) {
      expect(readFileSync(join(storage, file)).includes(SEEDED_SECRET), file).toBe(false)
    }
  })

  it('stores nothing new but index rows for a second snapshot of the unchanged account', async () => {
    const db = () => new Database(join(storage, 'inventory.db'), {readonly: true})
    const before = db()
    const configsBefore = (before.prepare('select count(*) as n from configurations').get() as {n: number}).n
    before.close()
    const second = await runCliJson<Extract<SnapshotCreateResult, {dryRun: false}>>([
      'snapshot',
      'create',
      'again',
      '--storage-path',
      storage,
      '--endpoint-url',
      emulator.url,
      '--regions',
      'us-east-1,eu-west-1',
    ])
    expect(second.snapshot.resourceCount).toBe(first.snapshot.resourceCount)
    const after = db()
    expect((after.prepare('select count(*) as n from configurations').get() as {n: number}).n).toBe(configsBefore)
    const changed = after
      .prepare(
        `select a.arn from resources a join snapshots sa on sa.id = a.snapshot_id and sa.name = 'baseline'
         left join resources b on b.arn = a.arn and b.snapshot_id = (select id from snapshots where name = 'again')
         where b.config_hash is null or b.config_hash <> a.config_hash`,
      )
      .all()
    after.close()
    expect(changed).toEqual([])
  })
})
