import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {Lambda} from '@aws-sdk/client-lambda'
import {S3} from '@aws-sdk/client-s3'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {crc32} from 'node:zlib'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** Credentials the emulator accepts. */
export const seedCredentials = {accessKeyId: 'testing', secretAccessKey: 'testing'}

/** A throwaway self-signed certificate (valid one day) and its private key, made by openssl, to upload as an IAM server certificate. */
export function selfSignedCertificate(commonName = 'sbx.example.test'): {body: string; privateKey: string} {
  const dir = mkdtempSync(join(tmpdir(), 'awsinv-cert-'))
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${commonName}`, '-days', '1'], {stdio: 'ignore'})
  return {body: readFileSync(cert, 'utf8'), privateKey: readFileSync(key, 'utf8')}
}

/** Clients pointed at an emulator, with few attempts so a missing operation fails fast. */
export function emulatorClients(endpoint: string, region: string) {
  const config = {endpoint, region, credentials: seedCredentials, maxAttempts: 2}
  return {
    ec2: new EC2(config),
    iam: new IAM(config),
    lambda: new Lambda(config),
    s3: new S3({...config, forcePathStyle: true}),
  }
}

/** What the seeding created, by type id, with the AWS ids of each resource. */
export type SeededIds = Record<string, string[]>

/** A secret value seeded into a Lambda environment: it must never reach the store. */
export const SEEDED_SECRET = 'super-secret-value-7f3a'

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({Key, Value}))

function add(ids: SeededIds, type: string, id: string | undefined): string {
  if (!id) throw new Error(`seeding ${type} returned no id`)
  ;(ids[type] ??= []).push(id)
  return id
}

/**
 * Seeds a small sandbox in one region: a VPC with a subnet, internet gateway, route table with a
 * route and association, NACL, two security groups that reference each other, a key pair, an
 * instance with an extra volume, an EBS snapshot, an Elastic IP on the instance, an extra ENI, a NAT
 * gateway, a gateway VPC endpoint, a flow log, a launch template, a bucket and a Lambda function.
 * With `global`, also IAM: a user (with an access key), group, customer policy, role and instance profile.
 * Every resource carries `tags`; names get `prefix`.
 */
export async function seedSandbox(
  endpoint: string,
  region: string,
  options: {prefix?: string; tags?: Record<string, string>; global?: boolean} = {},
): Promise<SeededIds> {
  const prefix = options.prefix ?? 'sbx'
  const tags = {env: 'dev', owner: 'team-a', ...options.tags}
  const {ec2, iam, lambda, s3} = emulatorClients(endpoint, region)
  const ids: SeededIds = {}
  const spec = (type: string, name: string) => [{ResourceType: type as never, Tags: tagList({...tags, Name: `${prefix}-${name}`})}]

  const vpcId = add(ids, 'AWS::EC2::VPC', (await ec2.createVpc({CidrBlock: '10.20.0.0/16', TagSpecifications: spec('vpc', 'vpc')})).Vpc?.VpcId)
  const subnetId = add(
    ids,
    'AWS::EC2::Subnet',
    (await ec2.createSubnet({VpcId: vpcId, CidrBlock: '10.20.1.0/24', TagSpecifications: spec('subnet', 'subnet')})).Subnet?.SubnetId,
  )
  const igwId = add(
    ids,
    'AWS::EC2::InternetGateway',
    (await ec2.createInternetGateway({TagSpecifications: spec('internet-gateway', 'igw')})).InternetGateway?.InternetGatewayId,
  )
  await ec2.attachInternetGateway({InternetGatewayId: igwId, VpcId: vpcId})
  const rtbId = add(
    ids,
    'AWS::EC2::RouteTable',
    (await ec2.createRouteTable({VpcId: vpcId, TagSpecifications: spec('route-table', 'rtb')})).RouteTable?.RouteTableId,
  )
  await ec2.createRoute({RouteTableId: rtbId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId})
  await ec2.associateRouteTable({RouteTableId: rtbId, SubnetId: subnetId})
  add(ids, 'AWS::EC2::NetworkAcl', (await ec2.createNetworkAcl({VpcId: vpcId, TagSpecifications: spec('network-acl', 'nacl')})).NetworkAcl?.NetworkAclId)

  const sgA = add(
    ids,
    'AWS::EC2::SecurityGroup',
    (await ec2.createSecurityGroup({GroupName: `${prefix}-web`, Description: 'web', VpcId: vpcId, TagSpecifications: spec('security-group', 'web')})).GroupId,
  )
  const sgB = add(
    ids,
    'AWS::EC2::SecurityGroup',
    (await ec2.createSecurityGroup({GroupName: `${prefix}-db`, Description: 'db', VpcId: vpcId, TagSpecifications: spec('security-group', 'db')})).GroupId,
  )
  await ec2.authorizeSecurityGroupIngress({GroupId: sgA, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: sgB}]}]})
  await ec2.authorizeSecurityGroupIngress({GroupId: sgB, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: sgA}]}]})

  const keyName = `${prefix}-key`
  add(ids, 'AWS::EC2::KeyPair', (await ec2.createKeyPair({KeyName: keyName, TagSpecifications: spec('key-pair', 'key')})).KeyPairId)

  let instanceProfileArn: string | undefined
  if (options.global) instanceProfileArn = await seedIam(iam, ids, prefix, tags)

  const instanceId = add(
    ids,
    'AWS::EC2::Instance',
    (
      await ec2.runInstances({
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        SecurityGroupIds: [sgA],
        KeyName: keyName,
        ...(instanceProfileArn ? {IamInstanceProfile: {Arn: instanceProfileArn}} : {}),
        TagSpecifications: spec('instance', 'app'),
      })
    ).Instances?.[0]?.InstanceId,
  )
  const volumeId = add(
    ids,
    'AWS::EC2::Volume',
    (await ec2.createVolume({AvailabilityZone: `${region}a`, Size: 8, TagSpecifications: spec('volume', 'data')})).VolumeId,
  )
  await ec2.attachVolume({InstanceId: instanceId, VolumeId: volumeId, Device: '/dev/sdf'})
  add(ids, 'AWS::EC2::Snapshot', (await ec2.createSnapshot({VolumeId: volumeId, TagSpecifications: spec('snapshot', 'backup')})).SnapshotId)

  const eipId = add(ids, 'AWS::EC2::EIP', (await ec2.allocateAddress({Domain: 'vpc', TagSpecifications: spec('elastic-ip', 'eip')})).AllocationId)
  await ec2.associateAddress({AllocationId: eipId, InstanceId: instanceId})
  add(
    ids,
    'AWS::EC2::NetworkInterface',
    (await ec2.createNetworkInterface({SubnetId: subnetId, Groups: [sgB], TagSpecifications: spec('network-interface', 'eni')})).NetworkInterface
      ?.NetworkInterfaceId,
  )
  const natEip = (await ec2.allocateAddress({Domain: 'vpc', TagSpecifications: spec('elastic-ip', 'nat-eip')})).AllocationId
  add(ids, 'AWS::EC2::EIP', natEip)
  add(
    ids,
    'AWS::EC2::NatGateway',
    (await ec2.createNatGateway({SubnetId: subnetId, AllocationId: natEip, TagSpecifications: spec('natgateway', 'nat')})).NatGateway?.NatGatewayId,
  )
  add(
    ids,
    'AWS::EC2::VPCEndpoint',
    (
      await ec2.createVpcEndpoint({
        VpcId: vpcId,
        ServiceName: `com.amazonaws.${region}.s3`,
        VpcEndpointType: 'Gateway',
        RouteTableIds: [rtbId],
        TagSpecifications: spec('vpc-endpoint', 'vpce'),
      })
    ).VpcEndpoint?.VpcEndpointId,
  )
  add(
    ids,
    'AWS::EC2::LaunchTemplate',
    (
      await ec2.createLaunchTemplate({
        LaunchTemplateName: `${prefix}-lt`,
        LaunchTemplateData: {InstanceType: 't3.micro', ImageId: 'ami-12345678'},
        TagSpecifications: spec('launch-template', 'lt'),
      })
    ).LaunchTemplate?.LaunchTemplateId,
  )

  const bucket = `${prefix}-bucket-${region}`
  await s3.createBucket({Bucket: bucket, ...(region === 'us-east-1' ? {} : {CreateBucketConfiguration: {LocationConstraint: region as never}})})
  add(ids, 'AWS::S3::Bucket', bucket)
  await s3.putBucketTagging({Bucket: bucket, Tagging: {TagSet: tagList({...tags, Name: `${prefix}-bucket`})}})
  await s3.putBucketVersioning({Bucket: bucket, VersioningConfiguration: {Status: 'Enabled'}})
  await s3.putBucketPolicy({
    Bucket: bucket,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${bucket}/*`, Condition: {Bool: {'aws:SecureTransport': 'false'}}}],
    }),
  })
  add(
    ids,
    'AWS::EC2::FlowLog',
    (
      await ec2.createFlowLogs({
        ResourceIds: [vpcId],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        LogDestination: `arn:aws:s3:::${bucket}`,
        TagSpecifications: spec('vpc-flow-log', 'flow'),
      })
    ).FlowLogIds?.[0],
  )

  const roleArn = ids['AWS::IAM::Role'] ? `arn:aws:iam::123456789012:role/${prefix}-app-role` : await lambdaRole(iam, prefix)
  const fn = await lambda.createFunction({
    FunctionName: `${prefix}-fn-${region}`,
    Runtime: 'python3.12',
    Role: roleArn,
    Handler: 'index.handler',
    Code: {ZipFile: zipOneFile('index.py', 'def handler(event, context):\n    return 1\n')},
    Environment: {Variables: {DB_PASSWORD: SEEDED_SECRET, LOG_LEVEL: 'info'}},
    VpcConfig: {SubnetIds: [subnetId], SecurityGroupIds: [sgA]},
    Tags: {...tags, Name: `${prefix}-fn`},
  })
  add(ids, 'AWS::Lambda::Function', fn.FunctionName)

  for (const client of [ec2, iam, lambda, s3]) client.destroy()
  return ids
}

async function seedIam(iam: IAM, ids: SeededIds, prefix: string, tags: Record<string, string>): Promise<string> {
  const Tags = tagList(tags)
  const policyDocument = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]})
  const policyArn = (await iam.createPolicy({PolicyName: `${prefix}-read`, PolicyDocument: policyDocument, Tags})).Policy?.Arn
  add(ids, 'AWS::IAM::Policy', policyArn)
  const roleName = `${prefix}-app-role`
  await iam.createRole({
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
    Tags,
  })
  add(ids, 'AWS::IAM::Role', roleName)
  await iam.attachRolePolicy({RoleName: roleName, PolicyArn: policyArn})
  await iam.putRolePolicy({RoleName: roleName, PolicyName: 'inline', PolicyDocument: policyDocument})
  const profileName = `${prefix}-app-profile`
  const profile = await iam.createInstanceProfile({InstanceProfileName: profileName, Tags})
  add(ids, 'AWS::IAM::InstanceProfile', profileName)
  await iam.addRoleToInstanceProfile({InstanceProfileName: profileName, RoleName: roleName})
  const groupName = `${prefix}-devs`
  await iam.createGroup({GroupName: groupName})
  add(ids, 'AWS::IAM::Group', groupName)
  await iam.attachGroupPolicy({GroupName: groupName, PolicyArn: policyArn})
  const userName = `${prefix}-alice`
  await iam.createUser({UserName: userName, Tags})
  add(ids, 'AWS::IAM::User', userName)
  await iam.addUserToGroup({GroupName: groupName, UserName: userName})
  await iam.createAccessKey({UserName: userName})
  return profile.InstanceProfile?.Arn ?? ''
}

async function lambdaRole(iam: IAM, prefix: string): Promise<string> {
  const out = await iam.createRole({
    RoleName: `${prefix}-lambda-role`,
    AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
  })
  return out.Role?.Arn ?? ''
}

/** A zip archive holding one stored (uncompressed) file: enough for a Lambda deployment package. */
export function zipOneFile(name: string, content: string): Uint8Array {
  const data = Buffer.from(content)
  const fileName = Buffer.from(name)
  const crc = crc32(data)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(data.length, 22)
  local.writeUInt16LE(fileName.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(data.length, 24)
  central.writeUInt16LE(fileName.length, 28)
  const centralOffset = local.length + fileName.length + data.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + fileName.length, 12)
  end.writeUInt32LE(centralOffset, 16)
  return Buffer.concat([local, fileName, data, central, fileName, end])
}
