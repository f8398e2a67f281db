import type {AwsSession} from '../aws/session.js'
import {type CreateSnapshotOptions, NothingCollectedError, createSnapshot, uniqueName} from '../collect/snapshot.js'
import {UserError} from '../errors.js'
import type {ResourceSpec} from '../resources/types.js'
import type {Store} from '../store/database.js'
import {type Snapshot, deleteSnapshot} from '../store/snapshots.js'
import {type DiffOptions, type DriftReport, checkRegionsCollected, checkUsable, diffSnapshots} from './snapshots.js'

export interface DeltaOptions extends DiffOptions {
  /** Name of the snapshot of the current state; generated (`delta-<time>`) when absent. */
  saveAs?: string
  /** Keep the current state as a snapshot (`--no-save` turns it off). */
  save: boolean
  /** Types to collect and compare: the reference's, narrowed by `--resource-type`. */
  specs: ResourceSpec[]
  concurrency: number
  signal: AbortSignal
  onProgress?: CreateSnapshotOptions['onProgress']
}

/** The drift report, and the snapshot of the current state (null with `--no-save`). */
export type DeltaResult = DriftReport & {saved: string | null}

/**
 * Collects the current state with the reference snapshot's account, regions, types, filters and source,
 * stores it as a snapshot, and compares the reference with it. With `save: false` the new snapshot is
 * removed again, whatever happens.
 */
export async function runDelta(store: Store, session: AwsSession, reference: Snapshot, options: DeltaOptions): Promise<DeltaResult> {
  checkUsable(reference, options.allowPartial)
  checkRegionsCollected(options.regions, [reference])
  // `--region global` alone: the global types only (they are compared whatever regions are asked for).
  const onlyGlobal = options.regions !== undefined && options.regions.every((r) => r === 'global')
  const collect = onlyGlobal ? {regions: undefined, specs: options.specs.filter((s) => s.scope === 'global')} : {}
  const current = await collectLike(store, session, reference, {...options, ...collect, prefix: 'delta'})
  try {
    if (current.status === 'interrupted') throw new UserError(`Interrupted: the current state was not fully collected; nothing was compared.`, 130)
    const regions = onlyGlobal ? ['global'] : current.regions
    const report = diffSnapshots(store, reference, current, {...options, resourceTypes: current.resourceTypes, regions})
    // The filters as asked (the comparison is narrowed to what was collected anyway), and no reference to a
    // snapshot that --no-save removes.
    const filters = {...report.filters, resourceTypes: options.resourceTypes ? [...options.resourceTypes] : null, regions: options.regions ? [...options.regions] : null}
    const after = options.save ? report.after : {...report.after, id: null, name: null}
    return {...report, after, filters, saved: options.save ? current.name : null}
  } finally {
    if (!options.save) deleteQuietly(store, current.name)
  }
}

export interface CollectLikeOptions {
  /** Prefix of the generated snapshot name (`delta` → `delta-<UTC time>`). */
  prefix: string
  /** Name of the snapshot; generated from `prefix` when absent. */
  saveAs?: string
  /** Whether the snapshot is kept: when not, a failed collection leaves nothing behind (the caller removes a finished one after use). */
  save: boolean
  /** Regions to collect, within the reference's (default: all of them). */
  regions?: readonly string[]
  /** Types to collect, within the reference's. */
  specs: ResourceSpec[]
  /**
   * Collect every resource of those types and regions, whatever the reference's tag filters select (a
   * cleanup plans from it: what the filters leave out may still use a candidate). The snapshot records no filters.
   */
  unfiltered?: boolean
  concurrency: number
  signal: AbortSignal
  onProgress?: CreateSnapshotOptions['onProgress']
}

/**
 * Collects the current state the way the reference snapshot was taken: same account (else a UserError),
 * its regions, types, inventory, tag filters (unless `unfiltered`) and source, narrowed to `regions` and `specs`. Returns the new
 * snapshot (never made active), which may be `interrupted`.
 */
export async function collectLike(store: Store, session: AwsSession, reference: Snapshot, options: CollectLikeOptions): Promise<Snapshot> {
  if (session.identity.accountId !== reference.accountId) {
    throw new UserError(`Snapshot "${reference.name}" is of account ${reference.accountId}, but the credentials in use are for account ${session.identity.accountId}.`)
  }

  const regions = reference.regions.filter((r) => !options.regions || options.regions.includes(r))
  if (regions.length === 0) throw new UserError(`Snapshot "${reference.name}" collected none of the regions asked for (it has ${reference.regions.join(', ')}).`)
  const specs = options.specs.filter((s) => reference.resourceTypes.includes(s.type))
  if (specs.length === 0) throw new UserError(`Snapshot "${reference.name}" collected none of the resource types asked for.`)

  return collectState(store, session, {
    name: options.saveAs ?? uniqueName(store, options.prefix),
    save: options.save,
    inventory: reference.inventory,
    regions: {kind: 'list', regions},
    specs,
    includeTags: reference.filters.includeTags,
    excludeTags: reference.filters.excludeTags,
    unfiltered: options.unfiltered,
    useConfig: reference.useConfig,
    concurrency: options.concurrency,
    signal: options.signal,
    onProgress: options.onProgress,
  })
}

/**
 * Takes a snapshot of the current state to compare or plan from: never made active (the baseline stays
 * the reference users chose), and, when it is not to be kept, removed again if the collection fails.
 */
export function collectState(
  store: Store,
  session: AwsSession,
  options: Omit<CreateSnapshotOptions, 'setActive'> & {name: string; save: boolean},
): Promise<Snapshot> {
  const {save, ...snapshot} = options
  return createSnapshot(store, session, {...snapshot, setActive: false}).catch((error: unknown) => {
    // A run that failed part-way leaves nothing behind when nothing was to be kept (the name is new).
    if (!save) deleteQuietly(store, options.name)
    // Nor does it say it kept the snapshot.
    if (!save && error instanceof NothingCollectedError) throw new UserError(error.reason)
    throw error
  })
}

/** Removes a snapshot if it exists (a state collected only to be compared or planned from). */
export function deleteQuietly(store: Store, name: string): void {
  try {
    deleteSnapshot(store, name)
  } catch {
    // Already gone, or never written.
  }
}
