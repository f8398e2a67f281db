import type {DBCluster, DBInstance} from '@aws-sdk/client-rds'

import type {FileSystemItem} from '../../src/resources/efs/file-system.js'
import type {KeyItem} from '../../src/resources/kms/key.js'

/*
 * Items exactly as the specs' list() yields them, captured from the emulator (moto 5.2) for resources
 * seeded in us-east-1: a KMS key, an Aurora PostgreSQL cluster with one member instance, a standalone
 * PostgreSQL instance in a DB subnet group, and an encrypted EFS file system. Each builder returns a
 * fresh copy, with overrides, so spec and check tests share one captured shape.
 */

export const CAPTURED_KEY_ID = 'f5e9b95c-8eb6-4a75-976d-929105b1da2a'
export const CAPTURED_KEY_ARN = `arn:aws:kms:us-east-1:123456789012:key/${CAPTURED_KEY_ID}`

/** The secret the emulator made for an instance created with ManageMasterUserPassword (MasterUserSecret.SecretArn). */
export const MANAGED_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-ee672b4e-db22-40be-b788-f524d8a3d58e-zSZBlE'

/** The emulator's default key policy: the account may do anything with the key. */
export const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [{Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'kms:*', Resource: '*'}],
}

/** A tagged symmetric customer managed key with an alias, rotation off. */
export function capturedKey(overrides: Partial<KeyItem> = {}): KeyItem {
  return {
    KeyId: CAPTURED_KEY_ID,
    AWSAccountId: '123456789012',
    Arn: CAPTURED_KEY_ARN,
    CreationDate: new Date('2026-12-05T07:21:55.636Z'),
    Enabled: true,
    Description: 'db key',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    SigningAlgorithms: [],
    Tags: [{TagKey: 'team', TagValue: 'data'}],
    Aliases: ['alias/app-data'],
    KeyPolicy: DEFAULT_KEY_POLICY,
    KeyRotationEnabled: false,
    RotationPeriodInDays: undefined,
    NextRotationDate: undefined,
    ...overrides,
  }
}

/** An RSA signing key: rotation does not apply, so list() carries no rotation status. */
export function capturedSigningKey(overrides: Partial<KeyItem> = {}): KeyItem {
  return capturedKey({
    KeyId: '1fe40a09-e239-42d3-a0dd-a56c9adf5394',
    Arn: 'arn:aws:kms:us-east-1:123456789012:key/1fe40a09-e239-42d3-a0dd-a56c9adf5394',
    CreationDate: new Date('2026-12-05T07:21:56.134Z'),
    Description: '',
    KeyUsage: 'SIGN_VERIFY',
    CustomerMasterKeySpec: 'RSA_2048',
    KeySpec: 'RSA_2048',
    EncryptionAlgorithms: undefined,
    SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
    Tags: [],
    Aliases: [],
    KeyRotationEnabled: undefined,
    ...overrides,
  })
}

/** A standalone PostgreSQL instance in a DB subnet group: public, unencrypted, tagged. */
export function capturedDbInstance(overrides: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: 'pub',
    DBInstanceClass: 'db.t3.micro',
    Engine: 'postgres',
    DBInstanceStatus: 'available',
    MasterUsername: 'admin',
    Endpoint: {Address: 'pub.aaaaaaaaaa.us-east-1.rds.amazonaws.com', Port: 5432},
    AllocatedStorage: 20,
    InstanceCreateTime: new Date('2026-12-05T07:21:55.766Z'),
    PreferredBackupWindow: '13:14-13:44',
    BackupRetentionPeriod: 1,
    DBSecurityGroups: [],
    VpcSecurityGroups: [{VpcSecurityGroupId: 'sg-95673767d285122a2', Status: 'active'}],
    DBParameterGroups: [{DBParameterGroupName: 'default.postgres9.3', ParameterApplyStatus: 'in-sync'}],
    AvailabilityZone: 'us-east-1a',
    DBSubnetGroup: {
      DBSubnetGroupName: 'dbsubnets',
      DBSubnetGroupDescription: 'd',
      VpcId: 'vpc-232dbd8a704d97bea',
      SubnetGroupStatus: 'Complete',
      Subnets: [
        {SubnetIdentifier: 'subnet-ffd49838866c83182', SubnetAvailabilityZone: {Name: 'us-east-1a'}, SubnetStatus: 'Active'},
        {SubnetIdentifier: 'subnet-e11cd5a13769065f2', SubnetAvailabilityZone: {Name: 'us-east-1b'}, SubnetStatus: 'Active'},
      ],
      DBSubnetGroupArn: 'arn:aws:rds:us-east-1:123456789012:subgrp:dbsubnets',
    },
    PreferredMaintenanceWindow: 'wed:06:38-wed:07:08',
    LatestRestorableTime: new Date('2026-12-05T07:26:31.658Z'),
    MultiAZ: false,
    EngineVersion: '9.3.3',
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: 'general-public-license',
    OptionGroupMemberships: [{OptionGroupName: 'default:postgres-9-3', Status: 'in-sync'}],
    PubliclyAccessible: true,
    StorageType: 'gp2',
    DbInstancePort: 5432,
    StorageEncrypted: false,
    DbiResourceId: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U',
    CACertificateIdentifier: 'rds-ca-default',
    DomainMemberships: [],
    CopyTagsToSnapshot: false,
    MonitoringInterval: 0,
    DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:pub',
    IAMDatabaseAuthenticationEnabled: false,
    EnabledCloudwatchLogsExports: [],
    DeletionProtection: false,
    AssociatedRoles: [],
    TagList: [{Key: 'env', Value: 'dev'}],
    ...overrides,
  }
}

/**
 * The Aurora cluster's member instance: encrypted with the captured key, in cluster `aurora1`. The
 * emulator reports neither a DB subnet group nor PubliclyAccessible for cluster members.
 */
export function capturedClusterMember(overrides: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: 'aurora1-i1',
    DBInstanceClass: 'db.r5.large',
    Engine: 'aurora-postgresql',
    DBInstanceStatus: 'available',
    MasterUsername: 'admin',
    Endpoint: {Address: 'aurora1-i1.aaaaaaaaaa.us-east-1.rds.amazonaws.com', Port: 5432},
    AllocatedStorage: 1,
    InstanceCreateTime: new Date('2026-12-05T07:21:55.750Z'),
    PreferredBackupWindow: '01:37-02:07',
    BackupRetentionPeriod: 1,
    DBSecurityGroups: [],
    VpcSecurityGroups: [{VpcSecurityGroupId: 'sg-95673767d285122a2', Status: 'active'}],
    DBParameterGroups: [{DBParameterGroupName: 'default.aurora-postgresql12', ParameterApplyStatus: 'in-sync'}],
    AvailabilityZone: 'us-east-1a',
    PreferredMaintenanceWindow: 'wed:06:38-wed:07:08',
    LatestRestorableTime: new Date('2026-12-05T07:21:58.276Z'),
    MultiAZ: false,
    EngineVersion: '12.7',
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: 'general-public-license',
    OptionGroupMemberships: [{OptionGroupName: 'default:aurora-postgresql-12-7', Status: 'in-sync'}],
    StorageType: 'aurora',
    DbInstancePort: 5432,
    DBClusterIdentifier: 'aurora1',
    StorageEncrypted: true,
    KmsKeyId: CAPTURED_KEY_ID,
    DbiResourceId: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U',
    CACertificateIdentifier: 'rds-ca-default',
    DomainMemberships: [],
    CopyTagsToSnapshot: false,
    MonitoringInterval: 0,
    PromotionTier: 1,
    DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:aurora1-i1',
    IAMDatabaseAuthenticationEnabled: false,
    EnabledCloudwatchLogsExports: [],
    DeletionProtection: false,
    TagList: [],
    ...overrides,
  }
}

/** The Aurora PostgreSQL cluster, encrypted with the captured key, one writer member, a Name tag. */
export function capturedDbCluster(overrides: Partial<DBCluster> = {}): DBCluster {
  return {
    AllocatedStorage: 1,
    AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    BackupRetentionPeriod: 1,
    DBClusterIdentifier: 'aurora1',
    DBClusterParameterGroup: 'default.aurora8.0',
    DBSubnetGroup: 'dbsubnets',
    Status: 'available',
    EarliestRestorableTime: new Date('2026-12-05T07:21:55.732Z'),
    Endpoint: 'aurora1.cluster-44dm257a29i9.us-east-1.rds.amazonaws.com',
    ReaderEndpoint: 'aurora1.cluster-ro-44dm257a29i9.us-east-1.rds.amazonaws.com',
    MultiAZ: false,
    Engine: 'aurora-postgresql',
    EngineVersion: '12.7',
    LatestRestorableTime: new Date('2026-12-05T07:21:58.297Z'),
    Port: 5432,
    MasterUsername: 'admin',
    PreferredBackupWindow: '01:37-02:07',
    PreferredMaintenanceWindow: 'wed:02:40-wed:03:10',
    ReadReplicaIdentifiers: [],
    DBClusterMembers: [{DBInstanceIdentifier: 'aurora1-i1', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 1}],
    VpcSecurityGroups: [{VpcSecurityGroupId: 'sg-95673767d285122a2', Status: 'active'}],
    HostedZoneId: 'QP7CBECS844YQ9',
    StorageEncrypted: true,
    KmsKeyId: CAPTURED_KEY_ID,
    DbClusterResourceId: 'cluster-RN5T1TJE4OVE9LWZOUVKYBAC5Q',
    DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:aurora1',
    AssociatedRoles: [],
    IAMDatabaseAuthenticationEnabled: false,
    ClusterCreateTime: new Date('2026-12-05T07:21:55.732Z'),
    BacktrackWindow: 0,
    EnabledCloudwatchLogsExports: [],
    EngineMode: 'provisioned',
    ScalingConfigurationInfo: {},
    StorageType: 'gp2',
    PubliclyAccessible: false,
    AutoMinorVersionUpgrade: true,
    DeletionProtection: false,
    HttpEndpointEnabled: false,
    CopyTagsToSnapshot: false,
    CrossAccountClone: false,
    DomainMemberships: [],
    TagList: [{Key: 'Name', Value: 'aurora'}],
    GlobalWriteForwardingRequested: false,
    NetworkType: 'IPV4',
    ...overrides,
  }
}

/** An EFS file system encrypted with the captured key (moto reports the bare key id), Name-tagged, no mount targets. */
export function capturedFileSystem(overrides: Partial<FileSystemItem> = {}): FileSystemItem {
  return {
    OwnerId: '123456789012',
    CreationToken: 'a',
    FileSystemId: 'fs-a382957c',
    CreationTime: new Date('2026-12-05T07:21:55.963Z'),
    LifeCycleState: 'available',
    NumberOfMountTargets: 0,
    SizeInBytes: {Value: 0, Timestamp: new Date('2026-12-05T07:25:31.671Z'), ValueInIA: 0, ValueInStandard: 0},
    PerformanceMode: 'generalPurpose',
    Tags: [{Key: 'Name', Value: 'shared'}],
    FileSystemArn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-a382957c',
    Name: 'shared',
    Encrypted: true,
    KmsKeyId: CAPTURED_KEY_ID,
    ThroughputMode: 'bursting',
    MountTargets: [],
    AccessPoints: [],
    ...overrides,
  }
}

/**
 * A file system with a mount target (in a subnet of a VPC, with a security group) and an access point:
 * list()'s item, captured from the emulator.
 */
export function capturedMountedFileSystem(overrides: Partial<FileSystemItem> = {}): FileSystemItem {
  return capturedFileSystem({
    FileSystemId: 'fs-49cbc275',
    CreationTime: new Date('2026-12-05T09:00:19.850Z'),
    NumberOfMountTargets: 1,
    SizeInBytes: {Value: 0, Timestamp: new Date('2026-12-05T09:00:19.919Z'), ValueInIA: 0, ValueInStandard: 0},
    FileSystemArn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-49cbc275',
    Encrypted: false,
    KmsKeyId: undefined,
    MountTargets: [
      {
        MountTargetId: 'fsmt-674707ef',
        FileSystemId: 'fs-49cbc275',
        SubnetId: 'subnet-b579d667e228fb83b',
        LifeCycleState: 'available',
        OwnerId: '123456789012',
        IpAddress: '10.9.1.4',
        NetworkInterfaceId: 'eni-eeb0f3afc2f0a810c',
        AvailabilityZoneId: 'use1-az6',
        AvailabilityZoneName: 'us-east-1a',
        VpcId: 'vpc-2a96905b8b1d99e42',
        SecurityGroups: ['sg-45303c5a70eb476e0'],
      },
    ],
    AccessPoints: [
      {
        ClientToken: 'app',
        Name: 'app',
        Tags: [{Key: 'Name', Value: 'app'}],
        AccessPointId: 'fsap-84b50656',
        AccessPointArn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-84b50656',
        FileSystemId: 'fs-49cbc275',
        PosixUser: {Uid: 1000, Gid: 1000},
        RootDirectory: {Path: '/app'},
        OwnerId: '123456789012',
        LifeCycleState: 'available',
      },
    ],
    ...overrides,
  })
}

/** The unencrypted file system: no tags, and the emulator's empty `Name`. */
export function capturedPlainFileSystem(overrides: Partial<FileSystemItem> = {}): FileSystemItem {
  return capturedFileSystem({
    CreationToken: 'b',
    FileSystemId: 'fs-bc938739',
    CreationTime: new Date('2026-12-05T07:21:55.978Z'),
    Tags: [],
    FileSystemArn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-bc938739',
    Name: '',
    Encrypted: false,
    KmsKeyId: undefined,
    ...overrides,
  })
}
