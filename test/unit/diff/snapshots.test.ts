import {afterEach, describe, expect, it} from 'vitest'

import {diffSnapshots, parseCategories} from '../../../src/diff/snapshots.js'
import {parseIgnoreRules} from '../../../src/diff/ignore.js'
import type {Resource} from '../../../src/resources/types.js'
import type {Store} from '../../../src/store/database.js'
import {type SnapshotStatus} from '../../../src/store/schema.js'
import {finishSnapshot, requireSnapshot} from '../../../src/store/snapshots.js'
import {type CoverageRecord, SnapshotWriter} from '../../../src/store/writer.js'
import {coverageRecord, fakeResource, seedSnapshot, tempStores} from '../../support/store.js'
import type {NewSnapshot} from '../../../src/store/snapshots.js'

const stores = tempStores('awsinv-diff-')
afterEach(() => stores.cleanup())

const role = (name: string, overrides: Partial<Resource> = {}) =>
  fakeResource(name, {arn: `arn:aws:iam::123456789012:role/${name}`, type: 'AWS::IAM::Role', region: 'global', configuration: {RoleName: name, RoleId: `AROA${name}`}, ...overrides})
const roleCell = coverageRecord({region: 'global', resourceType: 'AWS::IAM::Role'})

/** A finished snapshot holding `resources`, with an `ok` VPC and role cell unless other coverage is given. */
function snapshotOf(
  store: Store,
  name: string,
  resources: Resource[],
  options: {coverage?: CoverageRecord[]; status?: Exclude<SnapshotStatus, 'running'>; accountId?: string; filters?: NewSnapshot['filters']} = {},
) {
  const id = seedSnapshot(store, name, {...(options.accountId ? {accountId: options.accountId} : {}), ...(options.filters ? {filters: options.filters} : {})})
  const writer = new SnapshotWriter(store, id)
  for (const r of resources) writer.write([r], r.type === 'AWS::IAM::Role' ? 'iam' : 'ec2')
  for (const c of options.coverage ?? [coverageRecord(), roleCell]) writer.coverage(c)
  finishSnapshot(store, id, {status: options.status ?? 'complete', setActive: false})
  return requireSnapshot(store, name)
}

describe('diffSnapshots', () => {
  it('classifies added, removed, replaced and modified resources, and counts the unchanged', () => {
    const store = stores.open()
    const before = snapshotOf(store, 'a', [
      fakeResource('vpc-same'),
      fakeResource('vpc-gone'),
      fakeResource('vpc-tagged', {tags: {env: 'dev'}}),
      role('recreated', {createdAt: '2026-01-01T00:00:00.000Z'}),
      role('renewed-id'),
    ])
    const after = snapshotOf(store, 'b', [
      fakeResource('vpc-same'),
      fakeResource('vpc-tagged', {tags: {env: 'prod'}}),
      fakeResource('vpc-new'),
      role('recreated', {createdAt: '2026-02-01T00:00:00.000Z'}),
      role('renewed-id', {configuration: {RoleName: 'renewed-id', RoleId: 'AROAother'}}),
    ])
    const report = diffSnapshots(store, before, after)
    expect(report.resources.map((r) => [r.change, r.id])).toEqual([
      // By type, region, then ARN.
      ['removed', 'vpc-gone'],
      ['added', 'vpc-new'],
      ['modified', 'vpc-tagged'],
      ['replaced', 'recreated'],
      ['replaced', 'renewed-id'],
    ])
    expect(report.resources.find((r) => r.id === 'recreated')?.reason).toBe('created 2026-01-01T00:00:00.000Z → 2026-02-01T00:00:00.000Z')
    expect(report.resources.find((r) => r.id === 'renewed-id')?.reason).toBe('RoleId AROArenewed-id → AROAother')
    expect(report.summary).toMatchObject({added: 1, removed: 1, replaced: 2, modified: 1, unchanged: 1, notComparable: 0})
    expect(report.summary.byCategory).toEqual({tags: 1, security: 2, configuration: 2, state: 0})
    expect(report.drift).toBe(true)

    // Unchanged in the selected categories: a resource modified in others only is; one removed or replaced is not.
    expect(diffSnapshots(store, before, after, {categories: ['tags']}).summary).toMatchObject({added: 0, removed: 0, replaced: 0, modified: 1, unchanged: 1})
    expect(diffSnapshots(store, before, after, {categories: ['security']}).summary).toMatchObject({added: 0, removed: 0, replaced: 2, modified: 0, unchanged: 2})
    expect(diffSnapshots(store, before, after, {categories: ['state']}).summary).toMatchObject({added: 0, removed: 0, replaced: 0, modified: 0, unchanged: 2})
  })

  it('between snapshots taken with different tag filters, reports no resource one side\'s filters left out as added or removed', () => {
    const store = stores.open()
    // Before: env=dev only. After: everything but keep=true.
    const before = snapshotOf(store, 'dev-only', [fakeResource('vpc-dev', {tags: {env: 'dev'}}), fakeResource('vpc-dev-gone', {tags: {env: 'dev'}})], {
      filters: {includeTags: {env: 'dev'}, excludeTags: {}},
    })
    const after = snapshotOf(
      store,
      'all-but-kept',
      [fakeResource('vpc-dev', {tags: {env: 'dev'}}), fakeResource('vpc-prod', {tags: {env: 'prod'}}), fakeResource('vpc-dev-new', {tags: {env: 'dev'}}), fakeResource('vpc-untagged')],
      {filters: {includeTags: {}, excludeTags: {keep: 'true'}}},
    )
    const report = diffSnapshots(store, before, after)
    // vpc-prod and vpc-untagged are outside dev-only's filters; vpc-dev-gone and vpc-dev-new are drift.
    expect(report.resources.map((r) => [r.change, r.id])).toEqual([
      ['removed', 'vpc-dev-gone'],
      ['added', 'vpc-dev-new'],
    ])
    expect(report.summary).toMatchObject({added: 1, removed: 1, unchanged: 1, outsideTagFilters: 2})

    // The other way round: vpc-prod and vpc-untagged would be "removed" but for dev-only's filters.
    const back = diffSnapshots(store, after, before)
    expect(back.resources.map((r) => [r.change, r.id])).toEqual([
      ['added', 'vpc-dev-gone'],
      ['removed', 'vpc-dev-new'],
    ])
    expect(back.summary).toMatchObject({added: 1, removed: 1, unchanged: 1, outsideTagFilters: 2})

    // The same filters on both sides: every difference is drift.
    expect(diffSnapshots(store, snapshotOf(store, 'x', [fakeResource('vpc-a')]), snapshotOf(store, 'y', [fakeResource('vpc-b')])).summary).toMatchObject({
      added: 1,
      removed: 1,
      outsideTagFilters: 0,
    })
  })

  it('settles pairs whose stored differences are all noise as unchanged', () => {
    const store = stores.open()
    const before = snapshotOf(store, 'a', [fakeResource('vpc-1', {configuration: {VpcId: 'vpc-1', Extra: null}})])
    const after = snapshotOf(store, 'b', [fakeResource('vpc-1', {configuration: {VpcId: 'vpc-1', Extra: []}})])
    const report = diffSnapshots(store, before, after)
    expect(report.drift).toBe(false)
    expect(report.summary).toMatchObject({modified: 0, unchanged: 1})
  })

  it('compares only cells collected ok on both sides and lists the others with the reason', () => {
    const store = stores.open()
    const before = snapshotOf(store, 'a', [fakeResource('vpc-1'), role('r1')], {coverage: [coverageRecord(), roleCell]})
    const after = snapshotOf(store, 'b', [role('r2')], {
      status: 'partial',
      coverage: [coverageRecord({status: 'access_denied'}), roleCell, coverageRecord({region: 'eu-west-1'})],
    })
    const report = diffSnapshots(store, before, after)
    expect(report.resources.map((r) => [r.change, r.id])).toEqual([
      ['removed', 'r1'],
      ['added', 'r2'],
    ])
    expect(report.notComparable).toEqual([
      {accountId: '123456789012', region: 'eu-west-1', resourceType: 'AWS::EC2::VPC', before: 'missing', after: 'ok', reason: 'not collected in before'},
      {accountId: '123456789012', region: 'us-east-1', resourceType: 'AWS::EC2::VPC', before: 'ok', after: 'access_denied', reason: 'access_denied in after'},
    ])
  })

  it('calls a bucket created again in another region replaced, in its new region, when both regions are compared', () => {
    const store = stores.open()
    const bucket = (region: string) =>
      fakeResource('qa-b3', {arn: 'arn:aws:s3:::qa-b3', type: 'AWS::S3::Bucket', region, configuration: {Name: 'qa-b3', BucketRegion: region}})
    const cells = (...regions: string[]) => regions.map((region) => coverageRecord({region, resourceType: 'AWS::S3::Bucket'}))
    const before = snapshotOf(store, 'a', [bucket('us-east-1')], {coverage: cells('us-east-1', 'eu-west-1')})
    const after = snapshotOf(store, 'b', [bucket('eu-west-1')], {coverage: cells('us-east-1', 'eu-west-1')})
    const report = diffSnapshots(store, before, after)
    expect(report.resources).toEqual([expect.objectContaining({change: 'replaced', region: 'eu-west-1', reason: 'region us-east-1 → eu-west-1'})])
    expect(report.summary).toMatchObject({replaced: 1, unchanged: 0})

    // Its new region not collected before: only its removal from the old one can be seen.
    const partly = snapshotOf(store, 'c', [bucket('us-east-1')], {coverage: cells('us-east-1')})
    const gone = diffSnapshots(store, partly, after)
    expect(gone.resources).toEqual([expect.objectContaining({change: 'removed', region: 'us-east-1'})])
    expect(gone.summary).toMatchObject({removed: 1, unchanged: 0, notComparable: 1})
    // Its old region not collected after: it was added to the new one.
    const onlyNew = snapshotOf(store, 'd', [bucket('eu-west-1')], {coverage: cells('eu-west-1')})
    expect(diffSnapshots(store, before, onlyNew).resources).toEqual([expect.objectContaining({change: 'added', region: 'eu-west-1'})])
  })

  it('filters by type, region and category', () => {
    const store = stores.open()
    const before = snapshotOf(store, 'a', [fakeResource('vpc-1', {tags: {a: '1'}}), role('r1')])
    const after = snapshotOf(store, 'b', [fakeResource('vpc-1', {tags: {a: '2'}, configuration: {VpcId: 'vpc-1', CidrBlock: '10.1.0.0/16'}})])
    expect(diffSnapshots(store, before, after, {resourceTypes: ['AWS::IAM::Role']}).resources.map((r) => r.id)).toEqual(['r1'])
    // Global types are compared whatever the regions.
    expect(diffSnapshots(store, before, after, {regions: ['global']}).resources.map((r) => r.id)).toEqual(['r1'])
    expect(diffSnapshots(store, before, after, {regions: ['us-east-1']}).resources.map((r) => r.id).sort()).toEqual(['r1', 'vpc-1'])
    expect(() => diffSnapshots(store, before, after, {regions: ['us-east-1', 'eu-west-1']})).toThrow(
      'Neither snapshot "a" nor "b" collected eu-west-1 (they have us-east-1; global types are always compared).',
    )
    const tags = diffSnapshots(store, before, after, {categories: ['tags']})
    expect(tags.resources).toEqual([expect.objectContaining({id: 'vpc-1', categories: ['tags'], changes: [expect.objectContaining({path: 'Tags[a]'})]})])
    expect(diffSnapshots(store, before, after, {categories: ['state']}).drift).toBe(false)
  })

  it('leaves out what the ignore rules cover and counts it', () => {
    const store = stores.open()
    const before = snapshotOf(store, 'a', [fakeResource('vpc-1', {tags: {a: '1'}}), role('r1')])
    const after = snapshotOf(store, 'b', [fakeResource('vpc-1', {tags: {a: '2'}})])
    const ignore = parseIgnoreRules('ignore:\n  - type: "AWS::IAM::*"\n  - path: "Tags"\n', 'x.yaml')
    const report = diffSnapshots(store, before, after, {ignore})
    expect(report.drift).toBe(false)
    expect(report.summary).toMatchObject({ignoredResources: 1, ignoredChanges: 1, unchanged: 1})
    expect(report.filters.ignoreFile).toBe('x.yaml')
  })

  it.each([
    ['the same snapshot', 'a', 'a', /^Cannot compare snapshot "a" with itself/],
    ['other accounts', 'a', 'other', /^Snapshots "a" \(account 123456789012\) and "other" \(account 210987654321\) are of different accounts\.$/],
    ['an interrupted snapshot', 'a', 'cut', /^Snapshot "cut" is interrupted; compare it anyway with --allow-partial/],
    ['a failed snapshot', 'failed', 'a', /^Snapshot "failed" failed and holds no usable data\.$/],
  ])('refuses to compare %s', (_what, x, y, message) => {
    const store = stores.open()
    snapshotOf(store, 'a', [])
    snapshotOf(store, 'other', [], {accountId: '210987654321'})
    snapshotOf(store, 'cut', [], {status: 'interrupted'})
    snapshotOf(store, 'failed', [], {status: 'failed'})
    expect(() => diffSnapshots(store, requireSnapshot(store, x), requireSnapshot(store, y))).toThrow(message)
  })

  it('compares an interrupted snapshot with allowPartial, and refuses a running one', () => {
    const store = stores.open()
    const a = snapshotOf(store, 'a', [fakeResource('vpc-1')])
    const cut = snapshotOf(store, 'cut', [], {status: 'interrupted', coverage: []})
    const report = diffSnapshots(store, a, cut, {allowPartial: true})
    expect(report.resources).toEqual([])
    expect(report.notComparable.map((c) => c.reason)).toEqual(['not collected in after', 'not collected in after'])
    seedSnapshot(store, 'running')
    expect(() => diffSnapshots(store, a, requireSnapshot(store, 'running'))).toThrow(/^Snapshot "running" is still being collected/)
  })
})

describe('parseCategories', () => {
  it('accepts repeated and comma-separated values and refuses unknown ones', () => {
    expect(parseCategories(['tags,security', 'state'])).toEqual(['tags', 'security', 'state'])
    expect(parseCategories(['Tags, SECURITY'])).toEqual(['tags', 'security'])
    expect(parseCategories(undefined)).toBeUndefined()
    expect(() => parseCategories(['cost'])).toThrow('Unknown category "cost": use tags, security, configuration, state.')
  })
})

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

describe('diffSnapshots on stored rows', () => {
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
