import {setMaxListeners} from 'node:events'

import type {AwsSession} from '../aws/session.js'
import {UserError} from '../errors.js'
import type {ResourceSpec} from '../resources/types.js'
import type {Store} from '../store/database.js'
import {DEFAULT_INVENTORY, type Inventory, defaultInventory, requireInventory} from '../store/inventories.js'
import {
  type Snapshot,
  type SnapshotFilters,
  finishSnapshot,
  findSnapshot,
  insertSnapshot,
  requireSnapshot,
  validateSnapshotName,
} from '../store/snapshots.js'
import {type CoverageRecord, SnapshotWriter} from '../store/writer.js'
import {toolVersion} from '../version.js'
import {checkTagFilters} from './filters.js'
import {describeAggregator} from './config/aggregator.js'
import {ConfigDetector} from './config/detect.js'
import {type CollectionPlan, configRegionsToDetect, planCollection} from './plan.js'
import {type RegionSelection, resolveRegions} from './regions.js'
import {type CollectProgress, runCollection} from './run.js'

export interface CreateSnapshotOptions {
  /** Snapshot name; generated from the time when absent. */
  name?: string
  /** Inventory name; the default inventory when absent. */
  inventory?: string
  regions: RegionSelection
  specs: ResourceSpec[]
  /** Tag filters from flags; merged over the inventory's own. */
  includeTags: Record<string, string>
  excludeTags: Record<string, string>
  /**
   * Collect every resource: neither the inventory's tag filters nor `includeTags`/`excludeTags` apply (a
   * cleanup's current state, where what the filters leave out may still use a candidate).
   */
  unfiltered?: boolean
  useConfig: boolean
  /** Collect the Config-mapped types through this AWS Config aggregator (in the home region). */
  configAggregator?: string
  concurrency: number
  setActive: boolean
  signal: AbortSignal
  onProgress?: (event: CollectProgress) => void
}

/** What `--dry-run` shows: the cells that would be collected and the source of each. */
export interface SnapshotPlanView {
  accountId: string
  regions: string[]
  filters: SnapshotFilters
  cells: Array<{accountId: string; region: string; type: string; source: string; reason: string}>
}

/**
 * What a snapshot is taken into and with which tag filters: the inventory (the default one when none is
 * named) and its filters merged with the given ones, checked. Reads only the store: what the command line
 * and the store can refuse is refused before any AWS call.
 */
export function resolveSnapshotTarget(
  store: Store,
  options: Pick<CreateSnapshotOptions, 'inventory' | 'includeTags' | 'excludeTags' | 'unfiltered' | 'useConfig' | 'configAggregator'>,
): {inventory: Inventory; filters: SnapshotFilters} {
  const inventory = options.inventory ? requireInventory(store, options.inventory) : defaultInventory(store)
  if (options.configAggregator !== undefined && !options.useConfig) throw new UserError('--config-aggregator and --no-config cannot be used together.')
  const filters: SnapshotFilters = options.unfiltered
    ? {includeTags: {}, excludeTags: {}}
    : {includeTags: {...inventory.includeTags, ...options.includeTags}, excludeTags: {...inventory.excludeTags, ...options.excludeTags}}
  const from = inventory.name === DEFAULT_INVENTORY ? '--include-tags and --exclude-tags' : `Include and exclude tags (of inventory "${inventory.name}", with --include-tags and --exclude-tags)`
  checkTagFilters(filters.includeTags, filters.excludeTags, from)
  return {inventory, filters}
}

/**
 * Resolves regions (asking EC2 for the enabled ones with `all`), the inventory and filters, validates the
 * aggregator, detects AWS Config in every region concerned (unless --no-config), and plans. Makes no list call.
 * `signal` aborts the calls in flight; what they answered then is not to be used.
 */
export async function planSnapshot(
  store: Store,
  session: AwsSession,
  options: Pick<CreateSnapshotOptions, 'inventory' | 'regions' | 'specs' | 'includeTags' | 'excludeTags' | 'unfiltered' | 'useConfig' | 'configAggregator'> & {
    signal?: AbortSignal
  },
): Promise<{plan: CollectionPlan; inventory: Inventory; filters: SnapshotFilters}> {
  const {inventory, filters} = resolveSnapshotTarget(store, options)
  const regions = await resolveRegions(session, options.regions, options.signal)
  const aggregator = options.configAggregator === undefined ? undefined : await describeAggregator(session.clients, session.homeRegion, options.configAggregator)
  const config = options.useConfig
    ? await new ConfigDetector(session.clients, options.signal).regions(configRegionsToDetect({regions, homeRegion: session.homeRegion, specs: options.specs}))
    : undefined
  const plan = planCollection({
    accountId: session.identity.accountId,
    regions,
    homeRegion: session.homeRegion,
    specs: options.specs,
    useConfig: options.useConfig,
    config,
    aggregator,
  })
  return {plan, inventory, filters}
}

/** The plan as `--dry-run` shows it: every cell with its source and why, aggregated cells included. */
export function describePlan(plan: CollectionPlan, filters: SnapshotFilters): SnapshotPlanView {
  const cells: SnapshotPlanView['cells'] = plan.cells.map((c) => ({accountId: c.accountId, region: c.region, type: c.spec.type, source: c.source, reason: c.sourceReason}))
  for (const type of plan.aggregator?.types ?? []) {
    for (const c of type.ownCells) cells.push({accountId: c.accountId, region: c.region, type: type.spec.type, source: 'config', reason: type.reason})
    for (const c of type.otherCells) cells.push({accountId: c.accountId, region: c.region, type: type.spec.type, source: 'config', reason: type.reason})
    if (plan.aggregator?.info.sources.some((s) => s.accounts === null)) {
      const region = type.spec.scope === 'global' ? 'global' : '*'
      cells.push({accountId: '*', region, type: type.spec.type, source: 'config', reason: `${type.reason} (every account of the organization)`})
    }
  }

  return {accountId: plan.accountId, regions: plan.regions, filters, cells}
}

/**
 * Takes a snapshot: plans it, records it as running, collects every planned cell into it, and seals it as
 * complete, partial, interrupted (signal) or failed. Only a complete or partial snapshot becomes active.
 * A run in which not one cell could be collected is failed, with its cells kept (they say why), and
 * ends in a UserError. A run stopped before its collection started records nothing
 * ({@link InterruptedBeforeCollection}).
 */
export async function createSnapshot(store: Store, session: AwsSession, options: CreateSnapshotOptions): Promise<Snapshot> {
  // A stop aborts the calls in flight as well: Ctrl-C takes effect at once, not when they answer or time out.
  session.clients.abortWith(options.signal)
  try {
    return await takeSnapshot(store, session, options)
  } finally {
    session.clients.abortWith(undefined)
  }
}

async function takeSnapshot(store: Store, session: AwsSession, options: CreateSnapshotOptions): Promise<Snapshot> {
  if (options.name !== undefined) checkNewSnapshotName(store, options.name)
  // Every call in flight listens to the signal: two per region while AWS Config is detected, one per cell
  // collected. So many listeners are expected, not a leak to warn about.
  setMaxListeners(0, options.signal)

  const {plan, inventory, filters} = await planSnapshot(store, session, options).catch((error: unknown) => {
    // A call aborted by the stop fails as it may: what ended the planning is the user.
    throw options.signal.aborted ? new InterruptedBeforeCollection() : error
  })
  // The user stopped the run before anything was collected: an empty interrupted snapshot would say nothing.
  if (options.signal.aborted) throw new InterruptedBeforeCollection()
  const name = options.name ?? uniqueName(store)
  const id = insertSnapshot(store, {
    name,
    inventoryId: inventory.id,
    accountId: session.identity.accountId,
    regions: plan.regions,
    resourceTypes: options.specs.map((s) => s.type),
    filters,
    useConfig: options.useConfig,
    toolVersion: toolVersion(),
  })

  let failure: string | undefined
  try {
    const records = await runCollection({
      plan,
      clients: session.clients,
      partition: session.identity.partition,
      writer: new SnapshotWriter(store, id),
      filters,
      concurrency: options.concurrency,
      signal: options.signal,
      onProgress: options.onProgress,
    })
    failure = options.signal.aborted ? undefined : nothingCollected(records)
    if (options.signal.aborted) {
      finishSnapshot(store, id, {status: 'interrupted', error: 'Interrupted before every cell was collected.', setActive: false})
    } else if (failure !== undefined) {
      // Not a baseline: nothing in it says anything about the account, and it must not replace a good one.
      finishSnapshot(store, id, {status: 'failed', error: failure, setActive: false})
    } else {
      // Aggregated types add a row per account and region they return, on top of the planned cells.
      const complete = records.length >= plan.cells.length && records.every((r) => r.status === 'ok')
      finishSnapshot(store, id, {status: complete ? 'complete' : 'partial', setActive: options.setActive})
    }
  } catch (error) {
    finishSnapshot(store, id, {status: 'failed', error: (error as Error).message, setActive: false})
    throw error
  }

  if (failure !== undefined) throw new NothingCollectedError(failure, name)
  return requireSnapshot(store, name)
}

/** A run stopped (Ctrl-C, SIGTERM) while it was being planned: no snapshot was recorded. Exit code 130. */
export class InterruptedBeforeCollection extends UserError {
  constructor() {
    super('Interrupted before the collection started: nothing was saved.', 130)
  }
}

/** A run in which not one cell could be collected: sealed as failed, and kept with its cells. */
export class NothingCollectedError extends UserError {
  constructor(
    /** Why, as {@link nothingCollected} says it. */
    readonly reason: string,
    /** The failed snapshot's name. */
    readonly snapshot: string,
  ) {
    super(`${reason} Snapshot "${snapshot}" is kept as failed: "awsinv snapshot report ${snapshot}" lists every cell.`)
  }
}

/**
 * Why a run failed when not one of its cells could be collected: how many cells failed, and the error most
 * of them met (the first seen among equals), with its message. Undefined when a cell was collected, or
 * when there was none.
 */
export function nothingCollected(records: readonly CoverageRecord[]): string | undefined {
  if (records.length === 0 || records.some((r) => r.status === 'ok')) return undefined
  // Grouped by code: messages differ per cell (the action denied, the address refused).
  const byCode = new Map<string, CoverageRecord[]>()
  for (const record of records) {
    const code = record.errorCode ?? record.status
    const cells = byCode.get(code)
    if (cells) cells.push(record)
    else byCode.set(code, [record])
  }

  const [code, cells] = [...byCode].reduce((most, entry) => (entry[1].length > most[1].length ? entry : most))
  const first = cells[0]!
  const text = first.error?.replace(/\.$/, '')
  const message = text && text !== code ? ` (${text.length > 200 ? `${text.slice(0, 199)}…` : text})` : ''
  const all = records.length === 1 ? 'its one cell failed' : `all ${records.length} cells failed`
  const share = records.length === 1 ? 'with' : cells.length === records.length ? 'every one with' : `${cells.length} of them with`
  return `Nothing could be collected: ${all}, ${share} ${code}${message}.`
}

/** Refuses a snapshot name that is invalid or taken (before anything is collected, or planned with --dry-run). */
export function checkNewSnapshotName(store: Store, name: string): void {
  validateSnapshotName(name)
  if (findSnapshot(store, name)) throw new UserError(`A snapshot named "${name}" already exists. Choose another name or delete it first.`)
}

/** `<prefix>-20261125-101500`, with `-2`, `-3`… when taken. */
export function uniqueName(store: Store, prefix = 'snapshot'): string {
  const stamp = new Date().toISOString().replaceAll(/[-:]/g, '').replace('T', '-').slice(0, 15)
  let name = `${prefix}-${stamp}`
  for (let n = 2; findSnapshot(store, name); n++) name = `${prefix}-${stamp}-${n}`
  return name
}
