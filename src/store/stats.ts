import type {Store} from './database.js'

/** What to group a snapshot's resources by: a column of `resources`, or the value of one tag. */
export type ResourceGrouping = {by: 'type' | 'region' | 'service' | 'account'} | {by: 'tag'; key: string}

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

const columnOf = {type: 'r.type', region: 'r.region', service: 'r.service', account: 'r.account_id'}

/**
 * Counts a snapshot's resources, tagged resources and resources carrying every `requiredKeys` key, per
 * group, in group order (resources without the tag last). One scan of the snapshot's rows in
 * `resources_snapshot_type_idx`, with lookups in the `resource_tags` primary key.
 */
export function countTagCoverage(store: Store, snapshotId: number, grouping: ResourceGrouping, requiredKeys: readonly string[]): TagCountRow[] {
  // A tag is joined rather than looked up in the select list, so once per resource.
  const [group, tagJoin] =
    grouping.by === 'tag' ? ['g.value', 'left join resource_tags g on g.resource_id = r.id and g.key = @tagKey'] : [columnOf[grouping.by], '']
  return countTags(store, requiredKeys, {
    select: group,
    from: `resources r ${tagJoin} where r.snapshot_id = @snapshotId`,
    groupBy: '1',
    orderBy: '"group" is null, "group"',
    params: grouping.by === 'tag' ? {snapshotId, tagKey: grouping.key} : {snapshotId},
  })
}

/** The same counts per snapshot of an inventory, oldest first, snapshots without resources included and running ones left out. */
export function countTagCoverageBySnapshot(store: Store, inventoryId: number, requiredKeys: readonly string[]): TagCountRow[] {
  return countTags(store, requiredKeys, {
    select: 's.name',
    // A left join, so a snapshot without resources still has its row.
    from: `snapshots s left join resources r on r.snapshot_id = s.id where s.inventory_id = @inventoryId and s.status <> 'running'`,
    groupBy: 's.id',
    orderBy: 's.started_at, s.id',
    params: {inventoryId},
  })
}

function countTags(
  store: Store,
  requiredKeys: readonly string[],
  query: {select: string; from: string; groupBy: string; orderBy: string; params: Record<string, unknown>},
): TagCountRow[] {
  const params = {...query.params}
  const keys = requiredKeys.map((key, i) => {
    params[`k${i}`] = key
    return `@k${i}`
  })
  const withRequired =
    keys.length === 0
      ? 'count(r.id)'
      : `coalesce(sum((select count(*) from resource_tags t where t.resource_id = r.id and t.key in (${keys.join(', ')})) = ${keys.length}), 0)`
  return store.sqlite
    .prepare(
      `select ${query.select} as "group", count(r.id) as resources,
         coalesce(sum(exists (select 1 from resource_tags t where t.resource_id = r.id)), 0) as tagged,
         ${withRequired} as withRequiredTags
       from ${query.from}
       group by ${query.groupBy} order by ${query.orderBy}`,
    )
    .all(params) as TagCountRow[]
}

/** Resources of one type in a snapshot, with the service they were collected under. */
export interface TypeCountRow {
  service: string
  type: string
  resources: number
}

/** A snapshot's resources per service and type, by service then type. */
export function countResourcesByType(store: Store, snapshotId: number): TypeCountRow[] {
  return store.sqlite
    .prepare(`select service, type, count(*) as resources from resources where snapshot_id = ? group by service, type order by service, type`)
    .all(snapshotId) as TypeCountRow[]
}
