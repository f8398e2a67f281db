import {ConfigServiceClient, DescribeConfigurationRecorderStatusCommand, DescribeConfigurationRecordersCommand} from '@aws-sdk/client-config-service'
import {DescribeRegionsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'
import type {AwsSession} from '../../../src/aws/session.js'
import {InterruptedBeforeCollection, NothingCollectedError, createSnapshot, nothingCollected, resolveSnapshotTarget} from '../../../src/collect/snapshot.js'
import {UserError} from '../../../src/errors.js'
import {insertInventory} from '../../../src/store/inventories.js'
import {listSnapshots} from '../../../src/store/snapshots.js'
import {fakeConfigSpec} from '../../support/config-fakes.js'
import {countRows, coverageRecord, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-collect-snapshot-')
afterEach(() => stores.cleanup())

const refused = (region: string, resourceType = 'AWS::SQS::Queue') =>
  coverageRecord({region, resourceType, status: 'error', errorCode: 'ECONNREFUSED', error: `connect ECONNREFUSED 127.0.0.1:4566 (${region})`})

describe('nothingCollected', () => {
  it('is undefined when a cell was collected, or when there was no cell', () => {
    expect(nothingCollected([refused('us-east-1'), coverageRecord()])).toBeUndefined()
    expect(nothingCollected([coverageRecord()])).toBeUndefined()
    expect(nothingCollected([])).toBeUndefined()
  })

  it('says every cell failed, with the error they all met and the first message', () => {
    expect(nothingCollected([refused('us-east-1'), refused('eu-west-1'), refused('global', 'AWS::IAM::Role')])).toBe(
      'Nothing could be collected: all 3 cells failed, every one with ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:4566 (us-east-1)).',
    )
  })

  it('names the most common error code, whatever the messages, and how many cells met it', () => {
    const denied = (type: string) => coverageRecord({resourceType: type, status: 'access_denied', errorCode: 'AccessDenied', error: `not authorized to perform: ${type}.`})
    const throttled = coverageRecord({status: 'throttled', errorCode: 'Throttling', error: 'Rate exceeded'})
    expect(nothingCollected([throttled, denied('AWS::SQS::Queue'), denied('AWS::SNS::Topic')])).toBe(
      'Nothing could be collected: all 3 cells failed, 2 of them with AccessDenied (not authorized to perform: AWS::SQS::Queue).',
    )
  })

  it('takes the first error seen among equally common ones, and the status when a cell has no code', () => {
    const noCode = coverageRecord({status: 'error', errorCode: null, error: null})
    expect(nothingCollected([noCode, refused('us-east-1')])).toBe('Nothing could be collected: all 2 cells failed, 1 of them with error.')
    expect(nothingCollected([refused('us-east-1')])).toBe('Nothing could be collected: its one cell failed, with ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:4566 (us-east-1)).')
  })

  it('cuts a long message', () => {
    const long = coverageRecord({status: 'error', errorCode: 'InternalError', error: 'x'.repeat(500)})
    const text = nothingCollected([long])!
    expect(text).toContain(`(${'x'.repeat(199)}…).`)
    expect(text.length).toBeLessThan(300)
  })
})

describe('NothingCollectedError', () => {
  it('is a one-line user error that says the failed snapshot is kept, and how to see its cells', () => {
    const error = new NothingCollectedError('Nothing could be collected: its one cell failed, with ECONNREFUSED.', 'monday')
    expect(error).toBeInstanceOf(UserError)
    expect(error.exitCode).toBe(1)
    expect(error.message).toBe('Nothing could be collected: its one cell failed, with ECONNREFUSED. Snapshot "monday" is kept as failed: "awsinv snapshot report monday" lists every cell.')
    expect([error.reason, error.snapshot]).toEqual(['Nothing could be collected: its one cell failed, with ECONNREFUSED.', 'monday'])
  })
})

describe('resolveSnapshotTarget', () => {
  const none = {includeTags: {}, excludeTags: {}, useConfig: true}

  it('takes the default inventory, or the one named, with its tag filters under the given ones', () => {
    const store = stores.open()
    insertInventory(store, {name: 'team', includeTags: {team: 'a', env: 'dev'}, excludeTags: {tier: 'scratch'}})
    expect(resolveSnapshotTarget(store, none)).toMatchObject({inventory: {name: 'default'}, filters: {includeTags: {}, excludeTags: {}}})
    const target = resolveSnapshotTarget(store, {...none, inventory: 'team', includeTags: {env: 'prod'}})
    expect(target.inventory.name).toBe('team')
    expect(target.filters).toEqual({includeTags: {team: 'a', env: 'prod'}, excludeTags: {tier: 'scratch'}})
    expect(resolveSnapshotTarget(store, {...none, inventory: 'team', unfiltered: true}).filters).toEqual({includeTags: {}, excludeTags: {}})
  })

  it('refuses, from the store alone, an unknown inventory and filters that contradict its own', () => {
    const store = stores.open()
    insertInventory(store, {name: 'team', includeTags: {team: 'a'}})
    expect(() => resolveSnapshotTarget(store, {...none, inventory: 'nope'})).toThrow(/^Unknown inventory "nope"\. Known inventories: team\.$/)
    expect(() => resolveSnapshotTarget(store, {...none, inventory: 'team', excludeTags: {team: 'a'}})).toThrow(
      /^Include and exclude tags \(of inventory "team", with --include-tags and --exclude-tags\) both name team=a/,
    )
    expect(() => resolveSnapshotTarget(store, {...none, useConfig: false, configAggregator: 'org'})).toThrow('--config-aggregator and --no-config cannot be used together.')
  })
})

describe('createSnapshot stopped while it is planned', () => {
  const config = mockClient(ConfigServiceClient)
  const ec2 = mockClient(EC2Client)
  const sessions: AwsSession[] = []
  afterEach(async () => {
    config.reset()
    ec2.reset()
    await Promise.all(sessions.splice(0).map((s) => s.clients.destroy()))
  })

  function session(): AwsSession {
    const opened = {
      clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1'),
      homeRegion: 'us-east-1',
      identity: {accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/me', userId: 'AIDA', partition: 'aws'},
      notes: [],
    }
    sessions.push(opened)
    return opened
  }

  const options = (signal: AbortSignal) => ({
    name: 'early',
    regions: {kind: 'list' as const, regions: ['us-east-1', 'eu-west-1']},
    specs: [fakeConfigSpec()],
    includeTags: {},
    excludeTags: {},
    useConfig: true,
    concurrency: 2,
    setActive: true,
    signal,
  })

  it('records nothing, not even an empty interrupted snapshot, when the stop comes during AWS Config detection', async () => {
    const store = stores.open()
    const controller = new AbortController()
    // The user presses Ctrl-C while the regions' recorders are asked for.
    config.on(DescribeConfigurationRecordersCommand).callsFake(async () => {
      controller.abort()
      return {ConfigurationRecorders: []}
    })
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    const error = await createSnapshot(store, session(), options(controller.signal)).catch((error_: unknown) => error_)
    expect(error).toBeInstanceOf(InterruptedBeforeCollection)
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).exitCode).toBe(130)
    expect((error as Error).message).toBe('Interrupted before the collection started: nothing was saved.')
    expect(listSnapshots(store)).toEqual([])
    expect(countRows(store, 'coverage')).toBe(0)
  })

  it('says it was interrupted, not how the aborted call failed, when the stop makes a planning call fail', async () => {
    const store = stores.open()
    const controller = new AbortController()
    ec2.on(DescribeRegionsCommand).callsFake(async () => {
      controller.abort()
      throw Object.assign(new Error('Request aborted'), {name: 'AbortError'})
    })
    const error = await createSnapshot(store, session(), {...options(controller.signal), regions: {kind: 'all'}}).catch((error_: unknown) => error_)
    expect(error).toBeInstanceOf(InterruptedBeforeCollection)
    expect(listSnapshots(store)).toEqual([])
  })

  it('passes the stop to the planning calls, which AWS can then abandon', async () => {
    const store = stores.open()
    const controller = new AbortController()
    const signals: Array<AbortSignal | undefined> = []
    config.on(DescribeConfigurationRecordersCommand).callsFake(async () => {
      controller.abort()
      return {ConfigurationRecorders: []}
    })
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    const sent = session()
    // The client planning asks (one per service and region): what it is sent with is recorded.
    const client = await sent.clients.get('config', 'us-east-1')
    const original = client.send.bind(client) as (command: unknown, options?: {abortSignal?: AbortSignal}) => Promise<unknown>
    ;(client as unknown as {send: typeof original}).send = (command, callOptions) => {
      signals.push(callOptions?.abortSignal)
      return original(command, callOptions)
    }

    await expect(createSnapshot(store, sent, {...options(controller.signal), regions: {kind: 'list', regions: ['us-east-1']}})).rejects.toBeInstanceOf(InterruptedBeforeCollection)
    expect(signals.length).toBeGreaterThan(0)
    for (const signal of signals) expect(signal).toBe(controller.signal)
  })
})
