import type {Vpc} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import {apiResource, nameFromTags, regionalArn, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

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
    const id = item.VpcId ?? ''
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: regionalArn(ctx, 'ec2', `vpc/${id}`),
      type: vpc.type,
      id,
      name: nameFromTags(tags, id),
      createdAt: null,
      tags,
      configuration: item,
    })
  },

  sets: {CidrBlockAssociationSet: 'AssociationId', Ipv6CidrBlockAssociationSet: 'AssociationId', Tags: 'Key'},
}
