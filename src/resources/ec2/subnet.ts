import type {Subnet} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'

export const subnet: ResourceSpec<Subnet> = {
  type: 'AWS::EC2::Subnet',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeSubnets(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'Subnets')
  },

  toResource(item, ctx) {
    // A subnet shared through RAM carries its owner's ARN: keep it so both accounts name it alike.
    const id = item.SubnetId ?? ''
    return ec2Resource(ctx, subnet.type, item, {id, tags: item.Tags, arn: item.SubnetArn})
  },

  relationships(resource) {
    const config = resource.configuration as Subnet
    return ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in')
  },

  dependsOn: ['AWS::EC2::VPC'],
  // Moves whenever an ENI is created or deleted in the subnet.
  volatile: ['AvailableIpAddressCount'],
  sets: {Ipv6CidrBlockAssociationSet: 'AssociationId', Tags: 'Key'},
}
