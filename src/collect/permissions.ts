import {notImplementedHint} from '../aws/errors.js'
import type {CoverageStatus} from '../store/schema.js'

/** The IAM actions the direct collectors of each service need (all read-only). */
export const servicePermissions: Readonly<Record<string, readonly string[]>> = {
  // AWS Config as a source: detection, per-region reads and reads through an aggregator.
  config: [
    'config:DescribeConfigurationRecorders',
    'config:DescribeConfigurationRecorderStatus',
    'config:ListDiscoveredResources',
    'config:BatchGetResourceConfig',
    'config:DescribeConfigurationAggregators',
    'config:ListAggregateDiscoveredResources',
    'config:BatchGetAggregateResourceConfig',
  ],
  // Access Analyzer's IAM prefix is access-analyzer.
  accessanalyzer: ['access-analyzer:ListAnalyzers'],
  ec2: ['ec2:Describe*', 'ec2:GetEbsEncryptionByDefault', 'ec2:GetEbsDefaultKmsKeyId'],
  efs: ['elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeMountTargets', 'elasticfilesystem:DescribeMountTargetSecurityGroups', 'elasticfilesystem:DescribeAccessPoints'],
  // The credential report is generated before it is read.
  iam: ['iam:List*', 'iam:Get*', 'iam:GenerateCredentialReport'],
  kms: ['kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:GetKeyPolicy', 'kms:ListResourceTags'],
  lambda: ['lambda:ListFunctions', 'lambda:ListTags'],
  rds: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
  s3: [
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetBucketTagging',
    's3:GetBucketPolicy',
    's3:GetBucketPublicAccessBlock',
    's3:GetEncryptionConfiguration',
    's3:GetBucketVersioning',
    's3:GetBucketLogging',
    // S3 Control's GetPublicAccessBlock (the account-level block).
    's3:GetAccountPublicAccessBlock',
  ],
  sns: ['sns:ListTopics', 'sns:GetTopicAttributes', 'sns:ListTagsForResource'],
  sqs: ['sqs:ListQueues', 'sqs:GetQueueAttributes', 'sqs:ListQueueTags'],
  secretsmanager: ['secretsmanager:ListSecrets'],
  cloudtrail: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:ListTags'],
  sts: ['sts:GetCallerIdentity'],
}

/** What a user should do about a coverage gap. */
export function remedyFor(status: CoverageStatus, service: string, error: string | null): string {
  switch (status) {
    case 'access_denied': {
      const action = /perform:\s*([\w-]+:[\w*]+)/.exec(error ?? '')?.[1]
      return `Grant ${action ?? (servicePermissions[service] ?? [`${service}:Describe*`, `${service}:List*`]).join(', ')} to the identity awsinv runs as.`
    }

    case 'not_enabled': {
      return 'Enable (opt in to) the service or region in this account, or leave it out with --regions / --resource-types.'
    }

    case 'unsupported_region': {
      return 'The service is not offered in this region; leave the region out with --regions.'
    }

    case 'throttled': {
      return 'AWS throttled the calls; retry later, lower --concurrency or raise --max-attempts.'
    }

    case 'error': {
      if (error?.endsWith(notImplementedHint)) return 'The endpoint (--endpoint-url) does not seem to implement this call (emulators lack some services): leave the type out with --resource-types.'
      return 'Retry; if it persists, run with --debug and report the error.'
    }

    default: {
      return ''
    }
  }
}
