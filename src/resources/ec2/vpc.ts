import type {Vpc} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Resource} from './arn.js'

export const vpc: ResourceSpec<Vpc> = {
  type: 'AWS::EC2::VPC',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeVpcs(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'Vpcs')
  },

  toResource(item, ctx) {
    return ec2Resource(ctx, vpc.type, item, {id: item.VpcId ?? '', tags: item.Tags})
  },

  sets: {CidrBlockAssociationSet: 'AssociationId', Ipv6CidrBlockAssociationSet: 'AssociationId', Tags: 'Key'},
}
