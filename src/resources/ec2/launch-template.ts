import type {LaunchTemplate} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Resource} from './arn.js'
import {currentOf, ec2Of, labelOf, runOneCall, stepOf} from './delete-steps.js'

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

  // All its versions go with it; instances launched from it keep running.
  deleter: {
    steps: (resource) => [stepOf('delete-launch-template', `Delete launch template ${labelOf(resource)} and all its versions`, {launchTemplateId: resource.id})],

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeLaunchTemplates({LaunchTemplateIds: [item.id]}))
      return currentOf(launchTemplate, ctx, out?.LaunchTemplates?.find((t) => t.LaunchTemplateId === item.id))
    },

    run: runOneCall('AWS::EC2::LaunchTemplate', 'delete-launch-template', (ec2, step) => ec2.deleteLaunchTemplate({LaunchTemplateId: stringParam(step, 'launchTemplateId')})),
  },
}
