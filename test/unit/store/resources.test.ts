import {afterEach, describe, expect, it} from 'vitest'

import type {Store} from '../../../src/store/database.js'
import {type ResourceCriteria, findResources} from '../../../src/store/resources.js'
import {countRows, fakeResource, finishedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-store-resources-')
afterEach(() => stores.cleanup())

function seeded(): {store: Store; id: number} {
  const store = stores.open()
  finishedSnapshot(store, 'other', {resources: [fakeResource('vpc-other', {tags: {env: 'prod'}})]})
  const id = finishedSnapshot(store, 'main', {
    resources: [
      fakeResource('vpc-a', {name: "it's", tags: {env: 'prod', 'odd key': "x' or '1'='1"}}),
      fakeResource('vpc-b', {name: 'b', region: 'eu-west-1', tags: {env: 'dev'}}),
      fakeResource('vpc-c', {name: 'c', tags: {}}),
    ],
  })
  return {store, id}
}

const none = {types: [], regions: [], arns: [], names: [], tags: []}
const find = (store: Store, criteria: Partial<ResourceCriteria> & {snapshotId: number}) => findResources(store, {...none, limit: 100, ...criteria})
const idsOf = (result: ReturnType<typeof findResources>) => result.resources.map((r) => r.id)

describe('findResources', () => {
  it("returns only the snapshot's resources", () => {
    const {store, id} = seeded()
    expect(idsOf(find(store, {snapshotId: id}))).toEqual(['vpc-b', 'vpc-a', 'vpc-c'])
  })

  it('takes SQLite GLOB patterns, character classes included', () => {
    const {store, id} = seeded()
    expect(idsOf(find(store, {snapshotId: id, names: ['[bc]']}))).toEqual(['vpc-b', 'vpc-c'])
    expect(idsOf(find(store, {snapshotId: id, arns: ['*vpc-?']}))).toHaveLength(3)
  })

  it('binds every value: quotes and SQL in them are plain text', () => {
    const {store, id} = seeded()
    expect(idsOf(find(store, {snapshotId: id, names: ["it's"]}))).toEqual(['vpc-a'])
    expect(idsOf(find(store, {snapshotId: id, names: ["' or 1=1 --"]}))).toEqual([])
    expect(idsOf(find(store, {snapshotId: id, tags: [{key: 'odd key', value: "x' or '1'='1"}]}))).toEqual(['vpc-a'])
    expect(idsOf(find(store, {snapshotId: id, tags: [{key: "env' or 1=1 --", value: '*'}]}))).toEqual([])
    expect(countRows(store, 'resources')).toBe(4)
  })

  it('requires every tag and any of the patterns of each field', () => {
    const {store, id} = seeded()
    expect(idsOf(find(store, {snapshotId: id, tags: [{key: 'env', value: '*'}, {key: 'odd key', value: '*'}]}))).toEqual(['vpc-a'])
    expect(idsOf(find(store, {snapshotId: id, regions: ['eu-west-1', 'us-east-1'], names: ['b', 'c']}))).toEqual(['vpc-b', 'vpc-c'])
  })

  it('returns at most `limit` resources and says when more matched', () => {
    const {store, id} = seeded()
    expect(find(store, {snapshotId: id, limit: 1})).toMatchObject({truncated: true, resources: [{id: 'vpc-b'}]})
    expect(find(store, {snapshotId: id, limit: 3}).truncated).toBe(false)
  })
})
