import {remedyFor} from '../collect/permissions.js'
import type {Store} from './database.js'
import type {CoverageStatus} from './schema.js'
import {type Snapshot, isIncomplete} from './snapshots.js'

export interface CountRow {
  key: string
  count: number
}

export interface TypeCountRow {
  service: string
  type: string
  region: string
  count: number
}

/** A coverage cell that was not collected, with what to do about it. */
export interface CoverageGap {
  accountId: string
  region: string
  resourceType: string
  status: CoverageStatus
  source: string
  errorCode: string | null
  error: string | null
  remedy: string
}

export interface CoverageSummary {
  cells: number
  ok: number
  apiCalls: number
  durationMs: number
}

/** A listed resource (what `--detailed` and exports show). */
export interface ResourceRow {
  arn: string
  type: string
  id: string
  name: string
  region: string
  accountId: string
  createdAt: string | null
  source: string
  tags: Record<string, string>
}

/** Everything `snapshot report` prints. */
export interface SnapshotReport {
  snapshot: Snapshot
  /** Whether the snapshot is still running, was interrupted or failed: its counts are incomplete. */
  incomplete: boolean
  byService: CountRow[]
  byRegion: CountRow[]
  byType: TypeCountRow[]
  coverage: CoverageSummary
  gaps: CoverageGap[]
  resources?: ResourceRow[]
}

/** Counts by service, region and type, the coverage summary and its gaps; every resource when `detailed`. */
export function buildSnapshotReport(store: Store, snapshot: Snapshot, options: {detailed?: boolean} = {}): SnapshotReport {
  const {sqlite} = store
  const id = snapshot.id
  const byService = sqlite
    .prepare('select service as key, count(*) as count from resources where snapshot_id = ? group by service order by count desc, key')
    .all(id) as CountRow[]
  const byRegion = sqlite
    .prepare('select region as key, count(*) as count from resources where snapshot_id = ? group by region order by count desc, key')
    .all(id) as CountRow[]
  const byType = sqlite
    .prepare(
      'select service, type, region, count(*) as count from resources where snapshot_id = ? group by service, type, region order by service, type, region',
    )
    .all(id) as TypeCountRow[]
  const coverage = sqlite
    .prepare(
      `select count(*) as cells, coalesce(sum(status = 'ok'), 0) as ok, coalesce(sum(api_calls), 0) as apiCalls,
        coalesce(sum(duration_ms), 0) as durationMs from coverage where snapshot_id = ?`,
    )
    .get(id) as CoverageSummary
  const gapRows = sqlite
    .prepare(
      `select account_id as accountId, region, resource_type as resourceType, status, source, error_code as errorCode, error
       from coverage where snapshot_id = ? and status <> 'ok' order by region, resource_type, account_id`,
    )
    .all(id) as Array<Omit<CoverageGap, 'remedy'>>
  const gaps = gapRows.map((g) => ({...g, remedy: remedyFor(g.status, g.source === 'config' ? 'config' : serviceOf(g.resourceType), g.error)}))
  const report: SnapshotReport = {snapshot, incomplete: isIncomplete(snapshot.status), byService, byRegion, byType, coverage, gaps}
  if (options.detailed) report.resources = [...iterateResources(store, id)]
  return report
}

/** SQL for the tags of the resource aliased `r`, as a JSON object (`{}` when it has none). */
export const TAGS_JSON = `coalesce((select json_group_object(t.key, t.value) from resource_tags t where t.resource_id = r.id), '{}')`

/** The select list of a ResourceRow from `resources r`; its `tags` is JSON text for `toResourceRow`. */
export const RESOURCE_ROW_COLUMNS = `r.arn, r.type, r.resource_id as id, r.name, r.region, r.account_id as accountId, r.created_at as createdAt, r.source,
  ${TAGS_JSON} as tags`

/** A row selected with RESOURCE_ROW_COLUMNS, its tags parsed. */
export type StoredResourceRow = Omit<ResourceRow, 'tags'> & {tags: string}
export function toResourceRow(row: StoredResourceRow): ResourceRow {
  return {...row, tags: JSON.parse(row.tags) as Record<string, string>}
}

/** Streams a snapshot's resources in type, region, ARN order without loading them all. */
export function* iterateResources(store: Store, snapshotId: number): Generator<ResourceRow> {
  const rows = store.sqlite
    .prepare(`select ${RESOURCE_ROW_COLUMNS} from resources r where r.snapshot_id = ? order by r.type, r.region, r.arn`)
    .iterate(snapshotId) as IterableIterator<StoredResourceRow>
  for (const row of rows) yield toResourceRow(row)
}

/** `AWS::EC2::VPC` → `ec2`. */
function serviceOf(type: string): string {
  return (type.split('::')[1] ?? '').toLowerCase()
}
