import type {AttachedPolicy, Group, IAM, Tag, User} from '@aws-sdk/client-iam'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, tagsFromList} from '../normalize.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {group} from './group.js'
import {attachedPolicyRelationships, policy} from './policy.js'

/** An IAM user with what the per-user List* calls say about it. Secrets are never part of it. */
export interface UserItem extends User {
  Tags: Tag[]
  /** Access key metadata only: ListAccessKeys never returns secrets, and nothing else is kept. */
  AccessKeys: Array<{AccessKeyId?: string; Status?: string; CreateDate?: Date | string}>
  MFADevices: Array<{SerialNumber?: string; EnableDate?: Date | string}>
  /** The groups the user is in (ListGroupsForUser). */
  Groups: Group[]
  /** Managed policies attached to the user directly. */
  AttachedPolicies: AttachedPolicy[]
  /** Names of the user's inline policies (their documents are not fetched). */
  InlinePolicyNames: string[]
  /** Present when the user has a console password. */
  LoginProfile?: {CreateDate?: Date | string; PasswordResetRequired?: boolean}
}

// Users described at once; each description is itself seven parallel calls.
const userConcurrency = 4

export const user: ResourceSpec<UserItem> = {
  type: 'AWS::IAM::User',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    for await (const page of paginateItems((r) => iam.listUsers(r), {MaxItems: 1000}, 'Marker', 'Marker', 'Users')) {
      yield* describeInBatches(page, userConcurrency, ctx.signal, (u) => unlessDeleted(() => describeUser(iam, u)))
    }
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: user.type,
      id: item.UserName ?? '',
      name: item.UserName ?? '',
      region: 'global',
      createdAt: isoDate(item.CreateDate),
      tags,
      configuration: item,
    })
  },

  relationships(resource) {
    const partition = resource.arn.split(':')[1] ?? 'aws'
    const groups = (resource.configuration.Groups ?? []) as Array<{Arn?: string; GroupName?: string; Path?: string}>
    const inGroups: Relationship[] = groups.map((g) => ({
      type: group.type,
      arn: g.Arn ?? `arn:${partition}:iam::${resource.accountId}:group${g.Path ?? '/'}${g.GroupName ?? ''}`,
      kind: 'in',
    }))
    return [...inGroups, ...attachedPolicyRelationships(resource)]
  },

  // A user leaves its groups and loses its policies before it can be deleted.
  dependsOn: [group.type, policy.type],
  // Changes whenever the user signs in to the console.
  volatile: ['PasswordLastUsed'],
  uniqueId: 'UserId',
  sets: {
    Tags: 'Key',
    AccessKeys: 'AccessKeyId',
    MFADevices: 'SerialNumber',
    Groups: 'GroupName',
    AttachedPolicies: 'PolicyArn',
    InlinePolicyNames: '.',
  },
}

async function describeUser(iam: IAM, listed: User): Promise<UserItem> {
  const UserName = listed.UserName ?? ''
  const [Tags, keys, mfa, Groups, AttachedPolicies, InlinePolicyNames, LoginProfile] = await Promise.all([
    collectPages(paginateItems((r) => iam.listUserTags(r), {UserName}, 'Marker', 'Marker', 'Tags')),
    collectPages(paginateItems((r) => iam.listAccessKeys(r), {UserName}, 'Marker', 'Marker', 'AccessKeyMetadata')),
    collectPages(paginateItems((r) => iam.listMFADevices(r), {UserName}, 'Marker', 'Marker', 'MFADevices')),
    collectPages(paginateItems((r) => iam.listGroupsForUser(r), {UserName}, 'Marker', 'Marker', 'Groups')),
    collectPages(paginateItems((r) => iam.listAttachedUserPolicies(r), {UserName}, 'Marker', 'Marker', 'AttachedPolicies')),
    collectPages(paginateItems((r) => iam.listUserPolicies(r), {UserName}, 'Marker', 'Marker', 'PolicyNames')),
    loginProfile(iam, UserName),
  ])
  return {
    ...listed,
    Tags,
    AccessKeys: keys.map((k) => ({AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate})),
    MFADevices: mfa.map((d) => ({SerialNumber: d.SerialNumber, EnableDate: d.EnableDate})),
    Groups,
    AttachedPolicies,
    InlinePolicyNames,
    LoginProfile,
  }
}

/** The user's console login profile, or undefined when it has none. */
async function loginProfile(iam: IAM, UserName: string): Promise<UserItem['LoginProfile']> {
  try {
    const {LoginProfile: profile} = await iam.getLoginProfile({UserName})
    return {CreateDate: profile?.CreateDate, PasswordResetRequired: profile?.PasswordResetRequired}
  } catch (error) {
    // NoSuchEntity here means "no password", not "no user": a deleted user also fails the other calls.
    if (classifyError(error).kind === 'not_found') return undefined
    throw error
  }
}
