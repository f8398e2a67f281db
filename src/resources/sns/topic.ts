import type {SNS, Tag} from '@aws-sdk/client-sns'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {describeInBatches, paginateItems} from '../../aws/paginate.js'
import {type ConfigItem, configDate, configResource, isCurrentItem, itemConfiguration, parseJsonValue, supplementaryValue, tagList, tagsFrom} from '../config-item.js'
import {apiResource, orderSets, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/** A topic as ListTopics + GetTopicAttributes + ListTagsForResource return it. */
export interface TopicItem {
  TopicArn: string
  /** GetTopicAttributes' map, every value a string (JSON documents as text). */
  Attributes: Record<string, string>
  Tags: Tag[]
}

/**
 * The attributes kept in the canonical configuration: those AWS Config records too (its item carries
 * the topic's attributes under the same names), so both sources give the same configuration. Left out:
 * - `SubscriptionsConfirmed`, `SubscriptionsPending`, `SubscriptionsDeleted`: counters that move whenever
 *   someone subscribes or unsubscribes, without anyone changing the topic; Config's documented item does
 *   not index them. Dropped rather than marked volatile: they would only make the stored hash churn.
 * - `EffectiveDeliveryPolicy`: derived by SNS from `DeliveryPolicy` and its own defaults, not settable;
 *   not in Config's documented item (the emulator returns it, already parsed).
 * - Attributes AWS adds later: listed here once Config is known to record them, so parity holds.
 * No attribute holds a secret (`KmsMasterKeyId` is a key id or alias, not key material).
 */
const keptAttributes = [
  'TopicArn',
  'Owner',
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'FifoTopic',
  'FifoThroughputScope',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'BeginningArchiveTime',
  'DataProtectionPolicy',
  ...['Application', 'HTTP', 'Firehose', 'Lambda', 'SQS'].flatMap((protocol) => [
    `${protocol}SuccessFeedbackRoleArn`,
    `${protocol}SuccessFeedbackSampleRate`,
    `${protocol}FailureFeedbackRoleArn`,
  ]),
] as const

/** Attributes holding JSON documents: stored parsed, so formatting differences between sources vanish. */
const documentAttributes = new Set<string>(['Policy', 'DeliveryPolicy', 'ArchivePolicy', 'DataProtectionPolicy'])

// Topics described at once; each description is two parallel calls.
const topicConcurrency = 8

export const topic: ResourceSpec<TopicItem> = {
  type: 'AWS::SNS::Topic',
  service: 'sns',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html',

  async *list(ctx) {
    const sns = await ctx.clients.get('sns', ctx.region)
    for await (const page of paginateItems((r) => sns.listTopics(r), {}, 'NextToken', 'NextToken', 'Topics')) {
      const arns = page.map((t) => t.TopicArn).filter((arn): arn is string => arn !== undefined)
      // A topic deleted since it was listed fails with NotFound / ResourceNotFound and is skipped.
      yield* describeInBatches(arns, topicConcurrency, ctx.signal, (TopicArn) => unlessDeleted(() => describeTopic(sns, TopicArn)))
    }
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.TopicArn,
      type: topic.type,
      // DeleteTopic and every other topic call take the ARN.
      id: item.TopicArn,
      name: topicName(item.TopicArn),
      // SNS reports no creation time.
      createdAt: null,
      tags,
      configuration: topicConfiguration(item.Attributes, tags),
    })
  },

  fromConfigItem(item, ctx) {
    if (!isCurrentItem(item)) return undefined
    const configuration = itemConfiguration(item)
    // Real AWS Config names the attributes as GetTopicAttributes does (`TopicArn`, `KmsMasterKeyId`);
    // the emulator writes them camelCase (`topicArn`, `kmsMasterKeyId`): both are read.
    const attributes: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(configuration)) attributes[key.charAt(0).toUpperCase() + key.slice(1)] = value
    const arn = stringOr(attributes.TopicArn) ?? item.arn ?? item.resourceId ?? ''
    // The owner is the topic's account; the emulator's item leaves `Owner` out.
    attributes.Owner ??= item.accountId || ctx.accountId
    const tags = {...tagsFrom((item as ConfigItem).tags), ...tagsFrom(supplementaryValue(item, 'Tags')), ...tagsFrom(attributes.Tags)}
    return configResource(item, ctx, {
      arn,
      type: topic.type,
      id: arn,
      name: topicName(arn),
      createdAt: configDate(item.resourceCreationTime),
      tags,
      configuration: topicConfiguration(attributes, tags),
    })
  },

  // Server-side encryption with a KMS key (an id, ARN or alias): a topic that stays keeps it.
  relationships: (resource) => kmsKeyEdges(resource, [resource.configuration.KmsMasterKeyId as string | undefined], 'uses'),
  dependsOn: ['AWS::KMS::Key'],

  sets: {Tags: 'Key'},
  // Retries of HTTP/S deliveries and how long a FIFO topic keeps messages for replay: not permissions.
  // `DataProtectionPolicy` (what sensitive data is audited, masked or denied) stays security.
  configurationFields: ['DeliveryPolicy', 'ArchivePolicy'],

  deleter: {
    // DeleteTopic deletes the topic's subscriptions with it; messages not yet delivered are lost.
    steps: (resource) => [{action: 'delete-topic', description: `Delete SNS topic ${resource.name} and its subscriptions`, params: {topicArn: resource.id}}],

    async current(ctx, item) {
      const sns = await ctx.clients.get('sns', ctx.region)
      const attributes = await unlessDeleted(() => sns.getTopicAttributes({TopicArn: item.id}))
      if (attributes === undefined) return undefined
      let tags: Record<string, string> | null
      try {
        tags = tagsFromList((await sns.listTagsForResource({ResourceArn: item.id})).Tags)
      } catch (error) {
        if (classifyError(error).kind === 'not_found') return undefined
        // Unreadable tags: the tag rules protect it (fail closed).
        tags = null
      }

      const configuration = topicConfiguration(attributes.Attributes ?? {}, tags ?? {})
      if (tags === null) delete configuration.Tags
      return {tags, name: topicName(item.id), configuration}
    },

    async run(ctx, _item, step) {
      if (step.action !== 'delete-topic') throw new Error(`AWS::SNS::Topic has no step "${step.action}"`)
      const sns = await ctx.clients.get('sns', ctx.region)
      const TopicArn = String(step.params.topicArn)
      // DeleteTopic succeeds for a topic that does not exist: asked first, so the audit log tells a deletion from nothing to do.
      if ((await unlessDeleted(() => sns.getTopicAttributes({TopicArn}))) === undefined) return {status: 'gone', detail: 'the topic no longer exists'}
      const out = await sns.deleteTopic({TopicArn})
      return {status: 'done', requestIds: [out.$metadata.requestId].filter((id): id is string => id !== undefined)}
    },
  },
}

async function describeTopic(sns: SNS, TopicArn: string): Promise<TopicItem> {
  const [attributes, tags] = await Promise.all([sns.getTopicAttributes({TopicArn}), sns.listTagsForResource({ResourceArn: TopicArn})])
  return {TopicArn, Attributes: attributes.Attributes ?? {}, Tags: tags.Tags ?? []}
}

/** The last segment of a topic ARN (`arn:aws:sns:region:account:name`). */
function topicName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1)
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The canonical configuration from either source's attributes: the kept attributes as strings (as
 * GetTopicAttributes gives them; Config may give numbers and booleans), JSON documents parsed, empty
 * values left out (SNS answers `""` for an unset display name or delivery policy), and the tags.
 */
function topicConfiguration(attributes: Record<string, unknown>, tags: Record<string, string>): Record<string, unknown> {
  const configuration: Record<string, unknown> = {}
  for (const name of keptAttributes) {
    const value = attributes[name]
    if (value === undefined || value === null || value === '') continue
    if (documentAttributes.has(name)) configuration[name] = parseJsonValue(value)
    else configuration[name] = typeof value === 'object' ? JSON.stringify(value) : String(value)
  }

  configuration.Tags = tagList(tags)
  return orderSets(configuration, topic.sets)
}
