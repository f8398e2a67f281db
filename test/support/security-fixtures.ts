/**
 * Collector items for security check tests, in the shapes the specs' `list()` yielded against the
 * emulator (moto 5.2.5, captured through the real specs): only ids, names, rules and dates vary.
 */
import type {FlowLog, Instance, IpPermission, NetworkAcl, NetworkAclEntry, SecurityGroup, Vpc} from '@aws-sdk/client-ec2'

import type {BucketItem} from '../../src/resources/s3/bucket.js'
import type {PolicyItem} from '../../src/resources/iam/policy.js'
import type {RoleItem} from '../../src/resources/iam/role.js'
import type {UserItem} from '../../src/resources/iam/user.js'

export const FIXTURE_VPC = 'vpc-24b7f372be1745842'

/** An ingress or egress rule as DescribeSecurityGroups returns it: every list present, empty ones included. */
export function sgRule(rule: IpPermission): IpPermission {
  return {UserIdGroupPairs: [], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], ...rule}
}

/** A security group with the default egress rule (all traffic to 0.0.0.0/0) unless told otherwise. */
export function securityGroupItem(fields: Partial<SecurityGroup> & Pick<SecurityGroup, 'GroupId'>): SecurityGroup {
  return {
    IpPermissionsEgress: [sgRule({IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]})],
    Tags: [],
    VpcId: FIXTURE_VPC,
    SecurityGroupArn: `arn:aws:ec2:us-east-1:123456789012:security-group/${fields.GroupId}`,
    OwnerId: '123456789012',
    GroupName: 'web',
    Description: 'web',
    IpPermissions: [],
    ...fields,
  }
}

/** A network ACL (not the VPC's default one unless told) with the given entries. */
export function networkAclItem(NetworkAclId: string, Entries: NetworkAclEntry[], fields: Partial<NetworkAcl> = {}): NetworkAcl {
  return {Associations: [], Entries, IsDefault: false, NetworkAclId, Tags: [], VpcId: FIXTURE_VPC, OwnerId: '123456789012', ...fields}
}

/** The entries of a VPC's default network ACL as the emulator creates them (allow all, then the catch-all deny). */
export const defaultNaclEntries: NetworkAclEntry[] = [
  {CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100},
  {CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767},
  {CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100},
  {CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767},
]

export function vpcItem(VpcId: string, IsDefault = false): Vpc {
  return {
    OwnerId: '123456789012',
    InstanceTenancy: 'default',
    Ipv6CidrBlockAssociationSet: [],
    CidrBlockAssociationSet: [{AssociationId: `vpc-cidr-assoc-${VpcId.slice(4)}`, CidrBlock: '172.31.0.0/16', CidrBlockState: {State: 'associated'}}],
    IsDefault,
    Tags: [],
    VpcId,
    State: 'available',
    CidrBlock: '172.31.0.0/16',
    DhcpOptionsId: 'default',
  }
}

export function flowLogItem(FlowLogId: string, ResourceId: string, fields: Partial<FlowLog> = {}): FlowLog {
  return {
    CreationTime: new Date('2026-05-01T10:00:00Z'),
    DeliverLogsStatus: 'SUCCESS',
    FlowLogId,
    FlowLogStatus: 'ACTIVE',
    ResourceId,
    TrafficType: 'REJECT',
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::flow-bucket',
    LogFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
    Tags: [],
    MaxAggregationInterval: 600,
    ...fields,
  }
}

/** A running instance in the default VPC with the given metadata options. */
export function instanceItem(InstanceId: string, MetadataOptions: Instance['MetadataOptions']): Instance {
  const launched = new Date('2026-05-01T10:00:00Z')
  return {
    Architecture: 'x86_64',
    BlockDeviceMappings: [{DeviceName: '/dev/sda1', Ebs: {AttachTime: launched, DeleteOnTermination: true, Status: 'attached', VolumeId: `vol-${InstanceId.slice(2)}`}}],
    EbsOptimized: false,
    Hypervisor: 'xen',
    RootDeviceName: '/dev/sda1',
    RootDeviceType: 'ebs',
    SecurityGroups: [],
    SourceDestCheck: true,
    VirtualizationType: 'paravirtual',
    HibernationOptions: {},
    MetadataOptions,
    InstanceId,
    ImageId: 'ami-12c6146b',
    State: {Code: 16, Name: 'running'},
    InstanceType: 't3.micro',
    LaunchTime: launched,
    Placement: {GroupName: '', Tenancy: 'default', AvailabilityZone: 'us-east-1a'},
    Monitoring: {State: 'disabled'},
    SubnetId: 'subnet-78895c7b55011fd68',
    VpcId: FIXTURE_VPC,
    PrivateIpAddress: '10.183.102.187',
  }
}

/** An IAM user with nothing attached, no keys, no MFA and no console password unless told. */
export function userItem(UserName: string, fields: Partial<UserItem> = {}): UserItem {
  return {
    Path: '/',
    UserName,
    UserId: `AIDA${UserName.toUpperCase().padEnd(16, 'X')}`,
    Arn: `arn:aws:iam::123456789012:user/${UserName}`,
    CreateDate: new Date('2025-01-01T09:00:00Z'),
    Tags: [],
    AccessKeys: [],
    MFADevices: [],
    Groups: [],
    AttachedPolicies: [],
    InlinePolicyNames: [],
    SigningCertificates: [],
    SSHPublicKeys: [],
    ...fields,
  }
}

/** A customer managed policy whose default version holds `Document`. */
export function policyItem(PolicyName: string, Document: unknown, AttachmentCount = 1): PolicyItem {
  return {
    PolicyName,
    PolicyId: `ANPA${PolicyName.toUpperCase().padEnd(17, 'X')}`,
    Arn: `arn:aws:iam::123456789012:policy/${PolicyName}`,
    Path: '/',
    DefaultVersionId: 'v1',
    VersionIds: ['v1'],
    AttachmentCount,
    IsAttachable: true,
    CreateDate: new Date('2025-01-01T09:00:00Z'),
    UpdateDate: new Date('2025-01-01T09:00:00Z'),
    Document,
    Tags: [],
  }
}

/** A role trusted by the account, with the given managed policies attached. */
export function roleItem(RoleName: string, attachedArns: string[] = []): RoleItem {
  return {
    Path: '/',
    RoleName,
    RoleId: `AROA${RoleName.toUpperCase().padEnd(17, 'X')}`,
    Arn: `arn:aws:iam::123456789012:role/${RoleName}`,
    CreateDate: new Date('2025-01-01T09:00:00Z'),
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'sts:AssumeRole'}],
    },
    MaxSessionDuration: 3600,
    Tags: [],
    AttachedPolicies: attachedArns.map((PolicyArn) => ({PolicyName: PolicyArn.split('/').pop(), PolicyArn})),
    InlinePolicyNames: [],
    InstanceProfiles: [],
  }
}

/** A bucket in us-east-1 without tags, versioning or logging. */
export function bucketItem(Name: string, fields: Partial<BucketItem> = {}): BucketItem {
  return {Name, CreationDate: new Date('2025-01-01T09:00:00Z'), BucketRegion: 'us-east-1', Tags: [], Versioning: {}, Logging: {}, ...fields}
}
