import type {NetworkAcl} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'

export const networkAcl: ResourceSpec<NetworkAcl> = {
  type: 'AWS::EC2::NetworkAcl',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeNetworkAcls(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'NetworkAcls')
  },

  toResource(item, ctx) {
    const id = item.NetworkAclId ?? ''
    return ec2Resource(ctx, networkAcl.type, item, {id, tags: item.Tags})
  },

  relationships(resource) {
    const config = resource.configuration as NetworkAcl
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::Subnet', (config.Associations ?? []).map((a) => a.SubnetId), 'associated-with'),
    ])
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet'],
  sets: {
    Associations: 'NetworkAclAssociationId',
    // Rule numbers are unique per direction only: an ingress and an egress entry can share one.
    Entries: ['Egress', 'RuleNumber'],
    Tags: 'Key',
  },
}
