import type {NatGateway} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'

export const natGateway: ResourceSpec<NatGateway> = {
  type: 'AWS::EC2::NatGateway',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const pages = paginateItems((r) => ec2.describeNatGateways(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'NatGateways')
    for await (const page of pages) {
      // Deleted NAT gateways stay visible for about an hour but no longer exist.
      const live = page.filter((n) => n.State !== 'deleted')
      if (live.length > 0) yield live
    }
  },

  toResource(item, ctx) {
    const id = item.NatGatewayId ?? ''
    return ec2Resource(ctx, natGateway.type, item, {id, tags: item.Tags, createdAt: item.CreateTime})
  },

  // The gateway's own ENI is requester-managed and goes with it: no edge to it.
  relationships(resource) {
    const config = resource.configuration as NatGateway
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::Subnet', [config.SubnetId], 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::EIP', (config.NatGatewayAddresses ?? []).map((a) => a.AllocationId), 'uses'),
    ])
  },

  dependsOn: ['AWS::EC2::Subnet', 'AWS::EC2::EIP'],
  // Every address has a private IP; public ones also an allocation id.
  sets: {NatGatewayAddresses: 'PrivateIp', Tags: 'Key'},
}
