import {specOf} from '../resources/registry.js'
import type {Relationship, Resource} from '../resources/types.js'
import type {ScanCell, ScanSnapshot} from '../security/types.js'
import type {Store} from './database.js'
import {TAGS_JSON} from './reports.js'
import type {CoverageStatus} from './schema.js'
import type {Snapshot} from './snapshots.js'

/** A resource row with its JSON columns still text. */
type StoredResource = Omit<Resource, 'tags' | 'configuration' | 'relationships'> & {tags: string; configuration: string; relationships: string}

interface StoredCell {
  accountId: string
  region: string
  resourceType: string
  status: CoverageStatus
  error: string | null
}

/**
 * A stored snapshot as the security checks read it. Coverage rows are read up front (they are few);
 * resources are read a type at a time, when a check first asks for that type, and kept for the other
 * checks reading it. `capturedAt` is the snapshot's start, so ages mean "at capture time".
 *
 * A cell of the snapshot's own account that it planned (its types × its regions, global types once) but
 * has no coverage row for — a run interrupted before reaching it — is given as an `error` cell, so the
 * checks report it UNKNOWN instead of silently judging nothing there.
 */
export function loadScanSnapshot(store: Store, snapshot: Snapshot): ScanSnapshot {
  const rows = store.sqlite
    .prepare('select account_id as accountId, region, resource_type as resourceType, status, error from coverage where snapshot_id = ? order by resource_type, account_id, region')
    .all(snapshot.id) as StoredCell[]
  const cells = new Map<string, ScanCell[]>()
  const add = (type: string, cell: ScanCell) => {
    const list = cells.get(type)
    if (list) list.push(cell)
    else cells.set(type, [cell])
  }

  for (const row of rows) add(row.resourceType, {accountId: row.accountId, region: row.region, status: row.status, error: row.error})
  const missing = snapshot.status === 'interrupted' ? 'the snapshot was interrupted before this cell was collected' : 'the snapshot has no coverage row for this cell'
  for (const type of snapshot.resourceTypes) {
    const spec = specOf(type)
    if (spec === undefined) continue
    for (const region of spec.scope === 'global' ? ['global'] : snapshot.regions) {
      const known = cells.get(type)?.some((c) => c.accountId === snapshot.accountId && c.region === region)
      if (!known) add(type, {accountId: snapshot.accountId, region, status: 'error', error: missing})
    }
  }

  const read = store.sqlite.prepare(
    `select r.arn, r.type, r.resource_id as id, r.name, r.region, r.account_id as accountId, r.created_at as createdAt, r.source,
       r.relationships, c.json as configuration, ${TAGS_JSON} as tags
     from resources r join configurations c on c.hash = r.config_hash
     where r.snapshot_id = ? and r.type = ? order by r.region, r.arn`,
  )
  const loaded = new Map<string, readonly Resource[]>()
  const resources = (type: string): readonly Resource[] => {
    let list = loaded.get(type)
    if (list === undefined) {
      list = (read.all(snapshot.id, type) as StoredResource[]).map((row) => toResource(row))
      loaded.set(type, list)
    }

    return list
  }

  const accounts = new Set([snapshot.accountId, ...snapshot.accounts, ...rows.map((r) => r.accountId)])
  return {
    name: snapshot.name,
    capturedAt: new Date(snapshot.startedAt),
    accountId: snapshot.accountId,
    accounts: [...accounts].sort(),
    regions: [...snapshot.regions],
    tagFilters: {includeTags: {...snapshot.filters.includeTags}, excludeTags: {...snapshot.filters.excludeTags}},
    resources,
    cells: (type) => cells.get(type) ?? [],
  }
}

function toResource(row: StoredResource): Resource {
  return {
    ...row,
    tags: JSON.parse(row.tags) as Record<string, string>,
    configuration: JSON.parse(row.configuration) as Record<string, unknown>,
    relationships: JSON.parse(row.relationships) as Relationship[],
  }
}
