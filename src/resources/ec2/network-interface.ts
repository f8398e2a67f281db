import type {NetworkInterface} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'

export const networkInterface: ResourceSpec<NetworkInterface> = {
  type: 'AWS::EC2::NetworkInterface',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeNetworkInterfaces(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'NetworkInterfaces')
  },

  toResource(item, ctx) {
    const id = item.NetworkInterfaceId ?? ''
    return ec2Resource(ctx, networkInterface.type, item, {id, tags: item.TagSet})
  },

  // No edge to the attached instance: the instance points at its ENIs, never the reverse, so the
  // type graph stays acyclic (the instance goes first, its primary ENI goes with it).
  relationships(resource) {
    const config = resource.configuration as NetworkInterface
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::Subnet', [config.SubnetId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', (config.Groups ?? []).map((g) => g.GroupId), 'uses'),
    ])
  },

  dependsOn: ['AWS::EC2::Subnet', 'AWS::EC2::VPC', 'AWS::EC2::SecurityGroup'],
  sets: {
    Groups: 'GroupId',
    Ipv4Prefixes: 'Ipv4Prefix',
    Ipv6Addresses: 'Ipv6Address',
    Ipv6Prefixes: 'Ipv6Prefix',
    PrivateIpAddresses: 'PrivateIpAddress',
    TagSet: 'Key',
  },
}
