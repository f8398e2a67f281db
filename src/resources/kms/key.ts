import type {GetKeyRotationStatusResponse, KMS, KeyMetadata, Tag} from '@aws-sdk/client-kms'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf, numberParam, requestIdsOf, stringParam, unknownStep} from '../../cleanup/deleting.js'
import type {DeleteContext, ScheduledDeletion} from '../../cleanup/types.js'
import {locationOf} from '../ec2/arn.js'
import {apiResource, isoDate, nameFromTags, parsePolicyDocument} from '../normalize.js'
import type {CollectContext, Relationship, RelationshipKind, Resource, ResourceSpec} from '../types.js'

/**
 * A customer managed key: DescribeKey's KeyMetadata with its tags, aliases, key policy and, where
 * rotation applies, its rotation status.
 */
export interface KeyItem extends KeyMetadata {
  /** ListResourceTags' tags, in KMS's own `{TagKey, TagValue}` form. */
  Tags: Tag[]
  /** Names (`alias/…`) of the aliases pointing at the key, sorted. */
  Aliases: string[]
  /** The key policy (`default`, the only policy name a key has), parsed. */
  KeyPolicy?: unknown
  /**
   * Whether automatic rotation is on. Absent where rotation does not apply (asymmetric, HMAC, imported or
   * custom key store keys) or KMS does not answer with the key's setting (keys neither enabled nor disabled):
   * GetKeyRotationStatus is not asked for those.
   */
  KeyRotationEnabled?: boolean
  /** Days between automatic rotations, where rotation is on. */
  RotationPeriodInDays?: number
  /** When the key is next rotated; moves forward by itself at every rotation. */
  NextRotationDate?: Date | string
}

// Keys described at once; each description is a DescribeKey followed by three parallel calls.
const keyConcurrency = 8

// What GetKeyRotationStatus tells: absent together where it was not asked (see `rotationStatus`).
const rotationFields = ['KeyRotationEnabled', 'RotationPeriodInDays', 'NextRotationDate'] as const

// Errors GetKeyRotationStatus gives for a key rotation does not apply to (or no longer applies to, if
// the key changed state since DescribeKey): the key is kept, without a rotation status.
const rotationNotApplicable = new Set(['UnsupportedOperationException', 'KMSInvalidStateException'])

export const key: ResourceSpec<KeyItem> = {
  type: 'AWS::KMS::Key',
  service: 'kms',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html',

  async *list(ctx) {
    const kms = await ctx.clients.get('kms', ctx.region)
    // One ListAliases per cell names every key; AWS managed aliases (`alias/aws/…`) just go unused.
    const aliases = aliasesByKey(await collectPages(paginateItems((r) => kms.listAliases(r), {Limit: 100}, 'Marker', 'NextMarker', 'Aliases')))
    for await (const page of paginateItems((r) => kms.listKeys(r), {Limit: 1000}, 'Marker', 'NextMarker', 'Keys')) {
      const ids = page.map((k) => k.KeyId).filter((id): id is string => id !== undefined)
      // A key deleted since it was listed fails with NotFoundException and is skipped; AWS managed keys
      // come back undefined (they are AWS's to manage, not the account's) and are dropped too.
      yield* describeInBatches(ids, keyConcurrency, ctx.signal, (KeyId) => unlessDeleted(() => describeKey(kms, KeyId, aliases.get(KeyId) ?? [])))
    }
  },

  // No fromConfigItem: AWS Config's item for the type (DescribeKey's metadata with the rotation status as a
  // supplementary entry, per its documented properties) has neither the key policy nor the aliases nor the
  // rotation period stored here: both sources could not give the same configuration.

  toResource(item, ctx) {
    const tags: Record<string, string> = {}
    for (const tag of item.Tags) if (tag.TagKey !== undefined) tags[tag.TagKey] = tag.TagValue ?? ''
    const id = item.KeyId ?? ''
    return apiResource(ctx, {
      arn: item.Arn ?? keyArn(ctx, id),
      type: key.type,
      id,
      // Keys have no name of their own: the alias people know them by, else the key id.
      name: nameFromTags(tags, item.Aliases[0] ?? id),
      createdAt: isoDate(item.CreationDate),
      tags,
      configuration: item,
    })
  },

  relationships(resource) {
    // A multi-Region replica shares its primary's key material, and KMS deletes a primary only after its
    // last replica: the replica goes first, and a replica that stays keeps its primary.
    const {MultiRegionConfiguration: multiRegion} = resource.configuration as Pick<KeyMetadata, 'MultiRegionConfiguration'>
    const primary = multiRegion?.MultiRegionKeyType === 'REPLICA' ? multiRegion.PrimaryKey?.Arn : undefined
    return primary === undefined ? [] : kmsKeyEdges(resource, [primary], 'uses')
  },

  // A queue, topic or bucket may name its key by an alias (KmsMasterKeyId: alias/app-data).
  alsoNamed: (resource) => (resource.configuration as Partial<KeyItem>).Aliases ?? [],

  // Other resources depend on keys (see kmsKeyEdges); a key depends only on its primary key.
  dependsOn: ['AWS::KMS::Key'],
  volatile: ['NextRotationDate'],
  // A key whose rotation status was not read (GetKeyRotationStatus answers every key it applies to with a
  // boolean) has no rotation fields: that they are missing is no change of its rotation.
  unreadFields: (configuration) => (configuration.KeyRotationEnabled === undefined ? rotationFields : []),
  // Whether a key can be used at all, and how it rotates, are security settings whatever their names.
  securityFields: ['Enabled', 'KeyState', 'DeletionDate', 'PendingDeletionWindowInDays', 'KeyRotationEnabled', 'RotationPeriodInDays'],
  sets: {
    Tags: 'TagKey',
    Aliases: '.',
    EncryptionAlgorithms: '.',
    SigningAlgorithms: '.',
    MacAlgorithms: '.',
    KeyAgreementAlgorithms: '.',
    EncapsulationAlgorithms: '.',
    'MultiRegionConfiguration.ReplicaKeys': 'Arn',
  },

  // KMS never deletes a key at once: it schedules the deletion after a waiting period (7 days, the
  // shortest), during which the key is unusable and the deletion can still be cancelled.
  deleter: {
    steps(resource) {
      const id = resource.id
      // A replica's ReplicaKeys lists the replicas too, itself included: only a primary waits for them.
      const multiRegion = (resource.configuration as Pick<KeyMetadata, 'MultiRegionConfiguration'>).MultiRegionConfiguration
      const when = multiRegion?.MultiRegionKeyType === 'PRIMARY' && (multiRegion.ReplicaKeys ?? []).length > 0 ? `${pendingWindowInDays} days after its last replica key is deleted` : `in ${pendingWindowInDays} days`
      return [
        {
          action: 'schedule-key-deletion',
          description: `Schedule the deletion of KMS key ${id} ${when} (it can be cancelled until then; what is encrypted under it cannot be decrypted once it is deleted)`,
          params: {keyId: id, pendingWindowInDays},
        },
      ]
    },

    deletionUnderWay(resource) {
      const metadata = resource.configuration as Pick<KeyMetadata, 'DeletionDate' | 'KeyState'>
      if (!isScheduled(metadata.KeyState)) return undefined
      const date = metadata.DeletionDate === undefined ? '' : ` for ${String(metadata.DeletionDate)}`
      return `its deletion is already scheduled${date} (key state ${metadata.KeyState}): nothing is left to do`
    },

    async current(ctx, item) {
      const kms = await ctx.clients.get('kms', ctx.region)
      const aliases = await unlessDeleted(async () => collectPages(paginateItems((r) => kms.listAliases(r), {KeyId: item.id, Limit: 100}, 'Marker', 'NextMarker', 'Aliases')))
      const described = aliases === undefined ? undefined : await unlessDeleted(() => describeKey(kms, item.id, aliasesByKey(aliases).get(item.id) ?? []))
      // A key scheduled for deletion is going: a run after the one that scheduled it has nothing to do.
      if (described === undefined || isScheduled(described.KeyState)) return undefined
      return currentStateOf(await key.toResource(described, collectContextOf(ctx)))
    },

    async run(ctx, item, step) {
      if (step.action !== 'schedule-key-deletion') throw unknownStep(item, step)
      const kms = await ctx.clients.get('kms', ctx.region)
      const KeyId = stringParam(step, 'keyId')
      // Not found: the runner reports the key gone.
      const {KeyMetadata: metadata} = await kms.describeKey({KeyId})
      if (metadata === undefined) throw new Error(`DescribeKey returned no metadata for ${KeyId}`)
      if (isScheduled(metadata.KeyState)) return {status: 'done', detail: scheduledDetail(metadata), scheduled: scheduledOn(metadata)}

      const replicas = metadata.MultiRegionConfiguration?.ReplicaKeys ?? []
      if (metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'PRIMARY' && replicas.length > 0) {
        // KMS would accept the schedule but keep the primary, unusable, until every replica is deleted:
        // its replicas must be scheduled first (the planner orders them before it).
        const live = await unscheduledReplicas(ctx, replicas)
        if (live.length > 0) {
          return {status: 'hold', detail: `a multi-Region primary key is deleted after its replicas, and ${live.length} of them ${live.length === 1 ? 'is' : 'are'} not scheduled for deletion`, blockedBy: live}
        }
      }

      const scheduled = await kms.scheduleKeyDeletion({KeyId, PendingWindowInDays: numberParam(step, 'pendingWindowInDays')})
      return {status: 'done', detail: scheduledDetail(scheduled), scheduled: scheduledOn(scheduled), requestIds: requestIdsOf(scheduled)}
    },
  },
}

/** The waiting period of scheduled key deletions: the shortest KMS allows. */
const pendingWindowInDays = 7

/** Whether a key state means its deletion is scheduled (for a primary: once its replicas are deleted). */
function isScheduled(state: string | undefined): boolean {
  return state === 'PendingDeletion' || state === 'PendingReplicaDeletion'
}

/** "scheduled for deletion on <date>", from DescribeKey's or ScheduleKeyDeletion's answer. */
function scheduledDetail(answer: {DeletionDate?: Date; PendingDeletionWindowInDays?: number; PendingWindowInDays?: number}): string {
  if (answer.DeletionDate !== undefined) return `scheduled for deletion on ${answer.DeletionDate.toISOString()}`
  const days = answer.PendingDeletionWindowInDays ?? answer.PendingWindowInDays
  return `scheduled for deletion ${days ?? pendingWindowInDays} days after its last replica key is deleted`
}

/** The executor's record of a scheduled deletion: its date, when KMS says (a primary's waits for its replicas). */
function scheduledOn(answer: {DeletionDate?: Date}): ScheduledDeletion {
  return {deletionDate: answer.DeletionDate?.toISOString() ?? null}
}

/** ARNs of the replica keys that exist and are not scheduled for deletion, each asked in its own region. */
async function unscheduledReplicas(ctx: DeleteContext, replicas: ReadonlyArray<{Arn?: string; Region?: string}>): Promise<string[]> {
  const live: string[] = []
  for (const replica of replicas) {
    if (replica.Arn === undefined || replica.Region === undefined) continue
    const kms = await ctx.clients.get('kms', replica.Region)
    const found = await unlessDeleted(() => kms.describeKey({KeyId: replica.Arn}))
    if (found?.KeyMetadata !== undefined && !isScheduled(found.KeyMetadata.KeyState)) live.push(replica.Arn)
  }

  return live
}

/** Alias names AWS reserves for its managed keys (`alias/aws/ebs`): a customer managed key cannot have one. */
const awsManagedAlias = /^alias\/aws\//

async function describeKey(kms: KMS, KeyId: string, aliases: string[]): Promise<KeyItem | undefined> {
  // The reserved alias marks an AWS managed key even where KeyManager says otherwise (emulators answer
  // CUSTOMER for the alias/aws/ebs key they create for encrypted volumes).
  if (aliases.some((alias) => awsManagedAlias.test(alias))) return undefined
  const {KeyMetadata: metadata} = await kms.describeKey({KeyId})
  if (metadata === undefined || metadata.KeyManager !== 'CUSTOMER') return undefined
  const [Tags, policy, rotation] = await Promise.all([
    collectPages(paginateItems((r) => kms.listResourceTags(r), {KeyId, Limit: 50}, 'Marker', 'NextMarker', 'Tags')),
    kms.getKeyPolicy({KeyId, PolicyName: 'default'}),
    rotationStatus(kms, metadata),
  ])
  return {
    ...metadata,
    Tags,
    Aliases: aliases,
    KeyPolicy: parsePolicyDocument(policy.Policy),
    KeyRotationEnabled: rotation?.KeyRotationEnabled,
    RotationPeriodInDays: rotation?.RotationPeriodInDays,
    NextRotationDate: rotation?.NextRotationDate,
  }
}

type RotationTraits = Pick<KeyMetadata, 'KeySpec' | 'CustomerMasterKeySpec' | 'Origin' | 'KeyState'>

/**
 * Whether automatic rotation can be configured for the key: symmetric encryption keys with key
 * material generated by KMS, in the Enabled state. Asymmetric, HMAC, imported and custom key store
 * keys cannot rotate automatically, and a key that is not enabled is not rotated.
 */
export function rotationApplies(metadata: RotationTraits): boolean {
  return canRotate(metadata) && metadata.KeyState === 'Enabled'
}

/**
 * Whether GetKeyRotationStatus tells the key's own setting: for keys that can rotate, enabled or disabled
 * (disabling a key keeps its setting, though KMS does not rotate it meanwhile). A key pending deletion
 * answers false whatever its setting, which comes back if the deletion is cancelled: not asked.
 */
function rotationReadable(metadata: RotationTraits): boolean {
  return canRotate(metadata) && (metadata.KeyState === 'Enabled' || metadata.KeyState === 'Disabled')
}

/** Symmetric encryption keys with key material generated by KMS. */
function canRotate(metadata: RotationTraits): boolean {
  // KeySpec replaced CustomerMasterKeySpec: the old name is read where the new one is missing.
  const spec = metadata.KeySpec ?? metadata.CustomerMasterKeySpec
  return spec === 'SYMMETRIC_DEFAULT' && metadata.Origin === 'AWS_KMS'
}

async function rotationStatus(kms: KMS, metadata: KeyMetadata): Promise<GetKeyRotationStatusResponse | undefined> {
  if (!rotationReadable(metadata)) return undefined
  try {
    return await kms.getKeyRotationStatus({KeyId: metadata.KeyId})
  } catch (error) {
    // Not applicable after all: keep the key without a status. Denials and throttling still propagate.
    if (rotationNotApplicable.has(classifyError(error).code)) return undefined
    throw error
  }
}

/** Alias names by the key they point at, each list sorted. */
function aliasesByKey(aliases: ReadonlyArray<{AliasName?: string; TargetKeyId?: string}>): Map<string, string[]> {
  const byKey = new Map<string, string[]>()
  for (const {AliasName, TargetKeyId} of aliases) {
    if (AliasName === undefined || TargetKeyId === undefined) continue
    byKey.set(TargetKeyId, [...(byKey.get(TargetKeyId) ?? []), AliasName].sort())
  }

  return byKey
}

// `arn:<partition>:kms:<region>:<account>:key/<key id>`
const keyArnPattern = /^arn:[^:]+:kms:[^:]*:\d*:key\/(.+)$/
// A bare key id: a UUID, or a multi-Region key id (`mrk-` and 32 hex digits).
const keyIdPattern = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i

// `arn:<partition>:kms:<region>:<account>:alias/<name>`
const aliasArnPattern = /^arn:[^:]+:kms:[^:]*:\d*:(alias\/.+)$/

/**
 * Edges from `resource` to the KMS keys it names, as services report them: a key ARN (kept, even in
 * another account or region), a bare key id (a key in the resource's own account and region), or an
 * alias, name or ARN (`alias/app-data`), which cleanup resolves to the key it points at then (see
 * `alsoNamed`). AWS managed aliases (`alias/aws/…`) name keys awsinv does not collect and are skipped.
 */
export function kmsKeyEdges(resource: Pick<Resource, 'arn' | 'region' | 'accountId'>, keyIds: Iterable<string | undefined | null>, kind: RelationshipKind): Relationship[] {
  const edges: Relationship[] = []
  for (const value of keyIds) {
    if (value === undefined || value === null || value === '') continue
    const fromArn = keyArnPattern.exec(value)?.[1]
    const alias = aliasArnPattern.exec(value)?.[1] ?? (value.startsWith('alias/') ? value : undefined)
    if (fromArn !== undefined) edges.push({type: key.type, arn: value, id: fromArn, kind})
    else if (keyIdPattern.test(value)) edges.push({type: key.type, arn: keyArn(locationOf(resource), value), id: value, kind})
    else if (alias !== undefined && !alias.startsWith('alias/aws/')) edges.push({type: key.type, arn: value.startsWith('arn:') ? value : aliasArn(locationOf(resource), alias), id: alias, kind})
  }

  return edges
}

function aliasArn(where: Pick<CollectContext, 'partition' | 'region' | 'accountId'>, alias: string): string {
  return `arn:${where.partition}:kms:${where.region}:${where.accountId}:${alias}`
}

function keyArn(where: Pick<CollectContext, 'partition' | 'region' | 'accountId'>, id: string): string {
  return `arn:${where.partition}:kms:${where.region}:${where.accountId}:key/${id}`
}
