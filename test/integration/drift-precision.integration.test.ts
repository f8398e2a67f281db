import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {KMS} from '@aws-sdk/client-kms'
import {Lambda} from '@aws-sdk/client-lambda'
import {SNS} from '@aws-sdk/client-sns'
import {SQS} from '@aws-sdk/client-sqs'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DriftReport, ResourceDrift} from '../../src/diff/snapshots.js'
import {runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials, zipOneFile} from '../support/seed.js'

/**
 * Drift precision against the emulator: changes that are security drift are reported as such, and changes
 * that are not — settings named like policies, a route table associated again, an attribute set to the
 * value it had, a key disabled or scheduled for deletion — are not reported as what they are not.
 */
const REGION = 'us-east-1'
const TYPES = 'AWS::IAM::Policy,AWS::SQS::Queue,AWS::SNS::Topic,AWS::EC2::VPCEndpoint,AWS::Lambda::Function,AWS::KMS::Key'
const document = (action: string) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: action, Resource: '*'}]})

interface Seeded {
  policyArn: string
  jobsUrl: string
  idleUrl: string
  topicArn: string
  endpointId: string
  routeTables: string[]
  layers: string[]
  restingKey: string
  leavingKey: string
}

async function seed(endpoint: string): Promise<Seeded> {
  const config = {endpoint, region: REGION, credentials: seedCredentials, maxAttempts: 2}
  const [ec2, iam, kms, lambda, sns, sqs] = [new EC2(config), new IAM(config), new KMS(config), new Lambda(config), new SNS(config), new SQS(config)]
  try {
    const policyArn = (await iam.createPolicy({PolicyName: 'p-read', PolicyDocument: document('s3:GetObject')})).Policy!.Arn!

    const dlqUrl = (await sqs.createQueue({QueueName: 'p-jobs-dlq'})).QueueUrl!
    const dlqArn = (await sqs.getQueueAttributes({QueueUrl: dlqUrl, AttributeNames: ['QueueArn']})).Attributes!.QueueArn!
    const redrive = JSON.stringify({deadLetterTargetArn: dlqArn, maxReceiveCount: 5})
    const jobsUrl = (await sqs.createQueue({QueueName: 'p-jobs', Attributes: {RedrivePolicy: redrive}})).QueueUrl!
    const idleUrl = (await sqs.createQueue({QueueName: 'p-idle', Attributes: {VisibilityTimeout: '30'}})).QueueUrl!

    const deliveryPolicy = JSON.stringify({http: {defaultHealthyRetryPolicy: {numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20}}})
    const topicArn = (await sns.createTopic({Name: 'p-alerts', Attributes: {DeliveryPolicy: deliveryPolicy}})).TopicArn!

    const vpcId = (await ec2.createVpc({CidrBlock: '10.20.0.0/16'})).Vpc!.VpcId!
    const routeTables: string[] = []
    for (let i = 0; i < 2; i++) routeTables.push((await ec2.createRouteTable({VpcId: vpcId})).RouteTable!.RouteTableId!)
    const endpointId = (await ec2.createVpcEndpoint({VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.s3`, VpcEndpointType: 'Gateway', RouteTableIds: routeTables})).VpcEndpoint!
      .VpcEndpointId!

    const layers: string[] = []
    for (const name of ['p-base', 'p-patch']) {
      layers.push((await lambda.publishLayerVersion({LayerName: name, Content: {ZipFile: zipOneFile(`${name}.py`, 'X = 1\n')}, CompatibleRuntimes: ['python3.12']})).LayerVersionArn!)
    }

    const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]})
    const role = (await iam.createRole({RoleName: 'p-fn-role', AssumeRolePolicyDocument: trust})).Role!.Arn!
    await lambda.createFunction({
      FunctionName: 'p-fn',
      Runtime: 'python3.12',
      Role: role,
      Handler: 'index.handler',
      Code: {ZipFile: zipOneFile('index.py', 'def handler(event, context):\n    return 1\n')},
      Layers: layers,
    })

    const restingKey = (await kms.createKey({})).KeyMetadata!.KeyId!
    const leavingKey = (await kms.createKey({})).KeyMetadata!.KeyId!
    for (const KeyId of [restingKey, leavingKey]) await kms.enableKeyRotation({KeyId})

    return {policyArn, jobsUrl, idleUrl, topicArn, endpointId, routeTables, layers, restingKey, leavingKey}
  } finally {
    for (const client of [ec2, iam, kms, lambda, sns, sqs]) client.destroy()
  }
}

/** The changes made after the baseline: one of each kind QA found misreported. */
async function change(endpoint: string, seeded: Seeded): Promise<void> {
  const config = {endpoint, region: REGION, credentials: seedCredentials, maxAttempts: 2}
  const [ec2, iam, kms, lambda, sns, sqs] = [new EC2(config), new IAM(config), new KMS(config), new Lambda(config), new SNS(config), new SQS(config)]
  try {
    // A widened managed policy: security.
    await iam.createPolicyVersion({PolicyArn: seeded.policyArn, PolicyDocument: document('s3:*'), SetAsDefault: true})
    // Dead-letter and retry settings: configuration.
    const dlqArn = `arn:aws:sqs:${REGION}:123456789012:p-jobs-dlq`
    await sqs.setQueueAttributes({QueueUrl: seeded.jobsUrl, Attributes: {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlqArn, maxReceiveCount: 10})}})
    const retries = JSON.stringify({http: {defaultHealthyRetryPolicy: {numRetries: 9, minDelayTarget: 20, maxDelayTarget: 20}}})
    await sns.setTopicAttributes({TopicArn: seeded.topicArn, AttributeName: 'DeliveryPolicy', AttributeValue: retries})
    // Nothing at all: an attribute set to the value it had (LastModifiedTimestamp moves), a route table
    // associated again (it comes back last).
    await sqs.setQueueAttributes({QueueUrl: seeded.idleUrl, Attributes: {VisibilityTimeout: '30'}})
    await ec2.modifyVpcEndpoint({VpcEndpointId: seeded.endpointId, RemoveRouteTableIds: [seeded.routeTables[0]!]})
    await ec2.modifyVpcEndpoint({VpcEndpointId: seeded.endpointId, AddRouteTableIds: [seeded.routeTables[0]!]})
    // Layers in the other order: the later one now overrides the earlier one.
    await lambda.updateFunctionConfiguration({FunctionName: 'p-fn', Layers: [...seeded.layers].reverse()})
    // Keys that stop being usable: their state changes, their rotation setting does not.
    await kms.disableKey({KeyId: seeded.restingKey})
    await kms.scheduleKeyDeletion({KeyId: seeded.leavingKey, PendingWindowInDays: 7})
  } finally {
    for (const client of [ec2, iam, kms, lambda, sns, sqs]) client.destroy()
  }
}

describe('drift precision: categories, sets, timestamps and fields not read', () => {
  let emulator: Emulator
  let seeded: Seeded
  let storage: string
  let report: DriftReport
  const base = () => ['--storage-path', storage, '--endpoint-url', emulator.url]
  const create = (name: string) => runCliJson(['snapshot', 'create', name, ...base(), '--regions', REGION, '--resource-types', TYPES, '--no-config', '--no-set-active'])

  beforeAll(async () => {
    emulator = await startEmulator()
    seeded = await seed(emulator.url)
    storage = mkdtempSync(join(tmpdir(), 'awsinv-drift-precision-'))
    await create('before')
    await change(emulator.url, seeded)
    await create('after')
    report = await runCliJson<DriftReport>(['query', 'diff', 'before', 'after', ...base()])
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  const modified = (type: string, id?: string): ResourceDrift | undefined =>
    report.resources.find((r) => r.change === 'modified' && r.type === type && (id === undefined || r.id === id))
  const changes = (drift: ResourceDrift | undefined) => (drift?.changes ?? []).map((c) => [c.path.replace(/\[\{.*\}\]/, '[…]'), c.kind, c.category])

  it('reports exactly the resources that changed', () => {
    expect(report.resources.map((r) => `${r.change} ${r.type} ${r.name}`).sort()).toEqual(
      [
        'modified AWS::IAM::Policy p-read',
        'modified AWS::KMS::Key ' + seeded.leavingKey,
        'modified AWS::KMS::Key ' + seeded.restingKey,
        'modified AWS::Lambda::Function p-fn',
        'modified AWS::SNS::Topic p-alerts',
        'modified AWS::SQS::Queue p-jobs',
      ].sort(),
    )
  })

  it('counts a widened managed policy as security drift, which a security gate fails on', async () => {
    const widened = modified('AWS::IAM::Policy')
    expect(widened?.categories).toEqual(['security', 'configuration'])
    expect(changes(widened)).toEqual([
      ['DefaultVersionId', 'changed', 'security'],
      ['Document.Statement[…]', 'added', 'security'],
      ['Document.Statement[…]', 'removed', 'security'],
      ['VersionIds[v2]', 'added', 'configuration'],
    ])
    const gate = await runCli(['query', 'diff', 'before', 'after', '--category', 'security', '--exit-code', '--json', ...base()])
    expect(gate.code, gate.stderr).toBe(2)
    const security = JSON.parse(gate.stdout) as DriftReport
    expect(security.resources.map((r) => r.type).sort()).toEqual(['AWS::IAM::Policy', 'AWS::KMS::Key', 'AWS::KMS::Key'])
  })

  it('counts dead-letter and delivery retry settings as configuration', () => {
    expect(changes(modified('AWS::SQS::Queue'))).toEqual([['RedrivePolicy.maxReceiveCount', 'changed', 'configuration']])
    expect(changes(modified('AWS::SNS::Topic'))).toEqual([['DeliveryPolicy.http.defaultHealthyRetryPolicy.numRetries', 'changed', 'configuration']])
  })

  it('reports no drift for an attribute set to the value it had, nor for a route table associated again', () => {
    expect(modified('AWS::SQS::Queue', seeded.idleUrl)).toBeUndefined()
    expect(modified('AWS::EC2::VPCEndpoint')).toBeUndefined()
  })

  it('reports reordered Lambda layers, position by position', () => {
    const [base, patch] = seeded.layers
    const fn = modified('AWS::Lambda::Function')
    expect(fn?.changes?.every((c) => /^Layers\[[01]\]\.(Arn|CodeSize)$/.test(c.path) && c.category === 'configuration')).toBe(true)
    expect(fn?.changes?.filter((c) => c.path.endsWith('.Arn')).map((c) => [c.path, c.before, c.after])).toEqual([
      ['Layers[0].Arn', base, patch],
      ['Layers[1].Arn', patch, base],
    ])
  })

  it('reports a key disabled or scheduled for deletion by its state, not as a removed rotation setting', () => {
    expect(changes(modified('AWS::KMS::Key', seeded.restingKey))).toEqual([
      ['Enabled', 'changed', 'security'],
      ['KeyState', 'changed', 'security'],
    ])
    const leaving = changes(modified('AWS::KMS::Key', seeded.leavingKey))
    expect(leaving).toContainEqual(['KeyState', 'changed', 'security'])
    expect(leaving.filter(([path]) => String(path).startsWith('KeyRotation') || String(path).startsWith('Rotation'))).toEqual([])
  })
})
