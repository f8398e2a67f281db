import type {Volume} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, nameFromTags, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {ec2Arn, ec2Edges} from './arn.js'

export const volume: ResourceSpec<Volume> = {
  type: 'AWS::EC2::Volume',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeVolumes(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'Volumes')
  },

  toResource(item, ctx) {
    const id = item.VolumeId ?? ''
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.VolumeArn ?? ec2Arn(ctx, volume.type, id),
      type: volume.type,
      id,
      name: nameFromTags(tags, id),
      createdAt: isoDate(item.CreateTime),
      tags,
      configuration: item,
    })
  },

  // The snapshot a volume was restored from is history, not a dependency: `references` only
  // (a snapshot references its volume too, and neither blocks the other's deletion).
  relationships(resource) {
    const config = resource.configuration as Volume
    return ec2Edges(resource, 'AWS::EC2::Snapshot', [config.SnapshotId], 'references')
  },

  dependsOn: [],
  sets: {Attachments: 'InstanceId', Tags: 'Key'},
}
