import type {BaseConfigurationItem, ResourceKey, ResourceType} from '@aws-sdk/client-config-service'

import {paginate} from '../../aws/paginate.js'
import type {CollectContext, Resource, ResourceSpec} from '../../resources/types.js'
import {CONFIG_BATCH_SIZE, type UnprocessedRetry, fetchBatchWithRetry} from './batch.js'

/**
 * Thrown when AWS Config holds no current item of an account setting (a `singleton` spec): Config keeps no
 * item for a setting never configured, so the empty answer cannot say "not configured"; the direct API can.
 */
export class NoSettingItemError extends Error {
  /** Recorded as the source reason of the cell the direct API then collects. */
  readonly fallbackReason = 'AWS Config: no configuration item for this setting (not configured, or not recorded yet); direct API'

  constructor(type: string) {
    super(`AWS Config holds no current ${type} item`)
    this.name = 'NoConfigurationItem'
  }
}

/**
 * Pages of canonical resources of one (region, type) cell read from AWS Config: ListDiscoveredResources
 * (every page) → BatchGetResourceConfig, 100 keys at a time, unprocessed keys retried → `fromConfigItem`.
 * Items that are not current resources (deleted) are skipped. Any error propagates: the caller falls back.
 * For a `singleton` spec (an account setting), an answer without a current item throws NoSettingItemError.
 */
export async function* configResourcePages(spec: ResourceSpec, ctx: CollectContext, retry: UnprocessedRetry): AsyncGenerator<Resource[]> {
  const {fromConfigItem} = spec
  if (!fromConfigItem) throw new Error(`${spec.type} has no AWS Config mapping`)
  const config = await ctx.clients.get('config', ctx.region)
  let found = 0
  const toResources = (items: readonly BaseConfigurationItem[]): Resource[] => {
    const resources: Resource[] = []
    for (const item of items) {
      const resource = fromConfigItem.call(spec, item, ctx)
      if (resource) resources.push({...resource, source: 'config'})
    }

    found += resources.length
    return resources
  }

  let pending: ResourceKey[] = []
  const fetch = async (keys: ResourceKey[]) => {
    const out = await config.batchGetResourceConfig({resourceKeys: keys}, {abortSignal: ctx.signal})
    return {items: out.baseConfigurationItems ?? [], unprocessed: out.unprocessedResourceKeys ?? []}
  }

  const listing = paginate(
    (request: {resourceType: ResourceType; limit: number; nextToken?: string}) => config.listDiscoveredResources(request, {abortSignal: ctx.signal}),
    {resourceType: spec.type as ResourceType, limit: CONFIG_BATCH_SIZE},
    'nextToken',
    'nextToken',
  )
  for await (const page of listing) {
    for (const identifier of page.resourceIdentifiers ?? []) {
      // Deleted resources are only listed on request, but an identifier with a deletion time is never current.
      if (!identifier.resourceId || identifier.resourceDeletionTime) continue
      pending.push({resourceType: (identifier.resourceType ?? spec.type) as ResourceType, resourceId: identifier.resourceId})
    }

    while (pending.length >= CONFIG_BATCH_SIZE) {
      const batch = pending.slice(0, CONFIG_BATCH_SIZE)
      pending = pending.slice(CONFIG_BATCH_SIZE)
      for await (const items of fetchBatchWithRetry(batch, fetch, retry, ctx.signal)) {
        const resources = toResources(items)
        if (resources.length > 0) yield resources
      }
    }
  }

  if (pending.length > 0) {
    for await (const items of fetchBatchWithRetry(pending, fetch, retry, ctx.signal)) {
      const resources = toResources(items)
      if (resources.length > 0) yield resources
    }
  }

  if (spec.singleton && found === 0) throw new NoSettingItemError(spec.type)
}
