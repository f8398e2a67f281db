import type {DBCluster} from '@aws-sdk/client-rds'

import {paginateItems} from '../../aws/paginate.js'
import {ec2Edges} from '../ec2/arn.js'
import {kmsKeyEdges} from '../kms/key.js'
import {apiResource, isoDate, nameFromTags, regionalArn, tagsFromList} from '../normalize.js'
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
}
