import type {Store} from './database.js'
import {TAGS_JSON} from './reports.js'
import type {CoverageStatus} from './schema.js'

/** One stored copy of a resource: the row of one snapshot. */
export interface ArnOccurrence {
  snapshotId: number
  type: string
  resourceId: string
  name: string
  region: string
  accountId: string
  configHash: string
  /** The stored creation time, or null. */
  createdAt: string | null
  tags: Record<string, string>
}

/** Every stored copy of the resource with this ARN, in any snapshot (through `resources_arn_idx`). */
export function occurrencesOfArn(store: Store, arn: string): ArnOccurrence[] {
  const rows = store.sqlite
    .prepare(
      `select r.snapshot_id as snapshotId, r.type, r.resource_id as resourceId, r.name, r.region, r.account_id as accountId,
         r.config_hash as configHash, r.created_at as createdAt, ${TAGS_JSON} as tags
       from resources r where r.arn = ?`,
    )
    .all(arn) as Array<Omit<ArnOccurrence, 'tags'> & {tags: string}>
  return rows.map((row) => ({...row, tags: JSON.parse(row.tags) as Record<string, string>}))
}

/**
 * Up to `limit` distinct stored ARNs that start with `prefix` (through `resources_arn_idx`: a range, not a
 * LIKE, so the index serves it whatever the case sensitivity of LIKE), in the given snapshots only when
 * `snapshotIds` is given.
 */
export function arnsWithPrefix(store: Store, prefix: string, options: {snapshotIds?: readonly number[]; limit?: number} = {}): string[] {
  const {snapshotIds, limit = 5000} = options
  const within = snapshotIds === undefined ? '' : 'and snapshot_id in (select value from json_each(?))'
  return store.sqlite
    .prepare(`select distinct arn from resources where arn >= ? and arn < ? ${within} order by arn limit ?`)
    .pluck()
    .all(prefix, `${prefix}\u{10FFFF}`, ...(snapshotIds === undefined ? [] : [JSON.stringify(snapshotIds)]), limit) as string[]
}

/** A collection cell: one resource type in one region of one account. */
export interface Cell {
  accountId: string
  region: string
  type: string
}

/** The coverage status of `cell` in each snapshot that has a coverage row for it, by snapshot id. */
export function cellStatuses(store: Store, cell: Cell): Map<number, CoverageStatus> {
  const rows = store.sqlite
    .prepare(
      // CROSS JOIN keeps snapshots as the outer loop: one coverage_cell_idx lookup each, never a scan of coverage.
      `select s.id as snapshotId, c.status from snapshots s
       cross join coverage c on c.snapshot_id = s.id and c.account_id = @accountId and c.region = @region and c.resource_type = @type`,
    )
    .all(cell) as Array<{snapshotId: number; status: CoverageStatus}>
  return new Map(rows.map((r) => [r.snapshotId, r.status]))
}
