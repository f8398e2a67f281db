/**
 * The Cost Explorer `SERVICE` values under which the resources of each awsinv service are billed. EC2
 * resources are split by Cost Explorer: instances under "Compute", volumes, snapshots, NAT gateways and
 * Elastic IPs under "EC2 - Other", VPC endpoints and public IPv4 addresses under the VPC service. IAM is
 * free, so it has no Cost Explorer service. Account analyzers of Access Analyzer are free; its unused-access
 * analyzers are billed under its own name.
 */
export const costExplorerServices: Readonly<Record<string, readonly string[]>> = {
  accessanalyzer: ['AWS IAM Access Analyzer'],
  cloudtrail: ['AWS CloudTrail'],
  config: ['AWS Config'],
  ec2: ['Amazon Elastic Compute Cloud - Compute', 'EC2 - Other', 'Amazon Virtual Private Cloud'],
  efs: ['Amazon Elastic File System'],
  iam: [],
  kms: ['AWS Key Management Service'],
  lambda: ['AWS Lambda'],
  rds: ['Amazon Relational Database Service'],
  s3: ['Amazon Simple Storage Service'],
  secretsmanager: ['AWS Secrets Manager'],
  sns: ['Amazon Simple Notification Service'],
  sqs: ['Amazon Simple Queue Service'],
}

/** The Cost Explorer services of an awsinv service; empty when it has none (free, or not mapped yet). */
export function costServicesOf(service: string): readonly string[] {
  return Object.hasOwn(costExplorerServices, service) ? costExplorerServices[service]! : []
}
