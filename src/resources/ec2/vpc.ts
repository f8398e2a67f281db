import type {Vpc} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Resource} from './arn.js'
import {currentOf, ec2Of, labelOf, runOneCall, stepOf} from './delete-steps.js'

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

  // Its default security group, main route table and default network ACL go with it (the planner lists them
  // under the item's `includes`). Everything else in it — subnets, gateways, groups, tables, endpoints — is
  // `in` or `attached-to` it and deleted first.
  deleter: {
    steps: (resource) => [stepOf('delete-vpc', `Delete VPC ${labelOf(resource)}`, {vpcId: resource.id})],

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeVpcs({VpcIds: [item.id]}))
      return currentOf(vpc, ctx, out?.Vpcs?.find((v) => v.VpcId === item.id))
    },

    run: runOneCall('AWS::EC2::VPC', 'delete-vpc', (ec2, step) => ec2.deleteVpc({VpcId: stringParam(step, 'vpcId')})),
  },
}
