import {
  BatchGetAggregateResourceConfigCommand,
  type BatchGetAggregateResourceConfigCommandInput,
  BatchGetResourceConfigCommand,
  type BatchGetResourceConfigCommandInput,
  ConfigServiceClient,
  ListAggregateDiscoveredResourcesCommand,
  ListDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../../src/aws/clients.js'
import type {AggregatorInfo} from '../../../../src/collect/config/aggregator.js'
import {type RegionConfigState, viewRecordingGroup} from '../../../../src/collect/config/detect.js'
import {planCollection} from '../../../../src/collect/plan.js'
import {type CollectProgress, type RunOptions, runCollection} from '../../../../src/collect/run.js'
import type {ResourceSpec} from '../../../../src/resources/types.js'
import {finishSnapshot, requireSnapshot} from '../../../../src/store/snapshots.js'
import {SnapshotWriter} from '../../../../src/store/writer.js'
import {aggregateIdentifier, configItem, fakeConfigSpec} from '../../../support/config-fakes.js'
import {countRows, seedSnapshot, tempStores} from '../../../support/store.js'

const stores = tempStores('awsinv-config-run-')
const config = mockClient(ConfigServiceClient)
afterEach(() => stores.cleanup())
beforeEach(() => config.reset())

const OWN = '123456789012'
const DEV = '111111111111'
const PROD = '222222222222'
const fast = {attempts: 2, baseDelayMs: 1, maxDelayMs: 2}
const awsError = (name: string, message = name) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: 400}})

/** A region whose recorder records every supported type. */
const recording = (region: string): RegionConfigState => ({
  region,
  kind: 'available',
  recorders: [
    {
      name: 'default',
      recording: true,
      lastStatus: 'Success',
      lastStatusChangeTime: null,
      lastErrorCode: null,
      lastErrorMessage: null,
      recordingGroup: viewRecordingGroup({allSupported: true, includeGlobalResourceTypes: true}),
    },
  ],
})

/** Config answers every key with an item of the key's region. */
function answerEveryKey(region = 'us-east-1') {
  config.on(BatchGetResourceConfigCommand).callsFake((input: BatchGetResourceConfigCommandInput) => ({
    baseConfigurationItems: (input.resourceKeys ?? []).map((k) => configItem(k.resourceId!, {awsRegion: region})),
    unprocessedResourceKeys: [],
  }))
}

function setup(specs: ResourceSpec[], planOptions: {regions?: string[]; aggregator?: AggregatorInfo} = {}) {
  const store = stores.open()
  const snapshotId = seedSnapshot(store, 'run')
  const regions = planOptions.regions ?? ['us-east-1']
  const plan = planCollection({
    accountId: OWN,
    regions,
    homeRegion: 'us-east-1',
    specs,
    useConfig: true,
    config: new Map(regions.map((r) => [r, recording(r)])),
    aggregator: planOptions.aggregator,
  })
  const clients = new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1')
  return {
    store,
    snapshotId,
    plan,
    run: (overrides: Partial<RunOptions> = {}) =>
      runCollection({
        plan,
        clients,
        partition: 'aws',
        writer: new SnapshotWriter(store, snapshotId),
        filters: {includeTags: {}, excludeTags: {}},
        concurrency: 4,
        signal: new AbortController().signal,
        configRetry: fast,
        ...overrides,
      }).finally(() => clients.destroy()),
  }
}

type Row = Record<string, unknown>
const coverage = (store: ReturnType<typeof stores.open>, snapshotId: number): Row[] =>
  store.sqlite
    .prepare('select account_id, region, resource_type, status, source, source_reason, item_count, error_code from coverage where snapshot_id = ? order by account_id, region, resource_type')
    .all(snapshotId) as Row[]
const resources = (store: ReturnType<typeof stores.open>, snapshotId: number): Row[] =>
  store.sqlite.prepare('select account_id, region, resource_id, source from resources where snapshot_id = ? order by account_id, region, resource_id').all(snapshotId) as Row[]

describe('collecting a cell through AWS Config', () => {
  it('stores what Config returns, with relationships and tag filters as the API path, and records source config', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: [{resourceType: 'AWS::Test::Thing' as never, resourceId: 'a'}, {resourceType: 'AWS::Test::Thing' as never, resourceId: 'b'}]})
    config.on(BatchGetResourceConfigCommand).resolves({
      baseConfigurationItems: [configItem('a', {configuration: '{"id":"a","tags":{"env":"dev"}}'}), configItem('b', {configuration: '{"id":"b","tags":{"env":"prod"}}'})],
      unprocessedResourceKeys: [],
    })
    const spec = {...fakeConfigSpec(), relationships: () => [{type: 'AWS::Test::Thing', id: 'parent', kind: 'in' as const}]}
    const {store, snapshotId, run} = setup([spec])
    const records = await run({filters: {includeTags: {env: 'dev'}, excludeTags: {}}})

    expect(records).toEqual([expect.objectContaining({status: 'ok', source: 'config', sourceReason: 'AWS Config: recorder "default" records this type', itemCount: 1})])
    expect(resources(store, snapshotId)).toEqual([{account_id: OWN, region: 'us-east-1', resource_id: 'a', source: 'config'}])
    const stored = store.sqlite.prepare('select relationships from resources where snapshot_id = ?').pluck().get(snapshotId) as string
    expect(JSON.parse(stored)).toEqual([{type: 'AWS::Test::Thing', id: 'parent', kind: 'in'}])
    expect(spec.apiCalls).toEqual([])
  })

  it('discards what Config wrote and collects the cell directly when Config fails mid-cell, saying why', async () => {
    config
      .on(ListDiscoveredResourcesCommand)
      .resolvesOnce({resourceIdentifiers: Array.from({length: 100}, (_, i) => ({resourceType: 'AWS::Test::Thing' as never, resourceId: `cfg-${i}`})), nextToken: 'more'})
      .rejects(awsError('ThrottlingException', 'Rate exceeded'))
    answerEveryKey()
    const events: CollectProgress[] = []
    const spec = fakeConfigSpec({apiPages: () => [[{id: 'api-1'}, {id: 'api-2'}]]})
    const {store, snapshotId, run} = setup([spec])
    const records = await run({onProgress: (e) => events.push(e)})

    expect(config.commandCalls(BatchGetResourceConfigCommand)).toHaveLength(1)
    expect(records).toEqual([
      expect.objectContaining({status: 'ok', source: 'api', sourceReason: 'AWS Config failed (ThrottlingException); direct API', itemCount: 2}),
    ])
    expect(resources(store, snapshotId).map((r) => [r.resource_id, r.source])).toEqual([
      ['api-1', 'api'],
      ['api-2', 'api'],
    ])
    expect(spec.apiCalls).toEqual(['us-east-1'])
    expect(events.filter((e) => e.kind === 'cell-done')).toHaveLength(1)
  })

  it('falls back when keys stay unprocessed, and records the API error if the direct API fails too', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: [{resourceType: 'AWS::Test::Thing' as never, resourceId: 'x'}]})
    config.on(BatchGetResourceConfigCommand).resolves({baseConfigurationItems: [], unprocessedResourceKeys: [{resourceType: 'AWS::Test::Thing' as never, resourceId: 'x'}]})
    const denied = fakeConfigSpec({apiError: () => awsError('AccessDenied', 'User: u is not authorized to perform: test:ListThings')})
    const {store, snapshotId, run} = setup([denied])
    await run()
    expect(coverage(store, snapshotId)).toEqual([
      expect.objectContaining({status: 'access_denied', source: 'api', source_reason: 'AWS Config failed (UnprocessedResourceKeys); direct API', item_count: 0, error_code: 'AccessDenied'}),
    ])
    expect(countRows(store, 'resources where snapshot_id = ?', snapshotId)).toBe(0)
    expect(config.commandCalls(BatchGetResourceConfigCommand)).toHaveLength(2)
  })

  it('reads an account setting Config has no item of from the direct API, saying why', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({resourceIdentifiers: []})
    const setting = {...fakeConfigSpec({scope: 'global'}), singleton: true as const}
    const {store, snapshotId, run} = setup([setting])
    await run()
    expect(coverage(store, snapshotId)).toEqual([
      expect.objectContaining({
        region: 'global',
        status: 'ok',
        source: 'api',
        source_reason: 'AWS Config: no configuration item for this setting (not configured, or not recorded yet); direct API',
        item_count: 1,
      }),
    ])
    expect(setting.apiCalls).toEqual(['us-east-1'])
  })

  it('leaves cells planned for the direct API alone', async () => {
    const spec = fakeConfigSpec()
    const {store, snapshotId, run} = setup([{...spec, fromConfigItem: undefined}])
    await run()
    expect(coverage(store, snapshotId)).toEqual([expect.objectContaining({status: 'ok', source: 'api', source_reason: 'AWS Config: no Config mapping for this type in awsinv'})])
    expect(config.calls()).toHaveLength(0)
  })
})

describe('collecting through an aggregator', () => {
  const aggregator: AggregatorInfo = {
    name: 'org',
    region: 'us-east-1',
    arn: null,
    sources: [
      {accounts: [OWN, DEV], regions: ['us-east-1', 'eu-west-1']},
      {accounts: [PROD], regions: null},
    ],
  }

  function answerAggregate() {
    config.on(BatchGetAggregateResourceConfigCommand).callsFake((input: BatchGetAggregateResourceConfigCommandInput) => ({
      BaseConfigurationItems: (input.ResourceIdentifiers ?? []).map((i) =>
        configItem(i.ResourceId!, {
          accountId: i.SourceAccountId,
          awsRegion: i.SourceRegion,
          ...(i.ResourceId === 'dev-east-1' ? {supplementaryConfiguration: {Tags: '[{"key":"env","value":"dev"}]'}} : {}),
        }),
      ),
      UnprocessedResourceIdentifiers: [],
    }))
  }

  it('writes every account into one snapshot, with a coverage row per account, region and type', async () => {
    config.on(ListAggregateDiscoveredResourcesCommand).resolves({
      ResourceIdentifiers: [
        aggregateIdentifier('own-east-1', OWN, 'us-east-1'),
        aggregateIdentifier('own-south-1', OWN, 'ap-south-1'),
        aggregateIdentifier('dev-east-1', DEV, 'us-east-1'),
        aggregateIdentifier('dev-east-2', DEV, 'us-east-1'),
        aggregateIdentifier('prod-west-1', PROD, 'eu-west-1'),
      ],
    })
    answerAggregate()
    const spec = fakeConfigSpec()
    const {store, snapshotId, plan, run} = setup([spec], {regions: ['us-east-1', 'eu-west-1'], aggregator})
    expect(plan.cells).toEqual([])
    await run()

    expect(coverage(store, snapshotId).map((r) => [r.account_id, r.region, r.status, r.source, r.item_count, r.source_reason])).toEqual([
      [DEV, 'eu-west-1', 'ok', 'config', 0, 'AWS Config aggregator "org"'],
      [DEV, 'us-east-1', 'ok', 'config', 2, 'AWS Config aggregator "org"; tags unknown for 1 resource (not in the aggregate item)'],
      [OWN, 'eu-west-1', 'ok', 'config', 0, 'AWS Config aggregator "org"'],
      [OWN, 'us-east-1', 'ok', 'config', 1, 'AWS Config aggregator "org"; tags unknown for 1 resource (not in the aggregate item)'],
      [PROD, 'eu-west-1', 'ok', 'config', 1, 'AWS Config aggregator "org"; tags unknown for 1 resource (not in the aggregate item)'],
      [PROD, 'us-east-1', 'ok', 'config', 0, 'AWS Config aggregator "org"'],
    ])
    expect(resources(store, snapshotId).map((r) => [r.account_id, r.region, r.resource_id])).toEqual([
      [DEV, 'us-east-1', 'dev-east-1'],
      [DEV, 'us-east-1', 'dev-east-2'],
      [OWN, 'us-east-1', 'own-east-1'],
      [PROD, 'eu-west-1', 'prod-west-1'],
    ])
    const tags = store.sqlite.prepare(`select t.key, t.value from resource_tags t join resources r on r.id = t.resource_id where r.resource_id = 'dev-east-1'`).all()
    expect(tags).toEqual([{key: 'env', value: 'dev'}])
    finishSnapshot(store, snapshotId, {status: 'complete', setActive: false})
    expect(requireSnapshot(store, 'run').accounts).toEqual([DEV, OWN, PROD])
  })

  it('leaves the caller\'s cells its own recorder does not record to the per-region plan', async () => {
    config.on(ListAggregateDiscoveredResourcesCommand).resolves({
      ResourceIdentifiers: [aggregateIdentifier('own-stale', OWN, 'eu-west-1'), aggregateIdentifier('dev-west', DEV, 'eu-west-1')],
    })
    answerAggregate()
    const spec = fakeConfigSpec()
    const store = stores.open()
    const snapshotId = seedSnapshot(store, 'run')
    const notRecording: RegionConfigState = {region: 'eu-west-1', kind: 'available', recorders: []}
    const plan = planCollection({
      accountId: OWN,
      regions: ['us-east-1', 'eu-west-1'],
      homeRegion: 'us-east-1',
      specs: [spec],
      useConfig: true,
      config: new Map([
        ['us-east-1', recording('us-east-1')],
        ['eu-west-1', notRecording],
      ]),
      aggregator,
    })
    expect(plan.cells.map((c) => [c.region, c.source, c.sourceReason])).toEqual([['eu-west-1', 'api', 'AWS Config: no configuration recorder in eu-west-1']])
    const clients = new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1')
    await runCollection({plan, clients, partition: 'aws', writer: new SnapshotWriter(store, snapshotId), filters: {includeTags: {}, excludeTags: {}}, concurrency: 4, signal: new AbortController().signal, configRetry: fast})
    await clients.destroy()
    expect(resources(store, snapshotId).map((r) => [r.account_id, r.region, r.resource_id, r.source])).toEqual([
      [DEV, 'eu-west-1', 'dev-west', 'config'],
      [OWN, 'eu-west-1', 'eu-west-1-api-1', 'api'],
    ])
  })

  it('reads the caller\'s own account setting directly when the aggregator has no item of it, and says so for other accounts', async () => {
    config.on(ListAggregateDiscoveredResourcesCommand).resolves({
      // A global setting is listed once per region it is recorded in.
      ResourceIdentifiers: [aggregateIdentifier(PROD, PROD, 'us-east-1'), aggregateIdentifier(PROD, PROD, 'eu-west-1')],
    })
    answerAggregate()
    const setting = {...fakeConfigSpec({scope: 'global'}), singleton: true as const}
    const {store, snapshotId, plan, run} = setup([setting], {regions: ['us-east-1'], aggregator})
    expect(plan.cells).toEqual([])
    const events: CollectProgress[] = []
    await run({onProgress: (e) => events.push(e)})

    expect(coverage(store, snapshotId).map((r) => [r.account_id, r.region, r.status, r.source, r.item_count, r.source_reason])).toEqual([
      [DEV, 'global', 'ok', 'config', 0, 'AWS Config aggregator "org"; no configuration item for this setting (not configured, or not recorded yet)'],
      [OWN, 'global', 'ok', 'api', 1, 'AWS Config aggregator "org": no configuration item for this setting; direct API'],
      [PROD, 'global', 'ok', 'config', 1, 'AWS Config aggregator "org"; tags unknown for 1 resource (not in the aggregate item)'],
    ])
    expect(resources(store, snapshotId).map((r) => [r.account_id, r.region, r.source])).toEqual([
      [OWN, 'global', 'api'],
      [PROD, 'global', 'config'],
    ])
    expect(events.filter((e) => e.kind === 'more')).toEqual([{kind: 'more', cells: 1}])
  })

  it('records the error for other accounts and collects the caller\'s own cells directly when the aggregator fails', async () => {
    config.on(ListAggregateDiscoveredResourcesCommand).rejects(awsError('AccessDeniedException', 'User: u is not authorized to perform: config:ListAggregateDiscoveredResources'))
    const spec = fakeConfigSpec()
    const events: CollectProgress[] = []
    const {store, snapshotId, run} = setup([spec], {regions: ['us-east-1'], aggregator})
    const records = await run({onProgress: (e) => events.push(e)})

    expect(coverage(store, snapshotId).map((r) => [r.account_id, r.region, r.status, r.source, r.source_reason])).toEqual([
      [DEV, 'us-east-1', 'access_denied', 'config', 'AWS Config aggregator "org" failed (AccessDeniedException)'],
      [OWN, 'us-east-1', 'ok', 'api', 'AWS Config aggregator "org" failed (AccessDeniedException); direct API'],
      [PROD, 'us-east-1', 'access_denied', 'config', 'AWS Config aggregator "org" failed (AccessDeniedException)'],
    ])
    expect(records).toHaveLength(3)
    expect(resources(store, snapshotId).map((r) => [r.account_id, r.resource_id, r.source])).toEqual([[OWN, 'us-east-1-api-1', 'api']])
    expect(events.filter((e) => e.kind === 'more')).toEqual([{kind: 'more', cells: 1}])
  })

  it('discards every account\'s resources of a type whose aggregated read fails part way', async () => {
    config
      .on(ListAggregateDiscoveredResourcesCommand)
      .resolvesOnce({ResourceIdentifiers: Array.from({length: 100}, (_, i) => aggregateIdentifier(`dev-${i}`, DEV, 'us-east-1')), NextToken: 'more'})
      .rejects(awsError('InternalFailure'))
    answerAggregate()
    const {store, snapshotId, run} = setup([fakeConfigSpec()], {regions: ['us-east-1'], aggregator})
    await run()
    expect(resources(store, snapshotId).map((r) => [r.account_id, r.source])).toEqual([[OWN, 'api']])
    expect(coverage(store, snapshotId).find((r) => r.account_id === DEV)).toMatchObject({status: 'error', error_code: 'InternalFailure', item_count: 0})
  })
})
