import {trail} from './cloudtrail/trail.js'
import {analyzer} from './accessanalyzer/analyzer.js'
import {recorderStatus} from './config/recorder-status.js'
import {ebsEncryptionByDefault} from './ec2/ebs-encryption-by-default.js'
import {eip} from './ec2/eip.js'
import {flowLog} from './ec2/flow-log.js'
import {instance} from './ec2/instance.js'
import {internetGateway} from './ec2/internet-gateway.js'
import {keyPair} from './ec2/key-pair.js'
import {launchTemplate} from './ec2/launch-template.js'
import {natGateway} from './ec2/nat-gateway.js'
import {networkAcl} from './ec2/network-acl.js'
import {networkInterface} from './ec2/network-interface.js'
import {routeTable} from './ec2/route-table.js'
import {securityGroup} from './ec2/security-group.js'
import {snapshot} from './ec2/snapshot.js'
import {subnet} from './ec2/subnet.js'
import {volume} from './ec2/volume.js'
import {vpc} from './ec2/vpc.js'
import {vpcEndpoint} from './ec2/vpc-endpoint.js'
import {fileSystem} from './efs/file-system.js'
import {accountSummary} from './iam/account-summary.js'
import {credentialReport} from './iam/credential-report.js'
import {group} from './iam/group.js'
import {instanceProfile} from './iam/instance-profile.js'
import {passwordPolicy} from './iam/password-policy.js'
import {policy} from './iam/policy.js'
import {role} from './iam/role.js'
import {serverCertificate} from './iam/server-certificate.js'
import {user} from './iam/user.js'
import {key} from './kms/key.js'
import {lambdaFunction} from './lambda/function.js'
import {dbCluster} from './rds/db-cluster.js'
import {dbInstance} from './rds/db-instance.js'
import {accountPublicAccessBlock} from './s3/account-public-access-block.js'
import {bucket} from './s3/bucket.js'
import {secret} from './secretsmanager/secret.js'
import {topic} from './sns/topic.js'
import {queue} from './sqs/queue.js'
import type {ResourceSpec} from './types.js'

/** Every resource type awsinv knows, listed explicitly (no registration by import side effect). */
export const specs: readonly ResourceSpec[] = [
  // EC2 networking
  vpc,
  subnet,
  securityGroup,
  networkInterface,
  internetGateway,
  natGateway,
  routeTable,
  networkAcl,
  eip,
  vpcEndpoint,
  flowLog,
  // EC2 compute and storage
  instance,
  volume,
  snapshot,
  keyPair,
  launchTemplate,
  // S3
  bucket,
  // IAM
  user,
  group,
  role,
  policy,
  instanceProfile,
  serverCertificate,
  // Lambda
  lambdaFunction,
  // SNS
  topic,
  // RDS
  dbInstance,
  dbCluster,
  // EFS
  fileSystem,
  // KMS
  key,
  // SQS
  queue,
  // Secrets Manager
  secret,
  // CloudTrail
  trail,
  // Access Analyzer
  analyzer,
  // Account settings: one item per account (global) or per region, never deletable
  passwordPolicy,
  accountSummary,
  credentialReport,
  accountPublicAccessBlock,
  ebsEncryptionByDefault,
  recorderStatus,
] as ResourceSpec[]

const byType = new Map(specs.map((s) => [s.type, s]))

/** The spec of a type id, if registered. */
export function specOf(type: string): ResourceSpec | undefined {
  return byType.get(type)
}
