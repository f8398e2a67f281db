import {configuredRegion} from '../aws/configured-region.js'
import type {AwsSession} from '../aws/session.js'
import {describeTagFilters} from '../collect/filters.js'
import {type CreateSnapshotOptions, uniqueName} from '../collect/snapshot.js'
import {type CollectLikeOptions, collectLike, collectState, deleteQuietly} from '../diff/delta.js'
import {checkUsable} from '../diff/snapshots.js'
import {UserError} from '../errors.js'
import {specs as registeredSpecs} from '../resources/registry.js'
import type {Store} from '../store/database.js'
import {loadScanSnapshot} from '../store/scan-snapshot.js'
import type {Snapshot} from '../store/snapshots.js'
import {type StateInput, planCleanup} from './plan.js'
import {checkAccountAllowed, matchGlob} from './rules.js'
import type {CleanupMode, CleanupPlan, PlanSelection, ProtectionRules} from './types.js'

/** What preview, execute and purge share: what to consider, the rules, and how to collect the current state. */
export interface PreviewOptions {
  selection: PlanSelection
  rules: ProtectionRules
  /** Name of the snapshot of the current state (default `cleanup-<UTC time>` / `purge-<UTC time>`). */
  saveAs?: string
  /** Keep the snapshot of the current state (`--no-save` turns it off; the plan's `current` then names none). */
  save: boolean
  concurrency: number
  signal: AbortSignal
  onProgress?: CreateSnapshotOptions['onProgress']
  /** The plan's time (tests). */
  now?: Date
}

/** A plan and where its current state went. */
export interface Preview {
  plan: CleanupPlan
  /** The stored snapshot of the current state, or null with `--no-save`. */
  saved: string | null
}

/**
 * Plans a cleanup: collects the current state as `delta` does — the baseline's account, regions, types and
 * source, but without its tag filters, so that what they leave out still keeps what it uses — stores it
 * (unless `save` is off) and plans against the baseline, whose filters limit the candidates.
 */
export async function previewCleanup(store: Store, session: AwsSession, baseline: Snapshot, options: PreviewOptions): Promise<Preview> {
  checkUsable(baseline, false, 'it cannot be a baseline: take a new one with "awsinv snapshot create"')
  checkTypesCollected(options.selection, baseline, 'baseline')
  checkAccountAllowed(options.rules, session.identity.accountId)
  return planFromCollection(store, session, 'cleanup', options, baseline, () => collectLike(store, session, baseline, collection('cleanup', options, baseline.regions)))
}

/**
 * Plans a purge: everything current that is not protected. With `fromSnapshot`, the current state is
 * collected like that snapshot (without its tag filters, as for a cleanup) and only what it lists is considered; without, every type is collected
 * in `regions` (the `--region` values when given) through the direct APIs — what exists now, not what
 * AWS Config last recorded — with no tag filter.
 */
export async function previewPurge(
  store: Store,
  session: AwsSession,
  options: PreviewOptions & {fromSnapshot?: Snapshot; regions: readonly string[]},
): Promise<Preview> {
  checkAccountAllowed(options.rules, session.identity.accountId)
  const {fromSnapshot} = options
  if (fromSnapshot) {
    checkUsable(fromSnapshot, false, 'it cannot limit a purge: take a new one with "awsinv snapshot create"')
    checkTypesCollected(options.selection, fromSnapshot, 'snapshot')
    return planFromCollection(store, session, 'purge', options, fromSnapshot, () => collectLike(store, session, fromSnapshot, collection('purge', options, fromSnapshot.regions)))
  }

  const selected = options.selection.regions?.filter((r) => r !== 'global') ?? []
  const regions = selected.length > 0 ? selected : [...options.regions]
  const collect = () =>
    collectState(store, session, {
      name: options.saveAs ?? uniqueName(store, 'purge'),
      save: options.save,
      regions: {kind: 'list', regions},
      specs: [...registeredSpecs],
      includeTags: {},
      excludeTags: {},
      useConfig: false,
      concurrency: options.concurrency,
      signal: options.signal,
      onProgress: options.onProgress,
    })
  return planFromCollection(store, session, 'purge', options, undefined, collect)
}

/**
 * Refuses a purge whose regions nobody chose. Without `--from-snapshot` and `--region`, a purge collects the
 * home region: AWSINV_REGION, the profile's region or AWS_REGION — or, when none is set, us-east-1, the
 * session's fallback for the global APIs, which would then be purged unasked. A usage error (exit 2),
 * before anything is collected.
 */
export async function checkPurgeRegionChosen(
  selection: PlanSelection,
  profile: string | undefined,
  configured: (profile: string | undefined) => Promise<string | undefined> = configuredRegion,
): Promise<void> {
  if (selection.regions !== null || (await configured(profile)) !== undefined) return
  throw new UserError(
    'Nothing was planned: no region is configured (AWSINV_REGION, the profile\'s region or AWS_REGION), and a purge does not pick one for you. Name the regions to purge with --region (e.g. --region us-east-1 --region global), or set AWS_REGION or AWSINV_REGION.',
    2,
  )
}

/**
 * Refuses a `--type` selection the snapshot holds none of, before anything is collected: what was created since
 * a baseline (or what a snapshot lists) is unknown for a type it never collected, and "nothing to delete" would
 * say otherwise. A selection it holds some of (a service, some of whose types it collected) is planned.
 */
function checkTypesCollected(selection: PlanSelection, snapshot: Snapshot, role: 'baseline' | 'snapshot'): void {
  const types = selection.types ?? []
  if (types.length === 0 || types.some((pattern) => snapshot.resourceTypes.some((type) => matchGlob(pattern, type, true)))) return
  const shown = types.length > 3 ? `${types.slice(0, 3).join(', ')} and ${types.length - 3} more` : types.join(', ')
  throw new UserError(
    `Nothing was planned: ${role} "${snapshot.name}" collected none of the types --type selects (${shown}), so ${role === 'baseline' ? 'what was created since it' : 'which of them it lists'} cannot be told. Take a snapshot that collects them ("awsinv snapshot create --type ...").`,
  )
}

function collection(mode: CleanupMode, options: PreviewOptions, available: readonly string[]): CollectLikeOptions {
  return {
    prefix: mode,
    saveAs: options.saveAs,
    save: options.save,
    regions: collectedRegions(options.selection, available),
    // Every type, whatever --type selects, and every resource, whatever the tag filters select: what stays
    // may keep a selected resource in use.
    specs: [...registeredSpecs],
    unfiltered: true,
    concurrency: options.concurrency,
    signal: options.signal,
    onProgress: options.onProgress,
  }
}

/** Collects the current state, then plans against `baseline` (for a purge: the snapshot it is limited to). */
async function planFromCollection(
  store: Store,
  session: AwsSession,
  mode: CleanupMode,
  options: PreviewOptions,
  baseline: Snapshot | undefined,
  collect: () => Promise<Snapshot>,
): Promise<Preview> {
  const current = await collect()
  try {
    if (current.status === 'interrupted') throw new UserError('Interrupted: the current state was not fully collected; nothing was planned or deleted.', 130)
    const state = loadState(store, current)
    const plan = planCleanup({
      mode,
      current: options.save ? state : {...state, ref: {name: null, id: null, capturedAt: current.startedAt}},
      ...(baseline ? {baseline: loadState(store, baseline)} : {}),
      ...(baseline && describeTagFilters(baseline.filters) !== undefined ? {tagFilters: {snapshot: baseline.name, ...baseline.filters}} : {}),
      caller: {arn: session.identity.arn, accountId: session.identity.accountId},
      rules: options.rules,
      selection: options.selection,
      now: options.now ?? new Date(),
    })
    return {plan, saved: options.save ? current.name : null}
  } finally {
    if (!options.save) deleteQuietly(store, current.name)
  }
}

/**
 * The regions worth collecting: with `--region` (and no `global`), only those — a regional resource is
 * used only from its own region or by global types, which are collected anyway. A global candidate can be
 * used from any region, so with `global` selected every region is collected.
 */
function collectedRegions(selection: PlanSelection, available: readonly string[]): string[] | undefined {
  if (selection.regions === null || selection.regions.includes('global')) return undefined
  const wanted = available.filter((r) => selection.regions!.includes(r))
  if (wanted.length === 0) throw new UserError(`--region ${selection.regions.join(', ')}: the state is collected in ${available.join(', ')}, none of which is selected.`)
  return wanted
}

/** A stored snapshot as the planner reads it: its resources and the coverage of every cell it planned. */
export function loadState(store: Store, snapshot: Snapshot): StateInput {
  const scan = loadScanSnapshot(store, snapshot)
  const types = [...new Set([...snapshot.resourceTypes])]
  return {
    ref: {name: snapshot.name, id: snapshot.id, capturedAt: snapshot.startedAt},
    resources: types.flatMap((type) => [...scan.resources(type)]),
    cells: types.flatMap((type) => scan.cells(type).map((c) => ({accountId: c.accountId, region: c.region, resourceType: type, status: c.status}))),
  }
}
