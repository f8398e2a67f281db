import type {AwsClients} from '../aws/clients.js'
import type {ClassifiedError} from '../aws/errors.js'
import type {CollectContext, Resource, ResourceSpec} from '../resources/types.js'
import type {CoverageStatus} from '../store/schema.js'
import type {SnapshotFilters} from '../store/snapshots.js'
import type {SnapshotWriter} from '../store/writer.js'
import {matchesTagFilters} from './filters.js'

/** Thrown inside a cell when the run is interrupted. */
export class Interrupted extends Error {}

/** What every cell of a run shares to build its collection context. */
export interface ContextBase {
  partition: string
  regions: readonly string[]
  clients: AwsClients
  signal: AbortSignal
  /** Run-wide memo behind `ctx.shared`. */
  shared: Map<string, Promise<unknown>>
}

/** The context a spec receives for one account and region. */
export function cellContext(base: ContextBase, accountId: string, region: string): CollectContext {
  return {
    accountId,
    partition: base.partition,
    region,
    regions: base.regions,
    clients: base.clients,
    signal: base.signal,
    shared<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = base.shared.get(key)
      if (!value) {
        value = load()
        base.shared.set(key, value)
        // A failed shared load is retried by the next cell rather than failing every region alike.
        value.catch(() => base.shared.delete(key))
      }

      return value as Promise<T>
    },
  }
}

/** Pages of canonical resources from the direct API: the spec's listing, each item through `toResource`. */
export async function* apiResourcePages(spec: ResourceSpec, ctx: CollectContext): AsyncGenerator<Resource[]> {
  for await (const page of spec.list(ctx)) {
    const resources: Resource[] = []
    for (const item of page) resources.push(await spec.toResource(item, ctx))
    yield resources
  }
}

/**
 * Stores pages of canonical resources, whichever source produced them: relationships from the spec, the
 * tag filters, then one write per page. Returns how many resources were stored. Stops with Interrupted
 * when the signal aborts between pages.
 */
export async function storeResourcePages(
  pages: AsyncIterable<Resource[]>,
  spec: ResourceSpec,
  target: {writer: SnapshotWriter; filters: SnapshotFilters; signal: AbortSignal; onPage?: (stored: Resource[]) => void},
): Promise<number> {
  let stored = 0
  for await (const page of pages) {
    if (target.signal.aborted) throw new Interrupted()
    const kept: Resource[] = []
    for (const resource of page) {
      resource.relationships = spec.relationships?.(resource) ?? []
      if (spec.untagged || matchesTagFilters(resource.tags, target.filters.includeTags, target.filters.excludeTags)) kept.push(resource)
    }

    stored += target.writer.write(kept, spec.service)
    target.onPage?.(kept)
  }

  return stored
}

/** The coverage status of a classified collection error. */
export function coverageStatusOf(error: ClassifiedError): CoverageStatus {
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
