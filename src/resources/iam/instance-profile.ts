import type {InstanceProfile, Tag} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {describeInBatches, paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
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
}
