import Database from 'better-sqlite3'
import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Resource} from '../../src/resources/types.js'
import {DATABASE_FILE, type Store, openStore} from '../../src/store/database.js'
import {defaultInventory} from '../../src/store/inventories.js'
import {type NewSnapshot, finishSnapshot, insertSnapshot} from '../../src/store/snapshots.js'
import {type CoverageRecord, SnapshotWriter} from '../../src/store/writer.js'

/**
 * Real SQLite stores in temporary directories for unit tests. `open()` makes a fresh one; `cleanup()`
 * (call it in afterEach) closes them all and removes their directories.
 */
export function tempStores(prefix = 'awsinv-test-'): {open(): Store; cleanup(): void} {
  const opened: Store[] = []
  return {
    open() {
      const store = openStore(mkdtempSync(join(tmpdir(), prefix)))
      opened.push(store)
      return store
    },
    cleanup() {
      for (const store of opened.splice(0)) {
        if (store.sqlite.open) store.close()
        rmSync(store.dir, {recursive: true, force: true})
      }
    },
  }
}

/** Inserts a running snapshot in the default inventory (unless another is given) and returns its id. */
export function seedSnapshot(store: Store, name: string, overrides: Partial<NewSnapshot> = {}): number {
  return insertSnapshot(store, {
    name,
    inventoryId: overrides.inventoryId ?? defaultInventory(store).id,
    accountId: '123456789012',
    regions: ['us-east-1'],
    resourceTypes: ['AWS::EC2::VPC'],
    filters: {includeTags: {}, excludeTags: {}},
    useConfig: false,
    toolVersion: 'test',
    ...overrides,
  })
}

/** A canonical resource with sensible defaults; `id` also shapes the ARN. */
export function fakeResource(id: string, overrides: Partial<Resource> = {}): Resource {
  const region = overrides.region ?? 'us-east-1'
  const accountId = overrides.accountId ?? '123456789012'
  return {
    arn: `arn:aws:ec2:${region}:${accountId}:vpc/${id}`,
    type: 'AWS::EC2::VPC',
    id,
    name: id,
    region,
    accountId,
    createdAt: null,
    tags: {},
    configuration: {VpcId: id, CidrBlock: '10.0.0.0/16'},
    source: 'api',
    relationships: [],
    ...overrides,
  }
}

/** `select count(*)` of a table (or any `from …` clause). */
export function countRows(store: Store, from: string, ...params: unknown[]): number {
  return store.sqlite.prepare(`select count(*) from ${from}`).pluck().get(...params) as number
}

/** A coverage row of a collected VPC cell in us-east-1, with `overrides`. */
export function coverageRecord(overrides: Partial<CoverageRecord> = {}): CoverageRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    resourceType: 'AWS::EC2::VPC',
    status: 'ok',
    source: 'api',
    sourceReason: 'direct API (--no-config)',
    apiCalls: 1,
    itemCount: 0,
    durationMs: 5,
    errorCode: null,
    error: null,
    ...overrides,
  }
}

/**
 * A finished snapshot holding `resources` (default: one VPC), each written under the service its type
 * names, with `coverage` rows (default: one ok VPC cell in us-east-1). Returns its id.
 */
export function finishedSnapshot(
  store: Store,
  name: string,
  options: {
    status?: 'complete' | 'partial' | 'interrupted' | 'failed'
    setActive?: boolean
    inventoryId?: number
    /** The tag filters it was taken with (default none). */
    filters?: NewSnapshot['filters']
    resources?: Resource[]
    coverage?: CoverageRecord[]
  } = {},
): number {
  const {inventoryId, filters} = options
  const id = seedSnapshot(store, name, {...(inventoryId === undefined ? {} : {inventoryId}), ...(filters ? {filters} : {})})
  const writer = new SnapshotWriter(store, id)
  for (const resource of options.resources ?? [fakeResource(`vpc-${name}`)]) writer.write([resource], resource.type.split('::')[1]!.toLowerCase())
  for (const record of options.coverage ?? [coverageRecord()]) writer.coverage(record)
  finishSnapshot(store, id, {status: options.status ?? 'complete', setActive: options.setActive ?? false})
  return id
}

/**
 * SHA-256 of the database file's bytes in `dir`, after checkpointing its WAL into it (so committed
 * changes still in the WAL count), for "byte for byte unchanged" checks.
 */
export function databaseFileDigest(dir: string): string {
  const path = join(dir, DATABASE_FILE)
  const db = new Database(path, {fileMustExist: true})
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }

  return createHash('sha256').update(readFileSync(path)).digest('hex')
}
