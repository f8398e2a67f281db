import type {DBInstance} from '@aws-sdk/client-rds'

import {paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf} from '../../cleanup/deleting.js'
import type {DeleteStep} from '../../cleanup/types.js'
import {ec2Edges, locationOf, uniqueRelationships} from '../ec2/arn.js'
import {kmsKeyEdges} from '../kms/key.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {
  dbCluster,
  describeDbInstance,
  disableDeletionProtectionStep,
  managedSecretLinks,
  rdsArn,
  type RdsCalls,
  rdsDeleteTimeoutMs,
  rdsResource,
  runRdsStep,
} from './db-cluster.js'

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

  // No fromConfigItem: AWS Config documents its item for the type without fields stored here
  // (DeletionProtection and MasterUserSecret, which cleanup reads, among them), and the emulator's Config
  // records no RDS items to build a parity test from: both sources could not be shown to agree.

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

  deleter: {
    steps(resource) {
      const config = resource.configuration as DBInstance
      const id = resource.id
      const cluster = config.DBClusterIdentifier
      // A cluster member's data is the cluster's: no snapshot or backups of its own, and its deletion
      // protection is the cluster's, which does not stop deleting members.
      const remove: DeleteStep = cluster
        ? {
            action: 'delete-db-instance',
            description: `Delete DB instance ${id} of DB cluster ${cluster} (the data stays in the cluster) and wait until it is gone`,
            params: {dbInstanceIdentifier: id},
          }
        : {
            action: 'delete-db-instance',
            description: `Delete DB instance ${id} with no final snapshot and without its automated backups: its data is not kept. Wait until it is gone`,
            params: {dbInstanceIdentifier: id, skipFinalSnapshot: true, deleteAutomatedBackups: true},
          }
      return [...(config.DeletionProtection === true && !cluster ? [disableDeletionProtectionStep('instance', id)] : []), remove]
    },

    includes: (resource) => managedSecretLinks(resource.configuration as DBInstance),

    async current(ctx, item) {
      const instance = await describeDbInstance(await ctx.clients.get('rds', ctx.region), item.id)
      // An instance being deleted is still there: its steps wait until it is gone, so that what it sits
      // in (subnets, security groups, its cluster) is deleted only after it.
      return instance === undefined ? undefined : currentStateOf(await dbInstance.toResource(instance, collectContextOf(ctx)), dbInstance)
    },

    run: (ctx, item, step) => runRdsStep(instanceCalls, ctx, item, step),

    waitTimeoutMs: rdsDeleteTimeoutMs,
  },
}

const instanceCalls: RdsCalls<DBInstance> = {
  kind: 'instance',
  idParam: 'dbInstanceIdentifier',
  deleteAction: 'delete-db-instance',
  describe: describeDbInstance,
  stateOf: (instance) => ({status: instance.DBInstanceStatus, protected: instance.DeletionProtection === true}),
  disableProtection: (rds, id) => rds.modifyDBInstance({DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true}),
  remove: (rds, id, flags) => rds.deleteDBInstance({DBInstanceIdentifier: id, ...flags}),
}
