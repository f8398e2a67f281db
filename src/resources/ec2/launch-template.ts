import type {LaunchTemplate} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Resource} from './arn.js'

export const launchTemplate: ResourceSpec<LaunchTemplate> = {
  type: 'AWS::EC2::LaunchTemplate',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplates.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    // DescribeLaunchTemplates accepts at most 200 per page.
    yield* paginateItems((r) => ec2.describeLaunchTemplates(r), {MaxResults: 200}, 'NextToken', 'NextToken', 'LaunchTemplates')
  },

  toResource(item, ctx) {
    const id = item.LaunchTemplateId ?? ''
    return ec2Resource(ctx, launchTemplate.type, item, {id, tags: item.Tags, name: item.LaunchTemplateName, createdAt: item.CreateTime})
  },

  sets: {Tags: 'Key'},
}
