import {afterEach, describe, expect, it} from 'vitest'

import {diffSnapshots} from '../../../src/diff/snapshots.js'
import type {Resource} from '../../../src/resources/types.js'
import type {Store} from '../../../src/store/database.js'
import {finishSnapshot, requireSnapshot} from '../../../src/store/snapshots.js'
import {SnapshotWriter} from '../../../src/store/writer.js'
import {coverageRecord, fakeResource, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-diff-')
afterEach(() => stores.cleanup())

/** Complete snapshots of the VPC cell, their pages written in turns (as by collections running at once). */
function storeInTurns(store: Store, snapshots: Record<string, Resource[][]>): void {
  const writers = Object.entries(snapshots).map(([name, pages]) => ({id: seedSnapshot(store, name), pages}))
  const turns = Math.max(...writers.map((w) => w.pages.length))
  for (let turn = 0; turn < turns; turn++) {
    for (const {id, pages} of writers) {
      const page = pages[turn]
      if (page) new SnapshotWriter(store, id).write(page, 'ec2')
    }
  }

  for (const {id} of writers) {
    new SnapshotWriter(store, id).coverage(coverageRecord())
    finishSnapshot(store, id, {status: 'complete', setActive: false})
  }
}

function diff(store: Store) {
  return diffSnapshots(store, requireSnapshot(store, 'before'), requireSnapshot(store, 'after'))
}

const vpc = (id: string, tags: Record<string, string>, cidr = '10.0.0.0/16') => fakeResource(id, {tags, configuration: {VpcId: id, CidrBlock: cidr}})

describe('diffSnapshots', () => {
  it('tells tag changes from equal tags when the configurations are the same', () => {
    const store = stores.open()
    const before = [
      vpc('vpc-same', {env: 'dev', team: 'web'}),
      vpc('vpc-untagged', {}),
      vpc('vpc-value', {env: 'dev'}),
      vpc('vpc-added', {env: 'dev'}),
      vpc('vpc-removed', {env: 'dev', team: 'web'}),
      vpc('vpc-renamed', {env: 'dev'}),
    ]
    const after = [
      // Same tags, stored in another order.
      vpc('vpc-same', {team: 'web', env: 'dev'}),
      vpc('vpc-untagged', {}),
      vpc('vpc-value', {env: 'prod'}),
      vpc('vpc-added', {env: 'dev', owner: 'ops'}),
      vpc('vpc-removed', {env: 'dev'}),
      // As many tags, the same value, another key.
      vpc('vpc-renamed', {stage: 'dev'}),
    ]
    storeInTurns(store, {before: [before], after: [after]})

    const report = diff(store)
    expect(report.summary).toMatchObject({added: 0, removed: 0, replaced: 0, modified: 4, unchanged: 2})
    expect(Object.fromEntries(report.resources.map((r) => [r.id, r.changes!.map((c) => `${c.kind} ${c.path}`)]))).toEqual({
      'vpc-value': ['changed Tags[env]'],
      'vpc-added': ['added Tags[owner]'],
      'vpc-removed': ['removed Tags[team]'],
      'vpc-renamed': ['removed Tags[env]', 'added Tags[stage]'],
    })
  })

  it('compares only the two snapshots when their rows were written interleaved with each other and a third', () => {
    const store = stores.open()
    const before = ['vpc-0', 'vpc-1', 'vpc-2', 'vpc-3', 'vpc-4', 'vpc-5'].map((id) => vpc(id, {env: 'dev'}))
    const after = [...before.slice(0, 5), vpc('vpc-6', {env: 'dev'})]
    after[1] = vpc('vpc-1', {env: 'dev'}, '10.1.0.0/16')
    // Another snapshot holding the same ARNs, all different.
    const other = before.map((r) => vpc(r.id, {env: 'other'}, '192.168.0.0/16'))
    const pages = (resources: Resource[]) => resources.map((r) => [r])
    storeInTurns(store, {before: pages(before), other: pages(other), after: pages(after)})

    const report = diff(store)
    expect(report.summary).toMatchObject({added: 1, removed: 1, replaced: 0, modified: 1, unchanged: 4})
    expect(report.resources.map((r) => `${r.change} ${r.id}`)).toEqual(['modified vpc-1', 'removed vpc-5', 'added vpc-6'])
  })
})
