import {EC2} from '@aws-sdk/client-ec2'
import {EFS} from '@aws-sdk/client-efs'
import {KMS} from '@aws-sdk/client-kms'
import {RDS} from '@aws-sdk/client-rds'
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import type {SqlQueryResult} from '../../src/query/sql.js'
import type {Relationship, Resource} from '../../src/resources/types.js'
import {checkOf} from '../../src/security/catalogue.js'
import type {Finding, ScanCell, ScanSnapshot} from '../../src/security/types.js'
import {runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials} from '../support/seed.js'

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
/** The master password every seeded database gets: it must never reach the store. */
const MASTER_PASSWORD = 'rds-master-secret-4b9e'

interface Seeded {
  rotatingKey: string
  staticKey: string
  leavingKey: string
  securityGroup: string
  subnets: string[]
  encryptedFs: string
  plainFs: string
}

/**
 * Seeds RDS, EFS and KMS in one region: a customer key with rotation on and one with it off (with an
 * alias), a key pending deletion; a public unencrypted PostgreSQL instance in a DB subnet group, a private
 * encrypted MySQL instance, an encrypted Aurora cluster with one member; an encrypted and an unencrypted
 * file system. Everything is tagged `team=data`.
 */
async function seed(endpoint: string): Promise<Seeded> {
  const config = {endpoint, region: REGION, credentials: seedCredentials, maxAttempts: 2}
  const [ec2, rds, efs, kms] = [new EC2(config), new RDS(config), new EFS(config), new KMS(config)]
  const team = [{Key: 'team', Value: 'data'}]

  const rotating = (await kms.createKey({Description: 'rotating', Tags: [{TagKey: 'team', TagValue: 'data'}]})).KeyMetadata!
  await kms.enableKeyRotation({KeyId: rotating.KeyId})
  const fixed = (await kms.createKey({Description: 'static', Tags: [{TagKey: 'team', TagValue: 'data'}]})).KeyMetadata!
  await kms.createAlias({AliasName: 'alias/orders-data', TargetKeyId: fixed.KeyId})
  const leaving = (await kms.createKey({Description: 'leaving'})).KeyMetadata!
  await kms.scheduleKeyDeletion({KeyId: leaving.KeyId, PendingWindowInDays: 7})

  const defaultSubnets = (await ec2.describeSubnets({Filters: [{Name: 'default-for-az', Values: ['true']}]})).Subnets!
  const subnets = defaultSubnets.slice(0, 2).map((s) => s.SubnetId!)
  const securityGroup = (await ec2.createSecurityGroup({GroupName: 'orders-db', Description: 'orders database', VpcId: defaultSubnets[0]!.VpcId})).GroupId!
  await rds.createDBSubnetGroup({DBSubnetGroupName: 'orders', DBSubnetGroupDescription: 'orders', SubnetIds: subnets})

  const common = {DBInstanceClass: 'db.t3.micro', MasterUsername: 'admin', MasterUserPassword: MASTER_PASSWORD, AllocatedStorage: 20, Tags: team}
  await rds.createDBInstance({
    ...common,
    DBInstanceIdentifier: 'orders-public',
    Engine: 'postgres',
    PubliclyAccessible: true,
    StorageEncrypted: false,
    DBSubnetGroupName: 'orders',
    VpcSecurityGroupIds: [securityGroup],
  })
  await rds.createDBInstance({...common, DBInstanceIdentifier: 'orders-private', Engine: 'mysql', PubliclyAccessible: false, StorageEncrypted: true, KmsKeyId: fixed.Arn})
  await rds.createDBCluster({
    DBClusterIdentifier: 'orders-aurora',
    Engine: 'aurora-postgresql',
    MasterUsername: 'admin',
    MasterUserPassword: MASTER_PASSWORD,
    StorageEncrypted: true,
    KmsKeyId: fixed.KeyId,
    VpcSecurityGroupIds: [securityGroup],
    Tags: team,
  })
  await rds.createDBInstance({DBInstanceIdentifier: 'orders-aurora-1', DBInstanceClass: 'db.r5.large', Engine: 'aurora-postgresql', DBClusterIdentifier: 'orders-aurora', Tags: team})

  const encryptedFs = (await efs.createFileSystem({CreationToken: 'shared', Encrypted: true, KmsKeyId: fixed.KeyId, Tags: [{Key: 'Name', Value: 'shared'}, ...team]})).FileSystemId!
  const plainFs = (await efs.createFileSystem({CreationToken: 'scratch', Encrypted: false, Tags: team})).FileSystemId!
  for (const client of [ec2, rds, efs, kms]) client.destroy()
  return {rotatingKey: rotating.KeyId!, staticKey: fixed.KeyId!, leavingKey: leaving.KeyId!, securityGroup, subnets, encryptedFs, plainFs}
}

interface StoredRow {
  arn: string
  type: string
  resource_id: string
  name: string
  region: string
  account_id: string
  created_at: string | null
  source: string
  configuration: Record<string, unknown>
  tags: Record<string, string>
  relationships: Relationship[]
}

/** The rows of a `query sql --json` answer as objects, JSON columns parsed. */
function rowsOf(result: SqlQueryResult): Array<Record<string, unknown>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])))
}

describe('snapshot create collects RDS, EFS and KMS from the emulator', () => {
  let emulator: Emulator
  let storage: string
  let seeded: Seeded
  let created: Extract<SnapshotCreateResult, {dryRun: false}>
  let rows: StoredRow[]
  let coverage: Array<Record<string, unknown>>
  const at = () => ['--storage-path', storage]

  beforeAll(async () => {
    emulator = await startEmulator()
    seeded = await seed(emulator.url)
    storage = mkdtempSync(join(tmpdir(), 'awsinv-rds-efs-kms-'))
    created = await runCliJson<Extract<SnapshotCreateResult, {dryRun: false}>>([
      'snapshot',
      'create',
      'data',
      ...at(),
      '--endpoint-url',
      emulator.url,
      '--regions',
      REGION,
      '--resource-types',
      'rds,efs,kms',
      '--no-config',
    ])
    const resources = await runCliJson<SqlQueryResult>([
      'query',
      'sql',
      'select arn, type, resource_id, name, region, account_id, created_at, source, configuration, tags, relationships from v_resources order by type, resource_id',
      '--snapshot',
      'data',
      ...at(),
    ])
    rows = rowsOf(resources).map((r) => ({
      ...(r as unknown as StoredRow),
      configuration: JSON.parse(r.configuration as string) as Record<string, unknown>,
      tags: JSON.parse(r.tags as string) as Record<string, string>,
      relationships: JSON.parse(r.relationships as string) as Relationship[],
    }))
    coverage = rowsOf(
      await runCliJson<SqlQueryResult>(['query', 'sql', 'select resource_type, region, status, source, item_count, error from v_coverage order by resource_type', '--snapshot', 'data', ...at()]),
    )
  }, 180_000)

  afterAll(async () => {
    await emulator?.stop()
  })

  const row = (type: string, id: string): StoredRow => {
    const found = rows.find((r) => r.type === type && r.resource_id === id)
    if (found === undefined) throw new Error(`${type} ${id} not stored; stored: ${rows.map((r) => `${r.type} ${r.resource_id}`).join(', ')}`)
    return found
  }

  const keyArn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`

  it('completes with one ok, direct-API coverage cell per type', () => {
    expect(created.snapshot).toMatchObject({name: 'data', status: 'complete', accountId: ACCOUNT})
    expect(created.gaps).toEqual([])
    expect(created.snapshot.resourceTypes.sort()).toEqual(['AWS::EFS::FileSystem', 'AWS::KMS::Key', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance'])
    expect(coverage).toEqual([
      {resource_type: 'AWS::EFS::FileSystem', region: REGION, status: 'ok', source: 'api', item_count: 2, error: null},
      {resource_type: 'AWS::KMS::Key', region: REGION, status: 'ok', source: 'api', item_count: 3, error: null},
      {resource_type: 'AWS::RDS::DBCluster', region: REGION, status: 'ok', source: 'api', item_count: 1, error: null},
      {resource_type: 'AWS::RDS::DBInstance', region: REGION, status: 'ok', source: 'api', item_count: 3, error: null},
    ])
    expect(created.snapshot.resourceCount).toBe(rows.length)
    expect(rows).toHaveLength(9)
  })

  it('stores the DB instances with their identity, settings, tags and edges', () => {
    const open = row('AWS::RDS::DBInstance', 'orders-public')
    expect(open).toMatchObject({arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-public`, name: 'orders-public', region: REGION, account_id: ACCOUNT, source: 'api', tags: {team: 'data'}})
    expect(open.created_at).not.toBeNull()
    expect(open.configuration).toMatchObject({PubliclyAccessible: true, StorageEncrypted: false, Engine: 'postgres', DBSubnetGroup: {DBSubnetGroupName: 'orders'}})
    expect(open.relationships).toEqual(
      expect.arrayContaining([
        {type: 'AWS::EC2::SecurityGroup', arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${seeded.securityGroup}`, id: seeded.securityGroup, kind: 'uses'},
        ...seeded.subnets.map((id) => ({type: 'AWS::EC2::Subnet', arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`, id, kind: 'in'})),
      ]),
    )
    expect(open.relationships.some((e) => e.type === 'AWS::EC2::VPC' && e.kind === 'in')).toBe(true)

    const closed = row('AWS::RDS::DBInstance', 'orders-private')
    expect(closed.configuration).toMatchObject({PubliclyAccessible: false, StorageEncrypted: true, KmsKeyId: keyArn(seeded.staticKey)})
    expect(closed.relationships).toContainEqual({type: 'AWS::KMS::Key', arn: keyArn(seeded.staticKey), id: seeded.staticKey, kind: 'uses'})

    const member = row('AWS::RDS::DBInstance', 'orders-aurora-1')
    expect(member.relationships).toContainEqual({type: 'AWS::RDS::DBCluster', arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders-aurora`, id: 'orders-aurora', kind: 'in'})
  })

  it('stores the cluster, encrypted, with its members, security group and key', () => {
    const cluster = row('AWS::RDS::DBCluster', 'orders-aurora')
    expect(cluster).toMatchObject({arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders-aurora`, tags: {team: 'data'}})
    expect(cluster.created_at).not.toBeNull()
    expect(cluster.configuration).toMatchObject({StorageEncrypted: true, DBClusterMembers: [expect.objectContaining({DBInstanceIdentifier: 'orders-aurora-1'})]})
    expect(cluster.relationships).toEqual([
      {type: 'AWS::EC2::SecurityGroup', arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${seeded.securityGroup}`, id: seeded.securityGroup, kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: keyArn(seeded.staticKey), id: seeded.staticKey, kind: 'uses'},
    ])
  })

  it('stores both file systems with their encryption and the key edge', () => {
    const shared = row('AWS::EFS::FileSystem', seeded.encryptedFs)
    expect(shared).toMatchObject({arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${seeded.encryptedFs}`, name: 'shared', tags: {Name: 'shared', team: 'data'}})
    expect(shared.configuration).toMatchObject({Encrypted: true})
    expect(shared.relationships).toEqual([{type: 'AWS::KMS::Key', arn: keyArn(seeded.staticKey), id: seeded.staticKey, kind: 'uses'}])
    const scratch = row('AWS::EFS::FileSystem', seeded.plainFs)
    expect(scratch).toMatchObject({name: seeded.plainFs, configuration: expect.objectContaining({Encrypted: false}), relationships: []})
  })

  it('stores the customer managed keys, the one pending deletion included, with rotation where it applies', () => {
    expect(rows.filter((r) => r.type === 'AWS::KMS::Key').every((r) => r.configuration.KeyManager === 'CUSTOMER')).toBe(true)
    expect(row('AWS::KMS::Key', seeded.rotatingKey).configuration).toMatchObject({KeyRotationEnabled: true, KeyState: 'Enabled', KeyPolicy: {Version: '2012-10-17'}})
    const fixed = row('AWS::KMS::Key', seeded.staticKey)
    expect(fixed).toMatchObject({arn: keyArn(seeded.staticKey), name: 'alias/orders-data', tags: {team: 'data'}})
    expect(fixed.configuration).toMatchObject({KeyRotationEnabled: false, Aliases: ['alias/orders-data'], Tags: [{TagKey: 'team', TagValue: 'data'}]})
    const leaving = row('AWS::KMS::Key', seeded.leavingKey).configuration
    expect(leaving).toMatchObject({KeyState: 'PendingDeletion', Enabled: false})
    expect(leaving.DeletionDate).toEqual(expect.any(String))
    expect(leaving).not.toHaveProperty('KeyRotationEnabled')
  })

  it('never stores the master password', () => {
    for (const file of readdirSync(storage).filter((f) => f.startsWith('inventory.db'))) {
      expect(readFileSync(join(storage, file)).includes(MASTER_PASSWORD), file).toBe(false)
    }
  })

  it('gives the four checks what they need: the verdicts follow the seeded settings', () => {
    const resources: Resource[] = rows.map((r) => ({
      arn: r.arn,
      type: r.type,
      id: r.resource_id,
      name: r.name,
      region: r.region,
      accountId: r.account_id,
      createdAt: r.created_at,
      tags: r.tags,
      configuration: r.configuration,
      source: r.source as Resource['source'],
      relationships: r.relationships,
    }))
    const snapshot: ScanSnapshot = {
      name: 'data',
      capturedAt: new Date(created.snapshot.startedAt),
      accountId: ACCOUNT,
      accounts: [ACCOUNT],
      regions: [REGION],
      tagFilters: {includeTags: {}, excludeTags: {}},
      resources: (type) => resources.filter((r) => r.type === type),
      cells: (type) =>
        coverage
          .filter((c) => c.resource_type === type)
          .map((c): ScanCell => ({accountId: ACCOUNT, region: c.region as string, status: c.status as ScanCell['status'], error: c.error as string | null})),
    }
    const verdicts = (id: string): string[] =>
      checkOf(id)!
        .evaluate(snapshot)
        .map((f: Finding) => `${f.status} ${f.name}`)
        .sort()
    // The emulator reports no PubliclyAccessible for the cluster member: UNKNOWN, never PASS.
    expect(verdicts('rds-instance-public')).toEqual(['FAIL orders-public', 'PASS orders-private', 'UNKNOWN orders-aurora-1'])
    expect(verdicts('rds-storage-unencrypted')).toEqual(['FAIL orders-public', 'PASS orders-aurora', 'PASS orders-private'])
    expect(verdicts('efs-filesystem-unencrypted')).toEqual([`FAIL ${seeded.plainFs}`, 'PASS shared'])
    expect(verdicts('kms-key-rotation-off')).toEqual([`PASS ${seeded.rotatingKey}`, 'FAIL alias/orders-data'].sort())
  })
})
