import {performance} from 'node:perf_hooks'

import type {AwsClients} from '../aws/clients.js'
import {countCalls} from '../aws/clients.js'
import {type ClassifiedError, classifyError} from '../aws/errors.js'
import type {Resource} from '../resources/types.js'
import type {SnapshotFilters} from '../store/snapshots.js'
import type {CoverageStatus} from '../store/schema.js'
import type {CoverageRecord, SnapshotWriter} from '../store/writer.js'
import {matchesTagFilters} from './filters.js'
import {Semaphore} from './limit.js'
import type {CollectionPlan, PlannedCell} from './plan.js'

/** What the runner reports while it works. */
export type CollectProgress =
  | {kind: 'start'; cells: number}
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
}

/** Thrown inside a cell when the run is interrupted. */
class Interrupted extends Error {}

/**
 * Collects every cell of a plan with bounded concurrency, streaming each page into the store and
 * writing one coverage row per cell. Returns the coverage rows; an interrupted run stops early.
 */
export async function runCollection(options: RunOptions): Promise<CoverageRecord[]> {
  const {plan, signal} = options
  const overall = new Semaphore(Math.max(1, options.concurrency))
  const perService = new Map<string, Semaphore>()
  const serviceLimit = Math.max(1, options.perServiceConcurrency ?? Math.ceil(options.concurrency / 2))
  const shared = new Map<string, Promise<unknown>>()
  const records: CoverageRecord[] = []
  options.onProgress?.({kind: 'start', cells: plan.cells.length})

  await Promise.all(
    plan.cells.map((cell) => {
      let limiter = perService.get(cell.spec.service)
      if (!limiter) {
        limiter = new Semaphore(serviceLimit)
        perService.set(cell.spec.service, limiter)
      }

      return limiter.run(() =>
        overall.run(async () => {
          if (signal.aborted) return
          const record = await collectCell(cell, options, shared)
          if (record) {
            records.push(record)
            options.onProgress?.({kind: 'cell-done', cell, record})
          }
        }),
      )
    }),
  )
  return records
}

async function collectCell(cell: PlannedCell, options: RunOptions, shared: Map<string, Promise<unknown>>): Promise<CoverageRecord | undefined> {
  const {writer, filters, signal} = options
  const {spec} = cell
  options.onProgress?.({kind: 'cell-start', cell})
  const counter = {calls: 0}
  const started = performance.now()
  let stored = 0
  const ctx = {
    accountId: cell.accountId,
    partition: options.partition,
    region: cell.clientRegion,
    regions: options.plan.regions,
    clients: options.clients,
    signal,
    shared<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = shared.get(key)
      if (!value) {
        value = load()
        shared.set(key, value)
        // A failed shared load is retried by the next cell rather than failing every region alike.
        value.catch(() => shared.delete(key))
      }

      return value as Promise<T>
    },
  }

  const record = (status: CoverageStatus, error?: ClassifiedError): CoverageRecord => ({
    accountId: cell.accountId,
    region: cell.region,
    resourceType: spec.type,
    status,
    source: cell.source,
    sourceReason: cell.sourceReason,
    apiCalls: counter.calls,
    itemCount: status === 'ok' ? stored : 0,
    durationMs: Math.round(performance.now() - started),
    errorCode: error?.code ?? null,
    error: error?.message ?? null,
  })

  try {
    await countCalls(counter, async () => {
      for await (const page of spec.list(ctx)) {
        if (signal.aborted) throw new Interrupted()
        const resources: Resource[] = []
        for (const item of page) {
          const resource = await spec.toResource(item, ctx)
          resource.relationships = spec.relationships?.(resource) ?? []
          if (matchesTagFilters(resource.tags, filters.includeTags, filters.excludeTags)) resources.push(resource)
        }

        stored += writer.write(resources, spec.service)
        options.onProgress?.({kind: 'page', cell, resources: resources.length})
      }
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

function coverageStatusOf(error: ClassifiedError): CoverageStatus {
  switch (error.kind) {
    case 'access_denied':
    case 'invalid_credentials': {
      return 'access_denied'
    }

    case 'not_enabled': {
      return 'not_enabled'
    }

    case 'unsupported_region': {
      return 'unsupported_region'
    }

    case 'throttled': {
      return 'throttled'
    }

    default: {
      return 'error'
    }
  }
}
