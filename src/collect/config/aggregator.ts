import type {AggregateResourceIdentifier, BaseConfigurationItem, ConfigurationAggregator, ResourceType} from '@aws-sdk/client-config-service'

import type {AwsClients} from '../../aws/clients.js'
import {classifyError} from '../../aws/errors.js'
import {paginate} from '../../aws/paginate.js'
import {UserError} from '../../errors.js'
import type {CollectContext, Resource, ResourceSpec} from '../../resources/types.js'
import {CONFIG_BATCH_SIZE, type UnprocessedRetry, fetchBatchWithRetry} from './batch.js'

/** One source of an aggregator: accounts (null: every account of the organization) × regions (null: all). */
export interface AggregatorSource {
  accounts: string[] | null
  regions: string[] | null
}

/** A validated AWS Config aggregator. */
export interface AggregatorInfo {
  name: string
  /** Region the aggregator lives in (where its API is called). */
  region: string
  arn: string | null
  sources: AggregatorSource[]
}

/** The IAM actions collection through an aggregator needs. */
export const aggregatorPermissions = [
  'config:DescribeConfigurationAggregators',
  'config:ListAggregateDiscoveredResources',
  'config:BatchGetAggregateResourceConfig',
]

/**
 * Looks the aggregator up in `region` (DescribeConfigurationAggregators). An unknown name, a denied call or
 * a region without AWS Config is a UserError saying what to do: nothing is collected with a wrong name.
 */
export async function describeAggregator(clients: AwsClients, region: string, name: string): Promise<AggregatorInfo> {
  const config = await clients.get('config', region)
  try {
    const out = await config.describeConfigurationAggregators({ConfigurationAggregatorNames: [name]})
    const found = (out.ConfigurationAggregators ?? []).find((a) => a.ConfigurationAggregatorName === name)
    if (!found) throw Object.assign(new Error('not found'), {name: 'NoSuchConfigurationAggregatorException'})
    return aggregatorInfo(found, region)
  } catch (error) {
    const classified = classifyError(error)
    if (classified.code === 'NoSuchConfigurationAggregatorException' || classified.kind === 'not_found') {
      const known = await aggregatorNames(clients, region)
      throw new UserError(
        `Unknown AWS Config aggregator "${name}" in ${region}. ${
          known.length > 0 ? `Aggregators there: ${known.join(', ')}.` : 'There is no aggregator there.'
        } Check the name, or set the aggregator's region with AWSINV_REGION.`,
      )
    }

    if (classified.kind === 'access_denied' || classified.kind === 'invalid_credentials') {
      throw new UserError(
        `Not allowed to use AWS Config aggregator "${name}" in ${region} (${classified.code}). Grant ${aggregatorPermissions.join(', ')} to the identity awsinv runs as, or drop --config-aggregator.`,
      )
    }

    if (classified.kind === 'endpoint_unreachable' || classified.kind === 'unsupported_region' || classified.kind === 'not_enabled') {
      throw new UserError(`AWS Config is not available in ${region} (${classified.code}); cannot use aggregator "${name}". Set the aggregator's region with AWSINV_REGION.`)
    }

    throw new UserError(`Could not read AWS Config aggregator "${name}" in ${region} (${classified.code}): ${classified.message}`)
  }
}

async function aggregatorNames(clients: AwsClients, region: string): Promise<string[]> {
  try {
    const config = await clients.get('config', region)
    const names: string[] = []
    for await (const page of paginate((r: {NextToken?: string}) => config.describeConfigurationAggregators(r), {}, 'NextToken', 'NextToken')) {
      for (const a of page.ConfigurationAggregators ?? []) if (a.ConfigurationAggregatorName) names.push(a.ConfigurationAggregatorName)
    }

    return names.sort()
  } catch {
    // Only a hint for the error message.
    return []
  }
}

/** The sources of an aggregator as returned by DescribeConfigurationAggregators. */
export function aggregatorInfo(aggregator: ConfigurationAggregator, region: string): AggregatorInfo {
  const sources: AggregatorSource[] = (aggregator.AccountAggregationSources ?? []).map((s) => ({
    accounts: [...(s.AccountIds ?? [])],
    regions: s.AllAwsRegions ? null : [...(s.AwsRegions ?? [])],
  }))
  const org = aggregator.OrganizationAggregationSource
  if (org) sources.push({accounts: null, regions: org.AllAwsRegions ? null : [...(org.AwsRegions ?? [])]})
  return {name: aggregator.ConfigurationAggregatorName ?? '', region, arn: aggregator.ConfigurationAggregatorArn ?? null, sources}
}

/** Whether the aggregator gathers `account` in `region` (`global`: in any region). Organization sources cover every account. */
export function aggregatorCovers(info: AggregatorInfo, account: string, region: string): boolean {
  return info.sources.some(
    (s) => (s.accounts === null || s.accounts.includes(account)) && (region === 'global' || s.regions === null || s.regions.includes(region)),
  )
}

/**
 * The (account, region) cells of a type the aggregator is known to cover for accounts other than the
 * caller's, among the selected regions (`global` once per account for global types). Accounts of an
 * organization source are unknown until the aggregator answers, so they are not listed.
 */
export function expectedAggregateCells(
  info: AggregatorInfo,
  ownAccount: string,
  regions: readonly string[],
  scope: 'regional' | 'global',
): Array<{accountId: string; region: string}> {
  const cells = new Map<string, {accountId: string; region: string}>()
  for (const source of info.sources) {
    for (const accountId of source.accounts ?? []) {
      if (accountId === ownAccount) continue
      const cellRegions = scope === 'global' ? ['global'] : regions.filter((r) => source.regions === null || source.regions.includes(r))
      for (const region of cellRegions) cells.set(`${accountId}|${region}`, {accountId, region})
    }
  }

  return [...cells.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region))
}

/** Which listed identifiers the aggregated collection keeps (selected regions, cells owned by no other plan cell). */
export type KeepIdentifier = (identifier: {accountId: string; region: string}) => boolean

/** A resource read through an aggregator, and whether its tags could be read from the item. */
export interface AggregatedResource {
  resource: Resource
  tagsKnown: boolean
}

/**
 * Pages of resources of one type read through an aggregator: ListAggregateDiscoveredResources (every page)
 * → BatchGetAggregateResourceConfig, 100 identifiers at a time (each with its SourceAccountId and
 * SourceRegion), unprocessed identifiers retried → `fromConfigItem` with the item's account and region.
 * Global resources listed once per region are read once. Any error propagates.
 */
export async function* aggregatedResourcePages(input: {
  aggregator: AggregatorInfo
  spec: ResourceSpec
  /** Builds the context `fromConfigItem` receives for an item's account and region. */
  context: (accountId: string, region: string) => CollectContext
  keep: KeepIdentifier
  retry: UnprocessedRetry
  signal: AbortSignal
  clients: AwsClients
}): AsyncGenerator<AggregatedResource[]> {
  const {aggregator, spec, signal} = input
  const {fromConfigItem} = spec
  if (!fromConfigItem) throw new Error(`${spec.type} has no AWS Config mapping`)
  const config = await input.clients.get('config', aggregator.region)
  const global = spec.scope === 'global'
  const seen = new Set<string>()
  // Which account an identifier belongs to, should an item not say.
  const accountOf = new Map<string, string>()
  let pending: AggregateResourceIdentifier[] = []

  const fetch = async (identifiers: AggregateResourceIdentifier[]) => {
    const out = await config.batchGetAggregateResourceConfig({ConfigurationAggregatorName: aggregator.name, ResourceIdentifiers: identifiers}, {abortSignal: signal})
    return {items: out.BaseConfigurationItems ?? [], unprocessed: out.UnprocessedResourceIdentifiers ?? []}
  }

  const toResources = (items: readonly BaseConfigurationItem[]): AggregatedResource[] => {
    const out: AggregatedResource[] = []
    for (const item of items) {
      const accountId = item.accountId ?? accountOf.get(`${item.resourceType}|${item.resourceId}|${item.awsRegion}`)
      if (!accountId) throw new Error(`AWS Config returned ${item.resourceType} ${item.resourceId} without its account`)
      const region = item.awsRegion && item.awsRegion !== 'global' ? item.awsRegion : aggregator.region
      const resource = fromConfigItem.call(spec, item, input.context(accountId, region))
      if (!resource) continue
      const filled = fillTagsFromItem({...resource, accountId, source: 'config'}, item)
      out.push(filled)
    }

    return out
  }

  async function* flush(batch: AggregateResourceIdentifier[]): AsyncGenerator<AggregatedResource[]> {
    for await (const items of fetchBatchWithRetry(batch, fetch, input.retry, signal)) {
      const resources = toResources(items)
      if (resources.length > 0) yield resources
    }
  }

  const listing = paginate(
    (request: {ConfigurationAggregatorName: string; ResourceType: ResourceType; Limit: number; NextToken?: string}) =>
      config.listAggregateDiscoveredResources(request, {abortSignal: signal}),
    {ConfigurationAggregatorName: aggregator.name, ResourceType: spec.type as ResourceType, Limit: CONFIG_BATCH_SIZE},
    'NextToken',
    'NextToken',
  )
  for await (const page of listing) {
    for (const identifier of page.ResourceIdentifiers ?? []) {
      const {SourceAccountId: accountId, SourceRegion: sourceRegion, ResourceId: resourceId} = identifier
      if (!accountId || !sourceRegion || !resourceId) continue
      if (!input.keep({accountId, region: global ? 'global' : sourceRegion})) continue
      // A global resource is listed once per aggregated region it was recorded in: read it once.
      const key = global ? `${accountId}|${resourceId}` : `${accountId}|${sourceRegion}|${resourceId}`
      if (seen.has(key)) continue
      seen.add(key)
      const resourceType = (identifier.ResourceType ?? spec.type) as ResourceType
      accountOf.set(`${resourceType}|${resourceId}|${global ? 'global' : sourceRegion}`, accountId)
      pending.push({
        SourceAccountId: accountId,
        SourceRegion: sourceRegion,
        ResourceId: resourceId,
        ResourceType: resourceType,
        ...(identifier.ResourceName ? {ResourceName: identifier.ResourceName} : {}),
      })
    }

    while (pending.length >= CONFIG_BATCH_SIZE) {
      const batch = pending.slice(0, CONFIG_BATCH_SIZE)
      pending = pending.slice(CONFIG_BATCH_SIZE)
      yield* flush(batch)
    }
  }

  if (pending.length > 0) yield* flush(pending)
}

/**
 * Aggregate configuration items carry no `tags` field. Where the resource came out without tags, they are
 * read from the item where it holds them: supplementaryConfiguration `Tags` (SNS and most types) or
 * `BucketTaggingConfiguration` (S3), or the configuration's own `tags` (IAM). When none of these is
 * present the tags are unknown (`tagsKnown: false`), which the coverage row notes.
 */
export function fillTagsFromItem(resource: Resource, item: BaseConfigurationItem): AggregatedResource {
  if (Object.keys(resource.tags).length > 0) return {resource, tagsKnown: true}
  const tags = tagsFromItem(item)
  if (tags === undefined) return {resource, tagsKnown: false}
  return {resource: {...resource, tags}, tagsKnown: true}
}

/** Tags found in a configuration item, or undefined when it holds no tag data at all. */
export function tagsFromItem(item: BaseConfigurationItem): Record<string, string> | undefined {
  const supplementary = item.supplementaryConfiguration ?? {}
  if (supplementary.Tags !== undefined) return tagMap(parseJson(supplementary.Tags))
  if (supplementary.BucketTaggingConfiguration !== undefined) {
    const tagging = parseJson(supplementary.BucketTaggingConfiguration) as {tagSets?: Array<{tags?: Record<string, string>}>} | undefined
    const tags: Record<string, string> = {}
    for (const set of tagging?.tagSets ?? []) Object.assign(tags, set.tags ?? {})
    return tags
  }

  const configuration = parseJson(item.configuration) as {tags?: unknown} | undefined
  if (configuration && typeof configuration === 'object' && configuration.tags !== undefined) return tagMap(configuration.tags)
  return undefined
}

/** Tags as a map from `[{key, value}]`, `[{Key, Value}]` or an object. */
function tagMap(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {}
  if (Array.isArray(value)) {
    for (const entry of value as Array<Record<string, unknown>>) {
      const key = entry?.key ?? entry?.Key
      const val = entry?.value ?? entry?.Value
      if (typeof key === 'string') tags[key] = typeof val === 'string' ? val : String(val ?? '')
    }
  } else if (value && typeof value === 'object') {
    for (const [key, val] of Object.entries(value)) tags[key] = typeof val === 'string' ? val : String(val ?? '')
  }

  return tags
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    // Config sometimes double-encodes supplementary values.
    return typeof parsed === 'string' ? parseJson(parsed) : parsed
  } catch {
    return undefined
  }
}
