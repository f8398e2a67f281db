import type {SQS} from '@aws-sdk/client-sqs'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {describeInBatches, paginateItems} from '../../aws/paginate.js'
import {parseJsonValue, tagList} from '../config-item.js'
import {apiResource, isoDate, orderSets} from '../normalize.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/** A queue as ListQueues, GetQueueAttributes (All) and ListQueueTags describe it. */
export interface QueueItem {
  QueueUrl: string
  /** GetQueueAttributes' map, every value a string (JSON documents as text, times as epoch seconds). */
  Attributes: Record<string, string>
  /** ListQueueTags' map. */
  Tags: Record<string, string>
}

/**
 * Attributes left out of the configuration: message counters, which move with the traffic and not
 * with the queue's configuration (dropped rather than marked volatile, so the stored configuration
 * stays the same from one snapshot to the next).
 */
const counterAttributes = new Set(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible'])

/** Attributes holding JSON documents: stored parsed, so they are compared by structure. */
const documentAttributes = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy'])

/** Attributes holding epoch seconds: stored as ISO 8601 times, as every other date is. */
const timeAttributes = new Set(['CreatedTimestamp', 'LastModifiedTimestamp'])

// Queues described at once; each description is two parallel calls.
const queueConcurrency = 8

export const queue: ResourceSpec<QueueItem> = {
  type: 'AWS::SQS::Queue',
  service: 'sqs',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html',

  async *list(ctx) {
    const sqs = await ctx.clients.get('sqs', ctx.region)
    // Without MaxResults ListQueues stops at 1,000 queues and returns no token.
    for await (const urls of paginateItems((r) => sqs.listQueues(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'QueueUrls')) {
      // A queue deleted since it was listed fails with QueueDoesNotExist and is skipped.
      yield* describeInBatches(urls, queueConcurrency, ctx.signal, (QueueUrl) => unlessDeleted(() => describeQueue(sqs, QueueUrl)))
    }
  },

  toResource(item, ctx) {
    const name = queueName(item.QueueUrl)
    return apiResource(ctx, {
      arn: item.Attributes.QueueArn ?? `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.accountId}:${name}`,
      type: queue.type,
      // Every queue call but GetQueueUrl takes the URL.
      id: item.QueueUrl,
      name,
      createdAt: epochSeconds(item.Attributes.CreatedTimestamp),
      tags: item.Tags,
      configuration: queueConfiguration(item),
    })
  },

  relationships(resource) {
    const redrive = resource.configuration.RedrivePolicy as {deadLetterTargetArn?: unknown} | undefined
    const deadLetterQueue = redrive?.deadLetterTargetArn
    // Informational: either queue can be deleted first; the source queue only stops redriving.
    const edges: Relationship[] = typeof deadLetterQueue === 'string' && deadLetterQueue !== '' ? [{type: queue.type, arn: deadLetterQueue, kind: 'references'}] : []
    // Server-side encryption with a KMS key (an id, ARN or alias): a queue that stays keeps it.
    return [...edges, ...kmsKeyEdges(resource, [resource.configuration.KmsMasterKeyId as string | undefined], 'uses')]
  },

  dependsOn: ['AWS::KMS::Key'],

  // Moves whenever SetQueueAttributes is called, even with the values the queue already has (or a policy
  // re-serialized): an attribute that really changed is reported itself, since every attribute is collected.
  // Kept in the stored configuration, for SQL users who want to know when a queue was last touched.
  volatile: ['LastModifiedTimestamp'],
  sets: {Tags: 'Key'},
  // Dead-letter settings, not permissions: where failed messages go after how many receives, and which
  // source queues (of the same account and region, as AWS requires) may send theirs here.
  configurationFields: ['RedrivePolicy', 'RedriveAllowPolicy'],
  // Encryption with SQS owned keys, which the name does not say.
  securityFields: ['SqsManagedSseEnabled'],

  deleter: {
    // The messages in the queue go with it. A dead-letter queue can be deleted before or after its sources.
    steps: (resource) => [{action: 'delete-queue', description: `Delete SQS queue ${resource.name} and the messages in it`, params: {queueUrl: resource.id}}],

    async current(ctx, item) {
      const sqs = await ctx.clients.get('sqs', ctx.region)
      const attributes = await unlessDeleted(() => sqs.getQueueAttributes({QueueUrl: item.id, AttributeNames: ['All']}))
      if (attributes === undefined) return undefined
      let tags: Record<string, string> | null
      try {
        tags = (await sqs.listQueueTags({QueueUrl: item.id})).Tags ?? {}
      } catch (error) {
        if (classifyError(error).kind === 'not_found') return undefined
        // Unreadable tags: the tag rules protect it (fail closed).
        tags = null
      }

      const configuration = queueConfiguration({QueueUrl: item.id, Attributes: attributes.Attributes ?? {}, Tags: tags ?? {}})
      if (tags === null) delete configuration.Tags
      return {tags, name: queueName(item.id), configuration}
    },

    async run(ctx, _item, step) {
      if (step.action !== 'delete-queue') throw new Error(`AWS::SQS::Queue has no step "${step.action}"`)
      const sqs = await ctx.clients.get('sqs', ctx.region)
      // A queue already deleted answers QueueDoesNotExist, which the step runner counts as gone.
      const out = await sqs.deleteQueue({QueueUrl: String(step.params.queueUrl)})
      return {
        status: 'done',
        // AWS finishes a deletion within 60 seconds; meanwhile the queue may still answer, and its name cannot be reused.
        detail: 'deleted (SQS completes it within 60 seconds)',
        requestIds: [out.$metadata.requestId].filter((id): id is string => id !== undefined),
      }
    },
  },
}

async function describeQueue(sqs: SQS, QueueUrl: string): Promise<QueueItem> {
  const [attributes, tags] = await Promise.all([sqs.getQueueAttributes({QueueUrl, AttributeNames: ['All']}), sqs.listQueueTags({QueueUrl})])
  return {QueueUrl, Attributes: attributes.Attributes ?? {}, Tags: tags.Tags ?? {}}
}

/**
 * The queue URL and its attributes without the counters, JSON documents parsed and times as ISO
 * strings (`LastModifiedTimestamp` is kept, and not compared: see `volatile`), and the tags as a
 * `[{Key, Value}]` list like every other type's.
 */
function queueConfiguration(item: QueueItem): Record<string, unknown> {
  const configuration: Record<string, unknown> = {QueueUrl: item.QueueUrl}
  for (const [name, value] of Object.entries(item.Attributes)) {
    if (counterAttributes.has(name)) continue
    if (documentAttributes.has(name)) configuration[name] = parseJsonValue(value)
    else if (timeAttributes.has(name)) configuration[name] = epochSeconds(value) ?? value
    else configuration[name] = value
  }

  configuration.Tags = tagList(item.Tags)
  return orderSets(configuration, queue.sets)
}

/** The last segment of a queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
function queueName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1)
}

/** SQS times (epoch seconds as text; the emulator adds microseconds) as ISO 8601, or null. */
function epochSeconds(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null
  const seconds = Number(value)
  return Number.isFinite(seconds) ? isoDate(Math.round(seconds * 1000)) : null
}
