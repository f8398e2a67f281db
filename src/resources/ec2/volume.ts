import type {EC2, Volume} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import {kmsKeyEdges} from '../kms/key.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, hasCode, labelOf, stepOf, unknownStep} from './delete-steps.js'

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

  // No detach step: an attached volume is either used by an instance that is deleted first (detached by
  // its termination) or by one that stays, which keeps it out of the plan.
  deleter: {
    steps: (resource) => [stepOf('delete-volume', `Delete volume ${labelOf(resource)}`, {volumeId: resource.id})],

    async current(ctx, item) {
      const found = await describeVolume(await ec2Of(ctx), item.id)
      return found?.State === 'deleting' || found?.State === 'deleted' ? undefined : currentOf(volume, ctx, found)
    },

    async run(ctx, item, step) {
      if (step.action !== 'delete-volume') throw unknownStep(volume.type, step)
      const id = stringParam(step, 'volumeId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      try {
        log.note(await ec2.deleteVolume({VolumeId: id}))
      } catch (error) {
        if (!hasCode(error, 'VolumeInUse')) throw error
        // Still detaching from a terminated instance, or attached again since the plan was made.
        const instances = ((await describeVolume(ec2, id, log))?.Attachments ?? []).map((a) => a.InstanceId).filter((i): i is string => i !== undefined)
        return {status: 'hold', detail: `${id} is still attached${instances.length > 0 ? ` to ${instances.join(', ')}` : ''}`, blockedBy: instances, requestIds: log.requestIds}
      }

      return doneWith(log)
    },
  },
}

async function describeVolume(ec2: EC2, id: string, log = new CallLog()): Promise<Volume | undefined> {
  const out = await unlessDeleted(() => ec2.describeVolumes({VolumeIds: [id]}))
  return out === undefined ? undefined : log.note(out).Volumes?.find((v) => v.VolumeId === id)
}
