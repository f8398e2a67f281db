import type {ResourceSpec} from '../resources/types.js'

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

export interface CollectionPlan {
  accountId: string
  regions: string[]
  homeRegion: string
  cells: PlannedCell[]
}

/** accounts × regions × types, global types once per account, each with the source it will use. */
export function planCollection(input: {
  accountId: string
  regions: readonly string[]
  homeRegion: string
  specs: readonly ResourceSpec[]
  useConfig: boolean
}): CollectionPlan {
  const sourceReason = input.useConfig ? 'direct API (AWS Config is not used as a source yet)' : 'direct API (--no-config)'
  const cells: PlannedCell[] = []
  for (const spec of input.specs) {
    if (spec.scope === 'global') {
      cells.push({accountId: input.accountId, region: 'global', clientRegion: input.homeRegion, spec, source: 'api', sourceReason})
      continue
    }

    for (const region of input.regions) {
      cells.push({accountId: input.accountId, region, clientRegion: region, spec, source: 'api', sourceReason})
    }
  }

  return {accountId: input.accountId, regions: [...input.regions], homeRegion: input.homeRegion, cells}
}
