import {afterEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'
import {planCollection} from '../../../src/collect/plan.js'
import {type CollectProgress, type RunOptions, runCollection} from '../../../src/collect/run.js'
import type {CollectContext, Resource, ResourceSpec} from '../../../src/resources/types.js'
import type {Store} from '../../../src/store/database.js'
import {SnapshotWriter} from '../../../src/store/writer.js'
import {countRows, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-run-')
afterEach(() => stores.cleanup())

const ACCOUNT = '123456789012'

/** A raw item as a fake SDK would return it. */
interface Item {
  id: string
  tags?: Record<string, string>
  parent?: string
}

interface FakeSpecOptions {
  type?: string
  service?: string
  scope?: 'regional' | 'global'
  /** Pages to yield for a region (default: one page with one item). */
  pages?: (ctx: CollectContext) => Item[][] | Promise<Item[][]>
  /** Thrown after the pages were yielded. */
  failAfter?: (ctx: CollectContext) => unknown
  /** Awaited before each page is yielded. */
  beforePage?: (ctx: CollectContext, index: number) => Promise<void> | void
  relationships?: boolean
}

/** A spec with a scripted list() and a toResource building a canonical resource; records every list() call. */
function fakeSpec(options: FakeSpecOptions = {}): ResourceSpec<Item> & {calls: string[]} {
  const type = options.type ?? 'Test::Svc::Thing'
  const service = options.service ?? 'svc'
  const calls: string[] = []
  return {
    type,
    service,
    scope: options.scope ?? 'regional',
    docs: 'https://example.com/docs',
    calls,
    async *list(ctx) {
      calls.push(ctx.region)
      const pages = await (options.pages ?? (() => [[{id: `${ctx.region}-1`}]]))(ctx)
      for (const [index, page] of pages.entries()) {
        await options.beforePage?.(ctx, index)
        yield page
      }

      const error = options.failAfter?.(ctx)
      if (error) throw error
    },
    toResource(item, ctx): Resource {
      const region = options.scope === 'global' ? 'global' : ctx.region
      return {
        arn: `arn:aws:${service}:${region === 'global' ? '' : region}:${ctx.accountId}:thing/${item.id}`,
        type,
        id: item.id,
        name: item.id,
        region,
        accountId: ctx.accountId,
        createdAt: null,
        tags: item.tags ?? {},
        configuration: {Id: item.id, Parent: item.parent ?? null},
        source: 'api',
        relationships: [],
      }
    },
    ...(options.relationships
      ? {relationships: (resource: Resource) => (resource.configuration.Parent ? [{type: 'Test::Svc::Parent', id: String(resource.configuration.Parent), kind: 'in' as const}] : [])}
      : {}),
  }
}

interface Setup {
  store: Store
  snapshotId: number
  run(overrides?: Partial<RunOptions>): ReturnType<typeof runCollection>
}

function setup(specs: ResourceSpec[], planOptions: {regions?: string[]; useConfig?: boolean} = {}, base: Partial<RunOptions> = {}): Setup {
  const store = stores.open()
  const snapshotId = seedSnapshot(store, 'run')
  const plan = planCollection({
    accountId: ACCOUNT,
    regions: planOptions.regions ?? ['us-east-1', 'eu-west-1'],
    homeRegion: 'us-east-1',
    specs,
    useConfig: planOptions.useConfig ?? false,
  })
  return {
    store,
    snapshotId,
    run: (overrides = {}) =>
      runCollection({
        plan,
        // Never used by fake specs; pointed at a closed port so a mistake cannot reach AWS.
        clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1'),
        partition: 'aws',
        writer: new SnapshotWriter(store, snapshotId),
        filters: {includeTags: {}, excludeTags: {}},
        concurrency: 4,
        signal: new AbortController().signal,
        ...base,
        ...overrides,
      }),
  }
}

interface CoverageRow {
  account_id: string
  region: string
  resource_type: string
  status: string
  source: string
  source_reason: string | null
  api_calls: number
  item_count: number
  duration_ms: number
  error_code: string | null
  error: string | null
}

function coverageRows(store: Store, snapshotId: number): CoverageRow[] {
  return store.sqlite.prepare('select * from coverage where snapshot_id = ? order by resource_type, region').all(snapshotId) as CoverageRow[]
}

function resourceIds(store: Store, snapshotId: number, where = '1 = 1', ...params: unknown[]): string[] {
  return store.sqlite.prepare(`select resource_id from resources where snapshot_id = ? and ${where} order by resource_id`).pluck().all(snapshotId, ...params) as string[]
}

const accessDenied = () =>
  Object.assign(new Error('User: arn:aws:iam::123456789012:user/x is not authorized to perform: ec2:DescribeVpcs'), {
    name: 'UnauthorizedOperation',
    $metadata: {httpStatusCode: 403},
  })

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

describe('runCollection', () => {
  it('collects every cell and writes one coverage row per cell', async () => {
    const regional = fakeSpec({
      pages: (ctx) => [[{id: `${ctx.region}-a`}, {id: `${ctx.region}-b`}], [{id: `${ctx.region}-c`}]],
    })
    const global = fakeSpec({type: 'Test::Glob::Thing', service: 'glob', scope: 'global', pages: () => [[{id: 'g-1'}], [], [{id: 'g-2'}]]})
    const {store, snapshotId, run} = setup([regional, global], {useConfig: false})
    const records = await run()

    expect(records).toHaveLength(3)
    const rows = coverageRows(store, snapshotId)
    expect(rows.map((r) => [r.resource_type, r.region, r.status, r.item_count])).toEqual([
      ['Test::Glob::Thing', 'global', 'ok', 2],
      ['Test::Svc::Thing', 'eu-west-1', 'ok', 3],
      ['Test::Svc::Thing', 'us-east-1', 'ok', 3],
    ])
    for (const row of rows) {
      expect(row).toMatchObject({account_id: ACCOUNT, source: 'api', error_code: null, error: null})
      expect(row.source_reason).toContain('--no-config')
      expect(row.api_calls).toBeGreaterThanOrEqual(0)
      expect(row.duration_ms).toBeGreaterThanOrEqual(0)
    }

    // The returned records are what was stored.
    const stored = rows.map((r) => ({
      accountId: r.account_id,
      region: r.region,
      resourceType: r.resource_type,
      status: r.status,
      source: r.source,
      sourceReason: r.source_reason,
      apiCalls: r.api_calls,
      itemCount: r.item_count,
      durationMs: r.duration_ms,
      errorCode: r.error_code,
      error: r.error,
    }))
    expect(records).toEqual(expect.arrayContaining(stored))

    expect(resourceIds(store, snapshotId)).toEqual(['eu-west-1-a', 'eu-west-1-b', 'eu-west-1-c', 'g-1', 'g-2', 'us-east-1-a', 'us-east-1-b', 'us-east-1-c'])
    expect(resourceIds(store, snapshotId, `region = 'global' and service = 'glob'`)).toEqual(['g-1', 'g-2'])
    // The global type was listed once, with clients in the home region.
    expect(global.calls).toEqual(['us-east-1'])
    expect(regional.calls.sort()).toEqual(['eu-west-1', 'us-east-1'])
  })

  it('writes an ok row with no items for an empty cell', async () => {
    const {store, snapshotId, run} = setup([fakeSpec({pages: () => []})], {regions: ['us-east-1']})
    await run()
    expect(coverageRows(store, snapshotId).map((r) => [r.status, r.item_count])).toEqual([['ok', 0]])
  })

  it('stores the relationships the spec computes', async () => {
    const spec = fakeSpec({relationships: true, pages: () => [[{id: 'child', parent: 'p-1'}, {id: 'orphan'}]]})
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1']})
    await run()
    const relationships = Object.fromEntries(
      (store.sqlite.prepare('select resource_id, relationships from resources where snapshot_id = ?').all(snapshotId) as Array<{resource_id: string; relationships: string}>).map(
        (r) => [r.resource_id, JSON.parse(r.relationships) as unknown],
      ),
    )
    expect(relationships).toEqual({child: [{type: 'Test::Svc::Parent', id: 'p-1', kind: 'in'}], orphan: []})
  })

  it('keeps only resources matching the tag filters, and counts only those', async () => {
    const spec = fakeSpec({
      pages: (): Item[][] => [
        [
          {id: 'prod', tags: {env: 'prod'}},
          {id: 'prod-kept', tags: {env: 'prod', keep: 'true'}},
          {id: 'dev', tags: {env: 'dev'}},
          {id: 'untagged'},
        ],
      ],
    })
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1']})
    await run({filters: {includeTags: {env: 'prod'}, excludeTags: {keep: 'true'}}})
    expect(resourceIds(store, snapshotId)).toEqual(['prod'])
    expect(coverageRows(store, snapshotId)[0]).toMatchObject({status: 'ok', item_count: 1})
  })

  it('records access denied and discards what the failed cell had written', async () => {
    const denied = fakeSpec({
      pages: (ctx) => [[{id: `${ctx.region}-partial-1`}, {id: `${ctx.region}-partial-2`}]],
      failAfter: (ctx) => (ctx.region === 'eu-west-1' ? accessDenied() : undefined),
    })
    const {store, snapshotId, run} = setup([denied])
    const records = await run()

    const rows = coverageRows(store, snapshotId)
    expect(rows.map((r) => [r.region, r.status])).toEqual([
      ['eu-west-1', 'access_denied'],
      ['us-east-1', 'ok'],
    ])
    expect(rows[0]).toMatchObject({
      error_code: 'UnauthorizedOperation',
      error: 'User: arn:aws:iam::123456789012:user/x is not authorized to perform: ec2:DescribeVpcs',
      item_count: 0,
    })
    expect(resourceIds(store, snapshotId)).toEqual(['us-east-1-partial-1', 'us-east-1-partial-2'])
    expect(countRows(store, `resources where snapshot_id = ? and region = 'eu-west-1'`, snapshotId)).toBe(0)
    expect(records.find((r) => r.region === 'eu-west-1')).toMatchObject({status: 'access_denied', errorCode: 'UnauthorizedOperation', itemCount: 0})
  })

  it.each([
    ['a throttling error', Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException', $metadata: {httpStatusCode: 400}}), 'throttled', 'ThrottlingException'],
    ['HTTP 429', Object.assign(new Error('Too many'), {name: 'Unknown', $metadata: {httpStatusCode: 429}}), 'throttled', 'Unknown'],
    ['a region not opted in', Object.assign(new Error('opt in first'), {name: 'OptInRequired'}), 'not_enabled', 'OptInRequired'],
    ['a generic error', new Error('socket hang up somewhere'), 'error', 'Error'],
  ])('records %s as %s', async (_label, error, status, code) => {
    const spec = fakeSpec({failAfter: () => error})
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1']})
    await run()
    expect(coverageRows(store, snapshotId)).toEqual([
      expect.objectContaining({status, error_code: code, error: error.message, item_count: 0}),
    ])
    expect(countRows(store, 'resources where snapshot_id = ?', snapshotId)).toBe(0)
  })

  it('records a failure of toResource as an error of that cell only', async () => {
    const spec = fakeSpec()
    const broken: ResourceSpec<Item> = {
      ...fakeSpec({type: 'Test::Svc::Broken'}),
      toResource: () => {
        throw new TypeError('cannot read properties of undefined')
      },
    }
    const {store, snapshotId, run} = setup([spec, broken], {regions: ['us-east-1']})
    await run()
    expect(coverageRows(store, snapshotId).map((r) => [r.resource_type, r.status, r.error_code])).toEqual([
      ['Test::Svc::Broken', 'error', 'TypeError'],
      ['Test::Svc::Thing', 'ok', null],
    ])
    expect(resourceIds(store, snapshotId)).toEqual(['us-east-1-1'])
  })

  it('stops when the signal aborts: the cell in progress is dropped and the rest never start', async () => {
    const controller = new AbortController()
    const first = fakeSpec({type: 'Test::Svc::First'})
    const aborting = fakeSpec({
      type: 'Test::Svc::Aborting',
      pages: () => [[{id: 'half-1'}], [{id: 'half-2'}]],
      beforePage: (_ctx, index) => {
        if (index === 1) controller.abort()
      },
    })
    const never = fakeSpec({type: 'Test::Svc::Never'})
    const events: CollectProgress[] = []
    const {store, snapshotId, run} = setup([first, aborting, never], {regions: ['us-east-1']})
    const records = await run({signal: controller.signal, concurrency: 1, onProgress: (e) => events.push(e)})

    expect(records.map((r) => r.resourceType)).toEqual(['Test::Svc::First'])
    expect(coverageRows(store, snapshotId).map((r) => r.resource_type)).toEqual(['Test::Svc::First'])
    expect(resourceIds(store, snapshotId)).toEqual(['us-east-1-1'])
    expect(never.calls).toEqual([])
    expect(events.filter((e) => e.kind === 'cell-start').map((e) => (e.kind === 'cell-start' ? e.cell.spec.type : ''))).toEqual([
      'Test::Svc::First',
      'Test::Svc::Aborting',
    ])
  })

  it('collects nothing when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const spec = fakeSpec()
    const {store, snapshotId, run} = setup([spec])
    expect(await run({signal: controller.signal})).toEqual([])
    expect(spec.calls).toEqual([])
    expect(countRows(store, 'coverage where snapshot_id = ?', snapshotId)).toBe(0)
  })

  it('treats an error caused by the abort as an interruption, not a coverage gap', async () => {
    const controller = new AbortController()
    const spec = fakeSpec({
      failAfter: () => {
        controller.abort()
        return Object.assign(new Error('This operation was aborted'), {name: 'AbortError'})
      },
    })
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1']})
    expect(await run({signal: controller.signal})).toEqual([])
    expect(countRows(store, 'coverage where snapshot_id = ?', snapshotId)).toBe(0)
    expect(countRows(store, 'resources where snapshot_id = ?', snapshotId)).toBe(0)
  })

  it('memoizes ctx.shared across cells for the whole run', async () => {
    let loads = 0
    const seen: string[] = []
    const spec = fakeSpec({
      pages: async (ctx) => {
        const buckets = await ctx.shared('all-buckets', async () => {
          loads++
          await sleep(5)
          return ['b-1', 'b-2']
        })
        seen.push(`${ctx.region}:${buckets.join('+')}`)
        return [buckets.map((b) => ({id: `${ctx.region}-${b}`}))]
      },
    })
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1', 'eu-west-1', 'ap-south-1']})
    await run({concurrency: 3, perServiceConcurrency: 3})
    expect(loads).toBe(1)
    expect(seen.sort()).toEqual(['ap-south-1:b-1+b-2', 'eu-west-1:b-1+b-2', 'us-east-1:b-1+b-2'])
    expect(countRows(store, 'resources where snapshot_id = ?', snapshotId)).toBe(6)
  })

  it('retries a failed shared load in the next cell instead of failing every cell alike', async () => {
    let loads = 0
    const spec = fakeSpec({
      pages: async (ctx) => {
        const value = await ctx.shared('flaky', async () => {
          loads++
          if (loads === 1) throw Object.assign(new Error('Rate exceeded'), {name: 'Throttling'})
          return 'ok'
        })
        return [[{id: `${ctx.region}-${value}`}]]
      },
    })
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1', 'eu-west-1', 'ap-south-1']})
    await run({concurrency: 1})
    expect(loads).toBe(2)
    expect(coverageRows(store, snapshotId).map((r) => r.status).sort()).toEqual(['ok', 'ok', 'throttled'])
  })

  it('never runs more cells at once than the overall concurrency', async () => {
    let active = 0
    let peak = 0
    const track = async () => {
      active++
      peak = Math.max(peak, active)
      await sleep(10)
      active--
    }

    const specs = ['a', 'b', 'c'].map((service) => fakeSpec({type: `Test::${service}::Thing`, service, beforePage: track}))
    const {store, snapshotId, run} = setup(specs, {regions: ['us-east-1', 'eu-west-1', 'ap-south-1']})
    await run({concurrency: 2, perServiceConcurrency: 2})
    expect(peak).toBe(2)
    expect(countRows(store, 'coverage where snapshot_id = ?', snapshotId)).toBe(9)
  })

  it('never runs more cells of one service at once than the per-service limit', async () => {
    const active = new Map<string, number>()
    const peaks = new Map<string, number>()
    let overallActive = 0
    let overallPeak = 0
    const track = (service: string) => async () => {
      active.set(service, (active.get(service) ?? 0) + 1)
      peaks.set(service, Math.max(peaks.get(service) ?? 0, active.get(service)!))
      overallActive++
      overallPeak = Math.max(overallPeak, overallActive)
      await sleep(10)
      overallActive--
      active.set(service, active.get(service)! - 1)
    }

    const specs = ['a', 'b'].flatMap((service) =>
      ['One', 'Two'].map((name) => fakeSpec({type: `Test::${service}::${name}`, service, beforePage: track(service)})),
    )
    const {store, snapshotId, run} = setup(specs, {regions: ['us-east-1', 'eu-west-1']})
    await run({concurrency: 8, perServiceConcurrency: 1})
    expect(peaks).toEqual(new Map([['a', 1], ['b', 1]]))
    expect(overallPeak).toBe(2)
    expect(countRows(store, 'coverage where snapshot_id = ?', snapshotId)).toBe(8)
  })

  it('reports progress: start, each cell start and end, and every page', async () => {
    const events: CollectProgress[] = []
    const spec = fakeSpec({pages: () => [[{id: 'x'}], [{id: 'y'}, {id: 'z'}]]})
    const {run} = setup([spec], {regions: ['us-east-1']})
    await run({onProgress: (event) => events.push(event)})
    expect(events.map((e) => e.kind)).toEqual(['start', 'cell-start', 'page', 'page', 'cell-done'])
    expect(events[0]).toEqual({kind: 'start', cells: 1})
    expect(events.filter((e) => e.kind === 'page').map((e) => (e.kind === 'page' ? e.resources : -1))).toEqual([1, 2])
    expect(events[4]).toMatchObject({kind: 'cell-done', record: {status: 'ok', itemCount: 3}})
  })
})
