import type {DBInstance} from '@aws-sdk/client-rds'

import {paginateItems} from '../../aws/paginate.js'
import {ec2Edges, locationOf, uniqueRelationships} from '../ec2/arn.js'
import {kmsKeyEdges} from '../kms/key.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {dbCluster, rdsArn, rdsResource} from './db-cluster.js'

export const dbInstance: ResourceSpec<DBInstance> = {
  type: 'AWS::RDS::DBInstance',
  service: 'rds',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html',

  // Also lists Neptune and DocumentDB instances, which RDS manages alike (their engine says which).
  async *list(ctx) {
    const rds = await ctx.clients.get('rds', ctx.region)
    yield* paginateItems((r) => rds.describeDBInstances(r), {MaxRecords: 100}, 'Marker', 'Marker', 'DBInstances')
  },

  toResource: (item, ctx) =>
    rdsResource(ctx, dbInstance.type, item, {id: item.DBInstanceIdentifier ?? '', arn: item.DBInstanceArn, kind: 'db', tagList: item.TagList, createdAt: item.InstanceCreateTime}),

  relationships(resource) {
    const config = resource.configuration as DBInstance
    const subnetGroup = config.DBSubnetGroup
    const edges: Relationship[] = [
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', (config.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId), 'uses'),
      // The instance's network interfaces live in the subnet group's subnets, in its VPC.
      ...ec2Edges(resource, 'AWS::EC2::Subnet', (subnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier), 'in'),
      ...ec2Edges(resource, 'AWS::EC2::VPC', [subnetGroup?.VpcId], 'in'),
      ...kmsKeyEdges(resource, [config.KmsKeyId], 'uses'),
    ]
    // An Aurora (or Multi-AZ DB cluster) member: the cluster cannot be deleted while it has instances.
    if (config.DBClusterIdentifier) {
      edges.push({type: dbCluster.type, arn: rdsArn(locationOf(resource), 'cluster', config.DBClusterIdentifier), id: config.DBClusterIdentifier, kind: 'in'})
    }

    return uniqueRelationships(edges)
  },

  // The instance goes before its cluster, the security groups, subnets and VPC it sits in, and the key
  // its storage is encrypted with.
  dependsOn: ['AWS::RDS::DBCluster', 'AWS::EC2::SecurityGroup', 'AWS::EC2::Subnet', 'AWS::EC2::VPC', 'AWS::KMS::Key'],
  // The restore point moves forward by itself every few minutes.
  volatile: ['LatestRestorableTime'],
  // Stop/start, maintenance, pending changes and Multi-AZ failovers (which swap the two zones) move these.
  stateFields: [
    'DBInstanceStatus',
    'StatusInfos',
    'PendingModifiedValues',
    'AutomaticRestartTime',
    'AvailabilityZone',
    'SecondaryAvailabilityZone',
    'VpcSecurityGroups.*.Status',
    'DBParameterGroups.*.ParameterApplyStatus',
    'OptionGroupMemberships.*.Status',
    'DBSubnetGroup.SubnetGroupStatus',
    'DBSubnetGroup.Subnets.*.SubnetStatus',
    'AssociatedRoles.*.Status',
  ],
  securityFields: ['PubliclyAccessible', 'VpcSecurityGroups', 'IAMDatabaseAuthenticationEnabled', 'DeletionProtection', 'CACertificateIdentifier'],
  uniqueId: 'DbiResourceId',
  sets: {
    TagList: 'Key',
    VpcSecurityGroups: 'VpcSecurityGroupId',
    DBSecurityGroups: 'DBSecurityGroupName',
    DBParameterGroups: 'DBParameterGroupName',
    OptionGroupMemberships: 'OptionGroupName',
    'DBSubnetGroup.Subnets': 'SubnetIdentifier',
    ReadReplicaDBInstanceIdentifiers: '.',
    ReadReplicaDBClusterIdentifiers: '.',
    EnabledCloudwatchLogsExports: '.',
    AssociatedRoles: ['RoleArn', 'FeatureName'],
    DomainMemberships: 'Domain',
    ProcessorFeatures: 'Name',
  },
}
