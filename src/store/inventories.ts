import {and, asc, eq, sql} from 'drizzle-orm'

import {UserError} from '../errors.js'
import {didYouMean} from '../suggest.js'
import {pruneConfigurations} from './configurations.js'
import type {Store} from './database.js'
import {inventories, snapshots} from './schema.js'
import {counted} from '../words.js'

/** The inventory snapshots belong to when none is named. */
export const DEFAULT_INVENTORY = 'default'

export type TagFilter = Record<string, string>

export interface Inventory {
  id: number
  name: string
  description: string | null
  includeTags: TagFilter
  excludeTags: TagFilter
  activeSnapshotId: number | null
  createdAt: string
}

export interface InventorySummary extends Inventory {
  snapshotCount: number
  activeSnapshot: string | null
}

type InventoryRow = typeof inventories.$inferSelect

function toInventory(row: InventoryRow): Inventory {
  return {
    ...row,
    includeTags: JSON.parse(row.includeTags) as TagFilter,
    excludeTags: JSON.parse(row.excludeTags) as TagFilter,
  }
}

/** Creates an inventory; its name must be new. */
/** Refuses a description with control characters (line breaks, terminal escape sequences): it is printed as it is. */
export function checkInventoryDescription(description: string | undefined): void {
  // eslint-disable-next-line no-control-regex
  if (description !== undefined && /[\u0000-\u001f\u007f-\u009f]/.test(description)) {
    throw new UserError('--description cannot contain control characters (line breaks, tabs, escape sequences): write it on one line.')
  }
}

export function insertInventory(
  store: Store,
  input: {name: string; description?: string; includeTags?: TagFilter; excludeTags?: TagFilter},
): Inventory {
  if (findInventory(store, input.name)) throw new UserError(`Inventory "${input.name}" already exists.`)
  const row = store.db
    .insert(inventories)
    .values({
      name: input.name,
      description: input.description ?? null,
      includeTags: JSON.stringify(input.includeTags ?? {}),
      excludeTags: JSON.stringify(input.excludeTags ?? {}),
      createdAt: new Date().toISOString(),
    })
    .returning()
    .get()
  return toInventory(row)
}

export function findInventory(store: Store, name: string): Inventory | undefined {
  const row = store.db.select().from(inventories).where(eq(inventories.name, name)).get()
  return row ? toInventory(row) : undefined
}

/** The named inventory, or a UserError listing what exists. */
export function requireInventory(store: Store, name: string): Inventory {
  const inventory = findInventory(store, name)
  if (!inventory) {
    const names = listInventories(store).map((i) => i.name)
    throw new UserError(`Unknown inventory "${name}".${didYouMean(name, names)} Known inventories: ${names.join(', ') || 'none'}.`)
  }

  return inventory
}

/** The default inventory, created on first use (safely when several processes open a new store at once). */
export function defaultInventory(store: Store): Inventory {
  const existing = findInventory(store, DEFAULT_INVENTORY)
  if (existing) return existing
  store.db
    .insert(inventories)
    .values({name: DEFAULT_INVENTORY, description: 'Snapshots taken without --inventory', createdAt: new Date().toISOString()})
    .onConflictDoNothing()
    .run()
  return findInventory(store, DEFAULT_INVENTORY)!
}

export function listInventories(store: Store): InventorySummary[] {
  const rows = store.db
    .select({
      inventory: inventories,
      // Written out with aliases: drizzle renders columns unqualified in a single-table select, so an
      // interpolated inventories.id would bind to snapshots.id inside the subquery.
      snapshotCount: sql<number>`(select count(*) from snapshots s where s.inventory_id = inventories.id)`,
      activeSnapshot: sql<string | null>`(select s.name from snapshots s where s.id = inventories.active_snapshot_id)`,
    })
    .from(inventories)
    .orderBy(asc(inventories.name))
    .all()
  return rows.map((r) => ({...toInventory(r.inventory), snapshotCount: r.snapshotCount, activeSnapshot: r.activeSnapshot}))
}

/**
 * The named inventory and how many snapshots it holds, if it can be deleted (with its snapshots when
 * `withSnapshots`), else the UserError that deleting it would meet: what to check before asking the user to
 * confirm.
 */
export function deletableInventory(store: Store, name: string, withSnapshots: boolean): {inventory: Inventory; snapshots: number} {
  const inventory = requireInventory(store, name)
  if (inventory.name === DEFAULT_INVENTORY) throw new UserError(`The "${DEFAULT_INVENTORY}" inventory cannot be deleted.`)
  const count = store.db.select({n: sql<number>`count(*)`}).from(snapshots).where(eq(snapshots.inventoryId, inventory.id)).get()?.n ?? 0
  if (count > 0 && !withSnapshots) {
    throw new UserError(`Inventory "${name}" holds ${counted(count, 'snapshot')}. Delete ${count === 1 ? 'it' : 'them'} first or pass --delete-snapshots.`)
  }

  // As deleteSnapshot does: a running snapshot belongs to a live collector that is still writing to it.
  const running = store.db
    .select({name: snapshots.name})
    .from(snapshots)
    .where(and(eq(snapshots.inventoryId, inventory.id), eq(snapshots.status, 'running')))
    .get()
  if (running) {
    throw new UserError(`Snapshot "${running.name}" of inventory "${name}" is still being collected. Wait for it to finish or stop it first.`)
  }

  return {inventory, snapshots: count}
}

/** Deletes an inventory; refuses while it holds snapshots unless `withSnapshots`. */
export function deleteInventory(store: Store, name: string, withSnapshots: boolean): {deletedSnapshots: number} {
  return store.sqlite.transaction(() => {
    const {inventory, snapshots: count} = deletableInventory(store, name, withSnapshots)
    store.db.delete(snapshots).where(eq(snapshots.inventoryId, inventory.id)).run()
    store.db.delete(inventories).where(eq(inventories.id, inventory.id)).run()
    pruneConfigurations(store)
    return {deletedSnapshots: count}
  }).immediate()
}
