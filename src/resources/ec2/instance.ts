import type {Instance} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import {isoDate} from '../normalize.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {ec2Arn, ec2Edges, ec2Resource, locationOf, uniqueRelationships} from './arn.js'

/**
 * AWS records no creation time for an instance, and `LaunchTime` moves on every stop/start. The root
 * volume's attach time stays at the first launch, so the earlier of the two is the best estimate.
 */
function estimateCreatedAt(item: Instance): string | null {
  const mappings = item.BlockDeviceMappings ?? []
  const root = mappings.find((m) => m.DeviceName !== undefined && m.DeviceName === item.RootDeviceName) ?? mappings[0]
  const candidates = [isoDate(item.LaunchTime), isoDate(root?.Ebs?.AttachTime)].filter((d): d is string => d !== null)
  // ISO 8601 strings in UTC sort chronologically.
  return candidates.sort()[0] ?? null
}

export const instance: ResourceSpec<Instance> = {
  type: 'AWS::EC2::Instance',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const pages = paginateItems((r) => ec2.describeInstances(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'Reservations')
    for await (const reservations of pages) {
      // Terminated instances stay visible for about an hour but no longer exist.
      const instances = reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated')
      if (instances.length > 0) yield instances
    }
  },

  toResource(item, ctx) {
    const id = item.InstanceId ?? ''
    return ec2Resource(ctx, instance.type, item, {id, tags: item.Tags, createdAt: estimateCreatedAt(item)})
  },

  relationships(resource) {
    const config = resource.configuration as Instance
    const enis = config.NetworkInterfaces ?? []
    const edges: Relationship[] = [
      ...ec2Edges(resource, 'AWS::EC2::Subnet', [config.SubnetId], 'in'),
      ...ec2Edges(
        resource,
        'AWS::EC2::SecurityGroup',
        [...(config.SecurityGroups ?? []), ...enis.flatMap((n) => n.Groups ?? [])].map((g) => g.GroupId),
        'uses',
      ),
      ...ec2Edges(resource, 'AWS::EC2::NetworkInterface', enis.map((n) => n.NetworkInterfaceId), 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::Volume', (config.BlockDeviceMappings ?? []).map((m) => m.Ebs?.VolumeId), 'uses'),
    ]
    // Key pair ARNs are built from the key's name; the instance does not know the key pair id.
    if (config.KeyName) edges.push({type: 'AWS::EC2::KeyPair', arn: ec2Arn(locationOf(resource), 'AWS::EC2::KeyPair', config.KeyName), kind: 'uses'})
    const profileArn = config.IamInstanceProfile?.Arn
    if (profileArn) edges.push({type: 'AWS::IAM::InstanceProfile', arn: profileArn, kind: 'uses'})
    return uniqueRelationships(edges)
  },

  dependsOn: [
    'AWS::EC2::Subnet',
    'AWS::EC2::SecurityGroup',
    'AWS::EC2::NetworkInterface',
    'AWS::EC2::Volume',
    'AWS::EC2::KeyPair',
    'AWS::IAM::InstanceProfile',
  ],
  sets: {
    BlockDeviceMappings: 'DeviceName',
    NetworkInterfaces: 'NetworkInterfaceId',
    'NetworkInterfaces.*.Groups': 'GroupId',
    'NetworkInterfaces.*.Ipv6Addresses': 'Ipv6Address',
    'NetworkInterfaces.*.PrivateIpAddresses': 'PrivateIpAddress',
    ProductCodes: 'ProductCodeId',
    SecurityGroups: 'GroupId',
    Tags: 'Key',
  },
  // Stopping and starting moves all of these; they are reported, but as state, not configuration.
  stateFields: [
    'State',
    'StateReason',
    'StateTransitionReason',
    'LaunchTime',
    'PublicIpAddress',
    'PublicDnsName',
    'NetworkInterfaces.*.Association',
    'NetworkInterfaces.*.PrivateIpAddresses.*.Association',
    'NetworkInterfaces.*.Status',
    'NetworkInterfaces.*.Attachment.Status',
    'BlockDeviceMappings.*.Ebs.Status',
  ],
}
