import type {VpcEndpoint} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'

export const vpcEndpoint: ResourceSpec<VpcEndpoint> = {
  type: 'AWS::EC2::VPCEndpoint',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const pages = paginateItems((r) => ec2.describeVpcEndpoints(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'VpcEndpoints')
    for await (const page of pages) {
      // The API answers lower-case states (`deleted`) although the SDK enum is capitalized.
      const live = page.filter((e) => e.State?.toLowerCase() !== 'deleted')
      if (live.length > 0) yield live
    }
  },

  toResource(item, ctx) {
    const id = item.VpcEndpointId ?? ''
    return ec2Resource(ctx, vpcEndpoint.type, item, {id, tags: item.Tags, createdAt: item.CreationTimestamp})
  },

  // Interface endpoints' ENIs are requester-managed and go with the endpoint: no edge to them.
  relationships(resource) {
    const config = resource.configuration as VpcEndpoint
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::Subnet', config.SubnetIds ?? [], 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', (config.Groups ?? []).map((g) => g.GroupId), 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::RouteTable', config.RouteTableIds ?? [], 'uses'),
    ])
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::EC2::RouteTable'],
  sets: {DnsEntries: 'DnsName', Groups: 'GroupId', Tags: 'Key'},
}
