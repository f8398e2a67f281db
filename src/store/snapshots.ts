import {and, desc, eq, sql} from 'drizzle-orm'

import {UserError} from '../errors.js'
import {didYouMean} from '../suggest.js'
import {pruneConfigurations} from './configurations.js'
import type {Store} from './database.js'
import {DEFAULT_INVENTORY, type TagFilter, requireInventory} from './inventories.js'
import {currentOwner, isAbandoned} from './owner.js'
import {type SnapshotStatus, inventories, snapshots} from './schema.js'

export interface SnapshotFilters {
  includeTags: TagFilter
  excludeTags: TagFilter
}

/** A stored snapshot's metadata. */
export interface Snapshot {
  id: number
  name: string
  inventory: string
  status: SnapshotStatus
  accountId: string
  accounts: string[]
  regions: string[]
  resourceTypes: string[]
  filters: SnapshotFilters
  useConfig: boolean
  toolVersion: string
  startedAt: string
  finishedAt: string | null
  resourceCount: number
  gapCount: number
  apiCalls: number
  error: string | null
  /** Whether this is its inventory's active snapshot. */
  active: boolean
}

const columns = {
  snapshot: snapshots,
  inventory: inventories.name,
  activeSnapshotId: inventories.activeSnapshotId,
}

function toSnapshot(row: {snapshot: typeof snapshots.$inferSelect; inventory: string; activeSnapshotId: number | null}): Snapshot {
  const s = row.snapshot
  return {
    id: s.id,
    name: s.name,
    inventory: row.inventory,
    status: s.status,
    accountId: s.accountId,
    accounts: JSON.parse(s.accounts) as string[],
    regions: JSON.parse(s.regions) as string[],
    resourceTypes: JSON.parse(s.resourceTypes) as string[],
    filters: {includeTags: {}, excludeTags: {}, ...(JSON.parse(s.filters) as Partial<SnapshotFilters>)},
    useConfig: s.useConfig,
    toolVersion: s.toolVersion,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    resourceCount: s.resourceCount,
    gapCount: s.gapCount,
    apiCalls: s.apiCalls,
    error: s.error,
    active: row.activeSnapshotId === s.id,
  }
}

function selectSnapshots(store: Store) {
  return store.db.select(columns).from(snapshots).innerJoin(inventories, eq(inventories.id, snapshots.inventoryId))
}

export function findSnapshot(store: Store, name: string): Snapshot | undefined {
  const row = selectSnapshots(store).where(eq(snapshots.name, name)).get()
  return row ? toSnapshot(row) : undefined
}

/** The named snapshot, or a UserError saying how to find the right name. */
export function requireSnapshot(store: Store, name: string): Snapshot {
  const snapshot = findSnapshot(store, name)
  if (!snapshot) {
    const names = store.db.select({name: snapshots.name}).from(snapshots).all().map((row) => row.name)
    throw new UserError(`Unknown snapshot "${name}".${didYouMean(name, names)} Run "awsinv snapshot list" to see the snapshots.`)
  }

  return snapshot
}

/** Snapshots, newest first, optionally of one inventory. */
export function listSnapshots(store: Store, inventory?: string): Snapshot[] {
  const query = selectSnapshots(store)
  const rows = (inventory ? query.where(eq(inventories.name, inventory)) : query).orderBy(desc(snapshots.startedAt), desc(snapshots.id)).all()
  return rows.map((r) => toSnapshot(r))
}

/** The active snapshot of an inventory (the default inventory when none is named). */
export function activeSnapshot(store: Store, inventory: string): Snapshot | undefined {
  const inv = requireInventory(store, inventory)
  if (inv.activeSnapshotId === null) return undefined
  const row = selectSnapshots(store).where(eq(snapshots.id, inv.activeSnapshotId)).get()
  return row ? toSnapshot(row) : undefined
}

/**
 * The named snapshot, or without a name the inventory's active snapshot: what commands that take an
 * optional snapshot work on. A one-line UserError when there is none.
 */
export function namedOrActiveSnapshot(store: Store, name: string | undefined, inventory: string, howToName = 'with --snapshot'): Snapshot {
  // An inventory named along with the snapshot is not used, but an unknown one is still a mistake to point out.
  if (name !== undefined) {
    const named = requireSnapshot(store, name)
    requireInventory(store, inventory)
    return named
  }

  const active = activeSnapshot(store, inventory)
  if (!active) throw new UserError(`Inventory "${inventory}" has no active snapshot. Name one ${howToName}, or ${activeSnapshotAdvice(store, inventory)}.`)
  return active
}

/**
 * Whether a snapshot in this status holds less than it was to collect: still running, interrupted, or
 * failed. Figures read from it are incomplete (a partial one is finished: its gaps are listed).
 */
export function isIncomplete(status: SnapshotStatus): status is 'running' | 'interrupted' | 'failed' {
  return status === 'running' || status === 'interrupted' || status === 'failed'
}

/**
 * The one-line note that figures read from unfinished snapshots are incomplete, or undefined when every
 * snapshot given is finished (complete or partial).
 */
export function incompleteNote(read: ReadonlyArray<Pick<Snapshot, 'name' | 'status'>>): string | undefined {
  const unfinished = read.filter((s) => isIncomplete(s.status))
  if (unfinished.length === 0) return undefined
  const state = (status: SnapshotStatus) => (status === 'running' ? 'still running' : status)
  if (unfinished.length === 1) {
    const [{name, status}] = unfinished as [Pick<Snapshot, 'name' | 'status'>]
    const what = status === 'running' ? 'is still running' : status === 'interrupted' ? 'was interrupted' : 'failed'
    return `Note: snapshot "${name}" ${what}: its figures are incomplete.`
  }

  const names = unfinished.map((s) => `"${s.name}" (${state(s.status)})`)
  return `Note: snapshots ${names.slice(0, -1).join(', ')} and ${names.at(-1)!} did not finish: their figures are incomplete.`
}

/** The newest snapshot of an inventory that can be its active one (complete or partial), if any. */
export function newestUsableSnapshot(store: Store, inventory: string): Snapshot | undefined {
  return listSnapshots(store, inventory).find((s) => s.status === 'complete' || s.status === 'partial')
}

/**
 * What to do about an inventory without an active snapshot, as the end of a sentence: make its newest
 * usable snapshot active when it has one (deleting the active snapshot leaves the others as they were),
 * else take one.
 */
export function activeSnapshotAdvice(store: Store, inventory: string): string {
  const usable = newestUsableSnapshot(store, inventory)
  if (usable) return `make one active with "awsinv snapshot set-active ${usable.name}" (its newest complete or partial snapshot)`
  return `take one with "awsinv snapshot create${inventory === DEFAULT_INVENTORY ? '' : ` --inventory ${inventory}`}"`
}

export interface NewSnapshot {
  name: string
  inventoryId: number
  accountId: string
  regions: string[]
  resourceTypes: string[]
  filters: SnapshotFilters
  useConfig: boolean
  toolVersion: string
}

/** Records a snapshot in `running` state, owned by this process. */
export function insertSnapshot(store: Store, input: NewSnapshot): number {
  return store.sqlite.transaction(() => {
    if (findSnapshot(store, input.name)) {
      throw new UserError(`A snapshot named "${input.name}" already exists. Choose another name or delete it first.`)
    }

    const row = store.db
      .insert(snapshots)
      .values({
        name: input.name,
        inventoryId: input.inventoryId,
        status: 'running',
        accountId: input.accountId,
        accounts: JSON.stringify([input.accountId]),
        regions: JSON.stringify(input.regions),
        resourceTypes: JSON.stringify(input.resourceTypes),
        filters: JSON.stringify(input.filters),
        useConfig: input.useConfig,
        toolVersion: input.toolVersion,
        startedAt: new Date().toISOString(),
        ...currentOwner(),
      })
      .returning({id: snapshots.id})
      .get()
    return row.id
  }).immediate()
}

/** Seals a running snapshot with its final status and counts. A finished snapshot never changes again. */
export function finishSnapshot(
  store: Store,
  id: number,
  outcome: {status: Exclude<SnapshotStatus, 'running'>; error?: string | null; setActive: boolean},
): void {
  store.sqlite.transaction(() => {
    const counts = store.sqlite
      .prepare(
        `select (select count(*) from resources where snapshot_id = @id) as resources,
          (select count(*) from coverage where snapshot_id = @id and status <> 'ok') as gaps,
          (select coalesce(sum(api_calls), 0) from coverage where snapshot_id = @id) as calls,
          (select json_group_array(distinct account_id) from resources where snapshot_id = @id) as accounts`,
      )
      .get({id}) as {resources: number; gaps: number; calls: number; accounts: string}
    const accounts = JSON.parse(counts.accounts) as string[]
    const sealed = store.db
      .update(snapshots)
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        finishedAt: new Date().toISOString(),
        resourceCount: counts.resources,
        gapCount: counts.gaps,
        apiCalls: counts.calls,
        pid: null,
        ...(accounts.length > 0 ? {accounts: JSON.stringify(accounts.sort())} : {}),
      })
      .where(and(eq(snapshots.id, id), eq(snapshots.status, 'running')))
      .run().changes
    // Only the call that seals the snapshot may make it active: a snapshot already finished (or reaped as
    // interrupted) keeps its status, so it must not become the baseline either.
    if (sealed > 0 && outcome.setActive && outcome.status !== 'failed' && outcome.status !== 'interrupted') {
      store.db
        .update(inventories)
        .set({activeSnapshotId: id})
        .where(eq(inventories.id, sql`(select ${snapshots.inventoryId} from ${snapshots} where ${snapshots.id} = ${id})`))
        .run()
    }
  }).immediate()
}

/**
 * Marks `running` snapshots whose process on this host is gone as `interrupted` (a killed run), so they
 * are never mistaken for a baseline.
 */
export function reapAbandonedSnapshots(store: Store): number {
  const running = store.db
    .select({id: snapshots.id, pid: snapshots.pid, host: snapshots.host})
    .from(snapshots)
    .where(eq(snapshots.status, 'running'))
    .all()
  let reaped = 0
  // A cell is stored whole or not at all: the pages of the cells the killed process was writing, which have
  // no coverage row yet, are dropped, as an interrupted run drops them itself.
  const unfinishedCells = store.sqlite.prepare(
    `delete from resources where snapshot_id = @id and not exists (select 1 from coverage c where c.snapshot_id = @id
       and c.account_id = resources.account_id and c.region = resources.region and c.resource_type = resources.type)`,
  )
  for (const s of running) {
    if (!isAbandoned(s)) continue
    // Sealed like any other run, so its counts describe the cells the killed process finished.
    store.sqlite.transaction(() => {
      unfinishedCells.run({id: s.id})
      finishSnapshot(store, s.id, {status: 'interrupted', error: 'The collecting process stopped before finishing.', setActive: false})
    })()
    reaped++
  }

  return reaped
}

/**
 * The named snapshot if it can be deleted, else the UserError that deleting it would meet (unknown, still
 * being collected): what to check before asking the user to confirm.
 */
export function deletableSnapshot(store: Store, name: string): Snapshot {
  const snapshot = requireSnapshot(store, name)
  if (snapshot.status === 'running') {
    throw new UserError(`Snapshot "${name}" is still being collected. Wait for it to finish or stop it first.`)
  }

  return snapshot
}

/** Deletes a snapshot with its resources, tags and coverage, and configurations nothing uses any more. */
export function deleteSnapshot(store: Store, name: string): Snapshot {
  const snapshot = deletableSnapshot(store, name)
  store.sqlite.transaction(() => {
    store.db.update(inventories).set({activeSnapshotId: null}).where(eq(inventories.activeSnapshotId, snapshot.id)).run()
    store.db.delete(snapshots).where(eq(snapshots.id, snapshot.id)).run()
    pruneConfigurations(store)
  }).immediate()
  return snapshot
}

export function renameSnapshot(store: Store, from: string, to: string): Snapshot {
  validateSnapshotName(to)
  return store.sqlite.transaction(() => {
    const snapshot = requireSnapshot(store, from)
    // The run collecting it finds it by name when it ends.
    if (snapshot.status === 'running') throw new UserError(`Snapshot "${from}" is still being collected. Wait for it to finish or stop it first.`)
    if (findSnapshot(store, to)) throw new UserError(`A snapshot named "${to}" already exists.`)
    store.db.update(snapshots).set({name: to}).where(eq(snapshots.id, snapshot.id)).run()
    return {...snapshot, name: to}
  }).immediate()
}

/** Makes a finished snapshot the active one of its inventory. */
export function setActiveSnapshot(store: Store, name: string): Snapshot {
  const snapshot = requireSnapshot(store, name)
  if (snapshot.status !== 'complete' && snapshot.status !== 'partial') {
    throw new UserError(`Snapshot "${name}" is ${snapshot.status}; only complete or partial snapshots can be active.`)
  }

  store.db
    .update(inventories)
    .set({activeSnapshotId: snapshot.id})
    .where(eq(inventories.id, sql`(select ${snapshots.inventoryId} from ${snapshots} where ${snapshots.id} = ${snapshot.id})`))
    .run()
  return {...snapshot, active: true}
}

const NAME_PATTERN = /^[\w.:@+-]{1,128}$/

/**
 * Snapshot and inventory names, when one is created or renamed: 1–128 letters, digits and `_ . : @ + -`, not
 * starting with `-`, which reads as an option wherever awsinv or the user writes the name in a command.
 */
export function validateSnapshotName(name: string, what = 'snapshot'): void {
  if (!NAME_PATTERN.test(name)) {
    throw new UserError(`Invalid ${what} name "${name}": use 1-128 letters, digits and _ . : @ + - characters.`)
  }

  if (name.startsWith('-')) {
    throw new UserError(`Invalid ${what} name "${name}": it cannot start with "-", which reads as an option in a command line.`)
  }
}
