import type {Statement} from 'better-sqlite3'

import type {Resource} from '../resources/types.js'
import type {Store} from './database.js'
import {canonicalJson, sha256} from './hash.js'
import type {CoverageStatus} from './schema.js'

/** One coverage row: the outcome of collecting an (account, region, type) cell. */
export interface CoverageRecord {
  accountId: string
  region: string
  resourceType: string
  status: CoverageStatus
  source: 'config' | 'api'
  sourceReason: string | null
  apiCalls: number
  itemCount: number
  durationMs: number
  errorCode: string | null
  error: string | null
}

/**
 * Streams the resources of one running snapshot into the store, a page per transaction, so memory
 * stays bounded by the page size. Identical configurations are stored once.
 */
export class SnapshotWriter {
  private readonly insertConfig: Statement
  private readonly insertResource: Statement
  private readonly insertTag: Statement
  private readonly deleteTags: Statement
  private readonly deleteCell: Statement
  private readonly insertCoverage: Statement
  private readonly writePage: (resources: readonly Resource[], service: string) => number

  constructor(
    store: Store,
    private readonly snapshotId: number,
  ) {
    const {sqlite} = store
    this.insertConfig = sqlite.prepare('insert or ignore into configurations (hash, json) values (?, ?)')
    // A resource listed twice (e.g. by two overlapping pages) is kept once: the later copy wins.
    this.insertResource = sqlite.prepare(
      `insert into resources (snapshot_id, arn, type, service, resource_id, name, region, account_id, created_at, source, config_hash, relationships)
       values (@snapshotId, @arn, @type, @service, @id, @name, @region, @accountId, @createdAt, @source, @configHash, @relationships)
       on conflict (snapshot_id, arn) do update set type = excluded.type, resource_id = excluded.resource_id, name = excluded.name,
         region = excluded.region, created_at = excluded.created_at, source = excluded.source, config_hash = excluded.config_hash,
         relationships = excluded.relationships
       returning id`,
    )
    this.insertTag = sqlite.prepare('insert or replace into resource_tags (resource_id, key, value) values (?, ?, ?)')
    this.deleteTags = sqlite.prepare('delete from resource_tags where resource_id = ?')
    this.deleteCell = sqlite.prepare('delete from resources where snapshot_id = ? and account_id = ? and region = ? and type = ?')
    this.insertCoverage = sqlite.prepare(
      `insert or replace into coverage (snapshot_id, account_id, region, resource_type, status, source, source_reason, api_calls, item_count, duration_ms, error_code, error)
       values (@snapshotId, @accountId, @region, @resourceType, @status, @source, @sourceReason, @apiCalls, @itemCount, @durationMs, @errorCode, @error)`,
    )
    this.writePage = sqlite.transaction((page: readonly Resource[], service: string) => {
      for (const resource of page) this.writeOne(resource, service)
      return page.length
    })
  }

  /** Writes a page of resources of one service in a single transaction. */
  write(resources: readonly Resource[], service: string): number {
    if (resources.length === 0) return 0
    return this.writePage(resources, service)
  }

  /** Removes what a cell wrote before it failed, so a cell is either whole or absent. */
  discardCell(accountId: string, region: string, type: string): void {
    this.deleteCell.run(this.snapshotId, accountId, region, type)
  }

  /** Records the outcome of one cell. */
  coverage(record: CoverageRecord): void {
    this.insertCoverage.run({...record, snapshotId: this.snapshotId})
  }

  private writeOne(resource: Resource, service: string): void {
    const json = canonicalJson(resource.configuration)
    const configHash = sha256(json)
    this.insertConfig.run(configHash, json)
    const row = this.insertResource.get({
      snapshotId: this.snapshotId,
      arn: resource.arn,
      type: resource.type,
      service,
      id: resource.id,
      name: resource.name,
      region: resource.region,
      accountId: resource.accountId,
      createdAt: resource.createdAt,
      source: resource.source,
      configHash,
      relationships: JSON.stringify(resource.relationships),
    }) as {id: number}
    this.deleteTags.run(row.id)
    for (const [key, value] of Object.entries(resource.tags)) this.insertTag.run(row.id, key, value)
  }
}
