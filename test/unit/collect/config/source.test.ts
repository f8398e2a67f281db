import {
  BatchGetResourceConfigCommand,
  type BatchGetResourceConfigCommandInput,
  ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  type ResourceIdentifier,
} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UnprocessedKeysError} from '../../../../src/collect/config/batch.js'
import {NoSettingItemError, configResourcePages} from '../../../../src/collect/config/source.js'
import type {Resource} from '../../../../src/resources/types.js'
import {configItem, fakeConfigSpec} from '../../../support/config-fakes.js'
import {testContext} from '../../../support/context.js'

const fast = {attempts: 3, baseDelayMs: 1, maxDelayMs: 2}
const ids = (from: number, count: number) => Array.from({length: count}, (_, i) => `thing-${String(from + i).padStart(3, '0')}`)
const identifiers = (list: string[]): ResourceIdentifier[] => list.map((resourceId) => ({resourceType: 'AWS::Test::Thing' as never, resourceId}))

async function drain(pages: AsyncIterable<Resource[]>): Promise<Resource[]> {
  const out: Resource[] = []
  for await (const page of pages) out.push(...page)
  return out
}

describe('configResourcePages', () => {
  const config = mockClient(ConfigServiceClient)
  const ctx = testContext()
  beforeEach(() => {
    config.reset()
    // Answers every key it is asked for, unless a test says otherwise.
    config.on(BatchGetResourceConfigCommand).callsFake((input: BatchGetResourceConfigCommandInput) => ({
      baseConfigurationItems: (input.resourceKeys ?? []).map((k) => configItem(k.resourceId!)),
      unprocessedResourceKeys: [],
    }))
  })
  afterEach(() => ctx.clients.destroy())

  it('gives up on an account setting Config holds no current item of, so the direct API can say "not configured"', async () => {
    const setting = {...fakeConfigSpec({scope: 'global'}), singleton: true as const}
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: []})
    await expect(drain(configResourcePages(setting, ctx, fast))).rejects.toBeInstanceOf(NoSettingItemError)

    // Only a deleted item: no current one either.
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: identifiers(['123456789012'])})
    config.on(BatchGetResourceConfigCommand).resolves({baseConfigurationItems: [configItem('123456789012', {configurationItemStatus: 'ResourceDeleted'})]})
    await expect(drain(configResourcePages(setting, ctx, fast))).rejects.toMatchObject({name: 'NoConfigurationItem'})

    config.on(BatchGetResourceConfigCommand).resolves({baseConfigurationItems: [configItem('123456789012')]})
    expect((await drain(configResourcePages(setting, ctx, fast))).map((r) => r.id)).toEqual(['123456789012'])
    // A type that is not a setting may well have no resources.
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: []})
    expect(await drain(configResourcePages(fakeConfigSpec(), ctx, fast))).toEqual([])
  })

  it('lists every page and reads the keys 100 at a time', async () => {
    config
      .on(ListDiscoveredResourcesCommand)
      .resolvesOnce({resourceIdentifiers: identifiers(ids(0, 100)), nextToken: 't1'})
      .resolvesOnce({resourceIdentifiers: identifiers(ids(100, 100)), nextToken: 't2'})
      .resolvesOnce({resourceIdentifiers: identifiers(ids(200, 50))})
    const resources = await drain(configResourcePages(fakeConfigSpec(), ctx, fast))

    const lists = config.commandCalls(ListDiscoveredResourcesCommand).map((c) => c.args[0].input)
    expect(lists).toEqual([
      {resourceType: 'AWS::Test::Thing', limit: 100},
      {resourceType: 'AWS::Test::Thing', limit: 100, nextToken: 't1'},
      {resourceType: 'AWS::Test::Thing', limit: 100, nextToken: 't2'},
    ])
    const batches = config.commandCalls(BatchGetResourceConfigCommand).map((c) => c.args[0].input.resourceKeys!.map((k) => k.resourceId))
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50])
    expect(batches.flat()).toEqual(ids(0, 250))
    expect(resources.map((r) => r.id)).toEqual(ids(0, 250))
    expect(resources.every((r) => r.source === 'config')).toBe(true)
  })

  it('never sends more than 100 keys, even when a listing page holds more', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: identifiers(ids(0, 230))})
    const resources = await drain(configResourcePages(fakeConfigSpec(), ctx, fast))
    expect(config.commandCalls(BatchGetResourceConfigCommand).map((c) => c.args[0].input.resourceKeys!.length)).toEqual([100, 100, 30])
    expect(resources).toHaveLength(230)
  })

  it('retries unprocessed keys with backoff until every key is read', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: identifiers(ids(0, 100))})
    config
      .on(BatchGetResourceConfigCommand)
      .resolvesOnce({baseConfigurationItems: ids(0, 60).map((id) => configItem(id)), unprocessedResourceKeys: identifiers(ids(60, 40)) as never})
      .resolvesOnce({baseConfigurationItems: ids(60, 30).map((id) => configItem(id)), unprocessedResourceKeys: identifiers(ids(90, 10)) as never})
      .resolvesOnce({baseConfigurationItems: ids(90, 10).map((id) => configItem(id)), unprocessedResourceKeys: []})
    const resources = await drain(configResourcePages(fakeConfigSpec(), ctx, fast))
    const asked = config.commandCalls(BatchGetResourceConfigCommand).map((c) => c.args[0].input.resourceKeys!.map((k) => k.resourceId))
    expect(asked).toEqual([ids(0, 100), ids(60, 40), ids(90, 10)])
    expect(resources.map((r) => r.id)).toEqual(ids(0, 100))
  })

  it('fails the cell when keys stay unprocessed after every attempt', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: identifiers(ids(0, 3))})
    config.on(BatchGetResourceConfigCommand).resolves({baseConfigurationItems: [], unprocessedResourceKeys: identifiers(ids(0, 3)) as never})
    await expect(drain(configResourcePages(fakeConfigSpec(), ctx, fast))).rejects.toThrow(UnprocessedKeysError)
    expect(config.commandCalls(BatchGetResourceConfigCommand)).toHaveLength(3)
  })

  it('skips deleted resources: identifiers with a deletion time, and items fromConfigItem rejects', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({
      resourceIdentifiers: [...identifiers(['live', 'gone-item']), {resourceType: 'AWS::Test::Thing' as never, resourceId: 'gone', resourceDeletionTime: new Date()}],
    })
    config.on(BatchGetResourceConfigCommand).resolves({
      baseConfigurationItems: [configItem('live'), configItem('gone-item', {configurationItemStatus: 'ResourceDeleted'})],
      unprocessedResourceKeys: [],
    })
    const resources = await drain(configResourcePages(fakeConfigSpec(), ctx, fast))
    expect(config.commandCalls(BatchGetResourceConfigCommand)[0]!.args[0].input.resourceKeys!.map((k) => k.resourceId)).toEqual(['live', 'gone-item'])
    expect(resources.map((r) => r.id)).toEqual(['live'])
  })

  it('makes no batch call for an empty listing', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: []})
    expect(await drain(configResourcePages(fakeConfigSpec(), ctx, fast))).toEqual([])
    expect(config.commandCalls(BatchGetResourceConfigCommand)).toHaveLength(0)
  })

  it('lets a Config error through, for the caller to fall back', async () => {
    config.on(ListDiscoveredResourcesCommand).rejects(Object.assign(new Error('denied'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 400}}))
    await expect(drain(configResourcePages(fakeConfigSpec(), ctx, fast))).rejects.toMatchObject({name: 'AccessDeniedException'})
  })
})
