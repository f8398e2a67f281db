import type {LaunchTemplate} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, nameFromTags, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {ec2Arn} from './arn.js'

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
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: ec2Arn(ctx, launchTemplate.type, id),
      type: launchTemplate.type,
      id,
      name: nameFromTags(tags, item.LaunchTemplateName ?? id),
      createdAt: isoDate(item.CreateTime),
      tags,
      configuration: item,
    })
  },

  sets: {Tags: 'Key'},
}
