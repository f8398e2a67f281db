import {performance} from 'node:perf_hooks'

import type {AwsClients} from '../aws/clients.js'
import {countCalls} from '../aws/clients.js'
import {type ClassifiedError, classifyError} from '../aws/errors.js'
import {counted} from '../words.js'
import type {Resource} from '../resources/types.js'
import type {CoverageStatus} from '../store/schema.js'
import type {SnapshotFilters} from '../store/snapshots.js'
import type {CoverageRecord, SnapshotWriter} from '../store/writer.js'
import {type ContextBase, Interrupted, apiResourcePages, cellContext, coverageStatusOf, storeResourcePages} from './cell.js'
import {aggregatedResourcePages} from './config/aggregator.js'
import {type UnprocessedRetry, defaultUnprocessedRetry} from './config/batch.js'
import {NoSettingItemError, configResourcePages} from './config/source.js'
import {Semaphore} from './limit.js'
import type {AggregatedType, AggregatorPlan, CollectionPlan, PlannedCell} from './plan.js'

/** What the runner reports while it works. */
export type CollectProgress =
  | {kind: 'start'; cells: number}
  /** More units than announced at start (the direct-API fallback of a failed aggregated type). */
  | {kind: 'more'; cells: number}
  | {kind: 'cell-start'; cell: PlannedCell}
  | {kind: 'page'; cell: PlannedCell; resources: number}
  | {kind: 'cell-done'; cell: PlannedCell; record: CoverageRecord}

export interface RunOptions {
  plan: CollectionPlan
  clients: AwsClients
  partition: string
  writer: SnapshotWriter
  filters: SnapshotFilters
  /** Cells collected at once, overall. */
  concurrency: number
  /** Cells collected at once per service, so one service's throttling does not starve the rest. */
  perServiceConcurrency?: number
  signal: AbortSignal
  onProgress?: (event: CollectProgress) => void
  /** How AWS Config batch calls retry unprocessed keys. */
  configRetry?: UnprocessedRetry
}

interface RunState {
  options: RunOptions
  base: ContextBase
  records: CoverageRecord[]
  overall: Semaphore
  perService: Map<string, Semaphore>
  serviceLimit: number
}

/**
 * Collects every cell of a plan with bounded concurrency, streaming each page into the store and
 * writing one coverage row per cell (per account, region and type for aggregated types). Returns the
 * coverage rows; an interrupted run stops early.
 */
export async function runCollection(options: RunOptions): Promise<CoverageRecord[]> {
  const {plan, signal} = options
  const state: RunState = {
    options,
    base: {partition: options.partition, regions: plan.regions, clients: options.clients, signal, shared: new Map()},
    records: [],
    overall: new Semaphore(Math.max(1, options.concurrency)),
    perService: new Map(),
    serviceLimit: Math.max(1, options.perServiceConcurrency ?? Math.ceil(options.concurrency / 2)),
  }
  const aggregatedTypes = plan.aggregator?.types ?? []
  options.onProgress?.({kind: 'start', cells: plan.cells.length + aggregatedTypes.length})

  const aggregator = plan.aggregator
  await Promise.all([
    ...plan.cells.map((cell) => runCell(state, cell)),
    ...(aggregator ? aggregatedTypes.map((type) => runAggregatedType(state, aggregator, type)) : []),
  ])
  return state.records
}

/** Runs `work` within the overall limit and the limit of `service`. */
function limited(state: RunState, service: string, work: () => Promise<void>): Promise<void> {
  let limiter = state.perService.get(service)
  if (!limiter) {
    limiter = new Semaphore(state.serviceLimit)
    state.perService.set(service, limiter)
  }

  return limiter.run(() =>
    state.overall.run(async () => {
      if (state.options.signal.aborted) return
      await work()
    }),
  )
}

function runCell(state: RunState, cell: PlannedCell): Promise<void> {
  // A Config cell calls AWS Config first: it shares Config's limit, not its service's.
  return limited(state, cell.source === 'config' ? 'config' : cell.spec.service, async () => {
    const record = await collectCell(cell, state)
    if (record) {
      state.records.push(record)
      state.options.onProgress?.({kind: 'cell-done', cell, record})
    }
  })
}

/**
 * One cell: from AWS Config when planned so (falling back to the direct API, with the reason, if Config
 * fails: what it had written is discarded first), else from the direct API.
 */
async function collectCell(cell: PlannedCell, state: RunState): Promise<CoverageRecord | undefined> {
  const {writer, filters, signal} = state.options
  const {spec} = cell
  state.options.onProgress?.({kind: 'cell-start', cell})
  const counter = {calls: 0}
  const started = performance.now()
  const ctx = cellContext(state.base, cell.accountId, cell.clientRegion)
  let stored = 0
  let source = cell.source
  let sourceReason = cell.sourceReason
  const target = {writer, filters, signal, onPage: (page: Resource[]) => state.options.onProgress?.({kind: 'page', cell, resources: page.length})}

  const record = (status: CoverageStatus, error?: ClassifiedError): CoverageRecord => ({
    accountId: cell.accountId,
    region: cell.region,
    resourceType: spec.type,
    status,
    source,
    sourceReason,
    apiCalls: counter.calls,
    itemCount: status === 'ok' ? stored : 0,
    durationMs: Math.round(performance.now() - started),
    errorCode: error?.code ?? null,
    error: error?.message ?? null,
  })

  try {
    await countCalls(counter, async () => {
      if (source === 'config') {
        try {
          stored = await storeResourcePages(configResourcePages(spec, ctx, state.options.configRetry ?? defaultUnprocessedRetry), spec, target)
          return
        } catch (error) {
          if (error instanceof Interrupted || signal.aborted) throw error
          // Whatever Config delivered before failing is dropped: the cell is collected again, whole, directly.
          writer.discardCell(cell.accountId, cell.region, spec.type)
          stored = 0
          source = 'api'
          sourceReason = error instanceof NoSettingItemError ? error.fallbackReason : `AWS Config failed (${classifyError(error).code}); direct API`
        }
      }

      stored = await storeResourcePages(apiResourcePages(spec, ctx), spec, target)
    })
  } catch (error) {
    // Whatever a failed or interrupted cell wrote is incomplete: drop it so the cell reads as not collected.
    writer.discardCell(cell.accountId, cell.region, spec.type)
    if (error instanceof Interrupted || signal.aborted) return undefined
    const classified = classifyError(error)
    const result = record(coverageStatusOf(classified), classified)
    writer.coverage(result)
    return result
  }

  const result = record('ok')
  writer.coverage(result)
  return result
}

/**
 * One type through an aggregator, for every account and region it gathers: a coverage row per (account,
 * region) it returned or is known to cover. If the aggregator fails, everything it wrote is discarded,
 * other accounts' cells are recorded with the error, and the caller's own cells fall back to the direct API.
 */
function runAggregatedType(state: RunState, aggregator: AggregatorPlan, type: AggregatedType): Promise<void> {
  const {writer, filters, signal, onProgress} = state.options
  const {spec} = type
  const {info} = aggregator
  const unit: PlannedCell = {
    accountId: '*',
    region: spec.scope === 'global' ? 'global' : '*',
    clientRegion: info.region,
    spec,
    source: 'config',
    sourceReason: type.reason,
  }
  const fallback: PlannedCell[] = []

  const collect = async () => {
    onProgress?.({kind: 'cell-start', cell: unit})
    const counter = {calls: 0}
    const started = performance.now()
    const ownAccount = state.options.plan.accountId
    const ownRegions = new Set(type.ownCells.map((c) => c.region))
    const selected = new Set(state.options.plan.regions)
    const cells = new Map<string, {accountId: string; region: string; stored: number; tagsUnknown: number}>()
    const cellOf = (accountId: string, region: string) => {
      const key = `${accountId}|${region}`
      let cell = cells.get(key)
      if (!cell) {
        cell = {accountId, region, stored: 0, tagsUnknown: 0}
        cells.set(key, cell)
      }

      return cell
    }

    for (const c of type.ownCells) cellOf(c.accountId, c.region)
    for (const c of type.otherCells) cellOf(c.accountId, c.region)
    const tagsUnknown = new WeakSet<Resource>()

    // Resources are grouped into their (account, region) cell as they are written.
    async function* resources(): AsyncGenerator<Resource[]> {
      for await (const page of aggregatedResourcePages({
        aggregator: info,
        spec,
        context: (accountId, region) => cellContext(state.base, accountId, region),
        keep: ({accountId, region}) =>
          accountId === ownAccount ? ownRegions.has(region) : region === 'global' || selected.has(region),
        retry: state.options.configRetry ?? defaultUnprocessedRetry,
        signal,
        clients: state.options.clients,
      })) {
        for (const r of page) {
          cellOf(r.resource.accountId, r.resource.region)
          if (!r.tagsKnown) tagsUnknown.add(r.resource)
        }

        yield page.map((r) => r.resource)
      }
    }

    try {
      await countCalls(counter, () =>
        storeResourcePages(resources(), spec, {
          writer,
          filters,
          signal,
          onPage(page) {
            for (const r of page) {
              const cell = cellOf(r.accountId, r.region)
              cell.stored++
              if (tagsUnknown.has(r)) cell.tagsUnknown++
            }

            onProgress?.({kind: 'page', cell: unit, resources: page.length})
          },
        }),
      )
    } catch (error) {
      for (const c of cells.values()) writer.discardCell(c.accountId, c.region, spec.type)
      if (error instanceof Interrupted || signal.aborted) return
      const classified = classifyError(error)
      const durationMs = Math.round(performance.now() - started)
      let calls = counter.calls
      const records: CoverageRecord[] = []
      for (const c of [...cells.values()].filter((c) => c.accountId !== ownAccount).sort(byCell)) {
        records.push({
          accountId: c.accountId,
          region: c.region,
          resourceType: spec.type,
          status: coverageStatusOf(classified),
          source: 'config',
          sourceReason: `${type.reason} failed (${classified.code})`,
          // The type's calls are counted once, on its first row.
          apiCalls: calls,
          itemCount: 0,
          durationMs,
          errorCode: classified.code,
          error: classified.message,
        })
        calls = 0
      }

      for (const record of records) writer.coverage(record)
      state.records.push(...records)
      for (const c of type.ownCells) fallback.push({...c, source: 'api', sourceReason: `${type.reason} failed (${classified.code}); direct API`})
      const first = records[0]
      if (first) onProgress?.({kind: 'cell-done', cell: unit, record: first})
      return
    }

    const durationMs = Math.round(performance.now() - started)
    let calls = counter.calls
    // An account setting the aggregator holds no item of may just not be configured: the caller's own such
    // cells are read from the direct API, which says so explicitly; other accounts' cannot be, and say why.
    const settingMissing = (c: {stored: number}) => spec.singleton === true && c.stored === 0
    for (const c of type.ownCells) {
      if (settingMissing(cellOf(c.accountId, c.region))) {
        cells.delete(`${c.accountId}|${c.region}`)
        fallback.push({...c, source: 'api', sourceReason: `${type.reason}: no configuration item for this setting; direct API`})
      }
    }

    const records = [...cells.values()].sort(byCell).map((c): CoverageRecord => {
      const record: CoverageRecord = {
        accountId: c.accountId,
        region: c.region,
        resourceType: spec.type,
        status: 'ok',
        source: 'config',
        sourceReason: settingMissing(c)
          ? `${type.reason}; no configuration item for this setting (not configured, or not recorded yet)`
          : c.tagsUnknown > 0
            ? `${type.reason}; tags unknown for ${counted(c.tagsUnknown, 'resource')} (not in the aggregate item)`
            : type.reason,
        apiCalls: calls,
        itemCount: c.stored,
        durationMs,
        errorCode: null,
        error: null,
      }
      calls = 0
      return record
    })
    for (const record of records) writer.coverage(record)
    state.records.push(...records)
    const first = records[0]
    if (first) onProgress?.({kind: 'cell-done', cell: unit, record: first})
  }

  return limited(state, 'config', collect).then(async () => {
    if (fallback.length === 0 || signal.aborted) return
    onProgress?.({kind: 'more', cells: fallback.length})
    await Promise.all(fallback.map((cell) => runCell(state, cell)))
  })
}

function byCell(a: {accountId: string; region: string}, b: {accountId: string; region: string}): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region)
}
