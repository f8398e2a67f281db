import type {AccessPointDescription, EFS, FileSystemDescription, MountTargetDescription} from '@aws-sdk/client-efs'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf, deleteUntilGone, type DeleteProgress, requestIdsOf, stringListParam, stringParam, unknownStep} from '../../cleanup/deleting.js'
import type {DeleteStep} from '../../cleanup/types.js'
import {ec2Arn, ec2Edges, locationOf, uniqueRelationships} from '../ec2/arn.js'
import {kmsKeyEdges} from '../kms/key.js'
import {apiResource, isoDate, nameFromTags, orderSets, regionalArn, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

/** A mount target as DescribeMountTargets describes it, with its security groups. */
export interface MountTargetItem extends MountTargetDescription {
  /** DescribeMountTargetSecurityGroups: the security groups of the mount target's network interface. */
  SecurityGroups: string[]
}

/** A file system as DescribeFileSystems describes it, with its mount targets and access points. */
export interface FileSystemItem extends FileSystemDescription {
  /** DescribeMountTargets: where the file system is reachable, one network interface per subnet. Deleted first. */
  MountTargets: MountTargetItem[]
  /** DescribeAccessPoints: the application entry points into the file system. */
  AccessPoints: AccessPointDescription[]
}

// File systems described at once; each description is two parallel calls, plus one per mount target.
const fileSystemConcurrency = 4
// Mount targets take a minute or two to go, a file system less: progress is checked that often.
const mountTargetPollMs = 10_000
const fileSystemPollMs = 5000

export const fileSystem: ResourceSpec<FileSystemItem> = {
  type: 'AWS::EFS::FileSystem',
  service: 'efs',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html',

  async *list(ctx) {
    const efs = await ctx.clients.get('efs', ctx.region)
    for await (const page of paginateItems((r) => efs.describeFileSystems(r), {MaxItems: 100}, 'Marker', 'NextMarker', 'FileSystems')) {
      // A deleted file system can still be listed for a short while but no longer exists.
      const current = page.filter((fs) => fs.LifeCycleState !== 'deleted')
      // One deleted since it was listed is skipped.
      yield* describeInBatches(current, fileSystemConcurrency, ctx.signal, (fs) => unlessDeleted(() => describeFileSystem(efs, fs)))
    }
  },

  // No fromConfigItem: AWS Config's item for the type is CloudFormation-shaped (BackupPolicy,
  // LifecyclePolicies…, per its documented properties) and has no mount targets or access points, which
  // give a file system its relationships and cleanup its order: both sources could not give the same resource.

  toResource(item, ctx) {
    const id = item.FileSystemId ?? ''
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.FileSystemArn ?? regionalArn(ctx, 'elasticfilesystem', `file-system/${id}`),
      type: fileSystem.type,
      id,
      // `Name` mirrors the Name tag; a file system without one is known by its id.
      name: nameFromTags(tags, item.Name || id),
      createdAt: isoDate(item.CreationTime),
      tags,
      configuration: orderSets({...item} as Record<string, unknown>, fileSystem.sets),
    })
  },

  relationships(resource) {
    // KmsKeyId is a key ARN in AWS's answers (a bare key id in the emulator's).
    const {KmsKeyId, MountTargets = []} = resource.configuration as {KmsKeyId?: string; MountTargets?: MountTargetItem[]}
    return uniqueRelationships([
      ...kmsKeyEdges(resource, [KmsKeyId], 'uses'),
      // Each mount target is a network interface in a subnet of one VPC, with security groups.
      ...ec2Edges(resource, 'AWS::EC2::Subnet', MountTargets.map((t) => t.SubnetId), 'in'),
      ...ec2Edges(resource, 'AWS::EC2::VPC', MountTargets.map((t) => t.VpcId), 'in'),
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', MountTargets.flatMap((t) => t.SecurityGroups ?? []), 'uses'),
    ])
  },

  // The file system goes before the key its data is encrypted with, and (through its mount targets)
  // before the subnets, VPC and security groups it is reachable in.
  dependsOn: ['AWS::KMS::Key', 'AWS::EC2::Subnet', 'AWS::EC2::VPC', 'AWS::EC2::SecurityGroup'],
  // The metered size (and the time it was metered) changes with every write.
  volatile: ['SizeInBytes'],
  stateFields: ['LifeCycleState', 'MountTargets.*.LifeCycleState', 'AccessPoints.*.LifeCycleState'],
  sets: {
    Tags: 'Key',
    MountTargets: 'MountTargetId',
    'MountTargets.*.SecurityGroups': '.',
    AccessPoints: 'AccessPointId',
    'AccessPoints.*.Tags': 'Key',
  },

  // EFS deletes a file system only without mount targets; its access points are deleted first as well,
  // as the EFS guide asks. Everything in it is lost: EFS keeps no copy.
  deleter: {
    steps(resource) {
      const id = resource.id
      const {MountTargets = [], AccessPoints = []} = resource.configuration as Partial<FileSystemItem>
      const steps: DeleteStep[] = []
      const accessPointIds = AccessPoints.map((a) => a.AccessPointId).filter((a): a is string => a !== undefined)
      if (accessPointIds.length > 0) {
        steps.push({
          action: 'delete-access-points',
          description: `Delete the access ${accessPointIds.length === 1 ? 'point' : 'points'} of file system ${id}: ${accessPointIds.join(', ')}`,
          params: {fileSystemId: id, accessPointIds},
        })
      }

      const targets = MountTargets.filter((t) => t.MountTargetId !== undefined)
      if (targets.length > 0) {
        steps.push({
          action: 'delete-mount-targets',
          description: `Delete the mount ${targets.length === 1 ? 'target' : 'targets'} of file system ${id} (${targets.map((t) => `${t.MountTargetId} in ${t.SubnetId}`).join(', ')}) with ${targets.length === 1 ? 'its network interface' : 'their network interfaces'}, and wait until they are gone`,
          params: {fileSystemId: id, mountTargetIds: targets.map((t) => t.MountTargetId ?? '')},
        })
      }

      steps.push({
        action: 'delete-file-system',
        description: `Delete file system ${id} and every file in it: its data is not kept. Wait until it is gone`,
        params: {fileSystemId: id},
      })
      return steps
    },

    // AWS deletes each mount target's network interface with it (a requester-managed interface).
    includes(resource) {
      const {MountTargets = []} = resource.configuration as Partial<FileSystemItem>
      const where = locationOf(resource)
      return MountTargets.flatMap((t) => (t.NetworkInterfaceId ? [{type: 'AWS::EC2::NetworkInterface', arn: ec2Arn(where, 'AWS::EC2::NetworkInterface', t.NetworkInterfaceId), id: t.NetworkInterfaceId}] : []))
    },

    async current(ctx, item) {
      const efs = await ctx.clients.get('efs', ctx.region)
      const found = await readFileSystem(efs, item.id)
      // One being deleted is still there: the delete step waits for it, and what it sits in goes after it.
      if (found === undefined || found.LifeCycleState === 'deleted') return undefined
      const described = await unlessDeleted(() => describeFileSystem(efs, found))
      return described === undefined ? undefined : currentStateOf(await fileSystem.toResource(described, collectContextOf(ctx)))
    },

    async run(ctx, item, step) {
      const efs = await ctx.clients.get('efs', ctx.region)
      const id = stringParam(step, 'fileSystemId')
      switch (step.action) {
        case 'delete-access-points': {
          const requestIds: string[] = []
          for (const AccessPointId of stringListParam(step, 'accessPointIds')) {
            // Asked first: deleting an access point that is gone is not an error everywhere.
            const present = await unlessDeleted(() => efs.describeAccessPoints({AccessPointId}))
            if (!present?.AccessPoints?.length) continue
            requestIds.push(...requestIdsOf(await efs.deleteAccessPoint({AccessPointId})))
          }

          return requestIds.length === 0 ? {status: 'gone', detail: 'the access points no longer exist'} : {status: 'done', requestIds}
        }

        case 'delete-mount-targets': {
          const ids = stringListParam(step, 'mountTargetIds')
          let present: string[] = []
          return deleteUntilGone(step, {
            what: `the mount ${ids.length === 1 ? 'target' : 'targets'} of ${id}`,
            retryAfterMs: mountTargetPollMs,
            async read() {
              const states = await Promise.all(ids.map(async (MountTargetId) => ({MountTargetId, state: await mountTargetProgress(efs, MountTargetId)})))
              present = states.filter((s) => s.state === 'present').map((s) => s.MountTargetId)
              return present.length > 0 ? 'present' : states.some((s) => s.state === 'deleting') ? 'deleting' : 'gone'
            },
            async request() {
              const outputs = await Promise.all(present.map((MountTargetId) => unlessDeleted(() => efs.deleteMountTarget({MountTargetId}))))
              return requestIdsOf(...outputs)
            },
          })
        }

        case 'delete-file-system': {
          return deleteUntilGone(step, {
            what: `file system ${id}`,
            retryAfterMs: fileSystemPollMs,
            read: async () => lifeCycleProgress((await readFileSystem(efs, id))?.LifeCycleState),
            request: async () => requestIdsOf(await efs.deleteFileSystem({FileSystemId: id})),
          })
        }

        default: {
          throw unknownStep(item, step)
        }
      }
    },

    waitTimeoutMs: 15 * 60_000,
  },
}

async function readFileSystem(efs: EFS, FileSystemId: string): Promise<FileSystemDescription | undefined> {
  return (await unlessDeleted(() => efs.describeFileSystems({FileSystemId})))?.FileSystems?.[0]
}

async function mountTargetProgress(efs: EFS, MountTargetId: string): Promise<DeleteProgress> {
  return lifeCycleProgress((await unlessDeleted(() => efs.describeMountTargets({MountTargetId})))?.MountTargets?.[0]?.LifeCycleState)
}

/** Where a delete stands, from an EFS life cycle state (undefined: not found). */
function lifeCycleProgress(state: string | undefined): DeleteProgress {
  if (state === undefined || state === 'deleted') return 'gone'
  return state === 'deleting' ? 'deleting' : 'present'
}

/** A listed file system with its mount targets (and their security groups) and access points. */
async function describeFileSystem(efs: EFS, fs: FileSystemDescription): Promise<FileSystemItem> {
  const FileSystemId = fs.FileSystemId
  const [targets, AccessPoints] = await Promise.all([
    // The listing counts the mount targets: none, no call.
    fs.NumberOfMountTargets === 0 ? [] : collectPages(paginateItems((r) => efs.describeMountTargets(r), {FileSystemId, MaxItems: 100}, 'Marker', 'NextMarker', 'MountTargets')),
    collectPages(paginateItems((r) => efs.describeAccessPoints(r), {FileSystemId, MaxResults: 100}, 'NextToken', 'NextToken', 'AccessPoints')),
  ])
  const withGroups = await Promise.all(
    targets.map(async (target) => {
      // A mount target deleted since it was listed is left out.
      const groups = await unlessDeleted(() => efs.describeMountTargetSecurityGroups({MountTargetId: target.MountTargetId}))
      return groups === undefined ? undefined : {...target, SecurityGroups: groups.SecurityGroups ?? []}
    }),
  )
  return {...fs, MountTargets: withGroups.filter((t) => t !== undefined), AccessPoints}
}
