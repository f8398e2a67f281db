import type {Volume} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import {kmsKeyEdges} from '../kms/key.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'

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
    return ec2Resource(ctx, volume.type, item, {id, tags: item.Tags, arn: item.VolumeArn, createdAt: item.CreateTime})
  },

  // The snapshot a volume was restored from is history, not a dependency: `references` only
  // (a snapshot references its volume too, and neither blocks the other's deletion).
  relationships(resource) {
    const config = resource.configuration as Volume
    return [...ec2Edges(resource, 'AWS::EC2::Snapshot', [config.SnapshotId], 'references'), ...kmsKeyEdges(resource, [config.KmsKeyId], 'uses')]
  },

  // An encrypted volume goes before the key its data is encrypted with.
  dependsOn: ['AWS::KMS::Key'],
  sets: {Attachments: 'InstanceId', Tags: 'Key'},
}
