import {CostExplorer, CostExplorerClient, DataUnavailableException, GetCostForecastCommand, type GetCostForecastResponse} from '@aws-sdk/client-cost-explorer'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {CostExplorerRequests} from '../../../src/cost/explorer.js'
import {forecastMonth} from '../../../src/cost/forecast.js'
import type {Store} from '../../../src/store/database.js'
import {tempStores} from '../../support/store.js'

// The emulator has no GetCostForecast: its answers are mocked, in the shape of the API reference's example.
const forecastResponse = (start: string, end: string): GetCostForecastResponse => ({
  Total: {Amount: '3.6669998169', Unit: 'USD'},
  ForecastResultsByTime: [{TimePeriod: {Start: start, End: end}, MeanValue: '3.6669998169', PredictionIntervalLowerBound: '3.2031110558', PredictionIntervalUpperBound: '4.1308885780'}],
})

const stores = tempStores('awsinv-forecast-')
const ce = mockClient(CostExplorerClient)
let store: Store
beforeEach(() => {
  ce.reset()
  store = stores.open()
})
afterEach(() => stores.cleanup())

const client = new CostExplorer({region: 'us-east-1', credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 1})
const requests = (now: Date, options: {readCache?: boolean; maxRequests?: number} = {}) =>
  new CostExplorerRequests(store, async () => client, {accountId: '123456789012', readCache: options.readCache ?? true, maxRequests: options.maxRequests ?? 10, now})
const now = new Date('2025-05-15T22:30:00Z')

describe('forecastMonth', () => {
  it('asks for today to the first day of next month, with the scope filter and an 80% interval', async () => {
    ce.on(GetCostForecastCommand).resolves(forecastResponse('2025-05-15', '2025-06-01'))
    const filter = {Tags: {Key: 'owner', Values: ['team-a'], MatchOptions: ['EQUALS' as const]}}
    const explorer = requests(now)
    const outcome = await forecastMonth(explorer, 'AmortizedCost', filter, now)
    expect(ce.commandCalls(GetCostForecastCommand).map((c) => c.args[0].input)).toEqual([
      {TimePeriod: {Start: '2025-05-15', End: '2025-06-01'}, Metric: 'AMORTIZED_COST', Granularity: 'MONTHLY', Filter: filter, PredictionIntervalLevel: 80},
    ])
    expect(outcome).toEqual({
      forecast: {start: '2025-05-15', end: '2025-06-01', mean: '3.6669998169', lower: '3.2031110558', upper: '4.130888578', confidence: 80, currency: 'USD'},
    })
    expect(explorer.count).toEqual({made: 1, cached: 0, max: 10})
  })

  it('reaches the end of a month on its last day', async () => {
    ce.on(GetCostForecastCommand).resolves(forecastResponse('2025-12-31', '2026-01-01'))
    const last = new Date('2025-12-31T08:00:00Z')
    const outcome = await forecastMonth(requests(last), 'UnblendedCost', undefined, last)
    expect(ce.commandCalls(GetCostForecastCommand)[0]!.args[0].input).toEqual({
      TimePeriod: {Start: '2025-12-31', End: '2026-01-01'},
      Metric: 'UNBLENDED_COST',
      Granularity: 'MONTHLY',
      PredictionIntervalLevel: 80,
    })
    expect(outcome.forecast).toMatchObject({start: '2025-12-31', end: '2026-01-01'})
  })

  it('has no interval when Cost Explorer gives no bounds', async () => {
    ce.on(GetCostForecastCommand).resolves({Total: {Amount: '10', Unit: 'USD'}, ForecastResultsByTime: [{TimePeriod: {Start: '2025-05-15', End: '2025-06-01'}, MeanValue: '10'}], $metadata: {}})
    expect((await forecastMonth(requests(now), 'UnblendedCost', undefined, now)).forecast).toMatchObject({mean: '10.00', lower: null, upper: null})
  })

  it('is cached for 6 hours: a second run within them makes no request', async () => {
    ce.on(GetCostForecastCommand).resolves(forecastResponse('2025-05-15', '2025-06-01'))
    const morning = new Date('2025-05-15T01:00:00Z')
    await forecastMonth(requests(morning), 'UnblendedCost', undefined, morning)
    const later = new Date('2025-05-15T06:59:59Z')
    const again = requests(later)
    expect((await forecastMonth(again, 'UnblendedCost', undefined, later)).forecast?.mean).toBe('3.6669998169')
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(1)
    expect(again.count).toEqual({made: 0, cached: 1, max: 10})
  })

  it('asks again once the 6 hours are over, or with --no-cache', async () => {
    ce.on(GetCostForecastCommand).resolves(forecastResponse('2025-05-15', '2025-06-01'))
    const morning = new Date('2025-05-15T01:00:00Z')
    await forecastMonth(requests(morning), 'UnblendedCost', undefined, morning)
    const afternoon = new Date('2025-05-15T07:00:00Z')
    await forecastMonth(requests(afternoon), 'UnblendedCost', undefined, afternoon)
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(2)
    const bypass = requests(afternoon, {readCache: false})
    await forecastMonth(bypass, 'UnblendedCost', undefined, afternoon)
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(3)
    expect(bypass.count.made).toBe(1)
  })

  it('turns "not enough history" into a note', async () => {
    ce.on(GetCostForecastCommand).rejects(new DataUnavailableException({message: 'Insufficient amount of historical data to generate forecast.', $metadata: {httpStatusCode: 400}}))
    const outcome = await forecastMonth(requests(now), 'UnblendedCost', undefined, now)
    expect(outcome).toEqual({forecast: null, note: 'No forecast: Cost Explorer has too little cost history for this scope to forecast it yet (DataUnavailableException).'})
  })

  it('caches "not enough history" for 6 hours like a forecast: a second run within them makes no request', async () => {
    ce.on(GetCostForecastCommand).rejects(new DataUnavailableException({message: 'Insufficient amount of historical data to generate forecast.', $metadata: {httpStatusCode: 400}}))
    const note = 'No forecast: Cost Explorer has too little cost history for this scope to forecast it yet (DataUnavailableException).'
    const morning = new Date('2025-05-15T01:00:00Z')
    const first = requests(morning)
    expect(await forecastMonth(first, 'UnblendedCost', undefined, morning)).toEqual({forecast: null, note})
    expect(first.count).toEqual({made: 1, cached: 0, max: 10})
    const later = new Date('2025-05-15T06:59:59Z')
    const again = requests(later)
    expect(await forecastMonth(again, 'UnblendedCost', undefined, later)).toEqual({forecast: null, note})
    expect(again.count).toEqual({made: 0, cached: 1, max: 10})
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(1)
    // Once they are over, Cost Explorer is asked again: the history may be there now.
    ce.on(GetCostForecastCommand).resolves(forecastResponse('2025-05-15', '2025-06-01'))
    const afternoon = new Date('2025-05-15T07:00:00Z')
    expect((await forecastMonth(requests(afternoon), 'UnblendedCost', undefined, afternoon)).forecast?.mean).toBe('3.6669998169')
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(2)
  })

  it('keeps the currency Cost Explorer forecasts in', async () => {
    ce.on(GetCostForecastCommand).resolves({Total: {Amount: '71.5', Unit: 'EUR'}, ForecastResultsByTime: [{TimePeriod: {Start: '2025-05-15', End: '2025-06-01'}, MeanValue: '71.5'}], $metadata: {}})
    expect((await forecastMonth(requests(now), 'UnblendedCost', undefined, now)).forecast).toMatchObject({mean: '71.50', currency: 'EUR'})
  })

  it('says so when Cost Explorer answers without a forecast, rather than forecasting nothing', async () => {
    ce.on(GetCostForecastCommand).resolves({ForecastResultsByTime: [], $metadata: {}})
    expect(await forecastMonth(requests(now), 'UnblendedCost', undefined, now)).toEqual({forecast: null, note: 'No forecast: Cost Explorer answered without one.'})
  })

  it('fails on a denied forecast with the permission to grant', async () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ce:GetCostForecast'), {
      name: 'AccessDeniedException',
      $metadata: {httpStatusCode: 400},
    })
    ce.on(GetCostForecastCommand).rejects(denied)
    await expect(forecastMonth(requests(now), 'UnblendedCost', undefined, now)).rejects.toThrow(/^Cost Explorer denied GetCostForecast \(AccessDeniedException: .*\)\. Grant the caller ce:GetCostForecast\.$/)
  })

  it('refuses a request beyond the budget before sending it', async () => {
    ce.on(GetCostForecastCommand).resolves(forecastResponse('2025-05-15', '2025-06-01'))
    const explorer = requests(now, {maxRequests: 1})
    await forecastMonth(explorer, 'UnblendedCost', undefined, now)
    await expect(forecastMonth(explorer, 'AmortizedCost', undefined, now)).rejects.toThrow(/^Stopped before Cost Explorer request 2: --max-requests 1 reached/)
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(1)
  })
})
