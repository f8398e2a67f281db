import type {Store} from './database.js'

/** A column of `resources` that resources can be counted by. */
export type ResourceGrouping = 'type' | 'region' | 'service' | 'account'

/** What to group by: a resource column, the value of one tag, or the snapshot. */
export type CountGrouping = {by: ResourceGrouping} | {by: 'tag'; key: string} | {by: 'snapshot'}

/** Which resources to count: those of one snapshot, or of every finished snapshot of an inventory. */
export type CountScope = {snapshotId: number} | {inventoryId: number}

/** Counts of one group. */
export interface TagCountRow {
  /** The group's value; null for resources without the tag when grouping by a tag. */
  group: string | null
  resources: number
  /** Resources with at least one tag. */
  tagged: number
  /** Resources that carry every required key (equal to `resources` when none is required). */
  withRequiredTags: number
}

const columnOf: Record<ResourceGrouping, string> = {type: 'r.type', region: 'r.region', service: 'r.service', account: 'r.account_id'}

/**
 * Counts resources, tagged resources and resources carrying every `requiredKeys` key, per group. Groups
 * come in name order (a missing tag's null group last); snapshots in start-time order, including
 * snapshots without resources. Running snapshots are left out of an inventory's scope.
 *
 * Each resource costs two lookups in the `resource_tags` primary key, so one snapshot is a scan of
 * its rows in `resources_snapshot_type_idx`.
 */
export function countTagCoverage(store: Store, scope: CountScope, grouping: CountGrouping, requiredKeys: readonly string[]): TagCountRow[] {
  const params: Record<string, unknown> = {}
  const keys = requiredKeys.map((key, i) => {
    params[`k${i}`] = key
    return `@k${i}`
  })
  const withRequired =
    keys.length === 0
      ? 'count(r.id)'
      : `coalesce(sum((select count(*) from resource_tags t where t.resource_id = r.id and t.key in (${keys.join(', ')})) = ${keys.length}), 0)`
  let group: string
  // Joined rather than a subquery in the select list, so the tag is looked up once per resource.
  let tagJoin = ''
  if (grouping.by === 'snapshot') group = 's.name'
  else if (grouping.by === 'tag') {
    params.tagKey = grouping.key
    group = 'g.value'
    tagJoin = 'left join resource_tags g on g.resource_id = r.id and g.key = @tagKey'
  } else group = columnOf[grouping.by]

  let from: string
  if ('snapshotId' in scope) {
    params.snapshotId = scope.snapshotId
    from = `resources r join snapshots s on s.id = r.snapshot_id ${tagJoin} where r.snapshot_id = @snapshotId`
  } else {
    params.inventoryId = scope.inventoryId
    // A left join, so a snapshot without resources still has its row.
    from = `snapshots s left join resources r on r.snapshot_id = s.id where s.inventory_id = @inventoryId and s.status <> 'running'`
  }

  const [groupBy, orderBy] = grouping.by === 'snapshot' ? ['s.id', 's.started_at, s.id'] : ['1', '"group" is null, "group"']
  return store.sqlite
    .prepare(
      `select ${group} as "group", count(r.id) as resources,
         coalesce(sum(exists (select 1 from resource_tags t where t.resource_id = r.id)), 0) as tagged,
         ${withRequired} as withRequiredTags
       from ${from}
       group by ${groupBy} order by ${orderBy}`,
    )
    .all(params) as TagCountRow[]
}
