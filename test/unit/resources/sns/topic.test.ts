import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'
import {DeleteTopicCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {topic, type TopicItem} from '../../../../src/resources/sns/topic.js'
import type {Resource} from '../../../../src/resources/types.js'
import {canonicalJson, sha256} from '../../../../src/store/hash.js'
import {testContext, testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'

const arn = 'arn:aws:sns:us-east-1:123456789012:parity-topic'
const policy = {
  Version: '2012-10-17',
  Statement: [{Sid: 'pub', Effect: 'Allow', Principal: {Service: 's3.amazonaws.com'}, Action: 'sns:Publish', Resource: arn}],
}
const deliveryPolicy = {http: {defaultHealthyRetryPolicy: {numRetries: 5, minDelayTarget: 20, maxDelayTarget: 20}}}

/** Captured from the emulator (moto 5.2): what topic.list() yields for a topic with attributes and tags. */
const direct: TopicItem = {
  TopicArn: arn,
  Attributes: {
    Owner: '123456789012',
    Policy: JSON.stringify(policy),
    TopicArn: arn,
    DisplayName: 'Parity alerts',
    SubscriptionsPending: '0',
    SubscriptionsConfirmed: '1',
    SubscriptionsDeleted: '0',
    DeliveryPolicy: JSON.stringify(deliveryPolicy),
    EffectiveDeliveryPolicy: '{"defaultHealthyRetryPolicy": {"numRetries": 3, "backoffFunction": "linear"}, "guaranteed": false}',
    KmsMasterKeyId: 'alias/aws/sns',
  },
  Tags: [
    {Key: 'team', Value: 'platform'},
    {Key: 'env', Value: 'dev'},
  ],
}

function awsError(name: string): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: name === 'AuthorizationError' ? 403 : 404}})
}

function expectParity(api: Resource, config: Resource | undefined): void {
  expect(config).toBeDefined()
  expect(config?.configuration).toEqual(api.configuration)
  const identity = (r: Resource | undefined) => r && {arn: r.arn, id: r.id, name: r.name, region: r.region, accountId: r.accountId, tags: r.tags, createdAt: r.createdAt}
  expect(identity(config)).toEqual(identity(api))
  expect(sha256(canonicalJson(config?.configuration))).toBe(sha256(canonicalJson(api.configuration)))
  expect(config?.source).toBe('config')
}

describe('AWS::SNS::Topic', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource: attributes without counters, documents parsed, tags', async () => {
    const resource = await topic.toResource(direct, ctx)
    expect(resource).toMatchObject({
      arn,
      type: 'AWS::SNS::Topic',
      id: arn,
      name: 'parity-topic',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {team: 'platform', env: 'dev'},
      source: 'api',
    })
    expect(resource.configuration).toEqual({
      TopicArn: arn,
      Owner: '123456789012',
      DisplayName: 'Parity alerts',
      Policy: policy,
      DeliveryPolicy: deliveryPolicy,
      KmsMasterKeyId: 'alias/aws/sns',
      Tags: [
        {Key: 'env', Value: 'dev'},
        {Key: 'team', Value: 'platform'},
      ],
    })
    // An AWS managed key (alias/aws/sns) is not collected: no edge. A customer key, by id, ARN or alias, is used.
    expect(topic.relationships?.(resource)).toEqual([])
    const encrypted = await topic.toResource({...direct, Attributes: {...direct.Attributes, KmsMasterKeyId: 'alias/app-events'}}, ctx)
    expect(topic.relationships?.(encrypted)).toEqual([{type: 'AWS::KMS::Key', arn: 'arn:aws:kms:us-east-1:123456789012:alias/app-events', id: 'alias/app-events', kind: 'uses'}])
    expect(topic.dependsOn).toEqual(['AWS::KMS::Key'])
  })

  it('counts delivery retries and archiving as configuration, the topic and data protection policies as security', async () => {
    const before = await topic.toResource(direct, ctx)
    const dataProtection = {Name: 'pii', Version: '2021-06-01', Statement: [{Sid: 'audit', DataDirection: 'Inbound', Principal: ['*'], DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'], Operation: {Audit: {SampleRate: '99'}}}]}
    const after = await topic.toResource(
      {
        ...direct,
        Attributes: {
          ...direct.Attributes,
          DeliveryPolicy: JSON.stringify({http: {defaultHealthyRetryPolicy: {...deliveryPolicy.http.defaultHealthyRetryPolicy, numRetries: 9}}}),
          ArchivePolicy: '{"MessageRetentionPeriod": "30"}',
          DataProtectionPolicy: JSON.stringify(dataProtection),
          Policy: JSON.stringify({...policy, Statement: [{...policy.Statement[0], Principal: {AWS: '*'}}]}),
        },
      },
      ctx,
    )
    expect(diffResource(before, after, topic).map((c) => [c.path, c.category])).toEqual([
      ['ArchivePolicy', 'configuration'],
      ['DataProtectionPolicy', 'security'],
      ['DeliveryPolicy.http.defaultHealthyRetryPolicy.numRetries', 'configuration'],
      ['Policy.Statement[pub].Principal.AWS', 'security'],
      ['Policy.Statement[pub].Principal.Service', 'security'],
    ])
  })

  it('leaves out empty attributes (SNS answers "" for an unset display name)', async () => {
    const resource = await topic.toResource({TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t.fifo', Attributes: {DisplayName: '', DeliveryPolicy: '', FifoTopic: 'true'}, Tags: []}, ctx)
    expect(resource.configuration).toEqual({FifoTopic: 'true', Tags: []})
    expect(resource.name).toBe('t.fifo')
  })

  it('lists every page of topics and skips a topic deleted since it was listed', async () => {
    const sns = mockClient(SNSClient)
    try {
      const gone = 'arn:aws:sns:us-east-1:123456789012:gone'
      const second = 'arn:aws:sns:us-east-1:123456789012:second'
      sns.on(ListTopicsCommand).resolves({Topics: [{TopicArn: arn}, {TopicArn: gone}], NextToken: 'page-2'})
      sns.on(ListTopicsCommand, {NextToken: 'page-2'}).resolves({Topics: [{TopicArn: second}]})
      sns.on(GetTopicAttributesCommand).callsFake((input: {TopicArn: string}) => ({Attributes: {TopicArn: input.TopicArn}}))
      sns.on(GetTopicAttributesCommand, {TopicArn: gone}).rejects(awsError('NotFoundException'))
      sns.on(ListTagsForResourceCommand).resolves({Tags: [{Key: 'k', Value: 'v'}]})

      const items: TopicItem[] = []
      for await (const page of topic.list(ctx)) items.push(...page)

      expect(items.map((t) => t.TopicArn)).toEqual([arn, second])
      expect(items[0]).toEqual({TopicArn: arn, Attributes: {TopicArn: arn}, Tags: [{Key: 'k', Value: 'v'}]})
      expect(sns.commandCalls(ListTopicsCommand)).toHaveLength(2)
    } finally {
      sns.restore()
    }
  })

  it('lets a denial through, so the cell is recorded as denied', async () => {
    const sns = mockClient(SNSClient)
    try {
      sns.on(ListTopicsCommand).rejects(awsError('AuthorizationError'))
      const pages = topic.list(ctx)[Symbol.asyncIterator]()
      await expect(pages.next()).rejects.toMatchObject({name: 'AuthorizationError'})
    } finally {
      sns.restore()
    }
  })
})

describe('AWS::SNS::Topic: parity with AWS Config', () => {
  const ctx = testContext({region: 'us-east-1'})

  /**
   * The same topic's BatchGetResourceConfig item from the emulator: camelCase attribute names, the policy
   * already parsed, integer counters, no `Owner`, tags in `supplementaryConfiguration.Tags`.
   */
  const motoItem: BaseConfigurationItem = {
    version: '1.3',
    accountId: '123456789012',
    configurationItemCaptureTime: new Date('2026-11-25T02:29:52.036Z'),
    configurationItemStatus: 'ResourceDiscovered',
    configurationStateId: '1',
    resourceType: 'AWS::SNS::Topic',
    resourceId: arn,
    resourceName: 'parity-topic',
    arn,
    awsRegion: 'us-east-1',
    availabilityZone: 'Not Applicable',
    configuration: JSON.stringify({
      topicArn: arn,
      displayName: 'Parity alerts',
      policy,
      deliveryPolicy: JSON.stringify(deliveryPolicy),
      effectiveDeliveryPolicy: {defaultHealthyRetryPolicy: {numRetries: 3, backoffFunction: 'linear'}, guaranteed: false},
      subscriptionsConfirmed: 0,
      subscriptionsPending: 0,
      subscriptionsDeleted: 0,
      kmsMasterKeyId: 'alias/aws/sns',
    }),
    supplementaryConfiguration: {Tags: '[{"key": "team", "value": "platform"}, {"key": "env", "value": "dev"}]'},
  }

  it('gives the same resource from the emulator’s Config item as from the direct calls', async () => {
    expectParity(await topic.toResource(direct, ctx), topic.fromConfigItem?.(motoItem, ctx))
  })

  it('maps the documented real-AWS item (attribute names as GetTopicAttributes, numbers as numbers)', async () => {
    const fifoArn = 'arn:aws:sns:eu-west-1:444455556666:orders.fifo'
    const api = await topic.toResource(
      {
        TopicArn: fifoArn,
        Attributes: {
          TopicArn: fifoArn,
          Owner: '444455556666',
          DisplayName: '',
          Policy: '{"Version":"2008-10-17","Statement":[]}',
          FifoTopic: 'true',
          ContentBasedDeduplication: 'false',
          SQSSuccessFeedbackRoleArn: 'arn:aws:iam::444455556666:role/sns-logs',
          SQSSuccessFeedbackSampleRate: '50',
          SubscriptionsConfirmed: '3',
        },
        Tags: [],
      },
      testContext({region: 'eu-west-1', accountId: '444455556666'}),
    )
    const config = topic.fromConfigItem?.(
      {
        accountId: '444455556666',
        configurationItemStatus: 'OK',
        arn: fifoArn,
        resourceType: 'AWS::SNS::Topic',
        resourceId: fifoArn,
        resourceName: 'orders.fifo',
        awsRegion: 'eu-west-1',
        configuration: JSON.stringify({
          TopicArn: fifoArn,
          Owner: '444455556666',
          Policy: '{\n  "Version": "2008-10-17",\n  "Statement": []\n}',
          FifoTopic: true,
          ContentBasedDeduplication: false,
          SQSSuccessFeedbackRoleArn: 'arn:aws:iam::444455556666:role/sns-logs',
          SQSSuccessFeedbackSampleRate: 50,
        }),
        supplementaryConfiguration: {},
      },
      // An aggregator returns other accounts' items: account and region come from the item.
      ctx,
    )
    expectParity(api, config)
    expect(config).toMatchObject({accountId: '444455556666', region: 'eu-west-1', configuration: {SQSSuccessFeedbackSampleRate: '50', FifoTopic: 'true'}})
  })

  it('gives nothing for a deleted topic', () => {
    expect(topic.fromConfigItem?.({...motoItem, configurationItemStatus: 'ResourceDeleted'}, ctx)).toBeUndefined()
  })
})

describe('AWS::SNS::Topic: deletion', () => {
  const ctx = testContext({region: 'us-east-1'})
  const deleter = topic.deleter!

  it('deletes the topic by ARN in one step; its subscriptions go with it', async () => {
    expect(deleter.steps(await topic.toResource(direct, ctx))).toEqual([
      {action: 'delete-topic', description: 'Delete SNS topic parity-topic and its subscriptions', params: {topicArn: arn}},
    ])
    expect(deleter.includes).toBeUndefined()
    expect(deleter.releaseSteps).toBeUndefined()
  })

  it('calls DeleteTopic with the planned ARN (once it has checked the topic exists) and returns its request id', async () => {
    const sns = mockClient(SNSClient)
    try {
      sns.on(GetTopicAttributesCommand).resolves({Attributes: direct.Attributes})
      sns.on(DeleteTopicCommand).resolves({$metadata: {requestId: 'req-delete'}})
      const item = planItemOf(await topic.toResource(direct, ctx))
      expect(await deleter.run(testDeleteContext(), item, item.steps[0]!)).toEqual({status: 'done', requestIds: ['req-delete']})
      expect(sns.commandCalls(DeleteTopicCommand).map((c) => c.args[0].input)).toEqual([{TopicArn: arn}])
      await expect(deleter.run(testDeleteContext(), item, {action: 'purge', description: '', params: {}})).rejects.toThrow('AWS::SNS::Topic has no step "purge"')
    } finally {
      sns.restore()
    }
  })

  it('re-reads the topic: attributes and tags, undefined once gone, tags null when they cannot be read', async () => {
    const sns = mockClient(SNSClient)
    try {
      const item = planItemOf(await topic.toResource(direct, ctx))
      sns.on(GetTopicAttributesCommand).resolves({Attributes: direct.Attributes})
      sns.on(ListTagsForResourceCommand).resolves({Tags: direct.Tags})
      const live = await deleter.current(testDeleteContext(), item)
      expect(live).toEqual({tags: {team: 'platform', env: 'dev'}, name: 'parity-topic', configuration: (await topic.toResource(direct, ctx)).configuration})

      // Denied tags (emulator cannot deny): unknown, so tag rules protect it.
      sns.on(ListTagsForResourceCommand).rejects(awsError('AuthorizationError'))
      const denied = await deleter.current(testDeleteContext(), item)
      expect(denied?.tags).toBeNull()
      expect(denied?.configuration).not.toHaveProperty('Tags')

      sns.on(GetTopicAttributesCommand).rejects(awsError('NotFoundException'))
      expect(await deleter.current(testDeleteContext(), item)).toBeUndefined()
    } finally {
      sns.restore()
    }
  })
})
