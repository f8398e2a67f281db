import type {ResourceSpec} from '../resources/types.js'
import {type AggregatorInfo, aggregatorCovers, expectedAggregateCells} from './config/aggregator.js'
import {type RegionConfigState, type SourceDecision, decideSource} from './config/detect.js'

export type CellSource = 'config' | 'api'

/** One unit of collection: a type in a region (or once per account for global types). */
export interface PlannedCell {
  accountId: string
  /** Region recorded on the coverage row and resources; `global` for global types. */
  region: string
  /** Region the clients are created in (the home region for global types). */
  clientRegion: string
  spec: ResourceSpec
  source: CellSource
  /** Why this source was chosen. */
  sourceReason: string
}

/** A Config-mapped type collected through an aggregator, for every account and region it gathers. */
export interface AggregatedType {
  spec: ResourceSpec
  /** The caller's own cells the aggregator collects (they are not in `cells`); they fall back to the direct API if it fails. */
  ownCells: PlannedCell[]
  /** Other accounts' cells the aggregator is known to cover (organization accounts are only known from its answer). */
  otherCells: Array<{accountId: string; region: string}>
  /** Recorded as source_reason of the cells it collects. */
  reason: string
}

export interface AggregatorPlan {
  info: AggregatorInfo
  types: AggregatedType[]
}

export interface CollectionPlan {
  accountId: string
  regions: string[]
  homeRegion: string
  cells: PlannedCell[]
  /** With --config-aggregator: the types collected through it. */
  aggregator?: AggregatorPlan
}

export interface PlanInput {
  accountId: string
  regions: readonly string[]
  homeRegion: string
  specs: readonly ResourceSpec[]
  useConfig: boolean
  /** What AWS Config said in each region (the home region for global types); needed when useConfig is on. */
  config?: ReadonlyMap<string, RegionConfigState>
  /** A validated aggregator to collect the Config-mapped types through. */
  aggregator?: AggregatorInfo
}

/** The regions whose AWS Config state planning needs: every selected region, and the home region for global types. */
export function configRegionsToDetect(input: Pick<PlanInput, 'regions' | 'homeRegion' | 'specs'>): string[] {
  const regions = new Set<string>()
  if (input.specs.some((s) => s.scope !== 'global')) for (const r of input.regions) regions.add(r)
  if (input.specs.some((s) => s.scope === 'global')) regions.add(input.homeRegion)
  return [...regions]
}

/**
 * accounts × regions × types, global types once per account, each with the source it will use: AWS Config
 * where the detection says its recorder records the type (and awsinv can read it from a Config item), the
 * direct API otherwise, with the reason. With an aggregator, the Config-mapped types are collected through
 * it for every account and region it gathers. Pure: detection happens before.
 */
export function planCollection(input: PlanInput): CollectionPlan {
  const cells: PlannedCell[] = []
  const aggregated = new Map<ResourceSpec, AggregatedType>()
  const aggregator = input.aggregator
  const aggregatorReason = aggregator ? `AWS Config aggregator "${aggregator.name}"` : ''
  if (aggregator) {
    for (const spec of input.specs) {
      if (!spec.fromConfigItem) continue
      aggregated.set(spec, {spec, ownCells: [], otherCells: expectedAggregateCells(aggregator, input.accountId, input.regions, spec.scope), reason: aggregatorReason})
    }
  }

  const place = (spec: ResourceSpec, region: string, clientRegion: string) => {
    const decision = decide(input, spec, clientRegion)
    const cell: PlannedCell = {accountId: input.accountId, region, clientRegion, spec, source: decision.useConfig ? 'config' : 'api', sourceReason: decision.reason}
    const viaAggregator = aggregated.get(spec)
    // The caller's own cells go through the aggregator only where its own recorder records the type, so an
    // empty aggregate answer can be trusted to mean "no resources".
    if (viaAggregator && decision.useConfig && aggregator && aggregatorCovers(aggregator, input.accountId, region)) {
      viaAggregator.ownCells.push({...cell, sourceReason: aggregatorReason})
    } else {
      cells.push(cell)
    }
  }

  for (const spec of input.specs) {
    if (spec.scope === 'global') {
      place(spec, 'global', input.homeRegion)
      continue
    }

    for (const region of input.regions) place(spec, region, region)
  }

  return {
    accountId: input.accountId,
    regions: [...input.regions],
    homeRegion: input.homeRegion,
    cells,
    ...(aggregator ? {aggregator: {info: aggregator, types: [...aggregated.values()]}} : {}),
  }
}

function decide(input: PlanInput, spec: ResourceSpec, clientRegion: string): SourceDecision {
  if (!input.useConfig) return {useConfig: false, reason: '--no-config'}
  const state = input.config?.get(clientRegion)
  if (!state) return {useConfig: false, reason: `AWS Config: not checked in ${clientRegion}`}
  return decideSource(state, {type: spec.type, scope: spec.scope, mapped: typeof spec.fromConfigItem === 'function'})
}
