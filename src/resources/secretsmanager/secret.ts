import type {SecretListEntry, SecretsManager} from '@aws-sdk/client-secrets-manager'

import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf, numberParam, requestIdsOf, stringListParam, stringParam, unknownStep} from '../../cleanup/deleting.js'
import type {DeleteStep, StepOutcome} from '../../cleanup/types.js'
import {lambdaFunction} from '../lambda/function.js'
import {apiResource, isoDate, orderSets, tagsFromList} from '../normalize.js'
import type {Relationship, Resource, ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/**
 * A secret as ListSecrets describes it: metadata only. awsinv never calls GetSecretValue, and no
 * Secrets Manager listing returns a secret's value.
 */
export type SecretItem = SecretListEntry

export const secret: ResourceSpec<SecretItem> = {
  type: 'AWS::SecretsManager::Secret',
  service: 'secretsmanager',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html',

  async *list(ctx) {
    const secretsManager = await ctx.clients.get('secretsmanager', ctx.region)
    // A secret scheduled for deletion still exists until its recovery window ends (it can be restored):
    // it is listed, with its `DeletedDate`. Replicas are listed in their own region, with `PrimaryRegion`.
    yield* paginateItems((r) => secretsManager.listSecrets(r), {IncludePlannedDeletion: true, MaxResults: 100}, 'NextToken', 'NextToken', 'SecretList')
  },

  // No fromConfigItem: AWS Config's item for the type (CloudFormation-shaped: Name, KMSKeyId,
  // RotationEnabled, RotationRules…, per its documented properties) has none of ListSecrets' dates
  // (LastRotatedDate, LastChangedDate, LastAccessedDate, NextRotationDate), and the rotation check measures
  // a secret's age from LastRotatedDate: read through Config, a rotating secret would look never rotated.

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    const arn = item.ARN ?? ''
    return apiResource(ctx, {
      arn,
      type: secret.type,
      // Every secret call takes the ARN, which (unlike the name) a recreated secret does not share.
      id: arn,
      name: item.Name ?? arn,
      createdAt: isoDate(item.CreatedDate),
      tags,
      configuration: secretConfiguration(item),
    })
  },

  relationships(resource) {
    const edges: Relationship[] = []
    const rotationFunction = functionArn(resource.configuration.RotationLambdaARN)
    if (rotationFunction !== undefined) edges.push({type: lambdaFunction.type, arn: rotationFunction, kind: 'uses'})
    // A replica is a copy its primary keeps in sync, and Secrets Manager deletes a primary only once it
    // has no replicas: the replica goes first, and a replica that stays keeps its primary.
    const primary = primaryOf(resource)
    if (primary !== undefined) edges.push({type: secret.type, arn: primary.arn, kind: 'uses'})
    // Its value is encrypted with this key: a secret that stays keeps it.
    edges.push(...kmsKeyEdges(resource, [resource.configuration.KmsKeyId as string | undefined], 'uses'))
    return edges
  },

  // A secret rotates through its Lambda function: it goes before the function, which would otherwise
  // leave it with a rotation that cannot run. A replica goes before its primary secret, and a secret
  // before the KMS key its value is encrypted with.
  dependsOn: [lambdaFunction.type, 'AWS::SecretsManager::Secret', 'AWS::KMS::Key'],
  // `LastAccessedDate` moves (to the day) whenever an application reads the value; `NextRotationDate` is
  // computed by Secrets Manager from the schedule. A new value (`LastChangedDate`) or a rotation
  // (`LastRotatedDate`) is a real change of the secret and is compared.
  volatile: ['LastAccessedDate', 'NextRotationDate'],
  securityFields: ['RotationEnabled', 'RotationRules', 'RotationLambdaARN', 'ExternalSecretRotationRoleArn'],
  sets: {Tags: 'Key', ExternalSecretRotationMetadata: 'Key'},

  // A secret is never deleted at once: its deletion is scheduled after a 7-day recovery window (the
  // shortest; RestoreSecret brings it back until then), never forced. A replica is removed from its
  // primary's replication, which deletes the replica at once (the primary keeps the secret).
  deleter: {
    steps(resource) {
      const primary = primaryOf(resource)
      if (primary !== undefined) {
        return [
          {
            action: 'remove-regions-from-replication',
            description: `Remove the replica of secret ${resource.name} in ${resource.region} from the replication of its primary ${primary.arn}: the replica is deleted at once`,
            params: {secretId: primary.arn, primaryRegion: primary.region, regions: [resource.region]},
          },
        ]
      }

      return [
        {
          action: 'delete-secret',
          description: `Schedule the deletion of secret ${resource.name} in ${recoveryWindowInDays} days (it can be restored until then)`,
          params: {secretId: resource.arn, recoveryWindowInDays},
        },
      ]
    },

    // A replica's removal names its primary: the same ARN in the primary's region, removing this region only.
    ownStep(item, step) {
      if (step.action !== 'remove-regions-from-replication') return undefined
      const {secretId, primaryRegion, regions} = step.params
      if (typeof primaryRegion !== 'string' || !Array.isArray(regions)) return false
      const parts = item.arn.split(':')
      const primaryArn = [...parts.slice(0, 3), primaryRegion, ...parts.slice(4)].join(':')
      return secretId === primaryArn && regions.length === 1 && regions[0] === item.region
    },

    deletionUnderWay(resource) {
      const {DeletedDate: deleted} = resource.configuration as {DeletedDate?: unknown}
      if (deleted === undefined || deleted === null) return undefined
      return `its deletion is already scheduled (deleted on ${String(deleted)}, in its recovery window): nothing is left to do`
    },

    async current(ctx, item) {
      const secretsManager = await ctx.clients.get('secretsmanager', ctx.region)
      const described = await unlessDeleted(() => secretsManager.describeSecret({SecretId: item.id}))
      // A secret scheduled for deletion is going: a run after the one that scheduled it has nothing to do.
      if (described === undefined || described.DeletedDate !== undefined) return undefined
      // DescribeSecret's answer in the shape of a ListSecrets entry, for the canonical configuration.
      const {$metadata: _metadata, VersionIdsToStages: _versions, ReplicationStatus: _replicas, ...entry} = described
      return currentStateOf(await secret.toResource(entry, collectContextOf(ctx)))
    },

    async run(ctx, item, step) {
      switch (step.action) {
        case 'delete-secret': {
          return deleteSecret(await ctx.clients.get('secretsmanager', ctx.region), step)
        }

        case 'remove-regions-from-replication': {
          const primary = await ctx.clients.get('secretsmanager', stringParam(step, 'primaryRegion'))
          const SecretId = stringParam(step, 'secretId')
          const described = await unlessDeleted(() => primary.describeSecret({SecretId}))
          const replicated = new Set((described?.ReplicationStatus ?? []).map((r) => r.Region))
          const regions = stringListParam(step, 'regions').filter((r) => replicated.has(r))
          if (regions.length === 0) return {status: 'gone', detail: `${SecretId} has no replica in ${stringListParam(step, 'regions').join(', ')}`}
          return {status: 'done', requestIds: requestIdsOf(await primary.removeRegionsFromReplication({SecretId, RemoveReplicaRegions: regions}))}
        }

        default: {
          throw unknownStep(item, step)
        }
      }
    },
  },
}

/** The recovery window of scheduled secret deletions: the shortest Secrets Manager allows. */
const recoveryWindowInDays = 7

/** A replica's primary secret (same ARN, in the primary's region), or undefined for a secret that is not a replica. */
function primaryOf(resource: Pick<Resource, 'arn' | 'region' | 'configuration'>): {arn: string; region: string} | undefined {
  const {PrimaryRegion: region} = resource.configuration as {PrimaryRegion?: string}
  if (region === undefined || region === '' || region === resource.region) return undefined
  return {arn: arnInRegion(resource.arn, region), region}
}

/** A secret's ARN in another region: its replicas' (and a replica's primary's) ARNs differ only there. */
function arnInRegion(arn: string, region: string): string {
  const parts = arn.split(':')
  parts[3] = region
  return parts.join(':')
}

async function deleteSecret(secretsManager: SecretsManager, step: DeleteStep): Promise<StepOutcome> {
  const SecretId = stringParam(step, 'secretId')
  // Not found: the runner reports the secret gone.
  const described = await secretsManager.describeSecret({SecretId})
  if (described.DeletedDate !== undefined) {
    const deletionDate = described.DeletedDate.toISOString()
    return {status: 'done', detail: `scheduled for deletion on ${deletionDate}`, scheduled: {deletionDate}}
  }
  const replicas = (described.ReplicationStatus ?? []).map((r) => r.Region).filter((r): r is string => r !== undefined)
  if (replicas.length > 0) {
    // Each replica is deleted by its own item, which the planner puts first.
    const blockedBy = replicas.map((region) => arnInRegion(SecretId, region))
    return {status: 'hold', detail: `a secret is deleted only without replicas, and it still has ${replicas.length === 1 ? 'one' : replicas.length} in ${replicas.join(', ')}`, blockedBy}
  }

  const deleted = await secretsManager.deleteSecret({SecretId, RecoveryWindowInDays: numberParam(step, 'recoveryWindowInDays')})
  const deletionDate = deleted.DeletionDate?.toISOString() ?? null
  return {status: 'done', detail: `scheduled for deletion on ${deletionDate ?? 'an unknown date'}`, scheduled: {deletionDate}, requestIds: requestIdsOf(deleted)}
}

/**
 * The ListSecrets entry without `SecretVersionsToStages`: version ids are minted afresh for every new
 * value, so they would report each rotation a second time; `LastChangedDate` already records it.
 */
function secretConfiguration(item: SecretItem): Record<string, unknown> {
  const {SecretVersionsToStages: _versions, ...kept} = item
  return orderSets({...kept, Tags: kept.Tags ?? []} as Record<string, unknown>, secret.sets)
}

/** The function ARN of a rotation function (`…:function:<name>`, without a version or alias), if set. */
function functionArn(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return undefined
  return value.split(':').slice(0, 7).join(':')
}
