import {
  CostExplorer,
  CostExplorerClient,
  DataUnavailableException,
  GetCostAndUsageCommand,
  type GetCostAndUsageRequest,
  type GetCostAndUsageResponse,
  LimitExceededException,
} from '@aws-sdk/client-cost-explorer'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {CostExplorerError, CostExplorerRequests, costAndUsageExpiry, costExplorerError, customEndpoint} from '../../../src/cost/explorer.js'
import {tempStores} from '../../support/store.js'

const now = new Date('2025-05-15T22:30:00Z')
const sixHoursLater = '2025-05-16T04:30:00.000Z'
const request = (start: string, end: string) => ({TimePeriod: {Start: start, End: end}, Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost']})
const page = (...estimated: boolean[]) => ({ResultsByTime: estimated.map((e) => ({Estimated: e})), $metadata: {}})
const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}})

describe('costAndUsageExpiry', () => {
  it('keeps final answers about closed months for good', () => {
    expect(costAndUsageExpiry(request('2025-01-01', '2025-05-01'), [page(false, false), page(false)], now)).toBeNull()
  })

  it('keeps answers for 6 hours while Cost Explorer still estimates them (a month not yet billed)', () => {
    expect(costAndUsageExpiry(request('2025-03-01', '2025-05-01'), [page(false), page(true)], now)).toBe(sixHoursLater)
  })

  it('keeps answers reaching into the current month for 6 hours', () => {
    expect(costAndUsageExpiry(request('2025-04-01', '2025-05-02'), [page(false)], now)).toBe(sixHoursLater)
    expect(costAndUsageExpiry(request('2025-05-01', '2025-05-16'), [page(false)], now)).toBe(sixHoursLater)
  })
})

describe('costExplorerError', () => {
  it.each([
    [
      'Cost Explorer not enabled',
      awsError('AccessDeniedException', 'User not enabled for cost explorer access'),
      /^Cost Explorer is not enabled for this account \(AccessDeniedException: User not enabled for cost explorer access\)\. Enable it once in the Billing/,
    ],
    [
      'access denied',
      awsError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ce:GetCostAndUsage'),
      /^Cost Explorer denied GetCostAndUsage \(AccessDeniedException: .*\)\. Grant the caller ce:GetCostAndUsage\.$/,
    ],
    ['no data yet', new DataUnavailableException({message: 'Data is not available.', $metadata: {}}), /^Cost Explorer has no data for this request \(DataUnavailableException/],
    ['rate limit', new LimitExceededException({message: 'Rate exceeded', $metadata: {}}), /^Cost Explorer's request rate limit was reached \(LimitExceededException\)/],
    ['a refused request', awsError('ValidationException', 'Start date is after end date'), /^Cost Explorer GetCostAndUsage failed \(ValidationException: Start date is after end date\)\.$/],
    ['no endpoint', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'}), /^Cannot reach Cost Explorer \(ECONNREFUSED\)/],
  ])('%s: one line saying what to do', (_label, error, message) => {
    const mapped = costExplorerError(error, 'GetCostAndUsage')
    expect(mapped).toBeInstanceOf(CostExplorerError)
    expect(mapped.message).toMatch(message)
    expect(mapped.message).not.toContain('\n')
  })
})

const credentials = {accessKeyId: 'testing', secretAccessKey: 'testing'}
/** No configured endpoint may leak in from the machine's environment or AWS config files. */
function stubHermeticEnv(): void {
  vi.stubEnv('AWS_ENDPOINT_URL', '')
  vi.stubEnv('AWS_ENDPOINT_URL_COST_EXPLORER', '')
  vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', '')
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/awsinv-config')
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/awsinv-credentials')
}

describe('customEndpoint', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('is the endpoint given to the client (--endpoint-url)', async () => {
    stubHermeticEnv()
    expect(await customEndpoint(new CostExplorer({region: 'us-east-1', credentials, endpoint: 'http://localhost:5124'}))).toBe('http://localhost:5124/')
  })

  it('is an endpoint configured for Cost Explorer in the environment', async () => {
    stubHermeticEnv()
    vi.stubEnv('AWS_ENDPOINT_URL_COST_EXPLORER', 'http://localhost:4566')
    expect(await customEndpoint(new CostExplorer({region: 'us-east-1', credentials}))).toBe('http://localhost:4566')
  })

  it("is null for AWS's own endpoint", async () => {
    stubHermeticEnv()
    expect(await customEndpoint(new CostExplorer({region: 'us-east-1', credentials}))).toBeNull()
  })
})

describe('CostExplorerRequests cache', () => {
  const stores = tempStores('awsinv-explorer-')
  const ce = mockClient(CostExplorerClient)
  afterEach(() => {
    ce.reset()
    stores.cleanup()
    vi.unstubAllEnvs()
  })

  // A closed month with a final result: kept for good, so only the key can keep it from another target.
  const closed: GetCostAndUsageResponse = {
    GroupDefinitions: [],
    ResultsByTime: [{TimePeriod: {Start: '2025-04-01', End: '2025-05-01'}, Total: {UnblendedCost: {Amount: '12.5', Unit: 'USD'}}, Groups: [], Estimated: false}],
    DimensionValueAttributes: [],
  }
  const request = {TimePeriod: {Start: '2025-04-01', End: '2025-05-01'}, Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost']}
  const requestsTo = (store: ReturnType<typeof stores.open>, endpoint?: string) =>
    new CostExplorerRequests(store, async () => new CostExplorer({region: 'us-east-1', credentials, maxAttempts: 1, ...(endpoint ? {endpoint} : {})}), {
      accountId: '123456789012',
      readCache: true,
      maxRequests: 10,
      now,
    })

  it('never answers a request to one endpoint with what another endpoint answered for the same account', async () => {
    stubHermeticEnv()
    ce.on(GetCostAndUsageCommand).resolves({...closed, $metadata: {}})
    const store = stores.open()
    const emulator = requestsTo(store, 'http://localhost:5124')
    await emulator.costAndUsage(request)
    const aws = requestsTo(store)
    await aws.costAndUsage(request)
    expect(aws.count).toEqual({made: 1, cached: 0, max: 10})
    const emulatorAgain = requestsTo(store, 'http://localhost:5124')
    await emulatorAgain.costAndUsage(request)
    expect(emulatorAgain.count).toEqual({made: 0, cached: 1, max: 10})
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2)
  })

  it('asks again for figures read together that were cached at different times, unless they are final', async () => {
    stubHermeticEnv()
    const store = stores.open()
    const at = (time: string) => new CostExplorerRequests(store, async () => new CostExplorer({region: 'us-east-1', credentials, maxAttempts: 1}), {
      accountId: '123456789012',
      readCache: true,
      maxRequests: 10,
      now: new Date(time),
    })
    const together = async (explorer: CostExplorerRequests, requests: GetCostAndUsageRequest[]) => {
      await explorer.fetchTogether(requests)
      for (const r of requests) await explorer.costAndUsage(r)
      return explorer.count
    }

    const account = {TimePeriod: {Start: '2025-05-01', End: '2025-05-16'}, Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost']}
    const teamA = {...account, Filter: {Tags: {Key: 'owner', Values: ['team-a']}}}
    const teamB = {...account, Filter: {Tags: {Key: 'owner', Values: ['team-b']}}}
    ce.on(GetCostAndUsageCommand).resolves({ResultsByTime: [{Estimated: true}], $metadata: {}})
    expect(await together(at('2025-05-15T20:00:00Z'), [teamA, account])).toEqual({made: 2, cached: 0, max: 10})
    // team-b's cost is fetched now: the account total cached with team-a's at 20:00 is fetched again with it.
    expect(await together(at('2025-05-15T21:00:00Z'), [teamB, account])).toEqual({made: 2, cached: 0, max: 10})
    // team-a's (20:00) and the account total (21:00) are of different times: both are asked again.
    expect(await together(at('2025-05-15T22:00:00Z'), [teamA, account])).toEqual({made: 2, cached: 0, max: 10})
    // Now both are of 22:00: reused.
    expect(await together(at('2025-05-15T23:00:00Z'), [teamA, account])).toEqual({made: 0, cached: 2, max: 10})

    // A closed month's final figures never change: reused next to a fresh answer.
    ce.on(GetCostAndUsageCommand).resolves({...closed, $metadata: {}})
    await at('2025-05-15T20:00:00Z').costAndUsage(request)
    expect(await together(at('2025-05-15T23:00:00Z'), [{...request, Filter: teamA.Filter}, request])).toEqual({made: 1, cached: 1, max: 10})
  })

  it('refuses before any request when the budget cannot fetch figures read together at once, so a rerun never pays twice', async () => {
    stubHermeticEnv()
    const store = stores.open()
    const at = (time: string, maxRequests: number) =>
      new CostExplorerRequests(store, async () => new CostExplorer({region: 'us-east-1', credentials, maxAttempts: 1}), {
        accountId: '123456789012',
        readCache: true,
        maxRequests,
        now: new Date(time),
      })
    const account = {TimePeriod: {Start: '2025-05-01', End: '2025-05-16'}, Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost']}
    const teamA = {...account, Filter: {Tags: {Key: 'owner', Values: ['team-a']}}}
    ce.on(GetCostAndUsageCommand).resolves({ResultsByTime: [{Estimated: true}], $metadata: {}})
    await expect(at('2025-05-15T20:00:00Z', 1).fetchTogether([teamA, account])).rejects.toThrow(
      /^Stopped before Cost Explorer request 1: the figures read side by side need 2 more requests made together \(each is billed\), more than --max-requests 1 allows\./,
    )
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0)

    // One of them cached alone (an earlier run): both are asked again, so 2 are still needed.
    await at('2025-05-15T20:00:00Z', 1).costAndUsage(teamA)
    await expect(at('2025-05-15T21:00:00Z', 1).fetchTogether([teamA, account])).rejects.toThrow(/need 2 more requests/)
    const enough = at('2025-05-15T21:00:00Z', 2)
    await enough.fetchTogether([teamA, account])
    for (const r of [teamA, account]) await enough.costAndUsage(r)
    expect(enough.count).toEqual({made: 2, cached: 0, max: 2})
    // Both cached together: nothing to ask, whatever the budget.
    await expect(at('2025-05-15T22:00:00Z', 1).fetchTogether([teamA, account])).resolves.toBeUndefined()
  })
})

describe('costExplorerError for an endpoint lacking the operation', () => {
  // As the SDK throws the emulator's HTML 500 page for GetCostForecast, which it does not implement.
  const htmlPage = () =>
    Object.assign(
      new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
      {$metadata: {httpStatusCode: 500, attempts: 1}},
    )

  it('names the operation and, for the forecast, the flag to leave out', () => {
    expect(costExplorerError(htmlPage(), 'GetCostForecast').message).toBe(
      'The endpoint (--endpoint-url) does not seem to implement Cost Explorer GetCostForecast (HTTP500: not an AWS answer): run without --forecast. Answers already received are cached.',
    )
    expect(costExplorerError(htmlPage(), 'GetCostAndUsage').message).toBe(
      'The endpoint (--endpoint-url) does not seem to implement Cost Explorer GetCostAndUsage (HTTP500: not an AWS answer). Answers already received are cached.',
    )
  })
})
