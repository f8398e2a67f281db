// A synthetic AWS account for benchmarks that need many stored resources without AWS or the emulator.
// Items are shaped as the direct APIs return them and go through the specs' own `toResource` and
// `relationships`, so the stored configurations, names, creation times and edges have the real shape.
// Everything is a pure function of the resource's number: the same number always gives the same resource.
import type {
  Instance,
  KeyPairInfo,
  LaunchTemplate,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
  Snapshot,
  Subnet,
  Volume,
  Vpc,
} from '@aws-sdk/client-ec2'

import {tagList} from '../src/resources/config-item.js'
import {instance} from '../src/resources/ec2/instance.js'
import {keyPair} from '../src/resources/ec2/key-pair.js'
import {launchTemplate} from '../src/resources/ec2/launch-template.js'
import {networkInterface} from '../src/resources/ec2/network-interface.js'
import {routeTable} from '../src/resources/ec2/route-table.js'
import {securityGroup} from '../src/resources/ec2/security-group.js'
import {snapshot} from '../src/resources/ec2/snapshot.js'
import {subnet} from '../src/resources/ec2/subnet.js'
import {volume} from '../src/resources/ec2/volume.js'
import {vpc} from '../src/resources/ec2/vpc.js'
import {type PolicyItem, policy} from '../src/resources/iam/policy.js'
import {type RoleItem, role} from '../src/resources/iam/role.js'
import {type UserItem, user} from '../src/resources/iam/user.js'
import {type LambdaFunctionItem, lambdaFunction} from '../src/resources/lambda/function.js'
import {type BucketItem, bucket} from '../src/resources/s3/bucket.js'
import {type TopicItem, topic} from '../src/resources/sns/topic.js'
import type {CollectContext, Resource, ResourceSpec} from '../src/resources/types.js'

export const accountId = '123456789012'
export const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const

type Tags = Record<string, string>

/** Where the n-th resource lives, with a random source of its own. */
interface Place {
  n: number
  region: string
  random: Random
}

/** One registered type as the synthetic account has it. */
interface SyntheticType<Item> {
  spec: ResourceSpec<Item>
  /** Relative share of the account's resources. */
  weight: number
  /** The resource as the direct API lists it. */
  item(at: Place, tags: Tags): Item
  /** A configuration change someone could make (a new rule, another instance type…); absent where none is plausible. */
  change?(item: Item, at: Place): Item
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!
  }

  /** Hex digits, e.g. the random part of an EC2 id. */
  hex(length: number): string {
    let text = ''
    while (text.length < length) text += this.int(0x10000).toString(16).padStart(4, '0')
    return text.slice(0, length)
  }
}

export function random(seed: number): Random {
  return new Random(seed)
}

/** EC2-style id, unique per number: `sg-0` + 6 hex digits of n + random hex (17 digits in all). */
const ec2Id = (prefix: string, at: Place) => `${prefix}-0${at.n.toString(16).padStart(6, '0')}${at.random.hex(10)}`
const otherId = (prefix: string, at: Place) => `${prefix}-0${at.random.hex(16)}`
const azOf = (at: Place) => `${at.region}${at.random.pick(['a', 'b', 'c'])}`
const privateIp = (at: Place) => `10.${at.random.int(256)}.${at.random.int(256)}.${1 + at.random.int(254)}`
const epoch = Date.UTC(2023, 0, 1)
/** A creation time: resources with higher numbers are younger. */
const createdAt = (at: Place) => new Date(epoch + at.n * 300_000)
const ec2Tags = (tags: Tags) => tagList(tags)

const copy = <T>(item: T): T => structuredClone(item)

const instanceTypes = ['t3.micro', 't3.small', 't3.medium', 'm5.large', 'm6i.xlarge', 'c6g.large', 'r6i.large'] as const
const runtimes = ['nodejs20.x', 'python3.12', 'java21', 'provided.al2023'] as const
const services = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'] as const
const actions = ['s3:GetObject', 's3:PutObject', 'dynamodb:Query', 'sqs:SendMessage', 'logs:PutLogEvents', 'kms:Decrypt'] as const

const trustPolicy = (service: string) => ({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]})
const attached = (name: string) => ({PolicyName: name, PolicyArn: `arn:aws:iam::aws:policy/${name}`})

const securityGroupType: SyntheticType<SecurityGroup> = {
  spec: securityGroup,
  weight: 12,
  item(at, tags) {
    const GroupId = ec2Id('sg', at)
    const vpcId = otherId('vpc', at)
    const port = at.random.pick([80, 443, 5432, 6379, 8080])
    return {
      GroupId,
      GroupName: `app-${at.n}`,
      Description: `Application tier ${at.n}`,
      OwnerId: accountId,
      VpcId: vpcId,
      SecurityGroupArn: `arn:aws:ec2:${at.region}:${accountId}:security-group/${GroupId}`,
      IpPermissions: [
        {IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{CidrIp: '10.0.0.0/8', Description: 'internal'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []},
        {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{GroupId: otherId('sg', at), UserId: accountId}]},
      ],
      IpPermissionsEgress: [{IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []}],
      Tags: ec2Tags(tags),
    }
  },
  change(item) {
    const changed = copy(item)
    changed.IpPermissions!.push({IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{CidrIp: '0.0.0.0/0'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []})
    return changed
  },
}

const instanceType: SyntheticType<Instance> = {
  spec: instance,
  weight: 12,
  item(at, tags) {
    const launched = createdAt(at)
    const eni = ec2Id('eni', at)
    const subnetId = otherId('subnet', at)
    const vpcId = otherId('vpc', at)
    const groups = [{GroupId: otherId('sg', at), GroupName: `app-${at.n}`}]
    const ip = privateIp(at)
    const az = azOf(at)
    const running = at.random.next() < 0.8
    return {
      InstanceId: ec2Id('i', at),
      ImageId: otherId('ami', at),
      InstanceType: at.random.pick(instanceTypes),
      KeyName: `deploy-${at.n % 50}`,
      LaunchTime: launched,
      Placement: {AvailabilityZone: az, GroupName: '', Tenancy: 'default'},
      PrivateDnsName: `ip-${ip.replaceAll('.', '-')}.ec2.internal`,
      PrivateIpAddress: ip,
      State: running ? {Code: 16, Name: 'running'} : {Code: 80, Name: 'stopped'},
      StateTransitionReason: running ? '' : 'User initiated (2024-03-01 10:00:00 GMT)',
      SubnetId: subnetId,
      VpcId: vpcId,
      Architecture: 'x86_64',
      BlockDeviceMappings: [{DeviceName: '/dev/xvda', Ebs: {AttachTime: launched, DeleteOnTermination: true, Status: 'attached', VolumeId: otherId('vol', at)}}],
      EbsOptimized: true,
      EnaSupport: true,
      Hypervisor: 'xen',
      IamInstanceProfile: {Arn: `arn:aws:iam::${accountId}:instance-profile/app-${at.n % 40}`, Id: `AIPA${at.random.hex(16).toUpperCase()}`},
      NetworkInterfaces: [
        {
          Attachment: {AttachTime: launched, AttachmentId: otherId('eni-attach', at), DeleteOnTermination: true, DeviceIndex: 0, Status: 'attached'},
          Groups: groups,
          MacAddress: `0a:${at.random.hex(2)}:${at.random.hex(2)}:${at.random.hex(2)}:${at.random.hex(2)}:${at.random.hex(2)}`,
          NetworkInterfaceId: eni,
          OwnerId: accountId,
          PrivateIpAddress: ip,
          PrivateIpAddresses: [{Primary: true, PrivateIpAddress: ip}],
          SourceDestCheck: true,
          Status: 'in-use',
          SubnetId: subnetId,
          VpcId: vpcId,
          InterfaceType: 'interface',
        },
      ],
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
      SecurityGroups: groups,
      SourceDestCheck: true,
      VirtualizationType: 'hvm',
      CpuOptions: {CoreCount: 1, ThreadsPerCore: 2},
      MetadataOptions: {State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled'},
      Monitoring: {State: 'disabled'},
      Tags: ec2Tags(tags),
    }
  },
  change(item) {
    const changed = copy(item)
    changed.InstanceType = instanceTypes[(instanceTypes.indexOf(item.InstanceType as (typeof instanceTypes)[number]) + 1) % instanceTypes.length]
    return changed
  },
}

const volumeType: SyntheticType<Volume> = {
  spec: volume,
  weight: 12,
  item(at, tags) {
    const VolumeId = ec2Id('vol', at)
    const attachedTo = at.random.next() < 0.7 ? otherId('i', at) : undefined
    return {
      VolumeId,
      Size: at.random.pick([8, 20, 50, 100, 500]),
      AvailabilityZone: azOf(at),
      CreateTime: createdAt(at),
      State: attachedTo ? 'in-use' : 'available',
      VolumeType: at.random.pick(['gp3', 'gp2', 'io2']),
      Iops: 3000,
      Throughput: 125,
      Encrypted: at.random.next() < 0.9,
      MultiAttachEnabled: false,
      Attachments: attachedTo ? [{AttachTime: createdAt(at), Device: '/dev/xvdf', InstanceId: attachedTo, State: 'attached', VolumeId, DeleteOnTermination: false}] : [],
      Tags: ec2Tags(tags),
    }
  },
  change(item) {
    return {...copy(item), Size: (item.Size ?? 8) + 50}
  },
}

const networkInterfaceType: SyntheticType<NetworkInterface> = {
  spec: networkInterface,
  weight: 10,
  item(at, tags) {
    const ip = privateIp(at)
    return {
      NetworkInterfaceId: ec2Id('eni', at),
      Description: `ELB app/web-${at.n % 200}/${at.random.hex(16)}`,
      AvailabilityZone: azOf(at),
      InterfaceType: 'interface',
      MacAddress: `0a:${at.random.hex(2)}:${at.random.hex(2)}:${at.random.hex(2)}:${at.random.hex(2)}:${at.random.hex(2)}`,
      OwnerId: accountId,
      PrivateIpAddress: ip,
      PrivateIpAddresses: [{Primary: true, PrivateIpAddress: ip}],
      Groups: [{GroupId: otherId('sg', at), GroupName: `web-${at.n % 200}`}],
      RequesterManaged: false,
      SourceDestCheck: true,
      Status: 'in-use',
      SubnetId: otherId('subnet', at),
      VpcId: otherId('vpc', at),
      TagSet: ec2Tags(tags),
    }
  },
  change(item, at) {
    const changed = copy(item)
    changed.Groups!.push({GroupId: otherId('sg', at), GroupName: 'debug-access'})
    return changed
  },
}

const snapshotType: SyntheticType<Snapshot> = {
  spec: snapshot,
  weight: 10,
  item(at, tags) {
    return {
      SnapshotId: ec2Id('snap', at),
      VolumeId: otherId('vol', at),
      VolumeSize: at.random.pick([8, 20, 50, 100]),
      Description: `Created by CreateImage(${otherId('i', at)}) for ${otherId('ami', at)}`,
      Encrypted: true,
      OwnerId: accountId,
      Progress: '100%',
      StartTime: createdAt(at),
      State: 'completed',
      StorageTier: 'standard',
      Tags: ec2Tags(tags),
    }
  },
}

const subnetType: SyntheticType<Subnet> = {
  spec: subnet,
  weight: 6,
  item(at, tags) {
    const SubnetId = ec2Id('subnet', at)
    return {
      SubnetId,
      SubnetArn: `arn:aws:ec2:${at.region}:${accountId}:subnet/${SubnetId}`,
      VpcId: otherId('vpc', at),
      CidrBlock: `10.${at.n % 256}.${at.random.int(16) * 16}.0/20`,
      AvailabilityZone: azOf(at),
      AvailableIpAddressCount: 4000 + at.random.int(91),
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      State: 'available',
      OwnerId: accountId,
      Tags: ec2Tags(tags),
    }
  },
  change: (item) => ({...copy(item), MapPublicIpOnLaunch: true}),
}

const routeTableType: SyntheticType<RouteTable> = {
  spec: routeTable,
  weight: 4,
  item(at, tags) {
    const RouteTableId = ec2Id('rtb', at)
    return {
      RouteTableId,
      VpcId: otherId('vpc', at),
      OwnerId: accountId,
      Routes: [
        {DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active'},
        {DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: otherId('nat', at), Origin: 'CreateRoute', State: 'active'},
      ],
      Associations: [{Main: false, RouteTableAssociationId: otherId('rtbassoc', at), RouteTableId, SubnetId: otherId('subnet', at), AssociationState: {State: 'associated'}}],
      PropagatingVgws: [],
      Tags: ec2Tags(tags),
    }
  },
  change(item, at) {
    const changed = copy(item)
    changed.Routes!.push({DestinationCidrBlock: '172.16.0.0/12', VpcPeeringConnectionId: otherId('pcx', at), Origin: 'CreateRoute', State: 'active'})
    return changed
  },
}

const vpcType: SyntheticType<Vpc> = {
  spec: vpc,
  weight: 2,
  item(at, tags) {
    const cidr = `10.${at.n % 256}.0.0/16`
    return {
      VpcId: ec2Id('vpc', at),
      CidrBlock: cidr,
      DhcpOptionsId: otherId('dopt', at),
      State: 'available',
      OwnerId: accountId,
      InstanceTenancy: 'default',
      IsDefault: false,
      CidrBlockAssociationSet: [{AssociationId: otherId('vpc-cidr-assoc', at), CidrBlock: cidr, CidrBlockState: {State: 'associated'}}],
      Tags: ec2Tags(tags),
    }
  },
  change(item, at) {
    const changed = copy(item)
    changed.CidrBlockAssociationSet!.push({AssociationId: otherId('vpc-cidr-assoc', at), CidrBlock: '100.64.0.0/16', CidrBlockState: {State: 'associated'}})
    return changed
  },
}

const keyPairType: SyntheticType<KeyPairInfo> = {
  spec: keyPair,
  weight: 3,
  item: (at, tags) => ({
    KeyPairId: ec2Id('key', at),
    KeyName: `deploy-${at.n}`,
    KeyFingerprint: Array.from({length: 16}, () => at.random.hex(2)).join(':'),
    KeyType: 'ed25519',
    CreateTime: createdAt(at),
    Tags: ec2Tags(tags),
  }),
}

const launchTemplateType: SyntheticType<LaunchTemplate> = {
  spec: launchTemplate,
  weight: 3,
  item: (at, tags) => ({
    LaunchTemplateId: ec2Id('lt', at),
    LaunchTemplateName: `asg-${at.n}`,
    CreateTime: createdAt(at),
    CreatedBy: `arn:aws:sts::${accountId}:assumed-role/deployer/ci`,
    DefaultVersionNumber: 1,
    LatestVersionNumber: 1 + at.random.int(5),
    Tags: ec2Tags(tags),
  }),
  change: (item) => ({...copy(item), DefaultVersionNumber: (item.DefaultVersionNumber ?? 1) + 1, LatestVersionNumber: (item.LatestVersionNumber ?? 1) + 1}),
}

const bucketType: SyntheticType<BucketItem> = {
  spec: bucket,
  weight: 5,
  item(at, tags) {
    const Name = `data-${at.n}-${at.random.hex(8)}`
    const arn = `arn:aws:s3:::${Name}`
    return {
      Name,
      CreationDate: createdAt(at),
      BucketRegion: at.region,
      Tags: tagList(tags),
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true},
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: {Bool: {'aws:SecureTransport': 'false'}}},
          {Sid: 'AppRead', Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${accountId}:role/app-${at.n % 300}`}, Action: ['s3:GetObject'], Resource: `${arn}/*`},
        ],
      },
      ServerSideEncryptionConfiguration: {Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'AES256'}, BucketKeyEnabled: true}]},
      Versioning: at.random.next() < 0.5 ? {Status: 'Enabled'} : {},
      Logging: {},
    }
  },
  change(item) {
    const changed = copy(item)
    const statements = (changed.Policy as {Statement: Array<{Sid: string; Action: unknown}>}).Statement
    statements.find((s) => s.Sid === 'AppRead')!.Action = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']
    return changed
  },
}

const functionType: SyntheticType<LambdaFunctionItem> = {
  spec: lambdaFunction,
  weight: 6,
  item(at, tags) {
    const FunctionName = `svc-${at.n}`
    return {
      FunctionName,
      FunctionArn: `arn:aws:lambda:${at.region}:${accountId}:function:${FunctionName}`,
      Runtime: at.random.pick(runtimes),
      Role: `arn:aws:iam::${accountId}:role/svc-${at.n % 300}`,
      Handler: 'index.handler',
      CodeSize: 1000 + at.random.int(5_000_000),
      Description: `Service ${at.n}`,
      Timeout: at.random.pick([3, 30, 60, 900]),
      MemorySize: at.random.pick([128, 256, 512, 1024]),
      LastModified: createdAt(at).toISOString().replace('Z', '+0000'),
      CodeSha256: Buffer.from(at.random.hex(32), 'hex').toString('base64'),
      Version: '$LATEST',
      Environment: {VariableNames: ['LOG_LEVEL', 'TABLE_NAME']},
      TracingConfig: {Mode: 'PassThrough'},
      RevisionId: `${at.random.hex(8)}-${at.random.hex(4)}-${at.random.hex(4)}-${at.random.hex(4)}-${at.random.hex(12)}`,
      PackageType: 'Zip',
      Architectures: [at.random.pick(['x86_64', 'arm64'])],
      EphemeralStorage: {Size: 512},
      LoggingConfig: {LogFormat: 'Text', LogGroup: `/aws/lambda/${FunctionName}`},
      VpcConfig: at.random.next() < 0.3 ? {SubnetIds: [otherId('subnet', at), otherId('subnet', at)], SecurityGroupIds: [otherId('sg', at)], VpcId: otherId('vpc', at)} : undefined,
      Tags: {...tags},
    }
  },
  change: (item) => ({...copy(item), MemorySize: (item.MemorySize ?? 128) * 2}),
}

const topicType: SyntheticType<TopicItem> = {
  spec: topic,
  weight: 4,
  item(at, tags) {
    const TopicArn = `arn:aws:sns:${at.region}:${accountId}:events-${at.n}`
    const policyDocument = {
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [{Sid: '__default_statement_ID', Effect: 'Allow', Principal: {AWS: '*'}, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: TopicArn, Condition: {StringEquals: {'AWS:SourceOwner': accountId}}}],
    }
    return {
      TopicArn,
      Attributes: {
        TopicArn,
        Owner: accountId,
        DisplayName: '',
        Policy: JSON.stringify(policyDocument),
        SignatureVersion: '1',
        TracingConfig: 'PassThrough',
        SubscriptionsConfirmed: String(at.random.int(5)),
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
      },
      Tags: tagList(tags),
    }
  },
  change: (item) => ({...copy(item), Attributes: {...item.Attributes, KmsMasterKeyId: 'alias/aws/sns'}}),
}

const roleType: SyntheticType<RoleItem> = {
  spec: role,
  weight: 5,
  item(at, tags) {
    const RoleName = `svc-${at.n}`
    return {
      Path: '/',
      RoleName,
      RoleId: `AROA${at.random.hex(17).toUpperCase()}`,
      Arn: `arn:aws:iam::${accountId}:role/${RoleName}`,
      CreateDate: createdAt(at),
      AssumeRolePolicyDocument: trustPolicy(at.random.pick(services)),
      MaxSessionDuration: 3600,
      Tags: tagList(tags),
      AttachedPolicies: [attached('service-role/AWSLambdaBasicExecutionRole')],
      InlinePolicyNames: at.random.next() < 0.3 ? ['inline-access'] : [],
      InstanceProfiles: [],
    }
  },
  change(item) {
    const changed = copy(item)
    changed.AttachedPolicies.push(attached('AdministratorAccess'))
    return changed
  },
}

const policyType: SyntheticType<PolicyItem> = {
  spec: policy,
  weight: 4,
  item(at, tags) {
    const PolicyName = `access-${at.n}`
    return {
      PolicyName,
      PolicyId: `ANPA${at.random.hex(17).toUpperCase()}`,
      Arn: `arn:aws:iam::${accountId}:policy/${PolicyName}`,
      Path: '/',
      DefaultVersionId: 'v1',
      VersionIds: ['v1'],
      AttachmentCount: at.random.int(4),
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: createdAt(at),
      UpdateDate: createdAt(at),
      Document: {
        Version: '2012-10-17',
        Statement: [{Sid: 'Access', Effect: 'Allow', Action: [at.random.pick(actions), at.random.pick(actions)], Resource: `arn:aws:s3:::data-${at.n % 500}/*`}],
      },
      Tags: tagList(tags),
    }
  },
  change(item) {
    const changed = copy(item)
    changed.DefaultVersionId = 'v2'
    changed.VersionIds.push('v2')
    changed.UpdateDate = new Date(epoch + 400 * 86_400_000)
    const document = changed.Document as {Statement: Array<{Resource: unknown}>}
    document.Statement[0]!.Resource = '*'
    return changed
  },
}

const userType: SyntheticType<UserItem> = {
  spec: user,
  weight: 2,
  item(at, tags) {
    const UserName = `person-${at.n}`
    return {
      Path: '/',
      UserName,
      UserId: `AIDA${at.random.hex(17).toUpperCase()}`,
      Arn: `arn:aws:iam::${accountId}:user/${UserName}`,
      CreateDate: createdAt(at),
      Tags: tagList(tags),
      AccessKeys: [{AccessKeyId: `AKIA${at.random.hex(16).toUpperCase()}`, Status: 'Active', CreateDate: createdAt(at)}],
      MFADevices: at.random.next() < 0.6 ? [{SerialNumber: `arn:aws:iam::${accountId}:mfa/${UserName}`, EnableDate: createdAt(at)}] : [],
      Groups: [{Path: '/', GroupName: 'developers', GroupId: 'AGPAEXAMPLEDEVELOPERS', Arn: `arn:aws:iam::${accountId}:group/developers`, CreateDate: new Date(epoch)}],
      AttachedPolicies: [],
      InlinePolicyNames: [],
      SigningCertificates: [],
      SSHPublicKeys: [],
    }
  },
  change(item) {
    const changed = copy(item)
    changed.Groups.push({Path: '/', GroupName: 'admins', GroupId: 'AGPAEXAMPLEADMINS', Arn: `arn:aws:iam::${accountId}:group/admins`, CreateDate: new Date(epoch)})
    return changed
  },
}

const types = [
  securityGroupType,
  instanceType,
  volumeType,
  networkInterfaceType,
  snapshotType,
  subnetType,
  routeTableType,
  vpcType,
  keyPairType,
  launchTemplateType,
  bucketType,
  functionType,
  topicType,
  roleType,
  policyType,
  userType,
] as Array<SyntheticType<unknown>>

/** The registered specs the synthetic account holds resources of. */
export const syntheticSpecs: readonly ResourceSpec[] = types.map((t) => t.spec as ResourceSpec)

const totalWeight = types.reduce((sum, t) => sum + t.weight, 0)

function typeOf(draw: number): SyntheticType<unknown> {
  let left = draw * totalWeight
  for (const t of types) {
    left -= t.weight
    if (left < 0) return t
  }

  return types.at(-1)!
}

const tagValues: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['env', ['prod', 'staging', 'dev', 'sandbox']],
  ['team', ['platform', 'data', 'payments', 'identity', 'web']],
  ['owner', ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com']],
  ['cost-center', ['cc-1001', 'cc-1002', 'cc-2040', 'cc-3300']],
  ['app', ['checkout', 'search', 'billing', 'auth', 'reports']],
]

/** The n-th resource of the account before any change: its type, region and tags. */
export interface Slot {
  n: number
  type: string
  region: string
  tags: Tags
  /** Whether the type has a plausible configuration change. */
  changeable: boolean
}

export function slot(n: number): Slot {
  const draw = random(n * 7919 + 17)
  const t = typeOf(draw.next())
  const region = t.spec.scope === 'global' ? 'global' : draw.pick(regions)
  const tags: Tags = {}
  const count = draw.int(5)
  const keys = [...tagValues]
  for (let i = 0; i < count; i++) {
    // A partial Fisher-Yates shuffle: `count` distinct keys.
    const j = i + draw.int(keys.length - i)
    ;[keys[i], keys[j]] = [keys[j]!, keys[i]!]
    const [key, values] = keys[i]!
    tags[key] = draw.pick(values)
  }
  // About half the tagged EC2 resources carry a Name, which becomes their name.
  if (count > 0 && t.spec.service === 'ec2' && draw.next() < 0.5) tags.Name = `${t.spec.type.split('::')[2]!.toLowerCase()}-${n}`
  return {n, type: t.spec.type, region, tags, changeable: t.change !== undefined}
}

/** The same slot with one tag changed (or added): a retag that touches nothing else. */
export function retagged(s: Slot): Slot {
  return {...s, tags: {...s.tags, owner: s.tags.owner === 'ops@example.com' ? 'security@example.com' : 'ops@example.com'}}
}

const byType = new Map(types.map((t) => [t.spec.type, t]))

/** The canonical resource of a slot, through the spec's own toResource and relationships; `changed` applies the type's change. */
export function resourceOf(s: Slot, changed = false): Resource {
  const t = byType.get(s.type)!
  // The item's own random source: the same slot always gives the same ids and values.
  const at: Place = {n: s.n, region: s.region === 'global' ? 'us-east-1' : s.region, random: random(s.n * 104729 + 3)}
  let item = t.item(at, s.tags)
  if (changed) {
    if (!t.change) throw new Error(`${s.type} has no synthetic change`)
    item = t.change(item, at)
  }

  const ctx = {accountId, partition: 'aws', region: at.region, regions} as unknown as CollectContext
  const resource = t.spec.toResource(item, ctx)
  if (resource instanceof Promise) throw new Error(`${s.type}: toResource is asynchronous`)
  resource.relationships = t.spec.relationships?.(resource) ?? []
  return resource
}
