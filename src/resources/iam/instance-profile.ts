import type {InstanceProfile, Tag} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {describeInBatches, paginateItems} from '../../aws/paginate.js'
import {currentStateFrom, readCurrent, runStepCall, stringParam} from '../../cleanup/deleting.js'
import type {DeleteStep} from '../../cleanup/types.js'
import {apiResource, isoDate, tagsFromList} from '../normalize.js'
import type {Resource, ResourceSpec} from '../types.js'
import {role} from './role.js'

/** An instance profile with its tags (from GetInstanceProfile); its roles are kept by identity only. */
export interface InstanceProfileItem extends Omit<InstanceProfile, 'Roles'> {
  /**
   * The roles it holds (at most one), reduced to their identity so that a change to a role reads as
   * drift of the role, not of every profile holding it.
   */
  Roles: Array<{Path?: string; RoleName?: string; RoleId?: string; Arn?: string; CreateDate?: Date | string}>
  Tags: Tag[]
}

// Profiles described at once.
const profileConcurrency = 4

export const instanceProfile: ResourceSpec<InstanceProfileItem> = {
  type: 'AWS::IAM::InstanceProfile',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    for await (const page of paginateItems((r) => iam.listInstanceProfiles(r), {MaxItems: 1000}, 'Marker', 'Marker', 'InstanceProfiles')) {
      yield* describeInBatches(page, profileConcurrency, ctx.signal, (p) =>
        unlessDeleted(async (): Promise<InstanceProfileItem> => {
          const InstanceProfileName = p.InstanceProfileName ?? ''
          // GetInstanceProfile returns the tags in one call, as ListInstanceProfileTags would (the
          // emulator lacks the latter); the listing itself leaves them out.
          const {InstanceProfile: described} = await iam.getInstanceProfile({InstanceProfileName})
          const Tags = described?.Tags ?? []
          const Roles = (p.Roles ?? []).map(({Path, RoleName, RoleId, Arn, CreateDate}) => ({Path, RoleName, RoleId, Arn, CreateDate}))
          return {...p, Roles, Tags}
        }),
      )
    }
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: instanceProfile.type,
      id: item.InstanceProfileName ?? '',
      name: item.InstanceProfileName ?? '',
      region: 'global',
      createdAt: isoDate(item.CreateDate),
      tags,
      configuration: item,
    })
  },

  relationships(resource) {
    const roles = (resource.configuration.Roles ?? []) as Array<{Arn?: string}>
    return roles.filter((r) => r.Arn !== undefined).map((r) => ({type: role.type, arn: r.Arn, kind: 'uses'}))
  },

  // A role cannot be deleted while an instance profile holds it: the profile goes first.
  dependsOn: [role.type],
  sets: {Roles: 'Arn', Tags: 'Key'},
  uniqueId: 'InstanceProfileId',

  deleter: {
    steps: instanceProfileSteps,

    current: (ctx, item) =>
      readCurrent(async () => {
        const iam = await ctx.clients.get('iam', ctx.region)
        // As in the listing: GetInstanceProfile carries the tags (the emulator lacks ListInstanceProfileTags).
        const {InstanceProfile: profile} = await iam.getInstanceProfile({InstanceProfileName: item.id})
        return currentStateFrom(profile?.Tags, profile?.InstanceProfileId)
      }),

    async run(ctx, _item, step) {
      const iam = await ctx.clients.get('iam', ctx.region)
      const p = (name: string) => stringParam(step, name)
      return runStepCall(step, {
        'remove-role-from-instance-profile': () => iam.removeRoleFromInstanceProfile({InstanceProfileName: p('instanceProfileName'), RoleName: p('roleName')}),
        'delete-instance-profile': () => iam.deleteInstanceProfile({InstanceProfileName: p('instanceProfileName')}),
      })
    },
  },
}

/**
 * Its roles taken out (DeleteInstanceProfile refuses a profile that holds one), then the profile. The
 * roles stay unless the plan deletes them too, after the profile. An instance still running with the
 * profile `uses` it: the planner deletes that instance first, or keeps the profile.
 */
function instanceProfileSteps(resource: Resource): DeleteStep[] {
  const instanceProfileName = resource.id
  const steps: DeleteStep[] = []
  for (const {RoleName: roleName} of (resource.configuration as Partial<InstanceProfileItem>).Roles ?? []) {
    if (!roleName) continue
    steps.push({
      action: 'remove-role-from-instance-profile',
      description: `Remove role ${roleName} from instance profile ${instanceProfileName}`,
      params: {instanceProfileName, roleName},
    })
  }

  steps.push({action: 'delete-instance-profile', description: `Delete instance profile ${instanceProfileName}`, params: {instanceProfileName}})
  return steps
}
