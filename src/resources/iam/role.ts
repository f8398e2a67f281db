import type {AttachedPolicy, IAM, Role, Tag} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {currentStateFrom, readCurrent, runStepCall, stringParam} from '../../cleanup/deleting.js'
import type {DeleteStep} from '../../cleanup/types.js'
import {
  type ConfigItem,
  arnPartition,
  configDate,
  fromDirectShape,
  isCurrentItem,
  itemConfiguration,
  listOf,
  stringOf,
  tagList,
  tagsFrom,
} from '../config-item.js'
import {apiResource, isoDate, orderSets, parsePolicyDocument, tagsFromList} from '../normalize.js'
import type {CollectContext, Resource, ResourceSpec} from '../types.js'
import {attachedPolicyRelationships, policy, policyRemovalSteps} from './policy.js'

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

  toResource: (item, ctx) => roleResource(item, ctx),

  // The direct path's own builder, fed the item the direct API would have listed: the two sources
  // cannot drift apart. Only the source (and, through an aggregator, the account) differ.
  fromConfigItem: (item, ctx) => (isCurrentItem(item) ? fromDirectShape(item, roleResource(roleItemFromConfig(item, ctx), ctx)) : undefined),

  relationships: (resource) => attachedPolicyRelationships(resource),

  // A role's policies are detached before the role is deleted.
  dependsOn: [policy.type],
  // Moves whenever someone assumes the role (ListRoles leaves it out, GetRole and Config include it).
  volatile: ['RoleLastUsed'],
  uniqueId: 'RoleId',
  sets: {Tags: 'Key', AttachedPolicies: 'PolicyArn', InlinePolicyNames: '.', InstanceProfiles: 'Arn'},

  // Service-linked roles never get here: the planner always protects them (they go with their service).
  deleter: {
    steps: roleSteps,

    current: (ctx, item) =>
      readCurrent(async () => {
        const iam = await ctx.clients.get('iam', ctx.region)
        // GetRole answers NoSuchEntity for a deleted role, and carries its id and every tag (at most 50):
        // one call says all three.
        const {Role: found} = await iam.getRole({RoleName: item.id})
        // Its ARN carries its path: a service-linked or /aws-reserved/ role is protected whatever the plan says.
        return {...currentStateFrom(found?.Tags, found?.RoleId), ...(found?.Arn ? {arn: found.Arn} : {})}
      }),

    async run(ctx, _item, step) {
      const iam = await ctx.clients.get('iam', ctx.region)
      const p = (name: string) => stringParam(step, name)
      return runStepCall(step, {
        'detach-role-policy': () => iam.detachRolePolicy({RoleName: p('roleName'), PolicyArn: p('policyArn')}),
        'delete-role-policy': () => iam.deleteRolePolicy({RoleName: p('roleName'), PolicyName: p('policyName')}),
        'delete-role': () => iam.deleteRole({RoleName: p('roleName')}),
      })
    },
  },
}

/**
 * The role's managed policies (detached) and inline policies, then the role; a permissions boundary needs
 * no step. Its instance profiles are not touched here: a profile `uses` its role, so the planner deletes
 * the profile first (its own steps take the role out) and keeps the role when a profile stays. Taking the
 * role out from here could only ever change a profile that stays, e.g. one an instance still runs with.
 */
function roleSteps(resource: Resource): DeleteStep[] {
  const roleName = resource.id
  return [...policyRemovalSteps('role', roleName, resource.configuration), {action: 'delete-role', description: `Delete role ${roleName}`, params: {roleName}}]
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

/**
 * The canonical configuration: the fields both ListRoles (+ the per-role lists) and AWS Config's role
 * item carry. Config's item is modelled on GetAccountAuthorizationDetails' RoleDetail, so left out are:
 * - `Description`, `MaxSessionDuration`: ListRoles returns them, Config's item does not record them.
 * - `PermissionsBoundary`: Config records it, ListRoles never returns it (only GetRole would).
 * - `RoleLastUsed`: moves whenever the role is assumed; ListRoles leaves it out.
 * - Inline policy documents: Config records them, the direct path lists only their names.
 */
function roleConfiguration(item: RoleItem): Record<string, unknown> {
  return orderSets(
    {
      Path: item.Path,
      RoleName: item.RoleName,
      RoleId: item.RoleId,
      Arn: item.Arn,
      CreateDate: isoDate(item.CreateDate) ?? undefined,
      AssumeRolePolicyDocument: item.AssumeRolePolicyDocument,
      Tags: item.Tags.map(({Key, Value}) => ({Key, Value})),
      AttachedPolicies: item.AttachedPolicies.map(({PolicyName, PolicyArn}) => ({PolicyName, PolicyArn})),
      InlinePolicyNames: item.InlinePolicyNames,
      InstanceProfiles: item.InstanceProfiles.map(({InstanceProfileName, InstanceProfileId, Arn}) => ({InstanceProfileName, InstanceProfileId, Arn})),
    },
    role.sets,
  )
}

interface ConfigRoleEntry {
  roleName?: string
  roleId?: string
}

interface ConfigInstanceProfile {
  path?: string
  instanceProfileName?: string
  instanceProfileId?: string
  roles?: ConfigRoleEntry[]
}

/**
 * The role as the direct path would assemble it, from a Config item (camelCase `configuration`, policy
 * documents URL-encoded). ARNs are built from path and name, as IAM builds them: the emulator (moto 5.2)
 * writes role ARNs without the path and instance profile ARNs with the role's name. It also lists every
 * instance profile that holds any role under each role, so profiles are kept only when they hold this one.
 */
function roleItemFromConfig(item: ConfigItem, ctx: Pick<CollectContext, 'partition' | 'accountId'>): RoleItem {
  const configuration = itemConfiguration(item)
  const arn = typeof configuration.arn === 'string' ? configuration.arn : item.arn
  const partition = arnPartition(arn, ctx.partition)
  const accountId = item.accountId || arn?.split(':')[4] || ctx.accountId
  const RoleName = stringOf(configuration.roleName) ?? item.resourceName ?? ''
  const RoleId = stringOf(configuration.roleId)
  const Path = stringOf(configuration.path) ?? '/'
  const createDate = configDate(configuration.createDate) ?? configDate(item.resourceCreationTime)
  const tags = configuration.tags === undefined || configuration.tags === null ? tagsFrom(item.tags) : tagsFrom(configuration.tags)
  const profiles = listOf<ConfigInstanceProfile>(configuration.instanceProfileList).filter((p) => {
    const roles = p.roles ?? []
    return roles.length === 0 || roles.some((r) => (RoleId !== undefined && r.roleId === RoleId) || r.roleName === RoleName)
  })

  return {
    Path,
    RoleName,
    RoleId,
    Arn: `arn:${partition}:iam::${accountId}:role${Path}${RoleName}`,
    CreateDate: createDate === null ? undefined : new Date(createDate),
    AssumeRolePolicyDocument: parsePolicyDocument(stringOf(configuration.assumeRolePolicyDocument)),
    Tags: tagList(tags),
    AttachedPolicies: listOf<{policyName?: string; policyArn?: string}>(configuration.attachedManagedPolicies).map((p) => ({
      PolicyName: p.policyName,
      PolicyArn: p.policyArn,
    })),
    InlinePolicyNames: listOf<{policyName?: string}>(configuration.rolePolicyList)
      .map((p) => p.policyName)
      .filter((name): name is string => name !== undefined),
    InstanceProfiles: profiles.map((p) => ({
      InstanceProfileName: p.instanceProfileName,
      InstanceProfileId: p.instanceProfileId,
      Arn: `arn:${partition}:iam::${accountId}:instance-profile${p.path ?? '/'}${p.instanceProfileName ?? ''}`,
    })),
  }
}

/** The canonical resource of a RoleItem in the direct-API shape, whichever source it came from. */
function roleResource(item: RoleItem, ctx: Pick<CollectContext, 'region' | 'accountId'>): Resource {
  const tags = tagsFromList(item.Tags)
  return apiResource(ctx, {
    arn: item.Arn ?? '',
    type: role.type,
    id: item.RoleName ?? '',
    name: item.RoleName ?? '',
    region: 'global',
    createdAt: isoDate(item.CreateDate),
    tags,
    configuration: roleConfiguration(item),
  })
}
