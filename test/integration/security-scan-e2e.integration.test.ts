import {CloudTrail} from '@aws-sdk/client-cloudtrail'
import {EC2, type IpPermission} from '@aws-sdk/client-ec2'
import {EFS} from '@aws-sdk/client-efs'
import {IAM} from '@aws-sdk/client-iam'
import {KMS} from '@aws-sdk/client-kms'
import {RDS} from '@aws-sdk/client-rds'
import {S3} from '@aws-sdk/client-s3'
import {S3Control} from '@aws-sdk/client-s3-control'
import {SecretsManager} from '@aws-sdk/client-secrets-manager'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import type {SqlQueryResult} from '../../src/query/sql.js'
import type {ScanResult} from '../../src/security/scan.js'
import {runCli, runCliJson} from '../support/cli.js'
import {fixMotoConfigTimestamps, setUpRecorder} from '../support/config.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {EMULATOR_GAP, expectOnlyEmulatorGaps} from '../support/emulator-gaps.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {expectValidSarif} from '../support/sarif.js'
import {seedCredentials} from '../support/seed.js'

const ACCOUNT = '123456789012'
const EAST = 'us-east-1'
const WEST = 'eu-west-1'

type Created = Extract<SnapshotCreateResult, {dryRun: false}>

/** What a check must find: exactly these violators FAIL, and each of these twins PASSes. */
interface Expected {
  fail: string[]
  pass: string[]
}

interface SarifLog {
  runs: Array<{
    tool: {driver: {rules: Array<{id: string}>}}
    results: Array<{ruleId: string; kind: string; level: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}}}>}>
  }>
}

/**
 * The acceptance test: known violations next to compliant twins, seeded in the emulator for every
 * check it can exercise; a snapshot of every type over two regions taken by the CLI; and a scan that must
 * fail exactly the violators, pass each twin, and leave UNKNOWN (with the coverage reason) what the emulator
 * cannot serve. A second scenario fixes the account-wide settings and scans again: FAIL becomes PASS.
 *
 * Every finding is named by a label given when it was seeded (`user stale-key`, `sg ssh-open`); what the
 * emulator creates by itself (default VPCs, their security groups and network ACLs, root volumes) is
 * labelled after seeding. An unexpected finding shows its ARN instead of a label.
 */
describe('security scan end to end on the emulator', () => {
  let emulator: Emulator
  let proxy: FaultProxy
  let root: string
  let violations: ScanResult
  let fixed: ScanResult
  /** Label of every seeded resource (and account/region verdict) by the finding's resource: ARN or locator. */
  const labels = new Map<string, string>()
  const config = (region: string) => ({endpoint: emulator.url, region, credentials: seedCredentials, maxAttempts: 2})
  const at = () => ['--storage-path', root]
  const snapshot = (name: string) =>
    runCliJson<Created>(['snapshot', 'create', name, '--regions', `${EAST},${WEST}`, ...at(), '--endpoint-url', proxy.url])
  const scan = (...args: string[]) => ['security', 'scan', ...args, ...at()]
  const labelOf = (resource: string) => labels.get(resource) ?? resource
  const name = (resource: string, label: string) => labels.set(resource, label)

  beforeAll(async () => {
    emulator = await startEmulator({env: {MOTO_IAM_LOAD_MANAGED_POLICIES: 'true'}})
    // Buckets, roles and policies are read through AWS Config in us-east-1, where a recorder records them.
    proxy = await startFaultProxy(emulator.url, [], {transform: fixMotoConfigTimestamps})
    root = mkdtempSync(join(tmpdir(), 'awsinv-security-e2e-'))
    labelAccountVerdicts()

    await seedViolations()
    const first = await snapshot('violations')
    expectOnlyEmulatorGaps(first.gaps, [EAST, WEST])
    violations = await runCliJson<ScanResult>(scan('--snapshot', 'violations', '--status', 'all'))

    await fixAccountSettings()
    const second = await snapshot('fixed')
    expectOnlyEmulatorGaps(second.gaps, [EAST, WEST])
    fixed = await runCliJson<ScanResult>(scan('--snapshot', 'fixed', '--status', 'all'))
  }, 300_000)

  afterAll(async () => {
    await proxy?.close()
    await emulator?.stop()
    if (root) rmSync(root, {recursive: true, force: true})
  })

  function labelAccountVerdicts(): void {
    name(ACCOUNT, 'account')
    name(`arn:aws:iam::${ACCOUNT}:account-summary`, 'account summary')
    name(`arn:aws:iam::${ACCOUNT}:account-password-policy`, 'password policy')
    name(`arn:aws:s3::${ACCOUNT}:account-public-access-block`, 'account public access block')
    for (const region of [EAST, WEST]) {
      name(`${ACCOUNT}/${region}`, `account in ${region}`)
      name(`arn:aws:ec2:${region}:${ACCOUNT}:ebs-encryption-by-default`, `EBS encryption by default in ${region}`)
      name(`arn:aws:config:${region}:${ACCOUNT}:recorder-status`, `AWS Config recorder in ${region}`)
    }
  }

  async function seedViolations(): Promise<void> {
    const iam = new IAM(config(EAST))
    // Backdated: what AWS would report as created 120 days before the snapshot.
    await emulator.setClock(-120)
    for (const user of ['stale-key', 'dormant']) name(`arn:aws:iam::${ACCOUNT}:user/${user}`, `user ${user}`)
    await iam.createUser({UserName: 'stale-key'})
    await iam.createAccessKey({UserName: 'stale-key'})
    await iam.createUser({UserName: 'dormant'})
    await iam.createLoginProfile({UserName: 'dormant', Password: 'Dormant-Passw0rd!'})
    const secrets = new SecretsManager(config(EAST))
    // Rotation on, but the last rotation is 120 days old: the rotation function would be failing.
    const stalled = await secrets.createSecret({Name: 'legacy/stalled', SecretString: 'stalled-value'})
    name(stalled.ARN!, 'secret legacy/stalled')
    await secrets.rotateSecret({SecretId: 'legacy/stalled', RotationRules: {AutomaticallyAfterDays: 30}})
    secrets.destroy()
    await emulator.setClock(0)

    // The bucket the recorder, the flow log and the trails deliver to comes first.
    await seedLogBucket()
    await Promise.all([seedIam(iam), seedNetwork(), seedBuckets(), seedDatabases(), seedKeysSecretsAndTrails()])
    iam.destroy()
    await labelDefaults()
  }

  async function seedIam(iam: IAM): Promise<void> {
    const user = async (userName: string) => {
      name(`arn:aws:iam::${ACCOUNT}:user/${userName}`, `user ${userName}`)
      await iam.createUser({UserName: userName})
    }

    await user('fresh-key')
    await iam.createAccessKey({UserName: 'fresh-key'})
    await user('two-keys')
    await iam.createAccessKey({UserName: 'two-keys'})
    await iam.createAccessKey({UserName: 'two-keys'})
    await user('console-no-mfa')
    await iam.createLoginProfile({UserName: 'console-no-mfa', Password: 'Console-Passw0rd!'})
    await user('console-mfa')
    await iam.createLoginProfile({UserName: 'console-mfa', Password: 'Console-Passw0rd!'})
    const device = await iam.createVirtualMFADevice({VirtualMFADeviceName: 'console-mfa'})
    await iam.enableMFADevice({UserName: 'console-mfa', SerialNumber: device.VirtualMFADevice!.SerialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321'})

    const document = (statement: Record<string, unknown>) => JSON.stringify({Version: '2012-10-17', Statement: [statement]})
    const policy = async (policyName: string, statement: Record<string, unknown>) => {
      const arn = (await iam.createPolicy({PolicyName: policyName, PolicyDocument: document(statement)})).Policy!.Arn!
      name(arn, `policy ${policyName}`)
      return arn
    }

    const narrow = await policy('narrow-read', {Effect: 'Allow', Action: 's3:GetObject', Resource: '*'})
    const admin = await policy('admin-all', {Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*'})
    await policy('admin-unattached', {Effect: 'Allow', Action: '*', Resource: '*'})
    await user('direct-policy')
    await iam.attachUserPolicy({UserName: 'direct-policy', PolicyArn: narrow})
    await user('inline-policy')
    await iam.putUserPolicy({UserName: 'inline-policy', PolicyName: 'own', PolicyDocument: document({Effect: 'Allow', Action: 's3:ListBucket', Resource: '*'})})
    await iam.createGroup({GroupName: 'readers'})
    await iam.attachGroupPolicy({GroupName: 'readers', PolicyArn: narrow})
    await user('grouped')
    await iam.addUserToGroup({GroupName: 'readers', UserName: 'grouped'})
    await iam.createRole({RoleName: 'break-glass', AssumeRolePolicyDocument: trustAccount})
    await iam.attachRolePolicy({RoleName: 'break-glass', PolicyArn: admin})

    for (const [certificateName, days] of [['expired-web', -1], ['current-web', 30]] as const) {
      const pem = certificate(days)
      await iam.uploadServerCertificate({ServerCertificateName: certificateName, CertificateBody: pem.body, PrivateKey: pem.privateKey})
      name(`arn:aws:iam::${ACCOUNT}:server-certificate/${certificateName}`, `certificate ${certificateName}`)
    }
  }

  async function seedNetwork(): Promise<void> {
    const ec2 = new EC2(config(EAST))
    const vpc = async (label: string, cidr: string) => {
      const id = (await ec2.createVpc({CidrBlock: cidr})).Vpc!.VpcId!
      name(ec2Arn(EAST, 'vpc', id), `vpc ${label}`)
      return id
    }

    const exposed = await vpc('exposed', '10.1.0.0/16')
    const guarded = await vpc('guarded', '10.2.0.0/16')
    const group = async (groupName: string, permissions: IpPermission[]) => {
      const id = (await ec2.createSecurityGroup({GroupName: groupName, Description: groupName, VpcId: exposed})).GroupId!
      name(ec2Arn(EAST, 'security-group', id), `sg ${groupName}`)
      await ec2.authorizeSecurityGroupIngress({GroupId: id, IpPermissions: permissions})
    }

    const world4 = [{CidrIp: '0.0.0.0/0'}]
    const world6 = [{CidrIpv6: '::/0'}]
    await group('ssh-open', [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: world4}])
    await group('rdp-open-v6', [{IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: world6}])
    await group('all-open', [{IpProtocol: '-1', IpRanges: world4, Ipv6Ranges: world6}])
    await group('mysql-open', [{IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: world4}])
    await group('restricted', [
      {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '10.0.0.0/8'}]},
      {IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{CidrIp: '10.1.0.0/16'}]},
      {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: world4, Ipv6Ranges: world6},
    ])

    const acl = async (label: string, entries: Array<[number, string, number | undefined, 'allow' | 'deny']>) => {
      const id = (await ec2.createNetworkAcl({VpcId: exposed})).NetworkAcl!.NetworkAclId!
      name(ec2Arn(EAST, 'network-acl', id), `nacl ${label}`)
      for (const [RuleNumber, Protocol, port, RuleAction] of entries) {
        const PortRange = port === undefined ? undefined : {From: port, To: port}
        await ec2.createNetworkAclEntry({NetworkAclId: id, RuleNumber, Protocol, PortRange, CidrBlock: '0.0.0.0/0', RuleAction, Egress: false})
      }
    }

    await acl('ssh-open', [[100, '6', 22, 'allow']])
    // Everything is allowed, but lower-numbered entries deny SSH and RDP first.
    await acl('admin-denied', [
      [50, '6', 22, 'deny'],
      [51, '17', 22, 'deny'],
      [52, '6', 3389, 'deny'],
      [53, '17', 3389, 'deny'],
      [100, '-1', undefined, 'allow'],
    ])

    // The twin of the default security groups: every rule revoked, as the benchmark asks.
    const guardedDefault = (await ec2.describeSecurityGroups({Filters: [{Name: 'vpc-id', Values: [guarded]}, {Name: 'group-name', Values: ['default']}]})).SecurityGroups![0]!
    if ((guardedDefault.IpPermissions ?? []).length > 0) await ec2.revokeSecurityGroupIngress({GroupId: guardedDefault.GroupId, IpPermissions: guardedDefault.IpPermissions})
    await ec2.revokeSecurityGroupEgress({GroupId: guardedDefault.GroupId, IpPermissions: guardedDefault.IpPermissionsEgress})
    await ec2.createFlowLogs({ResourceIds: [guarded], ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${LOG_BUCKET}`})

    const subnet = (await ec2.createSubnet({VpcId: exposed, CidrBlock: '10.1.1.0/24'})).Subnet!.SubnetId!
    const instance = async (instanceName: string, tokens: 'optional' | 'required', encryptedRoot: boolean) => {
      const id = (
        await ec2.runInstances({
          ImageId: 'ami-12345678',
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnet,
          MetadataOptions: {HttpTokens: tokens, HttpEndpoint: 'enabled'},
          // Without mappings the emulator gives the instance an unencrypted root volume.
          ...(encryptedRoot ? {BlockDeviceMappings: [{DeviceName: '/dev/sda1', Ebs: {VolumeSize: 8, Encrypted: true}}]} : {}),
          TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'Name', Value: instanceName}]}],
        })
      ).Instances![0]!.InstanceId!
      name(ec2Arn(EAST, 'instance', id), `instance ${instanceName}`)
    }

    await instance('imds-optional', 'optional', false)
    await instance('imds-required', 'required', true)

    const volume = async (volumeName: string, encrypted: boolean) => {
      const id = (
        await ec2.createVolume({AvailabilityZone: `${EAST}a`, Size: 2, Encrypted: encrypted, TagSpecifications: [{ResourceType: 'volume', Tags: [{Key: 'Name', Value: volumeName}]}]})
      ).VolumeId!
      name(ec2Arn(EAST, 'volume', id), `volume ${volumeName}`)
    }

    await volume('plain-data', false)
    // Encrypted with the account's default EBS key (alias/aws/ebs), which the emulator creates for it.
    await volume('sealed-data', true)
    // The emulator does not apply encryption by default to new volumes: no volume is created in eu-west-1.
    const west = new EC2(config(WEST))
    await west.enableEbsEncryptionByDefault({})
    ec2.destroy()
    west.destroy()
  }

  async function seedLogBucket(): Promise<void> {
    // Compliant: recording every supported type (the check fails a recorder of some types only).
    await setUpRecorder(emulator.url, EAST, {bucket: LOG_BUCKET, recordingGroup: {allSupported: true, includeGlobalResourceTypes: true}})
    const s3 = new S3({...config(EAST), forcePathStyle: true})
    await s3.putPublicAccessBlock({Bucket: LOG_BUCKET, PublicAccessBlockConfiguration: blockEverything})
    await s3.putBucketPolicy({
      Bucket: LOG_BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${LOG_BUCKET}`, `arn:aws:s3:::${LOG_BUCKET}/*`],
            Condition: {Bool: {'aws:SecureTransport': 'false'}},
          },
        ],
      }),
    })
    name(`arn:aws:s3:::${LOG_BUCKET}`, 'bucket locked-logs')
    s3.destroy()
  }

  async function seedBuckets(): Promise<void> {
    const s3 = new S3({...config(EAST), forcePathStyle: true})
    await s3.createBucket({Bucket: OPEN_BUCKET})
    name(`arn:aws:s3:::${OPEN_BUCKET}`, 'bucket open-data')
    const west = new S3({...config(WEST), forcePathStyle: true})
    await west.createBucket({Bucket: PARTLY_OPEN_BUCKET, CreateBucketConfiguration: {LocationConstraint: WEST}})
    name(`arn:aws:s3:::${PARTLY_OPEN_BUCKET}`, 'bucket partly-open')
    await west.putPublicAccessBlock({Bucket: PARTLY_OPEN_BUCKET, PublicAccessBlockConfiguration: {...blockEverything, BlockPublicPolicy: false}})
    await west.putBucketPolicy({
      Bucket: PARTLY_OPEN_BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{Sid: 'Partner', Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::210987654321:root'}, Action: 's3:GetObject', Resource: `arn:aws:s3:::${PARTLY_OPEN_BUCKET}/*`}],
      }),
    })
    s3.destroy()
    west.destroy()
  }

  async function seedDatabases(): Promise<void> {
    const [rds, efs] = [new RDS(config(EAST)), new EFS(config(EAST))]
    const login = {MasterUsername: 'admin', MasterUserPassword: 'rds-master-secret'}
    const common = {...login, DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20}
    await rds.createDBInstance({...common, DBInstanceIdentifier: 'orders-public', Engine: 'postgres', PubliclyAccessible: true, StorageEncrypted: false})
    await rds.createDBInstance({...common, DBInstanceIdentifier: 'orders-private', Engine: 'mysql', PubliclyAccessible: false, StorageEncrypted: true})
    for (const id of ['orders-public', 'orders-private']) name(`arn:aws:rds:${EAST}:${ACCOUNT}:db:${id}`, `db ${id}`)
    await rds.createDBCluster({...login, DBClusterIdentifier: 'reports', Engine: 'aurora-postgresql', StorageEncrypted: false})
    await rds.createDBCluster({...login, DBClusterIdentifier: 'ledger', Engine: 'aurora-postgresql', StorageEncrypted: true})
    for (const id of ['reports', 'ledger']) name(`arn:aws:rds:${EAST}:${ACCOUNT}:cluster:${id}`, `cluster ${id}`)
    for (const [token, Encrypted] of [['scratch', false], ['shared', true]] as const) {
      const fs = await efs.createFileSystem({CreationToken: token, Encrypted, Tags: [{Key: 'Name', Value: token}]})
      name(fs.FileSystemArn!, `file system ${token}`)
    }

    rds.destroy()
    efs.destroy()
  }

  async function seedKeysSecretsAndTrails(): Promise<void> {
    const kms = new KMS(config(EAST))
    const rotating = (await kms.createKey({Description: 'rotating'})).KeyMetadata!
    await kms.enableKeyRotation({KeyId: rotating.KeyId})
    name(rotating.Arn!, 'key rotating')
    const fixedKey = (await kms.createKey({Description: 'static'})).KeyMetadata!
    name(fixedKey.Arn!, 'key static')

    const east = new SecretsManager(config(EAST))
    const rotated = await east.createSecret({Name: 'app/db', SecretString: 'db-value'})
    // Without a rotation function the emulator rotates at once and records the schedule.
    await east.rotateSecret({SecretId: 'app/db', RotationRules: {AutomaticallyAfterDays: 30}})
    name(rotated.ARN!, 'secret app/db')
    const west = new SecretsManager(config(WEST))
    name((await west.createSecret({Name: 'app/token', SecretString: 'token-value'})).ARN!, 'secret app/token')

    // Multi-region, validated and encrypted, but not logging yet: the account has no qualifying trail.
    const eastTrails = new CloudTrail(config(EAST))
    const audit = await eastTrails.createTrail({Name: 'org-audit', S3BucketName: LOG_BUCKET, IsMultiRegionTrail: true, EnableLogFileValidation: true, KmsKeyId: rotating.Arn})
    name(audit.TrailARN!, 'trail org-audit')
    const westTrails = new CloudTrail(config(WEST))
    name((await westTrails.createTrail({Name: 'west-local', S3BucketName: LOG_BUCKET})).TrailARN!, 'trail west-local')
    for (const client of [kms, east, west, eastTrails, westTrails]) client.destroy()
  }

  /** Labels what the emulator created by itself: default VPCs, default groups and ACLs, root volumes. */
  async function labelDefaults(): Promise<void> {
    for (const region of [EAST, WEST]) {
      const ec2 = new EC2(config(region))
      for (const vpc of (await ec2.describeVpcs({})).Vpcs!) if (vpc.IsDefault) name(ec2Arn(region, 'vpc', vpc.VpcId!), `default VPC in ${region}`)
      const vpcName = (id: string) => labels.get(ec2Arn(region, 'vpc', id))!.replace(/^vpc /, '')
      for (const group of (await ec2.describeSecurityGroups({Filters: [{Name: 'group-name', Values: ['default']}]})).SecurityGroups!) {
        name(ec2Arn(region, 'security-group', group.GroupId!), `default sg of ${vpcName(group.VpcId!)}`)
      }

      for (const acl of (await ec2.describeNetworkAcls({Filters: [{Name: 'default', Values: ['true']}]})).NetworkAcls!) {
        name(ec2Arn(region, 'network-acl', acl.NetworkAclId!), `default nacl of ${vpcName(acl.VpcId!)}`)
      }

      for (const reservation of (await ec2.describeInstances({})).Reservations!) {
        for (const instance of reservation.Instances!) {
          const instanceName = instance.Tags?.find((t) => t.Key === 'Name')?.Value
          for (const mapping of instance.BlockDeviceMappings ?? []) name(ec2Arn(region, 'volume', mapping.Ebs!.VolumeId!), `root volume of ${instanceName}`)
        }
      }

      ec2.destroy()
    }
  }

  /** The second scenario: the account-wide settings fixed, a support role, the trail logging. */
  async function fixAccountSettings(): Promise<void> {
    const iam = new IAM(config(EAST))
    await iam.updateAccountPasswordPolicy({MinimumPasswordLength: 14, PasswordReusePrevention: 24, RequireSymbols: true, RequireNumbers: true})
    await iam.createRole({RoleName: 'aws-support', AssumeRolePolicyDocument: trustAccount})
    await iam.attachRolePolicy({RoleName: 'aws-support', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess'})
    const control = new S3Control({...config(EAST), endpointProvider: () => ({url: new URL(emulator.url)})})
    await control.putPublicAccessBlock({AccountId: ACCOUNT, PublicAccessBlockConfiguration: blockEverything})
    const trails = new CloudTrail(config(EAST))
    await trails.startLogging({Name: 'org-audit'})
    for (const client of [iam, control, trails]) client.destroy()
  }

  /** The labels of a check's findings of one status, sorted. */
  const labelled = (result: ScanResult, checkId: string, status: string) =>
    result.findings
      .filter((f) => f.checkId === checkId && f.status === status)
      .map((f) => labelOf(f.resource))
      .sort()

  /**
   * Per check of the violations scenario: the exact violators, and the twins that must pass. Verdicts the
   * emulator fixes for every account (it has no root MFA, and reports no root access key) have no twin.
   */
  const expected: Record<string, Expected> = {
    'iam-root-access-key-present': {fail: [], pass: ['account summary']},
    'iam-root-mfa-disabled': {fail: ['account summary'], pass: []},
    'iam-password-policy-short': {fail: ['password policy'], pass: []},
    'iam-password-policy-reuse-allowed': {fail: ['password policy'], pass: []},
    'iam-user-console-without-mfa': {fail: ['user console-no-mfa', 'user dormant'], pass: ['user console-mfa', 'user fresh-key']},
    'iam-credentials-unused': {fail: ['user dormant', 'user stale-key'], pass: ['user console-mfa', 'user console-no-mfa', 'user fresh-key', 'user two-keys']},
    'iam-user-multiple-active-keys': {fail: ['user two-keys'], pass: ['user fresh-key', 'user stale-key']},
    'iam-access-key-not-rotated': {fail: ['user stale-key'], pass: ['user fresh-key', 'user two-keys']},
    'iam-user-policy-attached': {fail: ['user direct-policy', 'user inline-policy'], pass: ['user grouped']},
    'iam-policy-full-admin': {fail: ['policy admin-all'], pass: ['policy admin-unattached', 'policy narrow-read']},
    'iam-support-role-missing': {fail: ['account'], pass: []},
    'iam-server-certificate-expired': {fail: ['certificate expired-web'], pass: ['certificate current-web']},
    'accessanalyzer-analyzer-missing': {fail: [], pass: []},
    's3-bucket-tls-not-enforced': {fail: ['bucket open-data', 'bucket partly-open'], pass: ['bucket locked-logs']},
    's3-account-public-access-block-off': {fail: ['account public access block'], pass: []},
    's3-bucket-public-access-block-off': {fail: ['bucket open-data', 'bucket partly-open'], pass: ['bucket locked-logs']},
    'rds-storage-unencrypted': {fail: ['cluster reports', 'db orders-public'], pass: ['cluster ledger', 'db orders-private']},
    'rds-instance-public': {fail: ['db orders-public'], pass: ['db orders-private']},
    'efs-filesystem-unencrypted': {fail: ['file system scratch'], pass: ['file system shared']},
    'ec2-volume-unencrypted': {fail: ['root volume of imds-optional', 'volume plain-data'], pass: ['root volume of imds-required', 'volume sealed-data']},
    'cloudtrail-multiregion-missing': {fail: ['account'], pass: []},
    'cloudtrail-log-validation-off': {fail: ['trail west-local'], pass: ['trail org-audit']},
    'config-recorder-not-recording': {fail: [`AWS Config recorder in ${WEST}`], pass: [`AWS Config recorder in ${EAST}`]},
    'cloudtrail-kms-encryption-off': {fail: ['trail west-local'], pass: ['trail org-audit']},
    'kms-key-rotation-off': {fail: ['key static'], pass: ['key rotating']},
    'ec2-vpc-flow-logs-missing': {fail: [`default VPC in ${EAST}`, `default VPC in ${WEST}`, 'vpc exposed'], pass: ['vpc guarded']},
    'ec2-ebs-default-encryption-off': {fail: [`EBS encryption by default in ${EAST}`], pass: [`EBS encryption by default in ${WEST}`]},
    // Every default network ACL allows all traffic from anywhere (rule 100), in the emulator as in AWS.
    'ec2-nacl-admin-ports-open': {
      fail: [`default nacl of default VPC in ${EAST}`, `default nacl of default VPC in ${WEST}`, 'default nacl of exposed', 'default nacl of guarded', 'nacl ssh-open'],
      pass: ['nacl admin-denied'],
    },
    'ec2-sg-admin-ports-open-ipv4': {fail: ['sg all-open', 'sg ssh-open'], pass: ['sg rdp-open-v6', 'sg restricted']},
    'ec2-sg-admin-ports-open-ipv6': {fail: ['sg all-open', 'sg rdp-open-v6'], pass: ['sg restricted', 'sg ssh-open']},
    // The emulator's default groups have its one default outbound rule (all traffic to 0.0.0.0/0).
    'ec2-default-sg-allows-traffic': {fail: [`default sg of default VPC in ${EAST}`, `default sg of default VPC in ${WEST}`, 'default sg of exposed'], pass: ['default sg of guarded']},
    'ec2-instance-imdsv2-not-required': {fail: ['instance imds-optional'], pass: ['instance imds-required']},
    'ec2-sg-database-ports-open': {fail: ['sg all-open', 'sg mysql-open'], pass: ['sg restricted', 'sg ssh-open']},
    'secretsmanager-secret-not-rotated': {fail: ['secret app/token', 'secret legacy/stalled'], pass: ['secret app/db']},
  }

  /** What the second scenario changes: the account-wide verdicts that FAILed now PASS. */
  const fixedChanges: Record<string, Expected> = {
    'iam-password-policy-short': {fail: [], pass: ['password policy']},
    'iam-password-policy-reuse-allowed': {fail: [], pass: ['password policy']},
    'iam-support-role-missing': {fail: [], pass: ['account']},
    's3-account-public-access-block-off': {fail: [], pass: ['account public access block']},
    // The account-level block now covers the buckets whose own settings are off.
    's3-bucket-public-access-block-off': {fail: [], pass: ['bucket open-data', 'bucket partly-open', 'bucket locked-logs']},
    'cloudtrail-multiregion-missing': {fail: [], pass: ['account']},
  }

  it('has an expectation for every check of the catalogue, and judges data read through AWS Config as well as direct APIs', async () => {
    expect(Object.keys(expected).sort()).toEqual(violations.checks.map((c) => c.id).sort())
    expect(violations.summary.checks).toBe(34)
    const sql = `select resource_type, region from v_coverage where source = 'config' and item_count > 0 order by resource_type, region`
    const viaConfig = await runCliJson<SqlQueryResult>(['query', 'sql', sql, '--snapshot', 'violations', ...at()])
    expect(viaConfig.rows).toEqual([
      ['AWS::IAM::Policy', 'global'],
      ['AWS::IAM::Role', 'global'],
      ['AWS::S3::Bucket', EAST],
    ])
  })

  it('fails exactly the violators and passes every twin, check by check', () => {
    for (const [checkId, {fail, pass}] of Object.entries(expected)) {
      expect(labelled(violations, checkId, 'FAIL'), `${checkId} FAIL`).toEqual([...fail].sort())
      expect(labelled(violations, checkId, 'PASS'), `${checkId} PASS`).toEqual(expect.arrayContaining(pass))
    }
  })

  it('leaves UNKNOWN only what the emulator cannot serve (Access Analyzer), with the coverage reason, never PASS', () => {
    const unknown = violations.findings.filter((f) => f.status === 'UNKNOWN')
    expect(unknown.map((f) => [f.checkId, labelOf(f.resource)]).sort()).toEqual([
      ['accessanalyzer-analyzer-missing', `account in ${WEST}`],
      ['accessanalyzer-analyzer-missing', `account in ${EAST}`],
    ])
    for (const f of unknown) expect(f.evidence).toBe(`${EMULATOR_GAP.type} was not collected in ${f.resource}: ${EMULATOR_GAP.status} (${EMULATOR_GAP.error})`)
    expect(violations.checks.find((c) => c.id === 'accessanalyzer-analyzer-missing')).toMatchObject({pass: 0, fail: 0, unknown: 2})
  })

  it('names the offending thing in each FAIL, with the fix for that resource, and rates all-ports exposure critical', () => {
    const fails = violations.findings.filter((f) => f.status === 'FAIL')
    for (const f of fails) {
      expect(f.evidence, `${f.checkId} ${labelOf(f.resource)}`).not.toBe('')
      expect(f.remediation, `${f.checkId} ${labelOf(f.resource)}`).toMatch(/^aws /)
      // A shell comment ends the line: no command may follow one.
      expect(f.remediation, `${f.checkId} ${labelOf(f.resource)}`).not.toMatch(/ # .*(&&|; aws )/)
    }

    const finding = (checkId: string, label: string) => fails.find((f) => f.checkId === checkId && labelOf(f.resource) === label)!
    expect(finding('iam-access-key-not-rotated', 'user stale-key').evidence).toMatch(/^user stale-key has active access key older than 90 days at capture: AKIA\w+ \(created \d{4}-\d\d-\d\d, 120 days old\)$/)
    expect(finding('iam-credentials-unused', 'user dormant').evidence).toMatch(/^dormant: password never used, set \S+ \(120 days before capture\)$/)
    // A twin's evidence is as exact: a fresh key was never used, not "used recently".
    const twin = violations.findings.find((f) => f.checkId === 'iam-credentials-unused' && labelOf(f.resource) === 'user fresh-key')!
    expect(twin.evidence).toMatch(/^fresh-key: access key 1 never used, set \S+ \(0 days before capture\)$/)
    expect(finding('secretsmanager-secret-not-rotated', 'secret legacy/stalled').evidence).toBe('rotation is enabled but has not happened: last rotated 120 days before capture')
    expect(finding('iam-server-certificate-expired', 'certificate expired-web').remediation).toBe('aws iam delete-server-certificate --server-certificate-name expired-web')
    expect(finding('ec2-nacl-admin-ports-open', 'nacl ssh-open').evidence).toMatch(/^acl-\w+: rule 100 \(allow tcp 22 from 0\.0\.0\.0\/0\) admits tcp\/22$/)
    expect(finding('rds-instance-public', 'db orders-public').remediation).toBe(`aws rds modify-db-instance --db-instance-identifier orders-public --no-publicly-accessible --apply-immediately --region ${EAST}`)
    expect(finding('ec2-sg-admin-ports-open-ipv4', 'sg all-open').severity).toBe('critical')
    expect(finding('ec2-sg-admin-ports-open-ipv4', 'sg ssh-open').severity).toBe('high')
    expect(finding('ec2-sg-database-ports-open', 'sg all-open').severity).toBe('critical')
    const counts = violations.summary
    expect(counts.pass + counts.fail + counts.unknown).toBe(counts.evaluated)
    expect(counts.fail).toBe(Object.values(expected).reduce((n, e) => n + e.fail.length, 0))
  })

  it('turns the fixed account-wide settings from FAIL to PASS, and the buckets the account-level block now covers; nothing else changes', () => {
    for (const [checkId, previous] of Object.entries(expected)) {
      const {fail, pass} = fixedChanges[checkId] ?? previous
      expect(labelled(fixed, checkId, 'FAIL'), `${checkId} FAIL`).toEqual([...fail].sort())
      expect(labelled(fixed, checkId, 'PASS'), `${checkId} PASS`).toEqual(expect.arrayContaining(pass))
    }

    const byAccount = (checkId: string) => fixed.findings.find((f) => f.checkId === checkId)!.evidence
    expect(byAccount('iam-support-role-missing')).toBe('AWSSupportAccess is attached to role aws-support')
    expect(byAccount('cloudtrail-multiregion-missing')).toBe(`trail org-audit (${EAST}) is multi-region, logging, and records all management events`)
    expect(byAccount('iam-password-policy-short')).toBe('the password policy requires 14 characters')
  })

  it('prints the FAIL findings grouped by severity, most severe first, each with its evidence and fix', async () => {
    const result = await runCli(scan('--snapshot', 'violations'))
    expect(result.code, result.stderr).toBe(0)
    const {summary} = violations
    const lines = result.stdout.split('\n')
    expect(lines[1]).toBe(`34 checks, ${summary.fail} FAIL, ${summary.pass} PASS, 2 UNKNOWN`)
    expect(lines[2]).toBe('2 UNKNOWN: data the snapshot did not collect, so neither PASS nor FAIL (list them with --status unknown).')
    expect(lines[3]).toBe(`Showing FAIL findings: ${summary.fail}`)
    const headings = lines.filter((l) => /^[A-Z]+ \(\d+\)$/.test(l))
    const bySeverity = summary.failBySeverity
    expect(headings).toEqual(
      (['critical', 'high', 'medium', 'low'] as const).filter((s) => bySeverity[s] > 0).map((s) => `${s.toUpperCase()} (${bySeverity[s]})`),
    )
    for (const f of violations.findings.filter((x) => x.status === 'FAIL')) {
      const block = [
        `  FAIL    ${f.checkId}  ${f.name}  ${f.region}  account ${ACCOUNT}`,
        `          ${f.title}`,
        ...(f.resource === f.name ? [] : [`          resource: ${f.resource}`]),
        `          evidence: ${f.evidence}`,
        `          fix:      ${f.remediation}`,
        '',
      ].join('\n')
      const at = result.stdout.indexOf(block)
      expect(at, `${f.checkId} ${labelOf(f.resource)}`).toBeGreaterThan(-1)
      // Under the heading of its own severity.
      const heading = [...result.stdout.slice(0, at).matchAll(/\n([A-Z]+) \(\d+\)\n/g)].at(-1)![1]
      expect(heading, `${f.checkId} ${labelOf(f.resource)}`).toBe(f.severity.toUpperCase())
    }
  })

  it('exports valid SARIF: a result per FAIL, and UNKNOWN as open results with --status all', async () => {
    const file = join(root, 'scan.sarif')
    const exported = await runCli(scan('--snapshot', 'violations', '--export', file))
    expect(exported.code, exported.stderr).toBe(0)
    const log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog
    expectValidSarif(log)
    const run = log.runs[0]!
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(violations.checks.map((c) => c.id))
    expect(run.results).toHaveLength(violations.summary.fail)
    expect(run.results.every((r) => r.kind === 'fail')).toBe(true)
    expect(run.results.filter((r) => r.ruleId === 'ec2-sg-admin-ports-open-ipv4').map((r) => r.level)).toEqual(['error', 'error'])

    const all = await runCli(scan('--snapshot', 'violations', '--status', 'all', '--format', 'sarif'))
    const allLog = JSON.parse(all.stdout) as SarifLog
    expectValidSarif(allLog)
    const open = allLog.runs[0]!.results.filter((r) => r.kind === 'open')
    expect(open.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri]).sort()).toEqual([
      ['accessanalyzer-analyzer-missing', 'none', `${ACCOUNT}/${WEST}`],
      ['accessanalyzer-analyzer-missing', 'none', `${ACCOUNT}/${EAST}`],
    ])
  })

  it('on a snapshot taken with tag filters, a check that found nothing to satisfy it is UNKNOWN, not FAIL', async () => {
    // The support role and the multi-region trail exist (the fixed account passes both) but carry no such
    // tag: the filtered snapshot leaves them out, and cannot say they are missing.
    const filtered = ['snapshot', 'create', 'tagged-only', '--regions', `${EAST},${WEST}`, '--resource-types', 'AWS::IAM::Role,cloudtrail', '--include-tags', 'scope=audit', '--no-config']
    await runCliJson([...filtered, ...at(), '--endpoint-url', emulator.url])
    const result = await runCliJson<ScanResult>(scan('--snapshot', 'tagged-only', '--check', 'iam-support-role-missing,cloudtrail-multiregion-missing', '--status', 'all'))
    const because = 'but snapshot "tagged-only" was taken with tag filters (include scope=audit), which may have left out the'
    expect(result.findings.map((f) => [f.checkId, f.status, f.evidence, f.remediation])).toEqual([
      ['cloudtrail-multiregion-missing', 'UNKNOWN', expect.stringContaining(`; ${because} AWS::CloudTrail::Trail that would satisfy the check`), null],
      ['iam-support-role-missing', 'UNKNOWN', `no role in account ${ACCOUNT} has AWSSupportAccess attached (0 roles collected); ${because} AWS::IAM::Role that would satisfy the check`, null],
    ])
    expect(result.summary).toMatchObject({fail: 0, unknown: 2})
  })
})

const LOG_BUCKET = `locked-logs-${ACCOUNT}`
const OPEN_BUCKET = `open-data-${ACCOUNT}`
const PARTLY_OPEN_BUCKET = `partly-open-${ACCOUNT}`
const blockEverything = {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
const trustAccount = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'sts:AssumeRole'}]})

/** The ARN of an EC2 resource: `arn:aws:ec2:<region>:<account>:<segment>/<id>`. */
function ec2Arn(region: string, segment: string, id: string): string {
  return `arn:aws:ec2:${region}:${ACCOUNT}:${segment}/${id}`
}

/** A throwaway self-signed certificate valid until `days` from now (negative: already expired), made by openssl. */
function certificate(days: number): {body: string; privateKey: string} {
  const dir = mkdtempSync(join(tmpdir(), 'awsinv-cert-'))
  const [key, csr, cert] = [join(dir, 'key.pem'), join(dir, 'cert.csr'), join(dir, 'cert.pem')]
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=web.example.test'], {stdio: 'ignore'})
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-signkey', key, '-days', String(days), '-out', cert], {stdio: 'ignore'})
  const pem = {body: readFileSync(cert, 'utf8'), privateKey: readFileSync(key, 'utf8')}
  rmSync(dir, {recursive: true, force: true})
  return pem
}
