import type {AttachedPolicy, IAM, Role, Tag} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, parsePolicyDocument, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {attachedPolicyRelationships, policy} from './policy.js'

/** An IAM role (service-linked ones included) with its policies, tags and instance profiles. */
export interface RoleItem extends Omit<Role, 'AssumeRolePolicyDocument'> {
  /** The trust policy, parsed (IAM returns it URL-encoded). */
  AssumeRolePolicyDocument?: unknown
  Tags: Tag[]
  /** Managed policies attached to the role. */
  AttachedPolicies: AttachedPolicy[]
  /** Names of the role's inline policies (their documents are not fetched). */
  InlinePolicyNames: string[]
  /** The instance profiles holding the role, by identity only (their edges to the role are theirs). */
  InstanceProfiles: Array<{InstanceProfileName?: string; InstanceProfileId?: string; Arn?: string}>
}

// Roles described at once; each description is itself four parallel calls.
const roleConcurrency = 4

export const role: ResourceSpec<RoleItem> = {
  type: 'AWS::IAM::Role',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    for await (const page of paginateItems((r) => iam.listRoles(r), {MaxItems: 1000}, 'Marker', 'Marker', 'Roles')) {
      yield* describeInBatches(page, roleConcurrency, ctx.signal, (r) => unlessDeleted(() => describeRole(iam, r)))
    }
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: role.type,
      id: item.RoleName ?? '',
      name: item.RoleName ?? '',
      region: 'global',
      createdAt: isoDate(item.CreateDate),
      tags,
      configuration: item,
    })
  },

  relationships: (resource) => attachedPolicyRelationships(resource),

  // A role's policies are detached before the role is deleted.
  dependsOn: [policy.type],
  // Moves whenever someone assumes the role (ListRoles leaves it out, GetRole and Config include it).
  volatile: ['RoleLastUsed'],
  sets: {Tags: 'Key', AttachedPolicies: 'PolicyArn', InlinePolicyNames: '.', InstanceProfiles: 'Arn'},
}

async function describeRole(iam: IAM, listed: Role): Promise<RoleItem> {
  const RoleName = listed.RoleName ?? ''
  const [Tags, AttachedPolicies, InlinePolicyNames, profiles] = await Promise.all([
    collectPages(paginateItems((r) => iam.listRoleTags(r), {RoleName}, 'Marker', 'Marker', 'Tags')),
    collectPages(paginateItems((r) => iam.listAttachedRolePolicies(r), {RoleName}, 'Marker', 'Marker', 'AttachedPolicies')),
    collectPages(paginateItems((r) => iam.listRolePolicies(r), {RoleName}, 'Marker', 'Marker', 'PolicyNames')),
    collectPages(paginateItems((r) => iam.listInstanceProfilesForRole(r), {RoleName}, 'Marker', 'Marker', 'InstanceProfiles')),
  ])
  return {
    ...listed,
    AssumeRolePolicyDocument: parsePolicyDocument(listed.AssumeRolePolicyDocument),
    Tags,
    AttachedPolicies,
    InlinePolicyNames,
    InstanceProfiles: profiles.map(({InstanceProfileName, InstanceProfileId, Arn}) => ({InstanceProfileName, InstanceProfileId, Arn})),
  }
}
