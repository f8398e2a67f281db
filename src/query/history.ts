import {matchesTagFilters} from '../collect/filters.js'
import type {FieldChange} from '../diff/fields.js'
import {diffResource} from '../diff/fields.js'
import {replacementReason, storedVersion} from '../diff/snapshots.js'
import {specOf} from '../resources/registry.js'
import {UserError} from '../errors.js'
import {closestWords} from '../suggest.js'
import type {Store} from '../store/database.js'
import {type ArnOccurrence, arnsWithPrefix, cellStatuses, occurrencesOfArn} from '../store/history.js'
import {requireInventory} from '../store/inventories.js'
import type {CoverageStatus} from '../store/schema.js'
import {type Snapshot, listSnapshots} from '../store/snapshots.js'

/** What a snapshot says about the resource, compared with the snapshots before it. */
export type HistoryEvent = 'appeared' | 'changed' | 'replaced' | 'unchanged' | 'disappeared' | 'reappeared' | 'not-collected'

/** A configuration as one snapshot stored it. */
export interface ConfigVersion {
  snapshot: string
  snapshotId: number
  configHash: string
}

/** Tag differences from the previous snapshot holding the resource. */
export interface TagChanges {
  added: Record<string, string>
  removed: Record<string, string>
  changed: Record<string, {from: string; to: string}>
}

/** One snapshot in the resource's history. */
export interface HistoryEntry {
  snapshot: string
  snapshotId: number
  inventory: string
  startedAt: string
  /** Whether the snapshot holds the resource. */
  present: boolean
  /** Hash of the stored configuration (`configurations.hash`), when present. */
  configHash?: string
  event: HistoryEvent
  /**
   * On `changed` (its configuration or tags differ from the previous snapshot holding the resource), and on
   * `reappeared` with another configuration: that snapshot and its configuration hash.
   */
  previous?: ConfigVersion
  /** Tag differences from the previous snapshot holding the resource, when there are any. */
  tagChanges?: TagChanges
  /** For `replaced`: what tells the new resource from the one before it (`RoleId AROA… → AROB…`), as `delta` says. */
  reason?: string
  /** For `not-collected`: the coverage status of the resource's cell in that snapshot. */
  coverage?: CoverageStatus
  /**
   * With `showDiff`: the field-level changes (configuration and tags) from the previous snapshot holding
   * the resource, computed by the drift engine, on every entry whose configuration or tags changed.
   */
  changes?: FieldChange[]
}

/** What `query history` returns. */
export interface ResourceHistory {
  arn: string
  type: string
  /** AWS id, name, region, account and tags as the latest snapshot holding the resource stored them. */
  resourceId: string
  name: string
  region: string
  accountId: string
  tags: Record<string, string>
  /** The inventory the history is limited to; null for every inventory. */
  inventory: string | null
  /** Oldest first. */
  entries: HistoryEntry[]
}

/**
 * A stored ARN the given one is probably a typo of: the same ARN up to its resource name (the part after the
 * last `/`, else the last `:`), with a name a typo or two away. Only the name is compared, as whole ARNs
 * are long enough to be many edits apart and still look alike.
 */
function probablyMeantArn(store: Store, arn: string, snapshotIds?: readonly number[]): string | undefined {
  const cut = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':')) + 1
  if (cut <= 0) return undefined
  const prefix = arn.slice(0, cut)
  const [name] = closestWords(arn.slice(cut), arnsWithPrefix(store, prefix, {snapshotIds}).map((stored) => stored.slice(cut)), 1)
  return name === undefined ? undefined : prefix + name
}

/** Why no snapshot in scope holds `arn`: with a near ARN they hold, or the other inventories whose snapshots hold it. */
function notHeld(store: Store, arn: string, inventory: string | null, snapshots: readonly Snapshot[]): UserError {
  const scope = `No snapshot${inventory === null ? '' : ` of inventory "${inventory}"`} holds a resource with ARN "${arn}".`
  const report = '"awsinv snapshot report NAME --detailed" lists a snapshot\'s ARNs.'
  if (inventory !== null) {
    const holders = new Set(occurrencesOfArn(store, arn).map((o) => o.snapshotId))
    const elsewhere = [...new Set(listSnapshots(store).filter((s) => holders.has(s.id)).map((s) => s.inventory))].sort()
    if (elsewhere.length > 0) {
      return new UserError(`${scope} Snapshots of ${elsewhere.length === 1 ? 'inventory' : 'inventories'} ${elsewhere.map((name) => `"${name}"`).join(', ')} do: leave out --inventory (or AWSINV_INVENTORY) to see its history there.`)
    }
  }

  const meant = probablyMeantArn(store, arn, inventory === null ? undefined : snapshots.map((s) => s.id))
  return new UserError(`${scope}${meant ? ` Did you mean "${meant}"?` : ''} ${report}`)
}

/**
 * The resource's history across snapshots (of one inventory, or of all), oldest first: every snapshot
 * holding it, with when it appeared, changed (a configuration or tags delta would call changed, from the
 * previous snapshot holding it), was replaced (recreated under its ARN, or in another region) or reappeared,
 * and the first later snapshot without it: `disappeared` when that snapshot collected its (account, region,
 * type) cell, where it was last seen, successfully; `not-collected` when that cell failed.
 *
 * Snapshots that say nothing about the resource are left out: those taken before it first appeared, or
 * after it disappeared and before it came back, those without a coverage row for its cell (another
 * region, type or account), and those whose inventory's tag filters exclude it as last seen.
 */
export function resourceHistory(store: Store, arn: string, options: {inventory?: string; showDiff?: boolean} = {}): ResourceHistory {
  const inventory = options.inventory === undefined ? null : requireInventory(store, options.inventory).name
  // listSnapshots is newest first.
  const snapshots = listSnapshots(store, inventory ?? undefined).reverse()
  if (snapshots.length === 0) {
    throw new UserError(`${inventory === null ? 'The store has' : `Inventory "${inventory}" has`} no snapshots yet. Take one with "awsinv snapshot create".`)
  }

  const inScope = new Set(snapshots.map((s) => s.id))
  const occurrences = new Map(occurrencesOfArn(store, arn).filter((o) => inScope.has(o.snapshotId)).map((o) => [o.snapshotId, o]))
  if (occurrences.size === 0) throw notHeld(store, arn, inventory, snapshots)

  // Deleted and recreated under its ARN between two snapshots: judged as delta judges it.
  const configuration = store.sqlite.prepare('select json from configurations where hash = ?').pluck()
  const identity = (o: ArnOccurrence, read: boolean) => ({id: o.resourceId, createdAt: o.createdAt, configuration: read ? (JSON.parse(configuration.get(o.configHash) as string) as Record<string, unknown>) : {}})
  const replacement = (before: ArnOccurrence, after: ArnOccurrence) => {
    // A bucket deleted and created again in another region, as query diff says it.
    if (before.region !== after.region) return `region ${before.region} → ${after.region}`
    // Same configuration, same unique id: only the id and creation time can tell them apart.
    const read = before.configHash !== after.configHash
    return replacementReason(specOf(after.type), identity(before, read), identity(after, read))
  }

  // Another hash is a change only where the drift engine sees one: not for volatile fields alone (an S3
  // bucket's CreationDate moves) nor for lists that only came back in another order.
  const configurationChanged = (before: ArnOccurrence, after: ArnOccurrence) =>
    before.configHash !== after.configHash && diffResource({...identity(before, true), tags: {}}, {...identity(after, true), tags: {}}, specOf(after.type)).length > 0

  // Whether a snapshot without the resource collected its cell, judged where it was last seen (a bucket moves region).
  const statusesByCell = new Map<string, Map<number, CoverageStatus>>()
  const statusesOf = (o: ArnOccurrence) => {
    const key = JSON.stringify([o.accountId, o.region, o.type])
    let statuses = statusesByCell.get(key)
    if (statuses === undefined) {
      statuses = cellStatuses(store, {accountId: o.accountId, region: o.region, type: o.type})
      statusesByCell.set(key, statuses)
    }

    return statuses
  }

  const entries: HistoryEntry[] = []
  let last: {snapshot: Snapshot; occurrence: ArnOccurrence} | undefined
  let gone = false
  for (const snapshot of snapshots) {
    const occurrence = occurrences.get(snapshot.id)
    const base = {snapshot: snapshot.name, snapshotId: snapshot.id, inventory: snapshot.inventory, startedAt: snapshot.startedAt}
    if (occurrence) {
      const entry: HistoryEntry = {...base, present: true, configHash: occurrence.configHash, event: 'appeared'}
      if (last) {
        const before = last.occurrence
        const replaced = gone ? undefined : replacement(before, occurrence)
        const changed = configurationChanged(before, occurrence)
        const tagChanges = diffTags(before.tags, occurrence.tags)
        // A tag change is a change delta reports too.
        entry.event = gone ? 'reappeared' : replaced !== undefined ? 'replaced' : changed || tagChanges ? 'changed' : 'unchanged'
        if (replaced !== undefined) entry.reason = replaced
        if (changed || entry.event === 'changed') entry.previous = {snapshot: last.snapshot.name, snapshotId: last.snapshot.id, configHash: before.configHash}
        if (tagChanges) entry.tagChanges = tagChanges
        if (options.showDiff && (changed || tagChanges)) entry.changes = fieldChanges(store, arn, occurrence.type, last.snapshot.id, snapshot.id)
      }

      entries.push(entry)
      last = {snapshot, occurrence}
      gone = false
      continue
    }

    if (!last || gone) continue
    const status = statusesOf(last.occurrence).get(snapshot.id)
    if (status === undefined) continue
    if (!matchesTagFilters(last.occurrence.tags, snapshot.filters.includeTags, snapshot.filters.excludeTags)) continue
    if (status === 'ok') {
      entries.push({...base, present: false, event: 'disappeared'})
      gone = true
    } else {
      entries.push({...base, present: false, event: 'not-collected', coverage: status})
    }
  }

  const latest = last!.occurrence
  return {
    arn,
    type: latest.type,
    resourceId: latest.resourceId,
    name: latest.name,
    region: latest.region,
    accountId: latest.accountId,
    tags: latest.tags,
    inventory,
    entries,
  }
}

/** What changed from `before` to `after`; undefined when nothing did. */
export function diffTags(before: Record<string, string>, after: Record<string, string>): TagChanges | undefined {
  const has = (tags: Record<string, string>, key: string) => Object.hasOwn(tags, key)
  const added = Object.entries(after).filter(([key]) => !has(before, key))
  const removed = Object.entries(before).filter(([key]) => !has(after, key))
  const changed = Object.entries(after)
    .filter(([key, value]) => has(before, key) && before[key] !== value)
    .map(([key, value]) => [key, {from: before[key]!, to: value}] as const)
  if (added.length + removed.length + changed.length === 0) return undefined
  // fromEntries defines own properties, so even a `__proto__` tag key is kept as data.
  return {added: Object.fromEntries(added), removed: Object.fromEntries(removed), changed: Object.fromEntries(changed)}
}

/** The drift engine's field changes of the resource between two snapshots holding it. */
function fieldChanges(store: Store, arn: string, type: string, beforeId: number, afterId: number): FieldChange[] {
  const before = storedVersion(store, beforeId, arn)
  const after = storedVersion(store, afterId, arn)
  return before && after ? diffResource(before, after, specOf(type)) : []
}
