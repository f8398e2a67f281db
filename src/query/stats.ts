import {UserError} from '../errors.js'
import type {Store} from '../store/database.js'
import {requireInventory} from '../store/inventories.js'
import {type ResourceGrouping, type TagCountRow, countTagCoverage, countTagCoverageBySnapshot} from '../store/stats.js'
import {type Snapshot, activeSnapshot, activeSnapshotAdvice, isIncomplete, listSnapshots, requireSnapshot} from '../store/snapshots.js'

/** The `--group-by` values besides `tag:KEY`. */
export const statsGroupings = ['type', 'region', 'service', 'account', 'snapshot'] as const

/** A parsed `--group-by`. */
export type StatsGrouping = ResourceGrouping | {by: 'snapshot'}

/** Counts and tag coverage of one group (or of all of them, in the total). */
export interface StatsRow {
  /** The group's value (a type, region, service, account id, snapshot name or tag value); null for resources without the tag of `tag:KEY`. */
  group: string | null
  resources: number
  /** Resources with at least one tag. */
  tagged: number
  untagged: number
  /** `tagged / resources` in percent, one decimal; null for a group without resources. */
  tagCoverage: number | null
  /** With `requiredTags`: resources that carry every required key (whatever the value). */
  withRequiredTags?: number
  /** With `requiredTags`: `withRequiredTags / resources` in percent, one decimal; null without resources. */
  requiredTagCoverage?: number | null
}

/** What `query stats` returns. */
export interface StatsResult {
  /** `type`, `region`, `service`, `account`, `snapshot` or `tag:KEY`. */
  groupBy: string
  /** The snapshot counted; null with `--group-by snapshot`, which counts every snapshot of `inventory`. */
  snapshot: string | null
  inventory: string
  /** Tag keys every resource should carry; empty when none were asked for. */
  requiredTags: string[]
  /** One row per group: by group name, snapshots by start time. */
  rows: StatsRow[]
  /** All rows added up. With `--group-by snapshot`, a resource present in several snapshots counts in each. */
  total: StatsRow
  /**
   * The snapshots counted that did not finish (interrupted or failed; with a snapshot named, also one still
   * running), oldest first: their figures are incomplete. Empty when every one finished.
   */
  incompleteSnapshots: Array<{name: string; status: 'running' | 'interrupted' | 'failed'}>
}

export interface StatsOptions {
  /** Snapshot to count; default: the active snapshot of `inventory`. */
  snapshot?: string
  /** Inventory whose active snapshot (or, grouping by snapshot, whose snapshots) to count. */
  inventory: string
  groupBy: StatsGrouping
  requiredTags: string[]
}

/** Parses `--group-by`: one of {@link statsGroupings} or `tag:KEY`. */
export function parseGroupBy(value: string): StatsGrouping {
  if (/^\s*tag:/i.test(value)) {
    // Spaces around the key are trimmed, as --required-tags trims its keys.
    const key = value.trim().slice('tag:'.length).trim()
    if (key === '') throw new UserError('--group-by tag: needs a tag key, e.g. --group-by tag:owner.')
    return {by: 'tag', key}
  }

  const by = statsGroupings.find((g) => g === value.trim().toLowerCase())
  if (!by) throw new UserError(`Unknown --group-by "${value}". Use ${statsGroupings.join(', ')} or tag:KEY.`)
  return {by}
}

/** Parses `--required-tags K1,K2` into distinct keys. */
export function parseRequiredTags(value: string): string[] {
  const keys = [...new Set(value.split(',').map((k) => k.trim()))].filter((k) => k !== '')
  if (keys.length === 0) throw new UserError('--required-tags needs tag keys separated by commas, e.g. --required-tags owner,env.')
  return keys
}

/** `tag:owner` for a tag grouping, else the grouping's name. */
export function groupByLabel(grouping: StatsGrouping): string {
  return grouping.by === 'tag' ? `tag:${grouping.key}` : grouping.by
}

/**
 * Resource counts and tag coverage per group, of one snapshot (by default the active snapshot of the
 * inventory) or, grouped by snapshot, of every snapshot of the inventory (of `snapshot`'s when named).
 */
export function computeStats(store: Store, options: StatsOptions): StatsResult {
  const {groupBy, requiredTags} = options
  const named = options.snapshot === undefined ? undefined : requireSnapshot(store, options.snapshot)
  // Not used with a snapshot named, but an unknown inventory is still a mistake to point out.
  if (named) requireInventory(store, options.inventory)
  let counts: TagCountRow[]
  let snapshot: string | null = null
  let inventory: string
  let counted: Snapshot[]
  if (groupBy.by === 'snapshot') {
    // Snapshots of one inventory only: other inventories hold other tag filters, so their counts do not compare.
    const inv = requireInventory(store, named?.inventory ?? options.inventory)
    inventory = inv.name
    counts = countTagCoverageBySnapshot(store, inv.id, requiredTags)
    if (counts.length === 0) throw new UserError(`Inventory "${inventory}" has no finished snapshots. Take one with "awsinv snapshot create".`)
    // Oldest first, as the rows; running ones are not counted.
    counted = listSnapshots(store, inventory).filter((s) => s.status !== 'running').reverse()
  } else {
    const target = named ?? activeSnapshot(store, options.inventory)
    if (!target) throw new UserError(`Inventory "${options.inventory}" has no active snapshot. Name one with --snapshot, or ${activeSnapshotAdvice(store, options.inventory)}.`)
    snapshot = target.name
    inventory = target.inventory
    counts = countTagCoverage(store, target.id, groupBy, requiredTags)
    counted = [target]
  }

  const rows = counts.map((c) => statsRow(c, requiredTags.length > 0))
  const sum = (field: 'resources' | 'tagged' | 'withRequiredTags') => counts.reduce((n, c) => n + c[field], 0)
  const total = statsRow({group: null, resources: sum('resources'), tagged: sum('tagged'), withRequiredTags: sum('withRequiredTags')}, requiredTags.length > 0)
  const incompleteSnapshots = counted.flatMap((s) => (isIncomplete(s.status) ? [{name: s.name, status: s.status}] : []))
  return {groupBy: groupByLabel(groupBy), snapshot, inventory, requiredTags, rows, total, incompleteSnapshots}
}

function statsRow(counts: TagCountRow, withRequired: boolean): StatsRow {
  const row: StatsRow = {
    group: counts.group,
    resources: counts.resources,
    tagged: counts.tagged,
    untagged: counts.resources - counts.tagged,
    tagCoverage: percent(counts.tagged, counts.resources),
  }
  if (withRequired) {
    row.withRequiredTags = counts.withRequiredTags
    row.requiredTagCoverage = percent(counts.withRequiredTags, counts.resources)
  }

  return row
}

/** `part / whole` in percent with one decimal; null when `whole` is 0. */
function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10
}
