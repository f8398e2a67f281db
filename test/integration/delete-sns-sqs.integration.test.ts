import {SNS} from '@aws-sdk/client-sns'
import {SQS} from '@aws-sdk/client-sqs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {topic} from '../../src/resources/sns/topic.js'
import {queue} from '../../src/resources/sqs/queue.js'
import {type EmulatorContexts, collectOne, deleteResource, emulatorContexts, planItemOf, runPlanItem} from '../support/deleters.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials} from '../support/seed.js'

/**
 * The SNS topic and SQS queue deleters against the emulator: each resource created with what hangs on
 * it (subscriptions, messages, a dead-letter queue), collected as a snapshot would, deleted through the
 * executor's step runner, then the emulator asked directly. moto deletes a queue at once; AWS may take
 * up to 60 seconds, during which the queue can still answer (the deleter does not wait for that).
 */
const REGION = 'us-east-1'

describe('SNS topic and SQS queue deleters', () => {
  let emulator: Emulator
  let ctx: EmulatorContexts
  let sns: SNS
  let sqs: SQS

  beforeAll(async () => {
    emulator = await startEmulator()
    ctx = emulatorContexts(emulator.url, REGION)
    const config = {endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2}
    sns = new SNS(config)
    sqs = new SQS(config)
  })

  afterAll(async () => {
    sns?.destroy()
    sqs?.destroy()
    await ctx?.clients.destroy()
    await emulator?.stop()
  })

  const queueArn = async (QueueUrl: string) => (await sqs.getQueueAttributes({QueueUrl, AttributeNames: ['QueueArn']})).Attributes!.QueueArn!

  it('deletes a topic with its subscriptions, and nothing else', async () => {
    const inbox = (await sqs.createQueue({QueueName: 'd-alerts-inbox'})).QueueUrl!
    const alerts = (await sns.createTopic({Name: 'd-alerts', Tags: [{Key: 'team', Value: 'ops'}]})).TopicArn!
    const other = (await sns.createTopic({Name: 'd-other'})).TopicArn!
    await sns.subscribe({TopicArn: alerts, Protocol: 'sqs', Endpoint: await queueArn(inbox)})
    await sns.subscribe({TopicArn: alerts, Protocol: 'email', Endpoint: 'ops@example.com'})
    await sns.subscribe({TopicArn: other, Protocol: 'sqs', Endpoint: await queueArn(inbox)})

    const collected = await collectOne('AWS::SNS::Topic', alerts, ctx.collect)
    const item = planItemOf(collected)
    expect(await topic.deleter!.current(ctx.delete, item)).toEqual({tags: {team: 'ops'}, name: 'd-alerts', configuration: collected.configuration})

    const result = await deleteResource(collected, ctx.delete)
    expect(result.status).toBe('deleted')
    expect(result.steps).toEqual([expect.objectContaining({action: 'delete-topic', status: 'done', attempts: 1, params: {topicArn: alerts}, requestIds: [expect.any(String)]})])

    const topics = (await sns.listTopics({})).Topics!.map((t) => t.TopicArn)
    expect(topics).not.toContain(alerts)
    expect(topics).toContain(other)
    const subscriptions = (await sns.listSubscriptions({})).Subscriptions!
    expect(subscriptions.map((s) => s.TopicArn)).toEqual([other])
    // The queue that received the topic's messages is not the topic's to delete.
    expect((await sqs.listQueues({})).QueueUrls).toContain(inbox)

    // Deleted already: nothing to do, and nothing to re-read.
    expect((await runPlanItem(item, ctx.delete)).status).toBe('gone')
    expect(await topic.deleter!.current(ctx.delete, item)).toBeUndefined()
  })

  it('deletes a queue with its messages, leaving its dead-letter queue; then the dead-letter queue', async () => {
    const dlq = (await sqs.createQueue({QueueName: 'd-orders-dlq', tags: {team: 'orders'}})).QueueUrl!
    const orders = (await sqs.createQueue({
      QueueName: 'd-orders',
      Attributes: {RedrivePolicy: JSON.stringify({deadLetterTargetArn: await queueArn(dlq), maxReceiveCount: 3})},
      tags: {team: 'orders', env: 'dev'},
    })).QueueUrl!
    const other = (await sqs.createQueue({QueueName: 'd-unrelated'})).QueueUrl!
    await sqs.sendMessage({QueueUrl: orders, MessageBody: 'order 1'})
    await sqs.sendMessage({QueueUrl: dlq, MessageBody: 'poison'})

    const source = await collectOne('AWS::SQS::Queue', orders, ctx.collect)
    const deadLetters = await collectOne('AWS::SQS::Queue', dlq, ctx.collect)
    expect(await queue.deleter!.current(ctx.delete, planItemOf(source))).toMatchObject({tags: {team: 'orders', env: 'dev'}, name: 'd-orders', configuration: {RedrivePolicy: {maxReceiveCount: 3}}})

    const result = await deleteResource(source, ctx.delete)
    expect(result.steps).toEqual([expect.objectContaining({action: 'delete-queue', status: 'done', params: {queueUrl: orders}, requestIds: [expect.any(String)]})])
    let urls = (await sqs.listQueues({})).QueueUrls!
    expect(urls).not.toContain(orders)
    expect(urls).toEqual(expect.arrayContaining([dlq, other]))
    expect(Number((await sqs.getQueueAttributes({QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages']})).Attributes!.ApproximateNumberOfMessages)).toBe(1)

    await deleteResource(deadLetters, ctx.delete)
    urls = (await sqs.listQueues({QueueNamePrefix: 'd-'})).QueueUrls!
    expect(urls).not.toContain(dlq)
    expect(urls).toContain(other)

    // Deleted already: DeleteQueue answers QueueDoesNotExist, which is gone; the re-read finds nothing.
    const again = await runPlanItem(planItemOf(source), ctx.delete)
    expect(again.status).toBe('gone')
    expect(again.steps[0]?.detail).toBe('AWS.SimpleQueueService.NonExistentQueue: The specified queue does not exist.')
    expect(await queue.deleter!.current(ctx.delete, planItemOf(source))).toBeUndefined()
  })
})
