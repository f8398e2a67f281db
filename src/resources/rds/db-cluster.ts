import type {DBCluster, DBInstance, RDS} from '@aws-sdk/client-rds'

import {unlessDeleted} from '../../aws/errors.js'
import {collectContextOf, currentStateOf, deleteUntilGone, optionalBooleanParam, requestIdsOf, stringParam, unknownStep} from '../../cleanup/deleting.js'
import type {DeleteContext, DeleteStep, PlanItem, ResourceLink, StepOutcome} from '../../cleanup/types.js'
import {paginateItems} from '../../aws/paginate.js'
import {ec2Edges, locationOf} from '../ec2/arn.js'
import {kmsKeyEdges} from '../kms/key.js'
import {apiResource, isoDate, nameFromTags, regionalArn, tagsFromList} from '../normalize.js'
import {secret} from '../secretsmanager/secret.js'
import type {CollectContext, Resource, ResourceSpec} from '../types.js'

/** `arn:<partition>:rds:<region>:<account>:<db|cluster>:<identifier>`, as RDS writes its ARNs. */
export function rdsArn(where: Pick<CollectContext, 'partition' | 'region' | 'accountId'>, kind: 'db' | 'cluster', identifier: string): string {
  return regionalArn(where, 'rds', `${kind}:${identifier}`)
}

/** What an RDS spec reads from its item to build the canonical resource. */
export interface RdsResourceFields {
  /** The identifier (also the last segment of the ARN). */
  id: string
  /** The ARN the API returned, if any. */
  arn: string | undefined
  kind: 'db' | 'cluster'
  tagList: ReadonlyArray<{Key?: string; Value?: string}> | undefined
  createdAt: Date | undefined
}

/**
 * The canonical resource of a DescribeDBInstances / DescribeDBClusters item. Those carry the tags
 * (`TagList`): no ListTagsForResource per resource. The master password is never returned;
 * `MasterUserSecret` holds only the secret's ARN and status.
 */
export function rdsResource(ctx: CollectContext, type: string, item: object, fields: RdsResourceFields): Resource {
  const tags = tagsFromList(fields.tagList)
  return apiResource(ctx, {
    arn: fields.arn ?? rdsArn(ctx, fields.kind, fields.id),
    type,
    id: fields.id,
    name: nameFromTags(tags, fields.id),
    createdAt: isoDate(fields.createdAt),
    tags,
    configuration: item,
  })
}

// RDS deletes take minutes (longer for a large instance or a cluster's last backups): progress is checked
// every 30 s, for up to half an hour.
/** How often an RDS delete's progress is checked. */
const rdsPollMs = 30_000
/** How long an RDS instance or cluster may take to be deleted before its item fails. */
export const rdsDeleteTimeoutMs = 30 * 60_000

/** The DB instance with this identifier, or undefined when there is none. */
export async function describeDbInstance(rds: RDS, id: string): Promise<DBInstance | undefined> {
  return (await unlessDeleted(() => rds.describeDBInstances({DBInstanceIdentifier: id})))?.DBInstances?.[0]
}

/** The DB cluster with this identifier, or undefined when there is none. */
async function describeDbCluster(rds: RDS, id: string): Promise<DBCluster | undefined> {
  return (await unlessDeleted(() => rds.describeDBClusters({DBClusterIdentifier: id})))?.DBClusters?.[0]
}

/**
 * The secret RDS manages the master password in (`ManageMasterUserPassword`): RDS deletes it with its
 * instance or cluster, so it goes along instead of being deleted on its own.
 */
export function managedSecretLinks(config: {MasterUserSecret?: {SecretArn?: string}}): ResourceLink[] {
  const arn = config.MasterUserSecret?.SecretArn
  return arn ? [{type: secret.type, arn}] : []
}

/** The step that turns off an instance's or cluster's deletion protection, which blocks its delete. */
export function disableDeletionProtectionStep(kind: 'instance' | 'cluster', id: string): DeleteStep {
  const params: Record<string, string> = kind === 'instance' ? {dbInstanceIdentifier: id} : {dbClusterIdentifier: id}
  return {action: 'disable-deletion-protection', description: `Turn off deletion protection of DB ${kind} ${id}, applied immediately`, params}
}

/** The calls one kind of RDS resource (instance or cluster) is deleted with, for `runRdsStep`. */
export interface RdsCalls<T> {
  kind: 'instance' | 'cluster'
  /** The step parameter holding the identifier. */
  idParam: string
  /** The action of the delete step. */
  deleteAction: string
  describe(rds: RDS, id: string): Promise<T | undefined>
  /** Its status (`deleting` while it goes) and whether its deletion protection is on. */
  stateOf(found: T): {status: string | undefined; protected: boolean}
  disableProtection(rds: RDS, id: string): Promise<{$metadata?: {requestId?: string}}>
  remove(rds: RDS, id: string, flags: {SkipFinalSnapshot?: boolean; DeleteAutomatedBackups?: boolean}): Promise<{$metadata?: {requestId?: string}}>
}

/**
 * Runs a step of an RDS instance or cluster: turns deletion protection off (read first, so an
 * already-off or gone target is not asked again), or deletes it with the step's snapshot and backup
 * flags and waits until it is gone.
 */
export async function runRdsStep<T>(calls: RdsCalls<T>, ctx: DeleteContext, item: PlanItem, step: DeleteStep): Promise<StepOutcome> {
  const rds = await ctx.clients.get('rds', ctx.region)
  const id = stringParam(step, calls.idParam)
  const what = `DB ${calls.kind} ${id}`
  if (step.action === 'disable-deletion-protection') {
    const found = await calls.describe(rds, id)
    if (found === undefined) return {status: 'gone', detail: `${what} no longer exists`}
    if (!calls.stateOf(found).protected) return {status: 'done', detail: 'deletion protection is already off'}
    return {status: 'done', requestIds: requestIdsOf(await calls.disableProtection(rds, id))}
  }

  if (step.action !== calls.deleteAction) throw unknownStep(item, step)
  return deleteUntilGone(step, {
    what,
    retryAfterMs: rdsPollMs,
    async read() {
      const found = await calls.describe(rds, id)
      return found === undefined ? 'gone' : calls.stateOf(found).status === 'deleting' ? 'deleting' : 'present'
    },
    request: async () =>
      requestIdsOf(await calls.remove(rds, id, {SkipFinalSnapshot: optionalBooleanParam(step, 'skipFinalSnapshot'), DeleteAutomatedBackups: optionalBooleanParam(step, 'deleteAutomatedBackups')})),
  })
}

const clusterCalls: RdsCalls<DBCluster> = {
  kind: 'cluster',
  idParam: 'dbClusterIdentifier',
  deleteAction: 'delete-db-cluster',
  describe: describeDbCluster,
  stateOf: (cluster) => ({status: cluster.Status, protected: cluster.DeletionProtection === true}),
  disableProtection: (rds, id) => rds.modifyDBCluster({DBClusterIdentifier: id, DeletionProtection: false, ApplyImmediately: true}),
  remove: (rds, id, flags) => rds.deleteDBCluster({DBClusterIdentifier: id, ...flags}),
}

// Multi-AZ DB clusters (not Aurora) name their instance class; their instances are not deleted one by
// one: DeleteDBCluster deletes them with the cluster.
const isMultiAzDbCluster = (config: DBCluster) => config.DBClusterInstanceClass !== undefined && config.DBClusterInstanceClass !== ''

export const dbCluster: ResourceSpec<DBCluster> = {
  type: 'AWS::RDS::DBCluster',
  service: 'rds',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusters.html',

  // Also lists Neptune and DocumentDB clusters, which RDS manages alike (their engine says which).
  async *list(ctx) {
    const rds = await ctx.clients.get('rds', ctx.region)
    yield* paginateItems((r) => rds.describeDBClusters(r), {MaxRecords: 100}, 'Marker', 'Marker', 'DBClusters')
  },

  // No fromConfigItem: AWS Config documents its item for the type in its own casing (`dbclusterIdentifier`,
  // `dbsubnetGroup`) and without fields stored here (MasterUserSecret, which cleanup reads, among them), and
  // the emulator's Config records no RDS items to build a parity test from.

  toResource: (item, ctx) =>
    rdsResource(ctx, dbCluster.type, item, {id: item.DBClusterIdentifier ?? '', arn: item.DBClusterArn, kind: 'cluster', tagList: item.TagList, createdAt: item.ClusterCreateTime}),

  // The DB subnet group is only named here (its subnets are on the member instances), so the cluster's
  // own edges are its security groups and its storage key.
  relationships(resource) {
    const config = resource.configuration as DBCluster
    return [
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', (config.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId), 'uses'),
      ...kmsKeyEdges(resource, [config.KmsKeyId], 'uses'),
    ]
  },

  // The cluster goes before the security groups it uses and the key its storage is encrypted with.
  dependsOn: ['AWS::EC2::SecurityGroup', 'AWS::KMS::Key'],
  // Restore windows move forward by themselves; serverless v1 capacity follows the load.
  volatile: ['LatestRestorableTime', 'EarliestRestorableTime', 'EarliestBacktrackTime', 'BacktrackConsumedChangeRecords', 'Capacity'],
  stateFields: [
    'Status',
    'PercentProgress',
    'PendingModifiedValues',
    'DBClusterMembers.*.IsClusterWriter',
    'DBClusterMembers.*.DBClusterParameterGroupStatus',
    'VpcSecurityGroups.*.Status',
    'AssociatedRoles.*.Status',
  ],
  securityFields: ['PubliclyAccessible', 'VpcSecurityGroups', 'IAMDatabaseAuthenticationEnabled', 'HttpEndpointEnabled', 'DeletionProtection'],
  uniqueId: 'DbClusterResourceId',
  sets: {
    TagList: 'Key',
    AvailabilityZones: '.',
    DBClusterMembers: 'DBInstanceIdentifier',
    VpcSecurityGroups: 'VpcSecurityGroupId',
    ReadReplicaIdentifiers: '.',
    CustomEndpoints: '.',
    EnabledCloudwatchLogsExports: '.',
    AssociatedRoles: ['RoleArn', 'FeatureName'],
    DomainMemberships: 'Domain',
    DBClusterOptionGroupMemberships: 'DBClusterOptionGroupName',
  },

  // Aurora clusters are deleted after their instances (each member is `in` its cluster, so the planner
  // orders them first); AWS refuses the cluster while a member is not being deleted.
  deleter: {
    steps(resource) {
      const config = resource.configuration as DBCluster
      const id = resource.id
      return [
        ...(config.DeletionProtection === true ? [disableDeletionProtectionStep('cluster', id)] : []),
        {
          action: 'delete-db-cluster',
          description: `Delete DB cluster ${id} with no final snapshot and without its automated backups: its data is not kept. Wait until it is gone`,
          params: {dbClusterIdentifier: id, skipFinalSnapshot: true, deleteAutomatedBackups: true},
        },
      ]
    },

    includes(resource) {
      const config = resource.configuration as DBCluster
      const members: ResourceLink[] = isMultiAzDbCluster(config)
        ? (config.DBClusterMembers ?? []).flatMap((m) => (m.DBInstanceIdentifier ? [{type: 'AWS::RDS::DBInstance', arn: rdsArn(locationOf(resource), 'db', m.DBInstanceIdentifier), id: m.DBInstanceIdentifier}] : []))
        : []
      return [...members, ...managedSecretLinks(config)]
    },

    async current(ctx, item) {
      const cluster = await describeDbCluster(await ctx.clients.get('rds', ctx.region), item.id)
      return cluster === undefined ? undefined : currentStateOf(await dbCluster.toResource(cluster, collectContextOf(ctx)), dbCluster)
    },

    run: (ctx, item, step) => runRdsStep(clusterCalls, ctx, item, step),

    waitTimeoutMs: rdsDeleteTimeoutMs,
  },
}
