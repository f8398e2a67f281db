import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'

import {normalizeConfiguration, type ResourceFields} from './normalize.js'
import type {CollectContext, Resource} from './types.js'

/**
 * A configuration item as the SDK returns it from BatchGetResourceConfig / BatchGetAggregateResourceConfig.
 * Those carry no `tags` (GetResourceConfigHistory's items do, and so does the emulator's raw JSON), so
 * specs read tags from `configuration` or `supplementaryConfiguration` and use `tags` only as a fallback.
 */
export type ConfigItem = BaseConfigurationItem & {tags?: unknown}

// Config keeps the last item of a deleted resource; it is not a current resource.
const deletedStatuses = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded'])

/** Whether the item describes a resource that currently exists. */
export function isCurrentItem(item: ConfigItem): boolean {
  return !deletedStatuses.has(item.configurationItemStatus ?? '')
}

/**
 * A value Config may hand over as JSON text, parsed; text encoded twice (the emulator's S3
 * AccessControlList) is unwrapped again. Anything that is not JSON text is returned as it is.
 */
export function parseJsonValue(value: unknown): unknown {
  let current = value
  for (let depth = 0; depth < 3 && typeof current === 'string'; depth++) {
    const text = current.trim()
    // Objects, arrays, strings and null only: `false` or `50` stay text, as the direct APIs give them.
    if (!/^(?:[[{"]|null$)/.test(text)) break
    try {
      current = JSON.parse(text) as unknown
    } catch {
      break
    }
  }

  return current
}

/** The value if it is a string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The object elements of an array value (Config's lists), or an empty list. */
export function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as T[]) : []
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The item's `configuration` as an object (the SDK returns it as JSON text); empty when absent. */
export function itemConfiguration(item: ConfigItem): Record<string, unknown> {
  const parsed = parseJsonValue(item.configuration)
  return isRecord(parsed) ? parsed : {}
}

/** One `supplementaryConfiguration` entry, parsed (values are JSON text); undefined when absent or null. */
export function supplementaryValue(item: ConfigItem, key: string): unknown {
  const parsed = parseJsonValue(item.supplementaryConfiguration?.[key])
  return parsed === null ? undefined : parsed
}

/** A supplementary entry that must be an object, or undefined. */
export function supplementaryRecord(item: ConfigItem, key: string): Record<string, unknown> | undefined {
  const value = supplementaryValue(item, key)
  return isRecord(value) ? value : undefined
}

// ISO 8601 date-time text, with `T` or (Python's str(datetime)) a space, any number of fraction digits, and
// an optional zone.
const dateTimeText = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * A Config timestamp as ISO 8601 (UTC, milliseconds), or null. Accepts what the SDK returns (Date),
 * epoch seconds, and text. Real AWS writes ISO text with a zone; the emulator writes Python's
 * `str(datetime)` (`2024-01-02 03:04:05.678901`, often without a zone, meaning UTC), which a plain
 * `new Date()` would read as local time. Microseconds are rounded to the millisecond, as the emulator's
 * direct APIs round them, rather than cut.
 */
export function configDate(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null
  let time: number
  if (value instanceof Date) time = value.getTime()
  else if (typeof value === 'number') time = value * 1000
  else if (typeof value === 'string') {
    const parts = dateTimeText.exec(value.trim())
    if (parts) {
      const [, day, clock, fraction, zone] = parts
      const offset = zone === undefined ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
      time = Date.parse(`${day}T${clock}${offset}`) + (fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0)
    } else time = Date.parse(value)
  } else return null
  return Number.isNaN(time) ? null : new Date(time).toISOString()
}

/** Tags from any of Config's encodings: a map, or a list of `{key, value}` / `{Key, Value}` entries. */
export function tagsFrom(value: unknown): Record<string, string> {
  const parsed = parseJsonValue(value)
  const tags: Record<string, string> = {}
  if (Array.isArray(parsed)) {
    for (const entry of parsed) {
      if (!isRecord(entry)) continue
      const key = entry.key ?? entry.Key
      const tagValue = entry.value ?? entry.Value
      if (typeof key === 'string') tags[key] = typeof tagValue === 'string' ? tagValue : ''
    }
  } else if (isRecord(parsed)) {
    for (const [key, tagValue] of Object.entries(parsed)) {
      // The emulator's IAM policy items map each key to a `{Key, Value}` entry rather than to the value.
      if (isRecord(tagValue)) tags[key] = typeof tagValue.Value === 'string' ? tagValue.Value : ''
      else tags[key] = typeof tagValue === 'string' ? tagValue : ''
    }
  }

  return tags
}

/** A tag map as the direct APIs' `[{Key, Value}]` list. */
export function tagList(tags: Record<string, string>): Array<{Key: string; Value: string}> {
  return Object.entries(tags).map(([Key, Value]) => ({Key, Value}))
}

/** The partition of an ARN (`aws` in `arn:aws:…`), else the fallback. */
export function arnPartition(arn: string | undefined, fallback: string): string {
  const partition = arn?.split(':')[1]
  return arn?.startsWith('arn:') && partition ? partition : fallback
}

/**
 * Builds a canonical resource of the Config source. Account and region come from the item
 * (aggregators return other accounts' items), falling back to the context's.
 */
export function configResource(item: ConfigItem, ctx: Pick<CollectContext, 'region' | 'accountId'>, fields: ResourceFields): Resource {
  return {
    accountId: item.accountId || ctx.accountId,
    region: item.awsRegion || ctx.region,
    ...fields,
    configuration: normalizeConfiguration(fields.configuration),
    relationships: [],
    source: 'config',
  }
}

/**
 * A resource of the Config source made from the one the direct path's builder produced for the same
 * item: same identity and configuration; the account is the item's (aggregators span accounts).
 */
export function fromDirectShape(item: ConfigItem, resource: Resource): Resource {
  return {...resource, accountId: item.accountId || resource.accountId, source: 'config'}
}
