import type {AttachedPolicy, Policy, Tag} from '@aws-sdk/client-iam'

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
import type {CollectContext, Relationship, Resource, ResourceSpec} from '../types.js'

/** A customer managed policy with its default version's document, its version ids and its tags. */
export interface PolicyItem extends Policy {
  /** The default version's policy document, parsed. */
  Document?: unknown
  /** Every version's id, the default one included (ListPolicyVersions): the others are deleted before the policy. */
  VersionIds: string[]
  Tags: Tag[]
}

// Items described at once; each description is itself a few parallel calls.
const policyConcurrency = 4

export const policy: ResourceSpec<PolicyItem> = {
  type: 'AWS::IAM::Policy',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    // Local = customer managed: AWS managed policies are not resources of the account.
    const request = {Scope: 'Local' as const, MaxItems: 1000}
    for await (const page of paginateItems((r) => iam.listPolicies(r), request, 'Marker', 'Marker', 'Policies')) {
      yield* describeInBatches(page, policyConcurrency, ctx.signal, (p) =>
        unlessDeleted(async (): Promise<PolicyItem> => {
          const PolicyArn = p.Arn ?? ''
          const [version, versions, Tags] = await Promise.all([
            p.DefaultVersionId === undefined ? undefined : iam.getPolicyVersion({PolicyArn, VersionId: p.DefaultVersionId}),
            collectPages(paginateItems((r) => iam.listPolicyVersions(r), {PolicyArn}, 'Marker', 'Marker', 'Versions')),
            collectPages(paginateItems((r) => iam.listPolicyTags(r), {PolicyArn}, 'Marker', 'Marker', 'Tags')),
          ])
          const VersionIds = versions.map((v) => v.VersionId).filter((id): id is string => id !== undefined)
          return {...p, Document: parsePolicyDocument(version?.PolicyVersion?.Document), VersionIds, Tags}
        }),
      )
    }
  },

  toResource: (item, ctx) => policyResource(item, ctx),

  // The direct path's own builder, fed the item the direct API would have listed: the two sources
  // cannot drift apart. Only the source (and, through an aggregator, the account) differ.
  fromConfigItem: (item, ctx) => (isCurrentItem(item) ? fromDirectShape(item, policyResource(policyItemFromConfig(item, ctx), ctx)) : undefined),

  // Both counters move when other resources attach the policy or use it as a boundary. UpdateDate moves
  // with every new default version, which Document, DefaultVersionId and VersionIds report; AWS Config and
  // the direct calls can give it a millisecond apart.
  volatile: ['AttachmentCount', 'PermissionsBoundaryUsageCount', 'UpdateDate'],
  uniqueId: 'PolicyId',
  sets: {Tags: 'Key', VersionIds: '.'},
  // The permissions the policy grants: its default version's document, and which version is the default.
  securityFields: ['Document', 'DefaultVersionId'],

  // AWS managed policies never get here: the planner always protects them.
  deleter: {
    steps: policySteps,

    current: (ctx, item) =>
      readCurrent(async () => {
        const iam = await ctx.clients.get('iam', ctx.region)
        // GetPolicy answers NoSuchEntity for a deleted policy, and carries its id and every tag (at most 50):
        // one call says all three.
        const {Policy: found} = await iam.getPolicy({PolicyArn: item.id})
        return currentStateFrom(found?.Tags, found?.PolicyId)
      }),

    async run(ctx, _item, step) {
      const iam = await ctx.clients.get('iam', ctx.region)
      const p = (name: string) => stringParam(step, name)
      return runStepCall(step, {
        'delete-policy-version': () => iam.deletePolicyVersion({PolicyArn: p('policyArn'), VersionId: p('versionId')}),
        'delete-policy': () => iam.deletePolicy({PolicyArn: p('policyArn')}),
      })
    },
  },
}

/**
 * Every version but the default one (DeletePolicy refuses a policy that has others; the default goes with
 * the policy), then the policy. Its attachments need no step: every user, group and role it is attached to
 * is `attached-to` it, so the planner deletes them first (their steps detach it) and keeps the policy when
 * one of them stays. Its use as a permissions boundary is not collected (ListUsers and ListRoles leave
 * boundaries out): DeletePolicy then fails with DeleteConflict until the entity is gone, and is retried.
 */
function policySteps(resource: Resource): DeleteStep[] {
  const config = resource.configuration as Partial<PolicyItem>
  const policyArn = resource.id
  const steps: DeleteStep[] = []
  for (const versionId of config.VersionIds ?? []) {
    if (versionId === config.DefaultVersionId) continue
    steps.push({action: 'delete-policy-version', description: `Delete version ${versionId} of policy ${resource.name}`, params: {policyArn, versionId}})
  }

  steps.push({action: 'delete-policy', description: `Delete policy ${policyArn}`, params: {policyArn}})
  return steps
}

const awsManagedPolicyArn = /^arn:[^:]+:iam::aws:policy\//

/**
 * `attached-to` edges to the customer managed policies listed under `AttachedPolicies` in a user's,
 * group's or role's configuration. AWS managed policies belong to no account and are skipped.
 */
export function attachedPolicyRelationships(resource: Resource): Relationship[] {
  const attached = (resource.configuration.AttachedPolicies ?? []) as AttachedPolicy[]
  return attached
    .map((p) => p.PolicyArn)
    .filter((arn): arn is string => arn !== undefined && !awsManagedPolicyArn.test(arn))
    .map((arn) => ({type: policy.type, arn, kind: 'attached-to'}))
}

/**
 * The steps that detach the managed policies attached to a user, group or role (`AttachedPolicies`) and
 * delete its inline ones (`InlinePolicyNames`): DeleteUser, DeleteGroup and DeleteRole refuse an entity
 * that still has either. Actions `detach-<entity>-policy` and `delete-<entity>-policy`.
 */
export function policyRemovalSteps(entity: 'user' | 'group' | 'role', name: string, configuration: Record<string, unknown>): DeleteStep[] {
  const owner = {[`${entity}Name`]: name}
  const attached = ((configuration.AttachedPolicies ?? []) as AttachedPolicy[]).map((p) => p.PolicyArn).filter((arn): arn is string => arn !== undefined)
  const inline = (configuration.InlinePolicyNames ?? []) as string[]
  return [
    ...attached.map((policyArn) => ({action: `detach-${entity}-policy`, description: `Detach policy ${policyArn} from ${entity} ${name}`, params: {...owner, policyArn}})),
    ...inline.map((policyName) => ({action: `delete-${entity}-policy`, description: `Delete inline policy ${policyName} of ${entity} ${name}`, params: {...owner, policyName}})),
  ]
}

/**
 * The canonical configuration: the fields both ListPolicies (+ the default version's document, the version
 * ids and the tags) and AWS Config's policy item (`policyVersionList`) carry. `Description` is left out: Config records it, ListPolicies
 * never returns it (only GetPolicy would). A `PermissionsBoundaryUsageCount` of 0 is left out as the
 * default it is: the emulator's ListPolicies omits the field while its Config item always says 0.
 */
function policyConfiguration(item: PolicyItem): Record<string, unknown> {
  return orderSets(
    {
      PolicyName: item.PolicyName,
      PolicyId: item.PolicyId,
      Arn: item.Arn,
      Path: item.Path,
      DefaultVersionId: item.DefaultVersionId,
      AttachmentCount: item.AttachmentCount,
      PermissionsBoundaryUsageCount: item.PermissionsBoundaryUsageCount || undefined,
      IsAttachable: item.IsAttachable,
      CreateDate: isoDate(item.CreateDate) ?? undefined,
      UpdateDate: isoDate(item.UpdateDate) ?? undefined,
      Document: item.Document,
      VersionIds: item.VersionIds,
      Tags: item.Tags.map(({Key, Value}) => ({Key, Value})),
    },
    policy.sets,
  )
}

interface ConfigPolicyVersion {
  document?: string
  versionId?: string
  isDefaultVersion?: boolean
}

/**
 * The policy as the direct path would assemble it, from a Config item: the default version's document
 * comes from `policyVersionList` (URL-encoded). The ARN is built from path and name, as IAM builds it:
 * the emulator (moto 5.2) writes it without the path.
 */
function policyItemFromConfig(item: ConfigItem, ctx: Pick<CollectContext, 'partition' | 'accountId'>): PolicyItem {
  const configuration = itemConfiguration(item)
  const arn = stringOf(configuration.arn) ?? item.arn
  const partition = arnPartition(arn, ctx.partition)
  const accountId = item.accountId || arn?.split(':')[4] || ctx.accountId
  const PolicyName = stringOf(configuration.policyName) ?? item.resourceName ?? ''
  const Path = stringOf(configuration.path) ?? '/'
  const DefaultVersionId = stringOf(configuration.defaultVersionId)
  const versions = listOf<ConfigPolicyVersion>(configuration.policyVersionList)
  const current = versions.find((v) => v.isDefaultVersion === true) ?? versions.find((v) => v.versionId === DefaultVersionId)
  const tags = configuration.tags === undefined || configuration.tags === null ? tagsFrom(item.tags) : tagsFrom(configuration.tags)
  const createDate = configDate(configuration.createDate) ?? configDate(item.resourceCreationTime)
  const updateDate = configDate(configuration.updateDate)
  return {
    PolicyName,
    PolicyId: stringOf(configuration.policyId) ?? item.resourceId,
    Arn: `arn:${partition}:iam::${accountId}:policy${Path}${PolicyName}`,
    Path,
    DefaultVersionId,
    AttachmentCount: numberOf(configuration.attachmentCount),
    PermissionsBoundaryUsageCount: numberOf(configuration.permissionsBoundaryUsageCount),
    IsAttachable: typeof configuration.isAttachable === 'boolean' ? configuration.isAttachable : undefined,
    CreateDate: createDate === null ? undefined : new Date(createDate),
    UpdateDate: updateDate === null ? undefined : new Date(updateDate),
    Document: parsePolicyDocument(current?.document),
    VersionIds: versions.map((v) => v.versionId).filter((id): id is string => id !== undefined),
    Tags: tagList(tags),
  }
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

/** The canonical resource of a PolicyItem in the direct-API shape, whichever source it came from. */
function policyResource(item: PolicyItem, ctx: Pick<CollectContext, 'region' | 'accountId'>): Resource {
  const tags = tagsFromList(item.Tags)
  return apiResource(ctx, {
    arn: item.Arn ?? '',
    type: policy.type,
    // DeletePolicy and every other policy call take the ARN.
    id: item.Arn ?? '',
    name: item.PolicyName ?? '',
    region: 'global',
    createdAt: isoDate(item.CreateDate),
    tags,
    configuration: policyConfiguration(item),
  })
}
