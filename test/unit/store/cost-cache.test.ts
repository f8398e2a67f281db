import {afterEach, describe, expect, it} from 'vitest'

import {costCacheKey, readCostCache, writeCostCache} from '../../../src/store/cost-cache.js'
import {countRows, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-cost-cache-')
afterEach(() => stores.cleanup())

const request = {TimePeriod: {Start: '2025-04-01', End: '2025-05-01'}, Granularity: 'MONTHLY', Metrics: ['UnblendedCost']}
const key = {accountId: '123456789012', endpoint: null, operation: 'GetCostAndUsage' as const, request}
const page = {ResultsByTime: [{TimePeriod: {Start: '2025-04-01', End: '2025-05-01'}, Total: {UnblendedCost: {Amount: '1.5', Unit: 'USD'}}}]}
const at = (iso: string) => new Date(iso)

describe('cost cache', () => {
  it('keys on the account, the endpoint, the operation and the exact request, whatever the order of its fields', () => {
    const reordered = {Metrics: ['UnblendedCost'], Granularity: 'MONTHLY', TimePeriod: {End: '2025-05-01', Start: '2025-04-01'}}
    expect(costCacheKey({...key, request: reordered})).toBe(costCacheKey(key))
    expect(costCacheKey({...key, accountId: '210987654321'})).not.toBe(costCacheKey(key))
    // An emulator answering for the same account id is another target.
    expect(costCacheKey({...key, endpoint: 'http://localhost:4566/'})).not.toBe(costCacheKey(key))
    expect(costCacheKey({...key, endpoint: 'http://localhost:4566/'})).not.toBe(costCacheKey({...key, endpoint: 'http://localhost:5000/'}))
    expect(costCacheKey({...key, operation: 'GetCostForecast'})).not.toBe(costCacheKey(key))
    expect(costCacheKey({...key, request: {...request, Granularity: 'DAILY'}})).not.toBe(costCacheKey(key))
  })

  it('serves an entry until it expires, then nothing', () => {
    const store = stores.open()
    const now = at('2025-05-15T10:00:00.000Z')
    writeCostCache(store, key, {pages: [page], requests: 1, fetchedAt: now.toISOString(), expiresAt: '2025-05-15T16:00:00.000Z'}, now)
    expect(readCostCache(store, key, at('2025-05-15T15:59:59.999Z'))).toEqual({
      pages: [page],
      requests: 1,
      fetchedAt: '2025-05-15T10:00:00.000Z',
      expiresAt: '2025-05-15T16:00:00.000Z',
    })
    expect(readCostCache(store, key, at('2025-05-15T16:00:00.000Z'))).toBeUndefined()
    expect(readCostCache(store, {...key, accountId: '210987654321'}, now)).toBeUndefined()
    expect(readCostCache(store, {...key, endpoint: 'http://localhost:4566/'}, now)).toBeUndefined()
  })

  it('keeps an entry without expiry for good', () => {
    const store = stores.open()
    const now = at('2025-05-15T10:00:00.000Z')
    writeCostCache(store, key, {pages: [page, page], requests: 2, fetchedAt: now.toISOString(), expiresAt: null}, now)
    expect(readCostCache(store, key, at('2035-01-01T00:00:00.000Z'))?.requests).toBe(2)
  })

  it('replaces an entry and drops expired ones when writing', () => {
    const store = stores.open()
    const first = at('2025-05-15T10:00:00.000Z')
    const other = {...key, request: {...request, Granularity: 'DAILY'}}
    writeCostCache(store, other, {pages: [page], requests: 1, fetchedAt: first.toISOString(), expiresAt: '2025-05-15T16:00:00.000Z'}, first)
    writeCostCache(store, key, {pages: [page], requests: 1, fetchedAt: first.toISOString(), expiresAt: '2025-05-15T16:00:00.000Z'}, first)
    const later = at('2025-05-15T17:00:00.000Z')
    writeCostCache(store, key, {pages: [], requests: 3, fetchedAt: later.toISOString(), expiresAt: null}, later)
    expect(countRows(store, 'cost_cache')).toBe(1)
    expect(readCostCache(store, key, later)).toMatchObject({pages: [], requests: 3, expiresAt: null})
    expect(store.sqlite.prepare('select operation, request from cost_cache').get()).toEqual({
      operation: 'GetCostAndUsage',
      request: '{"Granularity":"MONTHLY","Metrics":["UnblendedCost"],"TimePeriod":{"End":"2025-05-01","Start":"2025-04-01"}}',
    })
  })
})
