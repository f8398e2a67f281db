import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import type {CostResult} from '../../src/cost/analyze.js'
import {addDays, monthStart, utcDate} from '../../src/cost/period.js'
import {openStore} from '../../src/store/database.js'
import {defaultInventory, insertInventory} from '../../src/store/inventories.js'
import {expectRefused, runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {fakeResource, finishedSnapshot} from '../support/store.js'

/**
 * `awsinv cost` end to end against the emulator. Its GetCostAndUsage answers with results injected
 * through POST /moto-api/static/ce/cost-and-usage-results: each new request body takes the next injected
 * result (and keeps it), so results are injected in the order awsinv makes its requests. A proxy in front
 * of the emulator counts those requests and keeps their bodies. Dates are relative to today (UTC).
 */

let emulator: Emulator
let proxy: FaultProxy
let root: string

beforeAll(async () => {
  emulator = await startEmulator()
  proxy = await startFaultProxy(emulator.url)
  root = mkdtempSync(join(tmpdir(), 'awsinv-cost-'))
})
afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
  if (root) rmSync(root, {recursive: true, force: true})
})
beforeEach(async () => {
  await emulator.reset()
  proxy.requests.length = 0
  proxy.rules.length = 0
})

const today = utcDate(new Date())
const day = (offset: number) => addDays(today, offset)

let stores = 0
const newStorage = () => join(root, `store-${++stores}`)
const cost = (storage: string, ...args: string[]) => ['cost', '--storage-path', storage, '--endpoint-url', proxy.url, '--max-attempts', '1', ...args]
/** The Cost Explorer requests the proxy saw, as the JSON bodies awsinv sent. */
const ceBodies = () => proxy.requests.filter((r) => r.service === 'ce').map((r) => JSON.parse(r.body ?? '{}') as Record<string, unknown>)
const cacheRows = (storage: string) => {
  const store = openStore(storage)
  try {
    return store.sqlite.prepare('select operation, requests, fetched_at as fetchedAt, expires_at as expiresAt from cost_cache order by fetched_at').all() as Array<{
      operation: string
      requests: number
      fetchedAt: string
      expiresAt: string | null
    }>
  } finally {
    store.close()
  }
}

// Results in the shape Cost Explorer gives them: grouped results have an empty Total, tag keys are KEY$value.
const usd = (amount: string) => ({UnblendedCost: {Amount: amount, Unit: 'USD'}})
const group = (keys: string[], amount: string) => ({Keys: keys, Metrics: usd(amount)})
const byDay = (start: string, groups: ReturnType<typeof group>[], estimated = false) => ({TimePeriod: {Start: start, End: addDays(start, 1)}, Total: {}, Groups: groups, Estimated: estimated})
const byMonth = (start: string, groups: ReturnType<typeof group>[], estimated = false) => ({TimePeriod: {Start: start, End: monthStart(start, 1)}, Total: {}, Groups: groups, Estimated: estimated})
const totalOf = (start: string, amount: string, estimated = false) => ({TimePeriod: {Start: start, End: addDays(start, 1)}, Total: usd(amount), Groups: [], Estimated: estimated})
const dimension = (key: string) => ({Type: 'DIMENSION', Key: key})
const page = (results: unknown[], groupDefinitions: unknown[], nextPageToken?: string) => ({
  GroupDefinitions: groupDefinitions,
  ResultsByTime: results,
  DimensionValueAttributes: [],
  ...(nextPageToken ? {NextPageToken: nextPageToken} : {}),
})

async function inject(...results: unknown[]): Promise<void> {
  const response = await fetch(`${emulator.url}/moto-api/static/ce/cost-and-usage-results`, {method: 'POST', body: JSON.stringify({results})})
  expect(response.status).toBe(201)
}

describe('the whole account', () => {
  it('breaks the last 30 days down by service, highest first, with shares, estimated days and a per-day chart; a second run makes no request', async () => {
    const storage = newStorage()
    await inject(
      page(
        [
          byDay(day(-2), [group(['AWS Lambda'], '1.5'), group(['Amazon Elastic Compute Cloud - Compute'], '10.0101516483')]),
          byDay(day(-1), [group(['AWS Lambda'], '2.25'), group(['EC2 - Other'], '0.3')], true),
          byDay(day(0), [group(['AWS Lambda'], '0.25')], true),
        ],
        [dimension('SERVICE')],
      ),
    )
    const result = await runCliJson<CostResult>(cost(storage))
    expect(ceBodies()).toEqual([{TimePeriod: {Start: day(-29), End: day(1)}, Granularity: 'DAILY', Metrics: ['UnblendedCost'], GroupBy: [dimension('SERVICE')]}])
    expect(result).toEqual({
      accountId: '123456789012',
      scope: {kind: 'account', snapshot: null, inventory: null, includeTags: {}, excludeTags: {}, linkedAccounts: null, filter: null},
      period: {start: day(-29), end: day(1)},
      granularity: 'DAILY',
      metric: 'UnblendedCost',
      groupBy: ['service'],
      currency: 'USD',
      total: '14.3101516483',
      estimated: true,
      rows: [
        {keys: ['Amazon Elastic Compute Cloud - Compute'], amount: '10.0101516483', share: 70},
        {keys: ['AWS Lambda'], amount: '4.00', share: 28},
        {keys: ['EC2 - Other'], amount: '0.30', share: 2.1},
      ],
      periods: [
        {start: day(-2), end: day(-1), amount: '11.5101516483', estimated: false},
        {start: day(-1), end: day(0), amount: '2.55', estimated: true},
        {start: day(0), end: day(1), amount: '0.25', estimated: true},
      ],
      attribution: null,
      services: null,
      forecast: null,
      requests: {made: 1, cached: 0, max: 10},
      notes: [],
    })
    // A period reaching today can still change: cached for 6 hours.
    const [entry] = cacheRows(storage)
    expect(Date.parse(entry!.expiresAt!) - Date.parse(entry!.fetchedAt)).toBe(6 * 3600_000)

    const again = await runCli(cost(storage))
    expect(again.code, again.stderr).toBe(0)
    expect(ceBodies()).toHaveLength(1)
    const lines = again.stdout.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      'Cost of account 123456789012',
      `${day(-29)} to ${day(0)} (daily, UnblendedCost by service)`,
      'Total: 14.31 USD (estimated: 2 days not final)',
    ])
    expect(lines).toContain(`${day(-2)}  ${'█'.repeat(40)}  11.51`)
    expect(lines).toContain(`${day(0)}  ${'▉'.padEnd(40)}   0.25  estimated`)
    expect(lines).toContain('Cost Explorer requests: 0 billable requests made, 1 answered from the cache (limit 10).')

    const fresh = await runCliJson<CostResult>(cost(storage, '--no-cache'))
    expect(ceBodies()).toHaveLength(2)
    expect(fresh.requests).toEqual({made: 1, cached: 0, max: 10})
    expect(fresh.total).toBe('14.3101516483')
  })

  it('follows NextPageToken, adds a period split over pages up, and caches the pages as one answer', async () => {
    const storage = newStorage()
    const regions = [dimension('REGION')]
    await inject(
      page([byDay(day(-3), [group(['us-east-1'], '5')])], regions, 'page-2'),
      page([byDay(day(-3), [group(['eu-west-1'], '1.25')]), byDay(day(-2), [group(['us-east-1'], '0.75')])], regions, 'page-3'),
      page([byDay(day(-1), [group(['eu-west-1'], '2')], true)], regions),
    )
    const result = await runCliJson<CostResult>(cost(storage, '--group-by', 'region', '--start-date', day(-3), '--end-date', day(0)))
    expect(ceBodies().map((b) => b.NextPageToken)).toEqual([undefined, 'page-2', 'page-3'])
    expect(ceBodies().map((b) => b.TimePeriod)).toEqual(Array.from({length: 3}, () => ({Start: day(-3), End: day(0)})))
    expect(result.rows).toEqual([
      {keys: ['us-east-1'], amount: '5.75', share: 63.9},
      {keys: ['eu-west-1'], amount: '3.25', share: 36.1},
    ])
    expect(result.total).toBe('9.00')
    expect(result.periods.map((p) => [p.start, p.amount, p.estimated])).toEqual([
      [day(-3), '6.25', false],
      [day(-2), '0.75', false],
      [day(-1), '2.00', true],
    ])
    expect(result.requests).toEqual({made: 3, cached: 0, max: 10})
    expect(cacheRows(storage).map((r) => r.requests)).toEqual([3])

    const cached = await runCliJson<CostResult>(cost(storage, '--group-by', 'region', '--start-date', day(-3), '--end-date', day(0)))
    expect(ceBodies()).toHaveLength(3)
    expect(cached.requests).toEqual({made: 0, cached: 3, max: 10})
    expect(cached.rows).toEqual(result.rows)
  })

  it('stops runaway pagination at --max-requests, keeping nothing half-read', async () => {
    const storage = newStorage()
    const services = [dimension('SERVICE')]
    await inject(
      page([byDay(day(-1), [group(['AWS Lambda'], '1')])], services, 'page-2'),
      page([byDay(day(-1), [group(['AWS Lambda'], '1')])], services, 'page-3'),
      page([byDay(day(-1), [group(['AWS Lambda'], '1')])], services, 'page-4'),
    )
    const run = await runCli(cost(storage, '--max-requests', '2'))
    expectRefused(run, /^Error: Stopped before Cost Explorer request 3: --max-requests 2 reached \(each request is billed\)\. Raise --max-requests/)
    expect(ceBodies()).toHaveLength(2)
    expect(cacheRows(storage)).toEqual([])
  })

  it('says in one line that the emulator lacks GetCostForecast, one attempt only, with the breakdown cached', async () => {
    const storage = newStorage()
    await inject(page([byDay(day(-1), [group(['AWS Lambda'], '1')])], [dimension('SERVICE')]))
    expectRefused(
      await runCli(cost(storage, '--forecast')),
      /^Error: The endpoint \(--endpoint-url\) does not seem to implement Cost Explorer GetCostForecast \(HTTP500: not an AWS answer\): run without --forecast\. Answers already received are cached\.$/,
    )
    expect(proxy.requests.filter((r) => r.service === 'ce').map((r) => r.target)).toEqual(['AWSInsightsIndexService.GetCostAndUsage', 'AWSInsightsIndexService.GetCostForecast'])
    const rerun = await runCliJson<CostResult>(cost(storage))
    expect(rerun.requests).toEqual({made: 0, cached: 1, max: 10})
    expect(rerun.total).toBe('1.00')
  })

  it('groups by a tag and a dimension over closed months, which stay cached for good', async () => {
    const storage = newStorage()
    const [first, second] = [monthStart(today, -2), monthStart(today, -1)]
    await inject(
      page(
        [
          byMonth(first, [group(['owner$team-a', 'AWS Lambda'], '12.5'), group(['owner$', 'EC2 - Other'], '3')]),
          byMonth(second, [group(['owner$team-a', 'AWS Lambda'], '7.5'), group(['owner$team-b', 'AWS Lambda'], '3')]),
        ],
        [{Type: 'TAG', Key: 'owner'}, dimension('SERVICE')],
      ),
    )
    // Choices are case-insensitive: monthly is MONTHLY.
    const args = cost(storage, '--group-by', 'tag:owner', '--group-by', 'service', '--granularity', 'monthly', '--start-date', first, '--end-date', monthStart(today))
    const result = await runCliJson<CostResult>(args)
    expect(ceBodies()).toEqual([
      {TimePeriod: {Start: first, End: monthStart(today)}, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], GroupBy: [{Type: 'TAG', Key: 'owner'}, dimension('SERVICE')]},
    ])
    expect(result.groupBy).toEqual(['tag:owner', 'service'])
    expect(result.rows).toEqual([
      {keys: ['team-a', 'AWS Lambda'], amount: '20.00', share: 76.9},
      {keys: [null, 'EC2 - Other'], amount: '3.00', share: 11.5},
      {keys: ['team-b', 'AWS Lambda'], amount: '3.00', share: 11.5},
    ])
    expect(result.estimated).toBe(false)
    expect(cacheRows(storage).map((r) => r.expiresAt)).toEqual([null])

    const table = await runCli([...args, '--format', 'csv'])
    expect(table.stdout).toBe(
      ['owner,Service,Cost (USD),Share %', 'team-a,AWS Lambda,20.00,76.9', '(no owner tag),EC2 - Other,3.00,11.5', 'team-b,AWS Lambda,3.00,11.5', 'Total,,26.00,100', ''].join('\r\n'),
    )
    // The rows stay machine-readable; the request count goes to stderr.
    expect(table.stderr).toBe('Cost Explorer requests: 0 billable requests made, 1 answered from the cache (limit 10).\n')
    expect(ceBodies()).toHaveLength(1)
  })
})

describe('an inventory or a snapshot, attributed through its tags', () => {
  const include = {owner: 'team-a'}
  const exclude = {env: 'scratch'}
  const teamFilter = {
    And: [{Tags: {Key: 'owner', Values: ['team-a'], MatchOptions: ['EQUALS']}}, {Not: {Tags: {Key: 'env', Values: ['scratch'], MatchOptions: ['EQUALS']}}}],
  }

  /** A store with inventory team-a (owner=team-a, not env=scratch) whose active snapshot holds two VPCs, a function, a role and an account setting. */
  function teamStore(): string {
    const storage = newStorage()
    const store = openStore(storage)
    try {
      defaultInventory(store)
      const team = insertInventory(store, {name: 'team-a', includeTags: include, excludeTags: exclude})
      finishedSnapshot(store, 'team-a-1', {
        inventoryId: team.id,
        setActive: true,
        filters: {includeTags: include, excludeTags: exclude},
        resources: [
          fakeResource('vpc-1', {tags: include}),
          fakeResource('vpc-2', {tags: include}),
          fakeResource('fn', {type: 'AWS::Lambda::Function', arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', tags: include}),
          fakeResource('app', {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/app', region: 'global', tags: include}),
          // An account setting is kept whatever the tags say, and is no resource: not listed among the services.
          fakeResource('123456789012', {type: 'AWS::S3::AccountPublicAccessBlock', arn: 'arn:aws:s3::123456789012:account-public-access-block', region: 'global'}),
        ],
      })
      finishedSnapshot(store, 'data', {filters: {includeTags: {team: 'data'}, excludeTags: {}}, resources: [fakeResource('vpc-9', {tags: {team: 'data'}})]})
      // Taken ten days ago: the default period starts then.
      store.sqlite.prepare(`update snapshots set started_at = ? where name = 'data'`).run(`${day(-10)}T09:30:00.000Z`)
    } finally {
      store.close()
    }

    return storage
  }

  it('sends the inventory tags as a Cost Explorer filter, shows the unattributed rest of the account and the snapshot services', async () => {
    const storage = teamStore()
    await inject(
      page(
        [
          byDay(day(-1), [group(['Amazon Elastic Compute Cloud - Compute'], '6'), group(['AWS Lambda'], '1.5'), group(['EC2 - Other'], '0.5')]),
          byDay(day(0), [group(['AWS Lambda'], '2')], true),
        ],
        [dimension('SERVICE')],
      ),
      page([totalOf(day(-1), '30'), totalOf(day(0), '10', true)], []),
    )
    const result = await runCliJson<CostResult>(cost(storage, '--inventory', 'team-a'))
    expect(ceBodies()).toEqual([
      {TimePeriod: {Start: day(-29), End: day(1)}, Granularity: 'DAILY', Filter: teamFilter, Metrics: ['UnblendedCost'], GroupBy: [dimension('SERVICE')]},
      {TimePeriod: {Start: day(-29), End: day(1)}, Granularity: 'DAILY', Metrics: ['UnblendedCost']},
    ])
    expect(result.scope).toEqual({kind: 'inventory', snapshot: 'team-a-1', inventory: 'team-a', includeTags: include, excludeTags: exclude, linkedAccounts: null, filter: teamFilter})
    expect(result.total).toBe('10.00')
    expect(result.attribution).toEqual({accountTotal: '40.00', unattributed: '30.00', unattributedShare: 75})
    expect(result.services).toEqual([
      {
        service: 'ec2',
        resources: 2,
        types: [{type: 'AWS::EC2::VPC', resources: 2}],
        costServices: ['Amazon Elastic Compute Cloud - Compute', 'EC2 - Other', 'Amazon Virtual Private Cloud'],
        amount: '6.50',
        share: 65,
      },
      {service: 'lambda', resources: 1, types: [{type: 'AWS::Lambda::Function', resources: 1}], costServices: ['AWS Lambda'], amount: '3.50', share: 35},
      {service: 'iam', resources: 1, types: [{type: 'AWS::IAM::Role', resources: 1}], costServices: [], amount: '0.00', share: 0},
    ])
    expect(result.requests).toEqual({made: 2, cached: 0, max: 10})

    const table = await runCli(cost(storage, '--inventory', 'team-a'))
    expect(table.stdout).toContain('Cost of inventory team-a (active snapshot team-a-1), attributed through its tags: owner=team-a, not env=scratch\n')
    expect(table.stdout).toContain('Unattributed (account cost the tags do not select): 30.00 USD, 75.0% of the account; account total 40.00 USD\n')
    expect(table.stdout).toMatch(/│ Unattributed +│ 30\.00 +│ 75\.0% +│/)
    expect(table.stdout).toContain('Services in snapshot team-a-1\n')
    expect(table.stdout).toMatch(/│ iam +│ 1 +│ \(free\) +│ 0\.00 +│ 0\.0% +│/)
    expect(table.stdout).toContain('Cost Explorer requests: 0 billable requests made, 2 answered from the cache (limit 10).')
    expect(ceBodies()).toHaveLength(2)
  })

  it('refuses a --max-requests too low for the figures read together before asking anything, so the rerun pays once', async () => {
    const storage = teamStore()
    await inject(page([byDay(day(-1), [group(['AWS Lambda'], '1.5')])], [dimension('SERVICE')]), page([totalOf(day(-1), '30')], []))
    expectRefused(
      await runCli(cost(storage, '--inventory', 'team-a', '--max-requests', '1')),
      /^Error: Stopped before Cost Explorer request 1: the figures read side by side need 2 more requests made together \(each is billed\), more than --max-requests 1 allows\. Raise --max-requests to go on\.$/,
    )
    expect(ceBodies()).toEqual([])
    expect(cacheRows(storage)).toEqual([])
    const result = await runCliJson<CostResult>(cost(storage, '--inventory', 'team-a', '--max-requests', '2'))
    expect(result.requests).toEqual({made: 2, cached: 0, max: 2})
    expect(result.attribution).toEqual({accountTotal: '30.00', unattributed: '28.50', unattributedShare: 95})
  })

  it('starts at the snapshot date and asks for the services separately when not grouped by service', async () => {
    const storage = teamStore()
    const dataFilter = {Tags: {Key: 'team', Values: ['data'], MatchOptions: ['EQUALS']}}
    await inject(
      page([byDay(day(-5), [group(['eu-west-1'], '4')])], [dimension('REGION')]),
      page([totalOf(day(-5), '16')], []),
      page([byDay(day(-5), [group(['Amazon Virtual Private Cloud'], '4')])], [dimension('SERVICE')]),
    )
    const result = await runCliJson<CostResult>(cost(storage, '--snapshot', 'data', '--group-by', 'region'))
    const period = {Start: day(-10), End: day(1)}
    expect(ceBodies()).toEqual([
      {TimePeriod: period, Granularity: 'DAILY', Filter: dataFilter, Metrics: ['UnblendedCost'], GroupBy: [dimension('REGION')]},
      {TimePeriod: period, Granularity: 'DAILY', Metrics: ['UnblendedCost']},
      {TimePeriod: period, Granularity: 'DAILY', Filter: dataFilter, Metrics: ['UnblendedCost'], GroupBy: [dimension('SERVICE')]},
    ])
    expect(result.scope).toMatchObject({kind: 'snapshot', snapshot: 'data', inventory: 'default', filter: dataFilter})
    expect(result.attribution).toEqual({accountTotal: '16.00', unattributed: '12.00', unattributedShare: 75})
    expect(result.services).toEqual([
      {service: 'ec2', resources: 1, types: [{type: 'AWS::EC2::VPC', resources: 1}], costServices: expect.any(Array), amount: '4.00', share: 100},
    ])
    expect(result.requests.made).toBe(3)

    const withoutServices = await runCliJson<CostResult>(cost(storage, '--snapshot', 'data', '--group-by', 'region', '--no-services'))
    expect(withoutServices.services).toBeNull()
    expect(withoutServices.requests).toEqual({made: 0, cached: 2, max: 10})
  })

  it('restricts a snapshot of member accounts to their costs: the credentials of a management account see every member', async () => {
    const storage = teamStore()
    const store = openStore(storage)
    try {
      finishedSnapshot(store, 'members', {filters: {includeTags: {team: 'data'}, excludeTags: {}}, resources: [fakeResource('vpc-8', {tags: {team: 'data'}})]})
      store.sqlite.prepare(`update snapshots set account_id = ?, accounts = ? where name = 'members'`).run('210987654321', JSON.stringify(['210987654321', '345678901234']))
    } finally {
      store.close()
    }

    await inject(page([byDay(day(-1), [group(['Amazon Virtual Private Cloud'], '3')])], [dimension('SERVICE')]), page([totalOf(day(-1), '12')], []))
    const result = await runCliJson<CostResult>(cost(storage, '--snapshot', 'members', '--start-date', day(-7)))
    const members = {Dimensions: {Key: 'LINKED_ACCOUNT', Values: ['210987654321', '345678901234'], MatchOptions: ['EQUALS']}}
    const filter = {And: [members, {Tags: {Key: 'team', Values: ['data'], MatchOptions: ['EQUALS']}}]}
    const period = {Start: day(-7), End: day(1)}
    expect(ceBodies()).toEqual([
      {TimePeriod: period, Granularity: 'DAILY', Filter: filter, Metrics: ['UnblendedCost'], GroupBy: [dimension('SERVICE')]},
      // What the tags leave out is measured against those accounts' total, not the organization's.
      {TimePeriod: period, Granularity: 'DAILY', Filter: members, Metrics: ['UnblendedCost']},
    ])
    expect(result.scope).toMatchObject({kind: 'snapshot', snapshot: 'members', linkedAccounts: ['210987654321', '345678901234'], filter})
    expect(result.attribution).toEqual({accountTotal: '12.00', unattributed: '9.00', unattributedShare: 75})
    expect(result.notes).toContain(
      'Snapshot "members" is of accounts 210987654321, 345678901234, the credentials of account 123456789012: only those accounts\' costs are counted, which Cost Explorer shows only to their organization\'s management account.',
    )
  })

  it('makes no second request for a scope without tag filters, and says so', async () => {
    const storage = teamStore()
    await inject(page([byDay(day(-1), [group(['AWS Lambda'], '1')])], [dimension('SERVICE')]))
    const result = await runCliJson<CostResult>(cost(storage, '--inventory', 'default'))
    expect(ceBodies()).toHaveLength(1)
    expect(ceBodies()[0]).not.toHaveProperty('Filter')
    expect(result.scope).toMatchObject({kind: 'inventory', snapshot: null, filter: null})
    expect(result.attribution).toBeNull()
    expect(result.services).toBeNull()
    expect(result.notes).toEqual(['Inventory "default" has no active snapshot, so no services are listed.'])
  })

  it('says when no cost carries the tags: they may not be activated as cost allocation tags', async () => {
    const storage = teamStore()
    // Nothing injected: the emulator answers both requests with no results.
    const result = await runCliJson<CostResult>(cost(storage, '--snapshot', 'team-a-1', '--no-services'))
    expect(ceBodies()).toHaveLength(2)
    expect(result).toMatchObject({total: '0.00', rows: [], periods: [], attribution: {accountTotal: '0.00', unattributed: '0.00', unattributedShare: null}, services: null})
    expect(result.notes).toEqual([
      'No cost carries these tags (owner=team-a, not env=scratch). Cost Explorer only sees tags activated as cost allocation tags in the Billing console, from their activation on.',
    ])
    const table = await runCli(cost(storage, '--snapshot', 'team-a-1', '--no-services'))
    expect(table.stdout).toMatch(/│ Total +│ 0\.00 +│ +│/)
  })
})

describe('bad input', () => {
  it.each([
    [['--start-date', '2025-02-30'], /^Error: --start-date 2025-02-30 is not a day of the calendar: February 2025 has no day 30\.$/],
    [['--start-date', '2025-5-1'], /^Error: --start-date must be a date written YYYY-MM-DD, e\.g\. 2025-01-31; got "2025-5-1"\.$/],
    [['--end-date', 'tomorrow'], /^Error: --end-date must be a date written YYYY-MM-DD/],
    [['--start-date', day(-3), '--end-date', day(-5)], new RegExp(`^Error: --end-date ${day(-5)} must be after --start-date ${day(-3)} \\(the end date is excluded`)],
    [['--start-date', monthStart(today, -14)], /^Error: --start-date \S+ is too far back: Cost Explorer keeps the current month and the 13 before it, so the earliest start is \S+\.$/],
    [['--start-date', day(3)], new RegExp(`^Error: --start-date ${day(3)} is in the future \\(today is ${today}, UTC\\)`)],
    [['--end-date', monthStart(today, 2)], /^Error: --end-date \S+ is too far ahead/],
    [['--group-by', 'type'], /^Error: Unknown --group-by "type"\. Use service, region, account, usage-type or tag:KEY\.$/],
    [['--group-by', 'service,region,account'], /^Error: Cost Explorer groups by 2 keys at most; got 3 \(service, region, account\)\.$/],
    [['--group-by', 'service', '--group-by', 'region', '--group-by', 'tag:owner'], /^Error: Cost Explorer groups by 2 keys at most; got 3/],
    [['--export', 'cost.txt'], /^Error: --export needs a \.json, \.md or \.csv file name, got "cost\.txt"\.$/],
    [['--export', '/nonexistent-awsinv-dir/cost.json'], /^Error: Cannot write \/nonexistent-awsinv-dir\/cost\.json: its directory does not exist\.$/],
    [['--show-services'], /^Error: --show-services lists the services of a snapshot: name one with --snapshot, or an inventory with an active snapshot with --inventory\.$/],
    [['--end-date', monthStart(today, -13)], /^Error: --end-date \S+ is too far back/],
  ])('%o is refused in one line before the store or Cost Explorer is touched', async (args, message) => {
    const storage = newStorage()
    expectRefused(await runCli(cost(storage, ...args)), message)
    expect(existsSync(join(storage, 'inventory.db'))).toBe(false)
    expect(ceBodies()).toEqual([])
  })

  it('refuses unknown scopes and misplaced flags without a Cost Explorer request', async () => {
    const storage = newStorage()
    // A snapshot or inventory named is looked for in an existing database (a missing one is refused as such).
    openStore(storage).close()
    const cases: Array<[string[], RegExp]> = [
      [['--snapshot', 'nope'], /^Error: Unknown snapshot "nope"\./],
      [['--inventory', 'nope'], /^Error: Unknown inventory "nope"\. Known inventories: default\.$/],
      [['--snapshot', 'a', '--inventory', 'b'], /^Error: --inventory and --snapshot cannot be used together\. See more help with --help\.$/],
      [['--max-requests', '0'], /Expected an integer greater than or equal to 1/],
    ]
    for (const [args, message] of cases) expectRefused(await runCli(cost(storage, ...args)), message, args.join(' '))
    expect(ceBodies()).toEqual([])
  })

  it('says in one line when Cost Explorer is not enabled, or access to it is denied, and caches nothing', async () => {
    const storage = newStorage()
    proxy.rules.push({service: 'ce', fault: 'access_denied', message: 'User not enabled for cost explorer access', times: 1})
    expectRefused(
      await runCli(cost(storage)),
      /^Error: Cost Explorer is not enabled for this account \(AccessDeniedException: User not enabled for cost explorer access\)\. Enable it once in the Billing and Cost Management console/,
    )
    proxy.rules.push({service: 'ce', fault: 'access_denied', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ce:GetCostAndUsage', times: 1})
    expectRefused(await runCli(cost(storage)), /^Error: Cost Explorer denied GetCostAndUsage \(AccessDeniedException: .*\)\. Grant the caller ce:GetCostAndUsage\.$/)
    expect(cacheRows(storage)).toEqual([])
  })
})
