import {and, eq, gt, isNull, lte, or} from 'drizzle-orm'

import type {Store} from './database.js'
import {canonicalJson, sha256} from './hash.js'
import {costCache} from './schema.js'

/** The Cost Explorer operations whose responses are cached. */
export type CostOperation = 'GetCostAndUsage' | 'GetCostForecast'

/** What identifies a cached response: who asked, where, which operation, and the exact request. */
export interface CostCacheKey {
  accountId: string
  /**
   * The custom endpoint the request went to (an emulator, a private endpoint), null for AWS's own: an
   * emulator answering for the same account id must never fill the cache real answers are read from.
   */
  endpoint: string | null
  operation: CostOperation
  /** The request parameters (for GetCostAndUsage without a page token: an entry holds every page). */
  request: unknown
}

/** A cached response. */
export interface CostCacheEntry<Page> {
  /** The response pages, in order. */
  pages: Page[]
  /** Billable requests the response took when it was fetched. */
  requests: number
  fetchedAt: string
  /** Null when the entry never expires. */
  expiresAt: string | null
}

/** The cache key of a request: SHA-256 of its canonical JSON, so parameter order never matters. */
export function costCacheKey(key: CostCacheKey): string {
  return sha256(canonicalJson({accountId: key.accountId, endpoint: key.endpoint, operation: key.operation, request: key.request}))
}

/** The cached response of `key` still valid at `now`, or undefined. */
export function readCostCache<Page>(store: Store, key: CostCacheKey, now: Date): CostCacheEntry<Page> | undefined {
  const row = store.db
    .select()
    .from(costCache)
    .where(and(eq(costCache.key, costCacheKey(key)), or(isNull(costCache.expiresAt), gt(costCache.expiresAt, now.toISOString()))))
    .get()
  if (!row) return undefined
  return {pages: JSON.parse(row.response) as Page[], requests: row.requests, fetchedAt: row.fetchedAt, expiresAt: row.expiresAt}
}

/** Stores (or replaces) the response of `key`, and drops entries that expired by `now`. */
export function writeCostCache<Page>(store: Store, key: CostCacheKey, entry: CostCacheEntry<Page>, now: Date): void {
  const values = {
    key: costCacheKey(key),
    accountId: key.accountId,
    operation: key.operation,
    request: canonicalJson(key.request),
    response: JSON.stringify(entry.pages),
    requests: entry.requests,
    fetchedAt: entry.fetchedAt,
    expiresAt: entry.expiresAt,
  }
  store.sqlite.transaction(() => {
    // Expired rows are never read again: removing them here keeps the table to what can still be used.
    store.db.delete(costCache).where(lte(costCache.expiresAt, now.toISOString())).run()
    store.db.insert(costCache).values(values).onConflictDoUpdate({target: costCache.key, set: values}).run()
  })()
}
