import {afterEach, describe, expect, it} from 'vitest'

import {NothingCollectedError, nothingCollected, resolveSnapshotTarget} from '../../../src/collect/snapshot.js'
import {UserError} from '../../../src/errors.js'
import {insertInventory} from '../../../src/store/inventories.js'
import {coverageRecord, tempStores} from '../../support/store.js'

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
