import {CloudTrail} from '@aws-sdk/client-cloudtrail'
import {EC2} from '@aws-sdk/client-ec2'
import {EFS} from '@aws-sdk/client-efs'
import {KMS} from '@aws-sdk/client-kms'
import {RDS} from '@aws-sdk/client-rds'
import {S3} from '@aws-sdk/client-s3'
import {SecretsManager} from '@aws-sdk/client-secrets-manager'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {planCleanup} from '../../src/cleanup/plan.js'
import {emptyRules} from '../../src/cleanup/rules.js'
import type {CleanupPlan, PlanItem} from '../../src/cleanup/types.js'
import type {ItemRunResult} from '../../src/cleanup/run-item.js'
import type {CoverageCell} from '../../src/diff/snapshots.js'
import {specOf, specs} from '../../src/resources/registry.js'
import type {Resource} from '../../src/resources/types.js'
import {collectType, emulatorContexts, type EmulatorContexts, runPlanItem} from '../support/deleters.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials} from '../support/seed.js'

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
/** Where the replicated secret has its replica. */
const OTHER = 'eu-west-1'
const team = [{Key: 'team', Value: 'data'}]

/** The types whose deleters this file tests (Access Analyzer is not in the emulator: its deleter has unit tests only). */
const deletable = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::CloudTrail::Trail',
]
/**
 * What is collected: those types, every type that may depend on them (so the planner knows nothing
 * unseen uses them), the network they sit in, and the network interfaces EFS mount targets stand on.
 */
const collectedTypes = [
  ...new Set([
    ...deletable,
    ...specs.filter((s) => s.dependsOn?.some((t) => deletable.includes(t) && t !== s.type)).map((s) => s.type),
    'AWS::EC2::VPC',
    'AWS::EC2::Subnet',
    'AWS::EC2::SecurityGroup',
    'AWS::EC2::NetworkInterface',
  ]),
].sort()

interface Seeded {
  vpc: string
  subnets: string[]
  dbGroup: string
  efsGroup: string
  fileSystem: string
  mountTarget: string
  networkInterface: string
  accessPoint: string
  dataKey: string
  leavingKey: string
  keptKey: string
  token: string
  leavingSecret: string
  sharedSecret: string
  bucket: string
}

/**
 * A data tier in one VPC: a PostgreSQL instance with deletion protection in a DB subnet group; an Aurora
 * cluster with deletion protection, encrypted with a customer key, with one member; a file system with a
 * mount target (in a subnet, with a security group) and an access point; customer keys (one already
 * pending deletion, one tagged keep=yes); secrets (one already scheduled for deletion, one replicated to
 * eu-west-1); a trail delivering to a bucket.
 */
async function seed(endpoint: string): Promise<Seeded> {
  const config = {endpoint, region: REGION, credentials: seedCredentials, maxAttempts: 2}
  const ec2 = new EC2(config)
  const rds = new RDS(config)
  const efs = new EFS(config)
  const kms = new KMS(config)
  const secrets = new SecretsManager(config)
  const s3 = new S3({...config, forcePathStyle: true})
  const cloudTrail = new CloudTrail(config)

  const vpc = (await ec2.createVpc({CidrBlock: '10.20.0.0/16'})).Vpc!.VpcId!
  const subnets: string[] = []
  for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    subnets.push((await ec2.createSubnet({VpcId: vpc, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: zone})).Subnet!.SubnetId!)
  }

  const dbGroup = (await ec2.createSecurityGroup({GroupName: 'data-db', Description: 'databases', VpcId: vpc})).GroupId!
  const efsGroup = (await ec2.createSecurityGroup({GroupName: 'data-efs', Description: 'file system', VpcId: vpc})).GroupId!

  const dataKey = (await kms.createKey({Description: 'data', Tags: [{TagKey: 'team', TagValue: 'data'}]})).KeyMetadata!.KeyId!
  const leavingKey = (await kms.createKey({Description: 'leaving'})).KeyMetadata!.KeyId!
  await kms.scheduleKeyDeletion({KeyId: leavingKey, PendingWindowInDays: 7})
  const keptKey = (await kms.createKey({Description: 'kept', Tags: [{TagKey: 'keep', TagValue: 'yes'}]})).KeyMetadata!.KeyId!

  await rds.createDBSubnetGroup({DBSubnetGroupName: 'data', DBSubnetGroupDescription: 'data', SubnetIds: subnets})
  await rds.createDBInstance({
    DBInstanceIdentifier: 'orders',
    DBInstanceClass: 'db.t3.micro',
    Engine: 'postgres',
    MasterUsername: 'admin',
    MasterUserPassword: 'orders-password-1',
    AllocatedStorage: 20,
    DBSubnetGroupName: 'data',
    VpcSecurityGroupIds: [dbGroup],
    DeletionProtection: true,
    Tags: team,
  })
  await rds.createDBCluster({
    DBClusterIdentifier: 'ledger',
    Engine: 'aurora-postgresql',
    MasterUsername: 'admin',
    MasterUserPassword: 'ledger-password-1',
    StorageEncrypted: true,
    KmsKeyId: dataKey,
    VpcSecurityGroupIds: [dbGroup],
    DeletionProtection: true,
    Tags: team,
  })
  await rds.createDBInstance({DBInstanceIdentifier: 'ledger-1', DBInstanceClass: 'db.r5.large', Engine: 'aurora-postgresql', DBClusterIdentifier: 'ledger', Tags: team})

  const fileSystem = (await efs.createFileSystem({CreationToken: 'shared', Tags: [{Key: 'Name', Value: 'shared'}, ...team]})).FileSystemId!
  const target = await efs.createMountTarget({FileSystemId: fileSystem, SubnetId: subnets[0], SecurityGroups: [efsGroup]})
  const accessPoint = (await efs.createAccessPoint({FileSystemId: fileSystem, ClientToken: 'app', RootDirectory: {Path: '/app'}})).AccessPointId!

  const token = (await secrets.createSecret({Name: 'data/token', SecretString: 'token-value', Tags: team})).ARN!
  const leavingSecret = (await secrets.createSecret({Name: 'data/leaving', SecretString: 'leaving-value'})).ARN!
  await secrets.deleteSecret({SecretId: leavingSecret, RecoveryWindowInDays: 7})
  const sharedSecret = (await secrets.createSecret({Name: 'data/shared', SecretString: 'shared-value', AddReplicaRegions: [{Region: OTHER}]})).ARN!

  const bucket = 'data-trail-logs'
  await s3.createBucket({Bucket: bucket})
  await cloudTrail.createTrail({Name: 'data-audit', S3BucketName: bucket, TagsList: team})

  for (const client of [ec2, rds, efs, kms, secrets, s3, cloudTrail]) client.destroy()
  return {
    vpc,
    subnets,
    dbGroup,
    efsGroup,
    fileSystem,
    mountTarget: target.MountTargetId!,
    networkInterface: target.NetworkInterfaceId!,
    accessPoint,
    dataKey,
    leavingKey,
    keptKey,
    token,
    leavingSecret,
    sharedSecret,
    bucket,
  }
}

describe('deleters of RDS, EFS, KMS, Secrets Manager and CloudTrail against the emulator', () => {
  let emulator: Emulator
  let seeded: Seeded
  let contexts: Record<string, EmulatorContexts>
  let plan: CleanupPlan
  let items: PlanItem[]
  const results = new Map<string, ItemRunResult>()
  const client = <T>(make: new (config: object) => T, region = REGION): T => new make({endpoint: emulator.url, region, credentials: seedCredentials, maxAttempts: 1})
  const itemOf = (type: string, id: string): PlanItem => {
    const found = items.find((i) => i.type === type && i.id === id)
    if (found === undefined) throw new Error(`no item for ${type} ${id}; items: ${items.map((i) => `${i.type} ${i.id}`).join(', ')}`)
    return found
  }

  const deleterOf = (type: string) => specOf(type)!.deleter!
  const ctxOf = (item: PlanItem) => contexts[item.region]!.delete
  const waveOf = (item: PlanItem) => plan.waves.findIndex((w) => w.items.includes(item))

  beforeAll(async () => {
    emulator = await startEmulator()
    seeded = await seed(emulator.url)
    contexts = {[REGION]: emulatorContexts(emulator.url, REGION), [OTHER]: emulatorContexts(emulator.url, OTHER)}
    const resources: Resource[] = []
    const cells: CoverageCell[] = []
    for (const region of [REGION, OTHER]) {
      for (const type of collectedTypes) {
        resources.push(...(await collectType(type, contexts[region]!.collect)))
        cells.push({accountId: ACCOUNT, region, resourceType: type, status: 'ok'})
      }
    }

    plan = planCleanup({
      mode: 'purge',
      current: {ref: {name: null, id: null, capturedAt: new Date().toISOString()}, resources, cells},
      caller: {arn: `arn:aws:iam::${ACCOUNT}:user/cleaner`, accountId: ACCOUNT},
      rules: {...emptyRules(), tags: [{key: 'keep', value: '*', source: 'test'}]},
      // Only the types of this file: the EC2 and S3 deleters are not part of it.
      selection: {types: [...deletable, 'AWS::AccessAnalyzer::Analyzer'], regions: null},
      now: new Date(),
    })
    items = plan.waves.flatMap((w) => w.items)
  }, 180_000)

  afterAll(async () => {
    await emulator?.stop()
  })

  it('plans every seeded resource of these types but the protected key, members before their cluster, replicas before their primary', () => {
    expect(plan.summary.byType).toEqual({
      'AWS::CloudTrail::Trail': 1,
      'AWS::EFS::FileSystem': 1,
      'AWS::KMS::Key': 1,
      'AWS::RDS::DBCluster': 1,
      'AWS::RDS::DBInstance': 2,
      'AWS::SecretsManager::Secret': 3,
    })
    expect(plan.protected.map((p) => [p.type, p.id, p.reasons.map((r) => r.kind)])).toContainEqual(['AWS::KMS::Key', seeded.keptKey, ['tag-rule']])
    // Already scheduled for deletion (by anyone, or an earlier run): going, with nothing left to do.
    expect(plan.skipped.map((r) => [r.type, r.id, r.reason.kind, r.reason.explanation])).toEqual([
      ['AWS::KMS::Key', seeded.leavingKey, 'deletion-scheduled', expect.stringMatching(/^its deletion is already scheduled for \d{4}-\d\d-\d\dT\S+ \(key state PendingDeletion\): nothing is left to do$/)],
      ['AWS::SecretsManager::Secret', seeded.leavingSecret, 'deletion-scheduled', expect.stringMatching(/^its deletion is already scheduled \(deleted on \d{4}-\d\d-\d\dT\S+, in its recovery window\): nothing is left to do$/)],
    ])

    const cluster = itemOf('AWS::RDS::DBCluster', 'ledger')
    const member = itemOf('AWS::RDS::DBInstance', 'ledger-1')
    const key = itemOf('AWS::KMS::Key', seeded.dataKey)
    expect(cluster.after).toEqual([member.key])
    // The cluster's storage key; the emulator reports it on the member instance too.
    expect(key.after.sort()).toEqual([cluster.key, member.key].sort())
    expect(waveOf(member)).toBeLessThan(waveOf(cluster))
    expect(waveOf(cluster)).toBeLessThan(waveOf(key))

    const primary = itemOf('AWS::SecretsManager::Secret', seeded.sharedSecret)
    const replica = itemOf('AWS::SecretsManager::Secret', seeded.sharedSecret.replace(REGION, OTHER))
    expect(replica.region).toBe(OTHER)
    expect(primary.after).toEqual([replica.key])
  })

  it('plans the steps from the stored configuration: deletion protection off first, mount targets before the file system with their interface along', () => {
    expect(itemOf('AWS::RDS::DBInstance', 'orders').steps.map((s) => [s.action, s.params])).toEqual([
      ['disable-deletion-protection', {dbInstanceIdentifier: 'orders'}],
      ['delete-db-instance', {dbInstanceIdentifier: 'orders', skipFinalSnapshot: true, deleteAutomatedBackups: true}],
    ])
    expect(itemOf('AWS::RDS::DBInstance', 'ledger-1').steps.map((s) => s.action)).toEqual(['delete-db-instance'])
    expect(itemOf('AWS::RDS::DBCluster', 'ledger').steps.map((s) => s.action)).toEqual(['disable-deletion-protection', 'delete-db-cluster'])

    const fs = itemOf('AWS::EFS::FileSystem', seeded.fileSystem)
    expect(fs.steps.map((s) => [s.action, s.params])).toEqual([
      ['delete-access-points', {fileSystemId: seeded.fileSystem, accessPointIds: [seeded.accessPoint]}],
      ['delete-mount-targets', {fileSystemId: seeded.fileSystem, mountTargetIds: [seeded.mountTarget]}],
      ['delete-file-system', {fileSystemId: seeded.fileSystem}],
    ])
    expect(fs.includes.map((i) => [i.type, i.id])).toEqual([['AWS::EC2::NetworkInterface', seeded.networkInterface]])
    expect(itemOf('AWS::SecretsManager::Secret', seeded.sharedSecret.replace(REGION, OTHER)).steps.map((s) => [s.action, s.params])).toEqual([
      ['remove-regions-from-replication', {secretId: seeded.sharedSecret, primaryRegion: REGION, regions: [OTHER]}],
    ])
  })

  it('re-reads live resources with their tags before deleting them', async () => {
    for (const [type, id] of [
      ['AWS::RDS::DBInstance', 'orders'],
      ['AWS::RDS::DBCluster', 'ledger'],
      ['AWS::EFS::FileSystem', seeded.fileSystem],
      ['AWS::KMS::Key', seeded.dataKey],
      ['AWS::SecretsManager::Secret', seeded.token],
      ['AWS::CloudTrail::Trail', 'data-audit'],
    ] as const) {
      const item = itemOf(type, id)
      const current = await deleterOf(type).current(ctxOf(item), item)
      expect(current?.tags, `${type} ${id}`).toMatchObject({team: 'data'})
      expect(current?.configuration, `${type} ${id}`).toBeDefined()
    }

  })

  it('holds a replicated secret while its replica exists, naming the replica', async () => {
    const primary = itemOf('AWS::SecretsManager::Secret', seeded.sharedSecret)
    expect(await deleterOf(primary.type).run(ctxOf(primary), primary, primary.steps[0]!)).toEqual({
      status: 'hold',
      detail: `a secret is deleted only without replicas, and it still has one in ${OTHER}`,
      blockedBy: [seeded.sharedSecret.replace(REGION, OTHER)],
    })
  })

  it('deletes every planned item wave by wave', async () => {
    for (const wave of plan.waves) {
      const outcomes = await Promise.all(wave.items.map(async (item) => [item.key, await runPlanItem(item, ctxOf(item))] as const))
      for (const [key, result] of outcomes) results.set(key, result)
    }

    const failed = [...results].filter(([, r]) => r.status !== 'deleted').map(([key, r]) => `${key}: ${r.status} ${r.error ?? ''}`)
    expect(failed).toEqual([])
    const orders = results.get(itemOf('AWS::RDS::DBInstance', 'orders').key)!
    expect(orders.steps.map((s) => [s.action, s.status])).toEqual([
      ['disable-deletion-protection', 'done'],
      ['delete-db-instance', 'done'],
    ])
    // The emulator deletes at once: nothing to wait for (AWS answers `deleting` for minutes).
    expect(orders.steps[1]).toMatchObject({attempts: 1, detail: 'DB instance orders deleted'})
    const scheduled = (type: string, id: string) => results.get(itemOf(type, id).key)!.steps[0]!.detail
    expect(scheduled('AWS::KMS::Key', seeded.dataKey)).toMatch(/^scheduled for deletion on \d{4}-\d\d-\d\dT/)
    expect(scheduled('AWS::SecretsManager::Secret', seeded.token)).toMatch(/^scheduled for deletion on /)
    // The executor reports these items `scheduled`, not `deleted`, from the step's `scheduled` record.
    for (const [type, id] of [['AWS::KMS::Key', seeded.dataKey], ['AWS::SecretsManager::Secret', seeded.token]] as const) {
      expect(results.get(itemOf(type, id).key)!.steps[0]!.scheduled, id).toEqual({deletionDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)})
    }
    expect(orders.steps.every((s) => s.scheduled === undefined)).toBe(true)
  })

  it('leaves the emulator without the databases, the file system (its mount target and interface with it) and the trail', async () => {
    const rds = client(RDS)
    await expect(rds.describeDBInstances({DBInstanceIdentifier: 'orders'})).rejects.toMatchObject({name: 'DBInstanceNotFoundFault'})
    await expect(rds.describeDBInstances({DBInstanceIdentifier: 'ledger-1'})).rejects.toMatchObject({name: 'DBInstanceNotFoundFault'})
    await expect(rds.describeDBClusters({DBClusterIdentifier: 'ledger'})).rejects.toMatchObject({name: 'DBClusterNotFoundFault'})

    const efs = client(EFS)
    await expect(efs.describeFileSystems({FileSystemId: seeded.fileSystem})).rejects.toMatchObject({name: 'FileSystemNotFound'})
    await expect(efs.describeMountTargets({MountTargetId: seeded.mountTarget})).rejects.toMatchObject({name: 'MountTargetNotFound'})
    await expect(efs.describeAccessPoints({AccessPointId: seeded.accessPoint})).rejects.toMatchObject({name: 'AccessPointNotFound'})
    const ec2 = client(EC2)
    expect((await ec2.describeNetworkInterfaces({Filters: [{Name: 'vpc-id', Values: [seeded.vpc]}]})).NetworkInterfaces).toEqual([])

    await expect(client(CloudTrail).getTrail({Name: 'data-audit'})).rejects.toMatchObject({name: 'TrailNotFoundException'})
  })

  it('leaves the keys and secrets scheduled for deletion, the replica removed, and the protected key enabled', async () => {
    const kms = client(KMS)
    for (const id of [seeded.dataKey, seeded.leavingKey]) expect((await kms.describeKey({KeyId: id})).KeyMetadata).toMatchObject({KeyState: 'PendingDeletion'})
    expect((await kms.describeKey({KeyId: seeded.keptKey})).KeyMetadata).toMatchObject({KeyState: 'Enabled', Enabled: true})

    const secrets = client(SecretsManager)
    for (const arn of [seeded.token, seeded.leavingSecret, seeded.sharedSecret]) expect((await secrets.describeSecret({SecretId: arn})).DeletedDate, arn).toBeInstanceOf(Date)
    expect((await secrets.describeSecret({SecretId: seeded.sharedSecret})).ReplicationStatus ?? []).toEqual([])
    await expect(client(SecretsManager, OTHER).describeSecret({SecretId: seeded.sharedSecret.replace(REGION, OTHER)})).rejects.toMatchObject({name: 'ResourceNotFoundException'})
  })

  it('leaves what the deleted resources stood on: the VPC, subnets, security groups, DB subnet group and bucket', async () => {
    const ec2 = client(EC2)
    expect((await ec2.describeVpcs({VpcIds: [seeded.vpc]})).Vpcs).toHaveLength(1)
    expect((await ec2.describeSubnets({SubnetIds: seeded.subnets})).Subnets).toHaveLength(2)
    expect((await ec2.describeSecurityGroups({GroupIds: [seeded.dbGroup, seeded.efsGroup]})).SecurityGroups).toHaveLength(2)
    expect((await client(RDS).describeDBSubnetGroups({DBSubnetGroupName: 'data'})).DBSubnetGroups).toHaveLength(1)
    await expect(new S3({endpoint: emulator.url, region: REGION, credentials: seedCredentials, forcePathStyle: true}).headBucket({Bucket: seeded.bucket})).resolves.toBeDefined()
  })

  it('reads deleted and scheduled resources as gone, and deleting them again finds them gone (or already scheduled)', async () => {
    for (const item of items) expect(await deleterOf(item.type).current(ctxOf(item), item), item.key).toBeUndefined()
    for (const item of items) {
      const again = await runPlanItem(item, ctxOf(item))
      const expected = item.type === 'AWS::KMS::Key' || (item.type === 'AWS::SecretsManager::Secret' && item.region === REGION) ? 'deleted' : 'gone'
      expect(again.status, item.key).toBe(expected)
      if (expected === 'deleted') expect(again.steps.at(-1)?.detail, item.key).toMatch(/^scheduled for deletion on /)
    }
  })
})
