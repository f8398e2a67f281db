import type {DBCluster} from '@aws-sdk/client-rds'

import {paginateItems} from '../../aws/paginate.js'
import {ec2Edges} from '../ec2/arn.js'
import {kmsKeyEdges} from '../kms/key.js'
import {apiResource, isoDate, nameFromTags, regionalArn, tagsFromList} from '../normalize.js'
import type {CollectContext, ResourceSpec} from '../types.js'

/** `arn:<partition>:rds:<region>:<account>:<db|cluster>:<identifier>`, as RDS writes its ARNs. */
export function rdsArn(where: Pick<CollectContext, 'partition' | 'region' | 'accountId'>, kind: 'db' | 'cluster', identifier: string): string {
  return regionalArn(where, 'rds', `${kind}:${identifier}`)
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

  toResource(item, ctx) {
    const id = item.DBClusterIdentifier ?? ''
    // DescribeDBClusters carries the tags: no ListTagsForResource per cluster.
    const tags = tagsFromList(item.TagList)
    return apiResource(ctx, {
      arn: item.DBClusterArn ?? rdsArn(ctx, 'cluster', id),
      type: dbCluster.type,
      id,
      name: nameFromTags(tags, id),
      createdAt: isoDate(item.ClusterCreateTime),
      tags,
      // The master password is never returned; MasterUserSecret holds only the secret's ARN and status.
      configuration: item,
    })
  },

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
