import {DeleteQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {queue, type QueueItem} from '../../../../src/resources/sqs/queue.js'
import {awsError} from '../../../support/aws-error.js'
import {testContext, testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'

const policy = {
  Version: '2012-10-17',
  Statement: [{Sid: 'send', Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:123456789012:orders'}],
}

/** Captured from the emulator (moto 5.2): a queue with a policy and a dead-letter queue. */
const orders: QueueItem = {
  QueueUrl: 'http://127.0.0.1:45123/123456789012/orders',
  Attributes: {
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesDelayed: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    CreatedTimestamp: '1796455559.613415',
    DelaySeconds: '0',
    LastModifiedTimestamp: '1796455559.613415',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    QueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders',
    Policy:
      '{"Version": "2012-10-17", "Statement": [{"Sid": "send", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:orders"}]}',
    RedrivePolicy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq", "maxReceiveCount": 5}',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '60',
    SqsManagedSseEnabled: 'true',
  },
  Tags: {team: 'orders'},
}

/** Captured from the emulator: the dead-letter queue, holding one message. */
const deadLetters: QueueItem = {
  QueueUrl: 'http://127.0.0.1:45123/123456789012/orders-dlq',
  Attributes: {
    ApproximateNumberOfMessages: '1',
    ApproximateNumberOfMessagesDelayed: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    CreatedTimestamp: '1796455559.59469',
    DelaySeconds: '0',
    LastModifiedTimestamp: '1796455559.59469',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    QueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    SqsManagedSseEnabled: 'true',
  },
  Tags: {},
}

describe('AWS::SQS::Queue', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource: URL as id, ARN, name, creation time from CreatedTimestamp', async () => {
    const resource = await queue.toResource(orders, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:sqs:us-east-1:123456789012:orders',
      type: 'AWS::SQS::Queue',
      id: orders.QueueUrl,
      name: 'orders',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: '2026-12-05T07:25:59.613Z',
      tags: {team: 'orders'},
      source: 'api',
    })
    // Counters dropped, documents parsed, epoch seconds as ISO times, attributes otherwise as SQS gives them.
    expect(resource.configuration).toEqual({
      QueueUrl: orders.QueueUrl,
      CreatedTimestamp: '2026-12-05T07:25:59.613Z',
      DelaySeconds: '0',
      LastModifiedTimestamp: '2026-12-05T07:25:59.613Z',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders',
      Policy: policy,
      RedrivePolicy: {deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq', maxReceiveCount: 5},
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '60',
      SqsManagedSseEnabled: 'true',
      Tags: [{Key: 'team', Value: 'orders'}],
    })
    // The documented Config item does not say how it encodes the policies: the direct API is used.
    expect(queue.fromConfigItem).toBeUndefined()
  })

  it('stores the same configuration whatever the message counters say', async () => {
    const busy = {...deadLetters, Attributes: {...deadLetters.Attributes, ApproximateNumberOfMessages: '4000', ApproximateNumberOfMessagesNotVisible: '12'}}
    expect((await queue.toResource(busy, ctx)).configuration).toEqual((await queue.toResource(deadLetters, ctx)).configuration)
  })

  it('references its dead-letter queue (informational, not a deletion order)', async () => {
    expect(queue.relationships?.(await queue.toResource(orders, ctx))).toEqual([
      {type: 'AWS::SQS::Queue', arn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq', kind: 'references'},
    ])
    expect(queue.relationships?.(await queue.toResource(deadLetters, ctx))).toEqual([])
  })

  it('uses the KMS key it is encrypted with, named by id or alias; an AWS managed key is not collected', async () => {
    const withKey = (KmsMasterKeyId: string) => queue.toResource({...deadLetters, Attributes: {...deadLetters.Attributes, KmsMasterKeyId}}, ctx)
    expect(queue.relationships?.(await withKey('alias/orders'))).toEqual([{type: 'AWS::KMS::Key', arn: 'arn:aws:kms:us-east-1:123456789012:alias/orders', id: 'alias/orders', kind: 'uses'}])
    expect(queue.relationships?.(await withKey('1234abcd-12ab-34cd-56ef-1234567890ab'))).toEqual([
      {type: 'AWS::KMS::Key', arn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', id: '1234abcd-12ab-34cd-56ef-1234567890ab', kind: 'uses'},
    ])
    expect(queue.relationships?.(await withKey('alias/aws/sqs'))).toEqual([])
    expect(queue.dependsOn).toEqual(['AWS::KMS::Key'])
  })

  it('counts dead-letter settings as configuration, the queue policy and encryption as security', async () => {
    const before = await queue.toResource(orders, ctx)
    const after = await queue.toResource(
      {
        ...orders,
        Attributes: {
          ...orders.Attributes,
          RedrivePolicy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq", "maxReceiveCount": 10}',
          RedriveAllowPolicy: '{"redrivePermission": "denyAll"}',
          Policy: JSON.stringify({...policy, Statement: [{...policy.Statement[0], Principal: '*'}]}),
          SqsManagedSseEnabled: 'false',
        },
      },
      ctx,
    )
    expect(diffResource(before, after, queue).map((c) => [c.path, c.category])).toEqual([
      ['Policy.Statement[send].Principal', 'security'],
      ['RedriveAllowPolicy', 'configuration'],
      ['RedrivePolicy.maxReceiveCount', 'configuration'],
      ['SqsManagedSseEnabled', 'security'],
    ])
  })

  it('keeps LastModifiedTimestamp but reports no drift when only it moved (an attribute set to the value it had)', async () => {
    const before = await queue.toResource(orders, ctx)
    const touched = await queue.toResource({...orders, Attributes: {...orders.Attributes, LastModifiedTimestamp: '1796459999.5'}}, ctx)
    expect(touched.configuration.LastModifiedTimestamp).toBe('2026-12-05T08:39:59.500Z')
    expect(diffResource(before, touched, queue)).toEqual([])
    const changed = await queue.toResource({...orders, Attributes: {...orders.Attributes, LastModifiedTimestamp: '1796459999.5', VisibilityTimeout: '90'}}, ctx)
    expect(diffResource(before, changed, queue).map((c) => c.path)).toEqual(['VisibilityTimeout'])
  })

  it('reads AWS’s whole-second times and builds the ARN from the URL when the attribute is missing', async () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo'
    const resource = await queue.toResource(
      {QueueUrl: url, Attributes: {CreatedTimestamp: '1700000000', FifoQueue: 'true'}, Tags: {}},
      testContext({region: 'eu-west-1'}),
    )
    expect(resource).toMatchObject({arn: 'arn:aws:sqs:eu-west-1:123456789012:jobs.fifo', name: 'jobs.fifo', createdAt: '2023-11-14T22:13:20.000Z'})
  })

  it('lists every page and skips a queue deleted since it was listed', async () => {
    const sqs = mockClient(SQSClient)
    try {
      const gone = 'http://127.0.0.1:45123/123456789012/gone'
      sqs.on(ListQueuesCommand).resolves({QueueUrls: [deadLetters.QueueUrl, gone], NextToken: 'page-2'})
      sqs.on(ListQueuesCommand, {NextToken: 'page-2'}).resolves({QueueUrls: [orders.QueueUrl]})
      for (const item of [orders, deadLetters]) {
        sqs.on(GetQueueAttributesCommand, {QueueUrl: item.QueueUrl}).resolves({Attributes: item.Attributes})
        sqs.on(ListQueueTagsCommand, {QueueUrl: item.QueueUrl}).resolves({Tags: item.Tags})
      }

      sqs.on(GetQueueAttributesCommand, {QueueUrl: gone}).rejects(awsError('QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue'))
      sqs.on(ListQueueTagsCommand, {QueueUrl: gone}).rejects(awsError('QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue'))

      const items: QueueItem[] = []
      for await (const page of queue.list(ctx)) items.push(...page)

      expect(items).toEqual([deadLetters, orders])
      expect(sqs.commandCalls(ListQueuesCommand)[0]?.args[0].input).toEqual({MaxResults: 1000})
      expect(sqs.commandCalls(GetQueueAttributesCommand)[0]?.args[0].input).toMatchObject({AttributeNames: ['All']})
    } finally {
      sqs.restore()
    }
  })

  it('lets a denial through, so the cell is recorded as denied', async () => {
    const sqs = mockClient(SQSClient)
    try {
      sqs.on(ListQueuesCommand).rejects(awsError('AccessDenied', 403))
      await expect(queue.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDenied'})
    } finally {
      sqs.restore()
    }
  })
})

describe('AWS::SQS::Queue: deletion', () => {
  const ctx = testContext({region: 'us-east-1'})
  const deleter = queue.deleter!

  it('deletes the queue by URL in one step; a dead-letter queue orders nothing', async () => {
    expect(deleter.steps(await queue.toResource(orders, ctx))).toEqual([
      {action: 'delete-queue', description: 'Delete SQS queue orders and the messages in it', params: {queueUrl: orders.QueueUrl}},
    ])
    expect(deleter.includes).toBeUndefined()
  })

  it('calls DeleteQueue with the planned URL and returns its request id', async () => {
    const sqs = mockClient(SQSClient)
    try {
      sqs.on(DeleteQueueCommand).resolves({$metadata: {requestId: 'req-delete'}})
      const item = planItemOf(await queue.toResource(orders, ctx))
      expect(await deleter.run(testDeleteContext(), item, item.steps[0]!)).toEqual({
        status: 'done',
        detail: 'deleted (SQS completes it within 60 seconds)',
        requestIds: ['req-delete'],
      })
      expect(sqs.commandCalls(DeleteQueueCommand).map((c) => c.args[0].input)).toEqual([{QueueUrl: orders.QueueUrl}])
      await expect(deleter.run(testDeleteContext(), item, {action: 'purge-queue', description: '', params: {}})).rejects.toThrow('AWS::SQS::Queue has no step "purge-queue"')
    } finally {
      sqs.restore()
    }
  })

  it('re-reads the queue: attributes and tags, undefined once gone, tags null when they cannot be read', async () => {
    const sqs = mockClient(SQSClient)
    try {
      const resource = await queue.toResource(orders, ctx)
      const item = planItemOf(resource)
      sqs.on(GetQueueAttributesCommand).resolves({Attributes: orders.Attributes})
      sqs.on(ListQueueTagsCommand).resolves({Tags: orders.Tags})
      expect(await deleter.current(testDeleteContext(), item)).toEqual({tags: {team: 'orders'}, name: 'orders', configuration: resource.configuration})

      // Denied tags (the emulator cannot deny): unknown, so tag rules protect it.
      sqs.on(ListQueueTagsCommand).rejects(awsError('AccessDenied', 403))
      const denied = await deleter.current(testDeleteContext(), item)
      expect(denied?.tags).toBeNull()
      expect(denied?.configuration).not.toHaveProperty('Tags')

      sqs.on(GetQueueAttributesCommand).rejects(awsError('QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue'))
      expect(await deleter.current(testDeleteContext(), item)).toBeUndefined()
    } finally {
      sqs.restore()
    }
  })
})
