import type {CollectContext, Resource} from './types.js'

/**
 * The stored form of an SDK item: dates as ISO strings, `undefined` and SDK response metadata dropped.
 * Every source of a type must pass its configuration through here so the results compare equal.
 */
export function normalizeConfiguration(value: unknown): Record<string, unknown> {
  const normalized = normalizeValue(value)
  return normalized !== null && typeof normalized === 'object' && !Array.isArray(normalized)
    ? (normalized as Record<string, unknown>)
    : {}
}

function normalizeValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => normalizeValue(v))
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || k === '$metadata') continue
      out[k] = normalizeValue(v)
    }

    return out
  }

  return value
}

/** A date-like value as an ISO string, or null. */
export function isoDate(value: Date | string | number | undefined | null): string | null {
  if (value === undefined || value === null || value === '') return null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** `[{Key, Value}]` (EC2, IAM, S3) as a map; entries without a key are ignored. */
export function tagsFromList(list: ReadonlyArray<{Key?: string; Value?: string}> | undefined): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const tag of list ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? ''
  return tags
}

/** The `Name` tag where present, otherwise the fallback. */
export function nameFromTags(tags: Record<string, string>, fallback: string): string {
  const name = tags.Name
  return name !== undefined && name !== '' ? name : fallback
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` for the context's account and region. */
export function regionalArn(ctx: Pick<CollectContext, 'partition' | 'region' | 'accountId'>, service: string, resource: string): string {
  return `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.accountId}:${resource}`
}

/** Fields shared by every canonical resource a spec builds; relationships are added by the collector. */
export type ResourceFields = Omit<Resource, 'relationships' | 'source' | 'accountId' | 'region' | 'configuration'> &
  Partial<Pick<Resource, 'accountId' | 'region'>> & {
    /** The raw SDK item (or assembled object); normalized on the way in. */
    configuration: object
  }

/** Builds a canonical resource of the direct-API source, with the context's account and region by default. */
export function apiResource(ctx: Pick<CollectContext, 'region' | 'accountId'>, fields: ResourceFields): Resource {
  return {
    accountId: ctx.accountId,
    region: ctx.region,
    ...fields,
    configuration: normalizeConfiguration(fields.configuration),
    relationships: [],
    source: 'api',
  }
}

/**
 * A policy document as IAM returns it (URL-encoded JSON, RFC 3986) parsed to an object. Plain JSON is
 * accepted too; text that is not JSON at all is kept as it is rather than lost.
 */
export function parsePolicyDocument(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined
  let decoded = text
  try {
    decoded = decodeURIComponent(text)
  } catch {
    // Not URL-encoded (a stray `%`): parse the text as it is.
  }

  for (const candidate of new Set([decoded, text])) {
    try {
      return JSON.parse(candidate) as unknown
    } catch {
      // Try the next form.
    }
  }

  return text
}

/**
 * A copy of a normalized configuration with the arrays at the spec's `sets` paths put in a fixed order
 * (by their identity fields), so the same set listed in another order — as another source lists it —
 * serializes, and hashes, the same.
 */
export function orderSets(
  configuration: Record<string, unknown>,
  sets: Readonly<Record<string, string | readonly string[]>> | undefined,
): Record<string, unknown> {
  let ordered: unknown = configuration
  for (const [path, identity] of Object.entries(sets ?? {})) {
    ordered = orderAt(ordered, path.split('.'), typeof identity === 'string' ? [identity] : identity)
  }

  return ordered as Record<string, unknown>
}

function orderAt(value: unknown, path: readonly string[], identity: readonly string[]): unknown {
  const [head, ...rest] = path
  if (head === undefined) {
    if (!Array.isArray(value)) return value
    const keyOf = (element: unknown): string =>
      JSON.stringify(identity.map((field) => (field === '.' ? element : (element as Record<string, unknown> | null)?.[field])))
    return value.map((element) => [keyOf(element), element] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, element]) => element)
  }

  if (head === '*') return Array.isArray(value) ? value.map((element) => orderAt(element, rest, identity)) : value
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !(head in value)) return value
  return {...value, [head]: orderAt((value as Record<string, unknown>)[head], rest, identity)}
}
