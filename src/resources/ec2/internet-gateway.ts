import type {InternetGateway} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'

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
    return ec2Resource(ctx, internetGateway.type, item, {id, tags: item.Tags})
  },

  relationships(resource) {
    const config = resource.configuration as InternetGateway
    return ec2Edges(resource, 'AWS::EC2::VPC', (config.Attachments ?? []).map((a) => a.VpcId), 'attached-to')
  },

  dependsOn: ['AWS::EC2::VPC'],
  sets: {Attachments: 'VpcId', Tags: 'Key'},
}
