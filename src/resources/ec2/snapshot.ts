import type {Snapshot} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import {kmsKeyEdges} from '../kms/key.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {currentOf, ec2Of, hasCode, labelOf, reworded, runOneCall, stepOf} from './delete-steps.js'

/** The placeholder volume id of snapshots copied with CopySnapshot or created from an AMI import. */
const unknownVolume = 'vol-ffffffff'

export const snapshot: ResourceSpec<Snapshot> = {
  type: 'AWS::EC2::Snapshot',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    // Without OwnerIds, DescribeSnapshots also returns every public and shared snapshot.
    yield* paginateItems((r) => ec2.describeSnapshots(r), {OwnerIds: ['self'], MaxResults: 1000}, 'NextToken', 'NextToken', 'Snapshots')
  },

  toResource(item, ctx) {
    const id = item.SnapshotId ?? ''
    return ec2Resource(ctx, snapshot.type, item, {id, tags: item.Tags, createdAt: item.StartTime})
  },

  // The source volume is history, not a dependency: `references` only, and often deleted already.
  relationships(resource) {
    const config = resource.configuration as Snapshot
    const volumeId = config.VolumeId === unknownVolume ? undefined : config.VolumeId
    return [...ec2Edges(resource, 'AWS::EC2::Volume', [volumeId], 'references'), ...kmsKeyEdges(resource, [config.KmsKeyId], 'uses')]
  },

  // An encrypted snapshot goes before the key its data is encrypted with.
  dependsOn: ['AWS::KMS::Key'],
  // Counts up while a pending snapshot is being taken.
  volatile: ['Progress'],
  sets: {Tags: 'Key'},

  // A snapshot an AMI is registered from cannot be deleted (InvalidSnapshot.InUse): AMIs are not a type
  // awsinv deletes, so the step fails naming the AMI.
  deleter: {
    steps: (resource) => [stepOf('delete-snapshot', `Delete snapshot ${labelOf(resource)}`, {snapshotId: resource.id})],

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeSnapshots({SnapshotIds: [item.id]}))
      return currentOf(snapshot, ctx, out?.Snapshots?.find((s) => s.SnapshotId === item.id))
    },

    run: runOneCall('AWS::EC2::Snapshot', 'delete-snapshot', async (ec2, step) => {
      try {
        return await ec2.deleteSnapshot({SnapshotId: stringParam(step, 'snapshotId')})
      } catch (error) {
        // Not a dependency that clears with time: the AMI stays until someone deregisters it. No retries.
        if (!hasCode(error, 'InvalidSnapshot.InUse')) throw error
        const ami = /\bami-[0-9a-f]+/.exec((error as Error).message)?.[0] ?? 'an AMI'
        const why = `${ami} is registered from snapshot ${stringParam(step, 'snapshotId')}, so AWS keeps the snapshot; deregister the AMI (awsinv does not delete AMIs), then run again`
        throw reworded(error, 'InvalidSnapshot.InUse', why)
      }
    }),
  },
}
