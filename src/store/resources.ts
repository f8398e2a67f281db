import type {Store} from './database.js'
import {RESOURCE_ROW_COLUMNS, type ResourceRow, type StoredResourceRow, toResourceRow} from './reports.js'

/** Which resources of a snapshot to find. Patterns are SQLite GLOB patterns, bound as parameters. */
export interface ResourceCriteria {
  snapshotId: number
  /** A resource matches when its type matches any of these (none: any type). */
  types: readonly string[]
  /** A resource matches when its region matches any of these (none: any region). */
  regions: readonly string[]
  /** A resource matches when its ARN matches any of these (none: any ARN). */
  arns: readonly string[]
  /** A resource matches when its name matches any of these (none: any name). */
  names: readonly string[]
  /** A resource matches when it carries every one of these keys with a value matching its pattern. */
  tags: ReadonlyArray<{key: string; value: string}>
  /** Most resources to return. */
  limit: number
}

/**
 * The resources of a snapshot matching every criterion, in type, region, ARN order, at most `limit`
 * of them; `truncated` says whether more matched.
 */
export function findResources(store: Store, criteria: ResourceCriteria): {resources: ResourceRow[]; truncated: boolean} {
  const params: Record<string, string | number> = {snapshotId: criteria.snapshotId, limit: criteria.limit + 1}
  const where = ['r.snapshot_id = @snapshotId']
  const anyOf = (column: string, patterns: readonly string[], name: string) => {
    if (patterns.length === 0) return
    patterns.forEach((pattern, i) => (params[`${name}${i}`] = pattern))
    where.push(`(${patterns.map((_, i) => `${column} glob @${name}${i}`).join(' or ')})`)
  }

  anyOf('r.type', criteria.types, 'type')
  anyOf('r.region', criteria.regions, 'region')
  anyOf('r.arn', criteria.arns, 'arn')
  anyOf('r.name', criteria.names, 'name')
  criteria.tags.forEach((tag, i) => {
    params[`tagKey${i}`] = tag.key
    params[`tagValue${i}`] = tag.value
    where.push(`exists (select 1 from resource_tags t where t.resource_id = r.id and t.key = @tagKey${i} and t.value glob @tagValue${i})`)
  })
  const rows = store.sqlite
    .prepare(`select ${RESOURCE_ROW_COLUMNS} from resources r where ${where.join(' and ')} order by r.type, r.region, r.arn limit @limit`)
    .all(params) as StoredResourceRow[]
  const truncated = rows.length > criteria.limit
  return {resources: rows.slice(0, criteria.limit).map((row) => toResourceRow(row)), truncated}
}
