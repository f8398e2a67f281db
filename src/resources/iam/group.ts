import type {AttachedPolicy, Group} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {attachedPolicyRelationships, policy} from './policy.js'

/** An IAM group with its policies. Groups have no tags API; members are on the users' side. */
export interface GroupItem extends Group {
  /** Managed policies attached to the group. */
  AttachedPolicies: AttachedPolicy[]
  /** Names of the group's inline policies (their documents are not fetched). */
  InlinePolicyNames: string[]
}

// Groups described at once; each description is itself two parallel calls.
const groupConcurrency = 4

export const group: ResourceSpec<GroupItem> = {
  type: 'AWS::IAM::Group',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroups.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    for await (const page of paginateItems((r) => iam.listGroups(r), {MaxItems: 1000}, 'Marker', 'Marker', 'Groups')) {
      yield* describeInBatches(page, groupConcurrency, ctx.signal, (g) =>
        unlessDeleted(async (): Promise<GroupItem> => {
          const GroupName = g.GroupName ?? ''
          const [AttachedPolicies, InlinePolicyNames] = await Promise.all([
            collectPages(paginateItems((r) => iam.listAttachedGroupPolicies(r), {GroupName}, 'Marker', 'Marker', 'AttachedPolicies')),
            collectPages(paginateItems((r) => iam.listGroupPolicies(r), {GroupName}, 'Marker', 'Marker', 'PolicyNames')),
          ])
          return {...g, AttachedPolicies, InlinePolicyNames}
        }),
      )
    }
  },

  toResource(item, ctx) {
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: group.type,
      id: item.GroupName ?? '',
      name: item.GroupName ?? '',
      region: 'global',
      createdAt: isoDate(item.CreateDate),
      tags: {},
      configuration: item,
    })
  },

  relationships: (resource) => attachedPolicyRelationships(resource),

  // A group's policies are detached before the group is deleted.
  dependsOn: [policy.type],
  sets: {AttachedPolicies: 'PolicyArn', InlinePolicyNames: '.'},
  uniqueId: 'GroupId',
}
