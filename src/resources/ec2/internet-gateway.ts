import type {InternetGateway} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import {apiResource, nameFromTags, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {ec2Arn, ec2Edges} from './arn.js'

export const internetGateway: ResourceSpec<InternetGateway> = {
  type: 'AWS::EC2::InternetGateway',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeInternetGateways(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'InternetGateways')
  },

  toResource(item, ctx) {
    const id = item.InternetGatewayId ?? ''
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: ec2Arn(ctx, internetGateway.type, id),
      type: internetGateway.type,
      id,
      name: nameFromTags(tags, id),
      createdAt: null,
      tags,
      configuration: item,
    })
  },

  relationships(resource) {
    const config = resource.configuration as InternetGateway
    return ec2Edges(resource, 'AWS::EC2::VPC', (config.Attachments ?? []).map((a) => a.VpcId), 'attached-to')
  },

  dependsOn: ['AWS::EC2::VPC'],
  sets: {Attachments: 'VpcId', Tags: 'Key'},
}
