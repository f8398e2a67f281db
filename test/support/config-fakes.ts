import type {AggregateResourceIdentifier, BaseConfigurationItem} from '@aws-sdk/client-config-service'

import type {CollectContext, Resource, ResourceSpec} from '../../src/resources/types.js'

/** A raw item of the fake type's direct API. */
export interface FakeApiItem {
  id: string
  tags?: Record<string, string>
}

/** A configuration item of the fake type as AWS Config returns it (configuration as JSON text). */
export function configItem(id: string, overrides: Partial<BaseConfigurationItem> = {}): BaseConfigurationItem {
  const accountId = overrides.accountId ?? '123456789012'
  const region = overrides.awsRegion ?? 'us-east-1'
  return {
    version: '1.3',
    accountId,
    configurationItemCaptureTime: new Date('2024-05-01T00:00:00Z'),
    configurationItemStatus: 'OK',
    arn: `arn:aws:test:${region}:${accountId}:thing/${id}`,
    resourceType: 'AWS::Test::Thing' as never,
    resourceId: id,
    resourceName: id,
    awsRegion: region,
    configuration: JSON.stringify({id}),
    supplementaryConfiguration: {},
    ...overrides,
  }
}

/** Identifiers as ListAggregateDiscoveredResources returns them. */
export function aggregateIdentifier(id: string, accountId: string, region: string, type = 'AWS::Test::Thing'): AggregateResourceIdentifier {
  return {SourceAccountId: accountId, SourceRegion: region, ResourceId: id, ResourceType: type as never, ResourceName: id}
}

/**
 * A Config-mapped spec for runner tests: `list` yields scripted API pages, `fromConfigItem` maps an item to
 * the same canonical shape (undefined for a deleted item) and records the context it was given.
 */
export function fakeConfigSpec(
  options: {type?: string; scope?: 'regional' | 'global'; apiPages?: (ctx: CollectContext) => FakeApiItem[][]; apiError?: () => unknown} = {},
): ResourceSpec<FakeApiItem> & {configContexts: Array<{accountId: string; region: string}>; apiCalls: string[]} {
  const type = options.type ?? 'AWS::Test::Thing'
  const scope = options.scope ?? 'regional'
  const configContexts: Array<{accountId: string; region: string}> = []
  const apiCalls: string[] = []
  const resource = (accountId: string, region: string, id: string, tags: Record<string, string>, source: 'api' | 'config'): Resource => ({
    arn: `arn:aws:test:${scope === 'global' ? '' : region}:${accountId}:thing/${id}`,
    type,
    id,
    name: id,
    region: scope === 'global' ? 'global' : region,
    accountId,
    createdAt: null,
    tags,
    configuration: {id},
    source,
    relationships: [],
  })
  return {
    type,
    service: 'test',
    scope,
    docs: 'https://example.com/docs',
    configContexts,
    apiCalls,
    async *list(ctx) {
      apiCalls.push(ctx.region)
      for (const page of options.apiPages?.(ctx) ?? [[{id: `${ctx.region}-api-1`}]]) yield page
      const error = options.apiError?.()
      if (error) throw error
    },
    toResource(item, ctx) {
      return resource(ctx.accountId, ctx.region, item.id, item.tags ?? {}, 'api')
    },
    fromConfigItem(item, ctx) {
      configContexts.push({accountId: ctx.accountId, region: ctx.region})
      if (item.configurationItemStatus === 'ResourceDeleted') return undefined
      const config = JSON.parse(item.configuration ?? '{}') as {id: string; tags?: Record<string, string>}
      return resource(item.accountId ?? ctx.accountId, item.awsRegion ?? ctx.region, config.id, config.tags ?? {}, 'config')
    },
  }
}
