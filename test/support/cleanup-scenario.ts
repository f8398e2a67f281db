import {S3} from '@aws-sdk/client-s3'
import {SQS} from '@aws-sdk/client-sqs'

import {type SeededIds, emulatorClients, seedCredentials, seedSandbox} from './seed.js'

/*
 * The cleanup scenario of the end-to-end test and of bench/cleanup: `seedSandbox` with IAM (a VPC with a
 * subnet, an attached internet gateway, a route table with a route and an association, two security
 * groups whose rules name each other, an instance with an Elastic IP, an extra volume and an instance
 * profile, an extra interface, a NAT gateway, an endpoint, a flow log, a key pair, a launch template, a
 * Lambda function in the VPC, a role with an attached and an inline policy, a customer policy, a user in
 * a group), plus objects in its versioned bucket (several versions and a delete marker; no bucket policy) and two queues (a
 * dead-letter queue and its source). What exists is read back from the emulator itself (`liveIds`), never
 * through awsinv.
 */

/** Seeds the scenario `copies` times (prefixes `<prefix>`, or `<prefix>0`…), every resource tagged `tags`. */
export async function seedCleanupScenario(
  endpoint: string,
  region: string,
  options: {prefix: string; tags?: Record<string, string>; copies?: number},
): Promise<SeededIds> {
  const copies = options.copies ?? 1
  const ids: SeededIds = {}
  for (let i = 0; i < copies; i++) {
    const prefix = copies === 1 ? options.prefix : `${options.prefix}${i}`
    const seeded = await seedSandbox(endpoint, region, {prefix, tags: options.tags, global: true})
    for (const [type, list] of Object.entries(seeded)) (ids[type] ??= []).push(...list)
    await fillBucket(endpoint, region, seeded['AWS::S3::Bucket']![0]!)
    ;(ids['AWS::SQS::Queue'] ??= []).push(...(await seedQueues(endpoint, region, prefix, options.tags ?? {})))
  }

  return ids
}

/**
 * Three versions of one object, two of another, then a delete marker on the second. The sandbox's bucket
 * policy denies requests without TLS, which the emulator (plain HTTP) enforces: it is removed first.
 */
async function fillBucket(endpoint: string, region: string, bucket: string): Promise<void> {
  const s3 = new S3({endpoint, region, credentials: seedCredentials, forcePathStyle: true, maxAttempts: 2})
  await s3.deleteBucketPolicy({Bucket: bucket})
  for (const [key, versions] of [['reports/a.csv', 3], ['reports/b.csv', 2]] as const) {
    for (let v = 0; v < versions; v++) await s3.putObject({Bucket: bucket, Key: key, Body: `version ${v}\n`})
  }

  await s3.deleteObject({Bucket: bucket, Key: 'reports/b.csv'})
  s3.destroy()
}

/** A dead-letter queue and the queue that sends to it; their URLs (the queues' AWS ids). */
async function seedQueues(endpoint: string, region: string, prefix: string, tags: Record<string, string>): Promise<string[]> {
  const sqs = new SQS({endpoint, region, credentials: seedCredentials, maxAttempts: 2})
  const dlq = (await sqs.createQueue({QueueName: `${prefix}-jobs-dlq`, tags})).QueueUrl!
  const dlqArn = (await sqs.getQueueAttributes({QueueUrl: dlq, AttributeNames: ['QueueArn']})).Attributes!.QueueArn!
  const jobs = (
    await sqs.createQueue({
      QueueName: `${prefix}-jobs`,
      tags,
      Attributes: {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlqArn, maxReceiveCount: 3})},
    })
  ).QueueUrl!
  await sqs.sendMessage({QueueUrl: jobs, MessageBody: 'pending work'})
  sqs.destroy()
  return [dlq, jobs]
}

/** What exists in the emulator now, by type, with the same ids `seedCleanupScenario` returns. */
export async function liveIds(endpoint: string, region: string): Promise<Map<string, Set<string>>> {
  const {ec2, iam, lambda, s3} = emulatorClients(endpoint, region)
  const sqs = new SQS({endpoint, region, credentials: seedCredentials, maxAttempts: 2})
  const present = (list: ReadonlyArray<string | undefined> | undefined) => new Set((list ?? []).filter((id): id is string => id !== undefined))
  const instances = (await ec2.describeInstances({})).Reservations?.flatMap((r) => r.Instances ?? []) ?? []
  const live = new Map<string, Set<string>>([
    ['AWS::EC2::VPC', present((await ec2.describeVpcs({})).Vpcs?.map((v) => v.VpcId))],
    ['AWS::EC2::Subnet', present((await ec2.describeSubnets({})).Subnets?.map((s) => s.SubnetId))],
    ['AWS::EC2::InternetGateway', present((await ec2.describeInternetGateways({})).InternetGateways?.map((g) => g.InternetGatewayId))],
    ['AWS::EC2::RouteTable', present((await ec2.describeRouteTables({})).RouteTables?.map((t) => t.RouteTableId))],
    ['AWS::EC2::NetworkAcl', present((await ec2.describeNetworkAcls({})).NetworkAcls?.map((a) => a.NetworkAclId))],
    ['AWS::EC2::SecurityGroup', present((await ec2.describeSecurityGroups({})).SecurityGroups?.map((g) => g.GroupId))],
    ['AWS::EC2::KeyPair', present((await ec2.describeKeyPairs({})).KeyPairs?.map((k) => k.KeyPairId))],
    ['AWS::EC2::Instance', present(instances.filter((i) => i.State?.Name !== 'terminated').map((i) => i.InstanceId))],
    ['AWS::EC2::Volume', present((await ec2.describeVolumes({})).Volumes?.map((v) => v.VolumeId))],
    ['AWS::EC2::Snapshot', present((await ec2.describeSnapshots({OwnerIds: ['self']})).Snapshots?.map((s) => s.SnapshotId))],
    ['AWS::EC2::EIP', present((await ec2.describeAddresses({})).Addresses?.map((a) => a.AllocationId))],
    ['AWS::EC2::NetworkInterface', present((await ec2.describeNetworkInterfaces({})).NetworkInterfaces?.map((n) => n.NetworkInterfaceId))],
    ['AWS::EC2::NatGateway', present((await ec2.describeNatGateways({})).NatGateways?.filter((n) => n.State !== 'deleted').map((n) => n.NatGatewayId))],
    ['AWS::EC2::VPCEndpoint', present((await ec2.describeVpcEndpoints({})).VpcEndpoints?.filter((e) => e.State?.toLowerCase() !== 'deleted').map((e) => e.VpcEndpointId))],
    ['AWS::EC2::LaunchTemplate', present((await ec2.describeLaunchTemplates({})).LaunchTemplates?.map((t) => t.LaunchTemplateId))],
    ['AWS::EC2::FlowLog', present((await ec2.describeFlowLogs({})).FlowLogs?.map((f) => f.FlowLogId))],
    ['AWS::S3::Bucket', present((await s3.listBuckets({})).Buckets?.map((b) => b.Name))],
    ['AWS::Lambda::Function', present((await lambda.listFunctions({})).Functions?.map((f) => f.FunctionName))],
    ['AWS::IAM::Policy', present((await iam.listPolicies({Scope: 'Local'})).Policies?.map((p) => p.Arn))],
    ['AWS::IAM::Role', present((await iam.listRoles({})).Roles?.map((r) => r.RoleName))],
    ['AWS::IAM::InstanceProfile', present((await iam.listInstanceProfiles({})).InstanceProfiles?.map((p) => p.InstanceProfileName))],
    ['AWS::IAM::Group', present((await iam.listGroups({})).Groups?.map((g) => g.GroupName))],
    ['AWS::IAM::User', present((await iam.listUsers({})).Users?.map((u) => u.UserName))],
    ['AWS::SQS::Queue', present((await sqs.listQueues({})).QueueUrls)],
  ])
  for (const client of [ec2, iam, lambda, s3, sqs]) client.destroy()
  return live
}

/** `type id` of each seeded resource that `live` has (`present: true`) or lacks, sorted. */
export function seededWhere(seeded: SeededIds, live: ReadonlyMap<string, ReadonlySet<string>>, present: boolean): string[] {
  const out: string[] = []
  for (const [type, ids] of Object.entries(seeded)) {
    const there = live.get(type)
    if (there === undefined) throw new Error(`liveIds does not read ${type}`)
    for (const id of ids) if (there.has(id) === present) out.push(`${type} ${id}`)
  }

  return out.sort()
}
