import {matchesTagFilters, sameTagFilters} from '../collect/filters.js'
import {UserError} from '../errors.js'
import {specOf} from '../resources/registry.js'
import type {ResourceSpec} from '../resources/types.js'
import type {Store} from '../store/database.js'
import type {Snapshot} from '../store/snapshots.js'
import {type DriftCategory, driftCategories, resourceCategory} from './categories.js'
import {type FieldChange, type ResourceVersion, diffResource} from './fields.js'
import {type IgnoreRules, ignoresField, ignoresResource} from './ignore.js'

export type ResourceChange = 'added' | 'removed' | 'replaced' | 'modified'

/** One resource that drifted. */
export interface ResourceDrift {
  change: ResourceChange
  arn: string
  type: string
  region: string
  accountId: string
  /** The AWS id after the change (before it, for a removed resource). */
  id: string
  name: string
  /** Categories of the drift: of its field changes when modified, of its type otherwise. */
  categories: DriftCategory[]
  /** Why a resource under the same ARN counts as a new one (`replaced` only). */
  reason?: string
  /** Field-level changes (`modified` only). */
  changes?: FieldChange[]
}

/** A cell that was not collected `ok` on both sides, so its resources were not compared. */
export interface NotComparableCell {
  accountId: string
  region: string
  resourceType: string
  /** Coverage status in each snapshot; `missing` when the snapshot did not collect the cell. */
  before: string
  after: string
  reason: string
}

export interface DriftSummary {
  added: number
  removed: number
  replaced: number
  modified: number
  /** Resources compared and found the same (in the selected categories). */
  unchanged: number
  notComparable: number
  /** Resources left out by the ignore rules, and field changes they suppressed. */
  ignoredResources: number
  ignoredChanges: number
  /**
   * Resources in one snapshot only that the other's tag filters would have left out (the snapshots were
   * taken with different filters): neither added nor removed, and not compared.
   */
  outsideTagFilters: number
  /** Drifted resources per category. */
  byCategory: Record<DriftCategory, number>
}

export interface SnapshotRef {
  id: number
  name: string
  status: string
  startedAt: string
}

/** The current state `delta --no-save` compared, and did not keep. */
export type UnsavedRef = Omit<SnapshotRef, 'id' | 'name'> & {id: null; name: null}

/** Everything `delta` and `query diff` report. Its JSON form is documented in docs/drift.md. */
export interface DriftReport {
  before: SnapshotRef
  /** `delta --no-save`: the current state, compared and not kept (no id, no name). */
  after: SnapshotRef | UnsavedRef
  filters: {resourceTypes: string[] | null; regions: string[] | null; categories: DriftCategory[] | null; ignoreFile: string | null}
  /** Whether anything drifted (what `--exit-code` reports). */
  drift: boolean
  summary: DriftSummary
  resources: ResourceDrift[]
  notComparable: NotComparableCell[]
}

export interface DiffOptions {
  /** Type ids to compare (all when absent). */
  resourceTypes?: readonly string[]
  regions?: readonly string[]
  categories?: readonly DriftCategory[]
  ignore?: IgnoreRules
  /** Accept interrupted snapshots, whose cells are compared where they were collected. */
  allowPartial?: boolean
}

/** Refuses comparisons that would mean nothing: the same snapshot, other accounts, unfinished snapshots. */
export function checkComparable(before: Snapshot, after: Snapshot, allowPartial = false): void {
  if (before.id === after.id) throw new UserError(`Cannot compare snapshot "${before.name}" with itself: name two different snapshots.`)
  if (before.accountId !== after.accountId) {
    throw new UserError(`Snapshots "${before.name}" (account ${before.accountId}) and "${after.name}" (account ${after.accountId}) are of different accounts.`)
  }

  checkUsable(before, allowPartial)
  checkUsable(after, allowPartial)
}

/**
 * Refuses `--region` values no snapshot compared collected (a typo would otherwise compare nothing and
 * report no drift). `global` stands for the global types, which every snapshot has.
 */
export function checkRegionsCollected(regions: readonly string[] | undefined, snapshots: readonly Snapshot[]): void {
  if (!regions) return
  const collected = [...new Set(snapshots.flatMap((s) => s.regions))].sort()
  const missing = regions.filter((r) => r !== 'global' && !collected.includes(r))
  if (missing.length === 0) return
  const [first, second] = snapshots.map((s) => `"${s.name}"`)
  const which = second === undefined ? `Snapshot ${first} did not collect` : `Neither snapshot ${first} nor ${second} collected`
  throw new UserError(`${which} ${missing.join(', ')} (${second === undefined ? 'it has' : 'they have'} ${collected.join(', ')}; global types are always compared).`)
}

/** Refuses a snapshot that cannot be compared: still running, failed, or interrupted (unless allowed). */
export function checkUsable(s: Snapshot, allowPartial = false, instead = 'compare it anyway with --allow-partial (only its collected cells are compared)'): void {
  if (s.status === 'running') throw new UserError(`Snapshot "${s.name}" is still being collected; wait for it to finish.`)
  if (s.status === 'failed') throw new UserError(`Snapshot "${s.name}" failed and holds no usable data.`)
  if (s.status === 'interrupted' && !allowPartial) throw new UserError(`Snapshot "${s.name}" is interrupted; ${instead}.`)
}

interface PairRow {
  arn: string
  type: string
  region: string
  accountId: string
  beforePk: number | null
  afterPk: number | null
  beforeId: string | null
  afterId: string | null
  beforeName: string | null
  afterName: string | null
  beforeCreated: string | null
  afterCreated: string | null
  beforeHash: string | null
  afterHash: string | null
  /** The region `after` holds the resource in (null when it does not); `region` is `before`'s when it holds it. */
  afterRegion: string | null
}

// A snapshot's resources in the order they were written (rowid order): on a large store, reading the table
// sequentially is about twice as fast as following the (snapshot_id, arn) index, whose order scatters the
// reads over the file. Rows of other snapshots written at the same time are skipped by the filter; the `+`
// keeps SQLite from answering it with that index instead.
const writtenBy = (alias: string, snapshot: string) =>
  `${alias}.id between (select min(id) from resources where snapshot_id = ${snapshot}) and (select max(id) from resources where snapshot_id = ${snapshot})
    and +${alias}.snapshot_id = ${snapshot}`

// Whether two resources' tags differ, so that unchanged pairs never leave SQLite: tag keys are unique per
// resource, so the tags are equal when there are as many on both sides and each of `a` is on `b` with the
// same value. Index lookups only: no per-pair text is built or sorted.
const tagsDiffer = `(select count(*) from resource_tags t where t.resource_id = a.id) <> (select count(*) from resource_tags t where t.resource_id = b.id)
    or exists (select 1 from resource_tags ta where ta.resource_id = a.id
      and not exists (select 1 from resource_tags tb where tb.resource_id = b.id and tb.key = ta.key and tb.value = ta.value))`

// Resources of `before` that are gone or differ in any stored way, then resources only in `after`.
const differingPairsSql = `select a.arn, a.type, a.region, a.account_id as accountId, a.id as beforePk, b.id as afterPk,
    a.resource_id as beforeId, b.resource_id as afterId, a.name as beforeName, b.name as afterName,
    a.created_at as beforeCreated, b.created_at as afterCreated, a.config_hash as beforeHash, b.config_hash as afterHash, b.region as afterRegion
  from resources a left join resources b on b.snapshot_id = @after and b.arn = a.arn
  where ${writtenBy('a', '@before')} and (b.id is null or a.config_hash <> b.config_hash or a.resource_id <> b.resource_id
    or a.created_at is not b.created_at or a.name <> b.name or a.region <> b.region or ${tagsDiffer})
  union all
  select b.arn, b.type, b.region, b.account_id as accountId, null, b.id, null, b.resource_id, null, b.name, null, b.created_at, null, b.config_hash, b.region
  from resources b where ${writtenBy('b', '@after')} and not exists (select 1 from resources a where a.snapshot_id = @before and a.arn = b.arn)`

/**
 * Field-level drift from `before` to `after`. Only cells collected `ok` in both are compared; the others
 * are listed as not comparable. Pairs whose stored hashes, ids, names and tags are equal are settled in
 * SQL; only the rest are loaded and diffed.
 */
export function diffSnapshots(store: Store, before: Snapshot, after: Snapshot, options: DiffOptions = {}): DriftReport {
  checkComparable(before, after, options.allowPartial)
  checkRegionsCollected(options.regions, [before, after])
  const wantedType = (type: string) => !options.resourceTypes || options.resourceTypes.includes(type)
  const wantedRegion = (region: string) => !options.regions || region === 'global' || options.regions.includes(region)
  const {comparable, notComparable} = compareCoverage(store, before.id, after.id, (c) => wantedType(c.resourceType) && wantedRegion(c.region))
  const categories = options.categories && options.categories.length > 0 ? new Set(options.categories) : undefined
  const loader = versionLoader(store)

  const resources: ResourceDrift[] = []
  let ignoredResources = 0
  let ignoredBefore = 0
  let ignoredChanges = 0
  const rows = store.sqlite.prepare(differingPairsSql).all({before: before.id, after: after.id}) as PairRow[]
  // Snapshots taken with different tag filters: a resource in one only that the other's filters would have
  // left out is no drift (a resource both select and one lacks still is).
  const otherFilters = sameTagFilters(before.filters, after.filters) ? undefined : {before: before.filters, after: after.filters}
  const tagsOf = tagsReader(store)
  let outsideTagFilters = 0
  let outsideCategories = 0
  for (const pair of rows) {
    const row = inComparedCells(pair, (region) => comparable.has(cellKey(pair.accountId, region, pair.type)))
    if (!row) continue
    if (otherFilters && (row.beforePk === null || row.afterPk === null) && specOf(row.type)?.untagged !== true) {
      const filters = row.beforePk === null ? otherFilters.before : otherFilters.after
      if (!matchesTagFilters(tagsOf((row.beforePk ?? row.afterPk)!), filters.includeTags, filters.excludeTags)) {
        outsideTagFilters++
        if (row.beforePk !== null) ignoredBefore++
        continue
      }
    }

    if (ignoresResource(options.ignore, row)) {
      ignoredResources++
      if (row.beforePk !== null) ignoredBefore++
      continue
    }

    const drift = classify(row, loader, options.ignore)
    ignoredChanges += drift.ignoredChanges
    const kept = drift.resource && keepCategories(drift.resource, categories)
    if (kept) resources.push(kept)
    // Gone from `before` or replaced, but of a category not selected: not shown, and not unchanged either.
    else if (drift.resource && drift.resource.change !== 'added' && drift.resource.change !== 'modified') outsideCategories++
  }

  resources.sort((x, y) => compareText(x.type, y.type) || compareText(x.region, y.region) || compareText(x.arn, y.arn))
  const compared = countResources(store, before.id, comparable)
  const count = (change: ResourceChange) => resources.filter((r) => r.change === change).length
  const summary: DriftSummary = {
    added: count('added'),
    removed: count('removed'),
    replaced: count('replaced'),
    modified: count('modified'),
    unchanged: 0,
    notComparable: notComparable.length,
    ignoredResources,
    ignoredChanges,
    outsideTagFilters,
    byCategory: Object.fromEntries(driftCategories.map((c) => [c, resources.filter((r) => r.categories.includes(c)).length])) as Record<DriftCategory, number>,
  }
  // Every resource of `before` in a compared cell was removed, replaced, modified, ignored (or outside the
  // other's tag filters), or removed or replaced in a category not selected — or is unchanged (in the
  // selected categories: one modified in others only is).
  summary.unchanged = compared - summary.removed - summary.replaced - summary.modified - ignoredBefore - outsideCategories

  return {
    before: ref(before),
    after: ref(after),
    filters: {
      resourceTypes: options.resourceTypes ? [...options.resourceTypes] : null,
      regions: options.regions ? [...options.regions] : null,
      categories: categories ? [...categories] : null,
      ignoreFile: options.ignore?.file ?? null,
    },
    drift: resources.length > 0,
    summary,
    resources,
    notComparable,
  }
}

/**
 * The pair as far as the compared cells see it, or undefined when they see none of it. A resource under
 * the same ARN in another region (an S3 bucket deleted and created again elsewhere) is replaced when both
 * regions are compared, added or removed when only one is.
 */
function inComparedCells(row: PairRow, compared: (region: string) => boolean): PairRow | undefined {
  const moved = row.beforePk !== null && row.afterRegion !== null && row.afterRegion !== row.region
  if (!moved) return compared(row.region) ? row : undefined
  const [from, to] = [compared(row.region), compared(row.afterRegion!)]
  if (from && to) return row
  if (from) return {...row, afterPk: null, afterId: null, afterName: null, afterCreated: null, afterHash: null, afterRegion: null}
  if (to) return {...row, region: row.afterRegion!, beforePk: null, beforeId: null, beforeName: null, beforeCreated: null, beforeHash: null}
  return undefined
}

/** The drift of one differing pair; no resource when every difference was noise or ignored. */
function classify(row: PairRow, loader: ReturnType<typeof versionLoader>, ignore: IgnoreRules | undefined): {resource?: ResourceDrift; ignoredChanges: number} {
  const base = {arn: row.arn, type: row.type, region: row.region, accountId: row.accountId}
  if (row.afterPk === null) {
    return {resource: {...base, change: 'removed', id: row.beforeId ?? '', name: row.beforeName ?? '', categories: [resourceCategory(row.type)]}, ignoredChanges: 0}
  }

  const current = {id: row.afterId ?? '', name: row.afterName ?? ''}
  if (row.beforePk === null) return {resource: {...base, change: 'added', ...current, categories: [resourceCategory(row.type)]}, ignoredChanges: 0}

  if (row.afterRegion !== row.region) {
    const reason = `region ${row.region} → ${row.afterRegion}`
    return {resource: {...base, region: row.afterRegion!, change: 'replaced', ...current, reason, categories: [resourceCategory(row.type)]}, ignoredChanges: 0}
  }

  const spec = specOf(row.type)
  const was = loader(row.beforePk, row.beforeHash!)
  const is = loader(row.afterPk, row.afterHash!)
  const reason = replacementReason(
    spec,
    {id: row.beforeId ?? '', createdAt: row.beforeCreated, configuration: was.configuration},
    {id: row.afterId ?? '', createdAt: row.afterCreated, configuration: is.configuration},
  )
  if (reason) return {resource: {...base, change: 'replaced', ...current, reason, categories: [resourceCategory(row.type)]}, ignoredChanges: 0}

  const all = diffResource(was, is, spec)
  const changes = all.filter((c) => !ignoresField(ignore, row, c.segments))
  if (changes.length === 0) return {ignoredChanges: all.length}
  const categories = driftCategories.filter((c) => changes.some((f) => f.category === c))
  return {resource: {...base, change: 'modified', ...current, categories, changes}, ignoredChanges: all.length - changes.length}
}

/** What tells two resources under one ARN apart, beyond the ARN. */
export interface ResourceIdentity {
  /** The AWS id. */
  id: string
  /** The stored creation time, or null. */
  createdAt: string | null
  /** The stored configuration (where the spec's `uniqueId` field is read). */
  configuration: Record<string, unknown>
}

/**
 * Why the resource under an ARN in `after` is not the one `before` held (it was deleted and recreated):
 * a different AWS id, unique id (`spec.uniqueId`) or creation time (unless `spec.createdAtMoves`).
 * Undefined when it is the same resource.
 */
export function replacementReason(spec: ResourceSpec | undefined, before: ResourceIdentity, after: ResourceIdentity): string | undefined {
  if (before.id !== after.id) return `id ${before.id} → ${after.id}`
  if (spec?.uniqueId) {
    const [was, is] = [before.configuration[spec.uniqueId], after.configuration[spec.uniqueId]]
    if (was !== undefined && is !== undefined && was !== is) return `${spec.uniqueId} ${String(was)} → ${String(is)}`
  }

  if (!spec?.createdAtMoves && before.createdAt && after.createdAt && before.createdAt !== after.createdAt) {
    return `created ${before.createdAt} → ${after.createdAt}`
  }

  return undefined
}

function keepCategories(resource: ResourceDrift, categories: Set<DriftCategory> | undefined): ResourceDrift | undefined {
  if (!categories) return resource
  if (!resource.categories.some((c) => categories.has(c))) return undefined
  if (!resource.changes) return resource
  return {
    ...resource,
    categories: resource.categories.filter((c) => categories.has(c)),
    changes: resource.changes.filter((c) => categories.has(c.category)),
  }
}

/** A resource as one snapshot stored it (configuration and tags), or undefined when it does not hold it. */
export function storedVersion(store: Store, snapshotId: number, arn: string): ResourceVersion | undefined {
  const row = store.sqlite.prepare('select id, config_hash as hash from resources where snapshot_id = ? and arn = ?').get(snapshotId, arn) as {id: number; hash: string} | undefined
  return row && versionLoader(store)(row.id, row.hash)
}

/** Reads a stored resource's configuration (parsed once per distinct hash) and tags. */
function versionLoader(store: Store): (pk: number, hash: string) => {configuration: Record<string, unknown>; tags: Record<string, string>} {
  const configuration = store.sqlite.prepare('select json from configurations where hash = ?').pluck()
  const tags = tagsReader(store)
  return (pk, hash) => ({configuration: JSON.parse(configuration.get(hash) as string) as Record<string, unknown>, tags: tags(pk)})
}

/** Reads a stored resource's tags. */
function tagsReader(store: Store): (pk: number) => Record<string, string> {
  const tags = store.sqlite.prepare('select key, value from resource_tags where resource_id = ?')
  return (pk) => Object.fromEntries((tags.all(pk) as Array<{key: string; value: string}>).map((t) => [t.key, t.value]))
}

/** The key of an (account, region, type) cell in the sets `splitCells` returns. */
export function cellKey(accountId: string, region: string, type: string): string {
  return `${accountId}\u0000${region}\u0000${type}`
}

/** One coverage row: whether an (account, region, type) cell was collected, and how it ended. */
export interface CoverageCell {
  accountId: string
  region: string
  resourceType: string
  status: string
}

/** Splits the cells of both snapshots into those collected `ok` in both and the rest, with a reason. */
function compareCoverage(
  store: Store,
  beforeId: number,
  afterId: number,
  wanted: (cell: CoverageCell) => boolean,
): {comparable: Set<string>; notComparable: NotComparableCell[]} {
  const read = store.sqlite.prepare('select account_id as accountId, region, resource_type as resourceType, status from coverage where snapshot_id = ?')
  return splitCells((read.all(beforeId) as CoverageCell[]).filter(wanted), (read.all(afterId) as CoverageCell[]).filter(wanted))
}

/**
 * Splits the cells of two collections into the comparable ones (`ok` in both; keys from `cellKey`) and
 * the rest, each with the status on both sides (`missing` where a side did not collect it) and a reason.
 */
export function splitCells(before: readonly CoverageCell[], after: readonly CoverageCell[]): {comparable: Set<string>; notComparable: NotComparableCell[]} {
  const cells = new Map<string, {cell: CoverageCell; before?: string; after?: string}>()
  for (const [side, list] of [['before', before], ['after', after]] as const) {
    for (const cell of list) {
      const key = cellKey(cell.accountId, cell.region, cell.resourceType)
      const entry = cells.get(key) ?? {cell}
      entry[side] = cell.status
      cells.set(key, entry)
    }
  }

  const comparable = new Set<string>()
  const notComparable: NotComparableCell[] = []
  for (const [key, {cell, before = 'missing', after = 'missing'}] of cells) {
    if (before === 'ok' && after === 'ok') {
      comparable.add(key)
      continue
    }

    const why = (side: string, status: string) => (status === 'missing' ? `not collected in ${side}` : `${status} in ${side}`)
    const reason = [before === 'ok' ? undefined : why('before', before), after === 'ok' ? undefined : why('after', after)].filter(Boolean).join('; ')
    notComparable.push({accountId: cell.accountId, region: cell.region, resourceType: cell.resourceType, before, after, reason})
  }

  notComparable.sort((x, y) => compareText(x.resourceType, y.resourceType) || compareText(x.region, y.region) || compareText(x.accountId, y.accountId))
  return {comparable, notComparable}
}

/** Resources of a snapshot in the given cells. */
function countResources(store: Store, snapshotId: number, cells: Set<string>): number {
  const rows = store.sqlite
    .prepare(`select r.account_id as accountId, r.region, r.type, count(*) as n from resources r where ${writtenBy('r', '@id')} group by r.account_id, r.region, r.type`)
    .all({id: snapshotId}) as Array<{accountId: string; region: string; type: string; n: number}>
  return rows.reduce((sum, r) => sum + (cells.has(cellKey(r.accountId, r.region, r.type)) ? r.n : 0), 0)
}

function ref(s: Snapshot): SnapshotRef {
  return {id: s.id, name: s.name, status: s.status, startedAt: s.startedAt}
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Parses `--category` values. */
export function parseCategories(values: readonly string[] | undefined): DriftCategory[] | undefined {
  if (!values || values.length === 0) return undefined
  const parsed = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  return parsed.map((v) => {
    // Case-insensitive, as every choice is.
    const category = driftCategories.find((c) => c === v.toLowerCase())
    if (category === undefined) throw new UserError(`Unknown category "${v}": use ${driftCategories.join(', ')}.`)
    return category
  })
}
