import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ResourceHistory} from '../../src/query/history.js'
import type {StatsResult} from '../../src/query/stats.js'
import {openStore} from '../../src/store/database.js'
import {defaultInventory, insertInventory} from '../../src/store/inventories.js'
import type {SnapshotReport} from '../../src/store/reports.js'
import {runCli, runCliJson} from '../support/cli.js'
import {parseCsv} from '../support/csv.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {emulatorClients, seedSandbox} from '../support/seed.js'
import {coverageRecord, fakeResource, finishedSnapshot} from '../support/store.js'

/** `query stats` and `query history` end to end: the built CLI on real SQLite stores. */

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'awsinv-query-'))
})
afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

/** One line on stderr, exit 1, nothing on stdout. */
function expectOneLineError(result: Awaited<ReturnType<typeof runCli>>, message: RegExp): void {
  const context = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
  expect(result.code, context).toBe(1)
  expect(result.stdout, context).toBe('')
  expect(result.stderr.trimEnd().split('\n'), context).toEqual([expect.stringMatching(message)])
}

describe('on a store built without AWS', () => {
  let storage: string
  const at = () => ['--storage-path', storage]
  const vpc = (id: string, tags: Record<string, string>, cidr = '10.0.0.0/16') => fakeResource(id, {tags, configuration: {VpcId: id, CidrBlock: cidr}})
  const role = (name: string, tags: Record<string, string> = {}) =>
    fakeResource(name, {arn: `arn:aws:iam::123456789012:role/${name}`, type: 'AWS::IAM::Role', region: 'global', tags})
  const VPC_ARN = vpc('vpc-1', {}).arn

  beforeAll(() => {
    storage = join(root, 'built')
    const store = openStore(storage)
    try {
      defaultInventory(store)
      const global = coverageRecord({region: 'global', resourceType: 'AWS::IAM::Role'})
      finishedSnapshot(store, 'monday', {resources: [vpc('vpc-1', {owner: 'a'}), role('app', {owner: 'a', env: 'dev'})], coverage: [coverageRecord(), global]})
      finishedSnapshot(store, 'tuesday', {
        setActive: true,
        resources: [vpc('vpc-1', {owner: 'b', env: 'prod'}, '10.1.0.0/16'), vpc('vpc-2', {}), role('app', {owner: 'a', env: 'dev'}), role('ci')],
        coverage: [coverageRecord(), global],
      })
      finishedSnapshot(store, 'wednesday', {resources: [role('app', {owner: 'a', env: 'dev'})], coverage: [coverageRecord(), global]})
      const team = insertInventory(store, {name: 'team'})
      finishedSnapshot(store, 'team-1', {inventoryId: team.id, setActive: true, resources: [vpc('vpc-9', {owner: 'team'})]})
    } finally {
      store.close()
    }
  })

  it('query stats counts the active snapshot by type, with a total', async () => {
    const stats = await runCliJson<StatsResult>(['query', 'stats', ...at()])
    expect(stats).toMatchObject({groupBy: 'type', snapshot: 'tuesday', inventory: 'default', requiredTags: []})
    expect(stats.rows).toEqual([
      {group: 'AWS::EC2::VPC', resources: 2, tagged: 1, untagged: 1, tagCoverage: 50},
      {group: 'AWS::IAM::Role', resources: 2, tagged: 1, untagged: 1, tagCoverage: 50},
    ])
    expect(stats.total).toEqual({group: null, resources: 4, tagged: 2, untagged: 2, tagCoverage: 50})
  })

  it('query stats by tag value with required tags, by snapshot, and of another inventory', async () => {
    const [byOwner, bySnapshot, team, teamByEnv] = await Promise.all([
      runCliJson<StatsResult>(['query', 'stats', '--snapshot', 'tuesday', '--group-by', 'tag:owner', '--required-tags', 'owner,env', ...at()]),
      runCliJson<StatsResult>(['query', 'stats', '--group-by', 'snapshot', ...at()]),
      runCliJson<StatsResult>(['query', 'stats', '--group-by', 'region', ...at()], {env: {AWSINV_INVENTORY: 'team'}}),
      runCliJson<StatsResult>(['query', 'stats', '-i', 'team', '-g', 'snapshot', '-r', 'owner', ...at()]),
    ])
    expect(byOwner.rows.map((r) => [r.group, r.resources, r.withRequiredTags, r.requiredTagCoverage])).toEqual([
      ['a', 1, 1, 100],
      ['b', 1, 1, 100],
      [null, 2, 0, 0],
    ])
    expect(byOwner.total).toMatchObject({resources: 4, withRequiredTags: 2, requiredTagCoverage: 50})
    expect(bySnapshot).toMatchObject({snapshot: null, inventory: 'default'})
    expect(bySnapshot.rows.map((r) => [r.group, r.resources, r.tagged])).toEqual([
      ['monday', 2, 2],
      ['tuesday', 4, 2],
      ['wednesday', 1, 1],
    ])
    expect(team).toMatchObject({snapshot: 'team-1', inventory: 'team', rows: [{group: 'us-east-1', resources: 1, tagged: 1}]})
    expect(teamByEnv.rows).toEqual([{group: 'team-1', resources: 1, tagged: 1, untagged: 0, tagCoverage: 100, withRequiredTags: 1, requiredTagCoverage: 100}])
  })

  it('query stats trims spaces around a tag key, as --required-tags does', async () => {
    const [spaced, plain] = await Promise.all([
      runCliJson<StatsResult>(['query', 'stats', '-g', 'tag: owner', '-r', 'owner, env', ...at()]),
      runCliJson<StatsResult>(['query', 'stats', '-g', 'tag:owner', '-r', 'owner,env', ...at()]),
    ])
    expect(spaced).toEqual(plain)
    expect(spaced.groupBy).toBe('tag:owner')
    expect(spaced.rows.map((r) => r.group)).toEqual(['a', 'b', null])
  })

  it('query stats and query resources note on stderr, and in JSON, the snapshots that did not finish', async () => {
    const dir = join(root, 'unfinished')
    const store = openStore(dir)
    try {
      finishedSnapshot(store, 'monday')
      finishedSnapshot(store, 'cut', {status: 'interrupted', setActive: true})
      finishedSnapshot(store, 'gone', {status: 'failed', resources: []})
    } finally {
      store.close()
    }

    const run = (...args: string[]) => runCli([...args, '--storage-path', dir])
    const [bySnapshot, ofCut, resources, finished] = await Promise.all([
      run('query', 'stats', '-g', 'snapshot', '--json'),
      run('query', 'stats', '-s', 'cut', '-f', 'json'),
      run('query', 'resources', '-s', 'gone', '-f', 'csv'),
      run('query', 'stats', '-s', 'monday'),
    ])
    expect(bySnapshot.stderr).toBe('Note: snapshots "cut" (interrupted) and "gone" (failed) did not finish: their figures are incomplete.\n')
    expect((JSON.parse(bySnapshot.stdout) as StatsResult).incompleteSnapshots).toEqual([
      {name: 'cut', status: 'interrupted'},
      {name: 'gone', status: 'failed'},
    ])
    expect(ofCut.stderr).toBe('Note: snapshot "cut" was interrupted: its figures are incomplete.\n')
    expect(JSON.parse(ofCut.stdout)).toHaveLength(2)
    expect(resources.stderr).toBe('Note: snapshot "gone" failed: its figures are incomplete.\n')
    expect(parseCsv(resources.stdout)).toHaveLength(1)
    expect(finished.stderr).toBe('')
    for (const result of [bySnapshot, ofCut, resources, finished]) expect(result.code, result.stderr).toBe(0)
  })

  it('query stats prints a table, or csv, json and md documents', async () => {
    const run = async (...args: string[]) => {
      const result = await runCli(['query', 'stats', '--group-by', 'tag:owner', ...args, ...at()])
      expect(result.code, result.stderr).toBe(0)
      return result.stdout.trimEnd()
    }

    const [table, csv, json, md] = await Promise.all([run(), run('--format', 'csv'), run('-f', 'json', '-r', 'env'), run('--format', 'md')])
    expect(table.split('\n')[0]).toBe('Resources and tag coverage of snapshot tuesday (inventory default), by tag:owner')
    expect(table).toMatch(/\(no owner tag\) +│ 2 /)
    expect(table).toMatch(/Total +│ 4 /)
    expect(csv.split('\r\n')).toEqual([
      'owner,Resources,Tagged,Untagged,Tag coverage %',
      'a,1,1,0,100',
      'b,1,1,0,100',
      '(no owner tag),2,0,2,0',
      'Total,4,2,2,50',
    ])
    expect((JSON.parse(json) as Array<Record<string, unknown>>).at(-1)).toEqual({
      owner: 'Total',
      Resources: 4,
      Tagged: 2,
      Untagged: 2,
      'Tag coverage %': 50,
      'With env': 2,
      'Required tags %': 50,
    })
    expect(md.split('\n')).toHaveLength(6)
  })

  it('CSV built from tables is one RFC 4180 document: every record, the last included, ends in CRLF', async () => {
    const csv = async (...args: string[]) => {
      const result = await runCli([...args, '--format', 'csv', ...at()])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout.endsWith('\r\n'), `awsinv ${args.join(' ')}: ${JSON.stringify(result.stdout.slice(-20))}`).toBe(true)
      return parseCsv(result.stdout)
    }

    const [stats, history, inventories, snapshots, report] = await Promise.all([
      csv('query', 'stats'),
      csv('query', 'history', VPC_ARN),
      csv('inventory', 'list'),
      csv('snapshot', 'list'),
      csv('snapshot', 'report', 'tuesday'),
    ])
    expect(stats.at(-1)).toEqual(['Total', '4', '2', '2', '50'])
    expect(history.slice(1).map((r) => r[0])).toEqual(['monday', 'tuesday', 'wednesday'])
    expect(inventories.slice(1).map((r) => r[0])).toEqual(['default', 'team'])
    expect(snapshots).toHaveLength(5)
    expect(report[0]).toEqual(['Service', 'Type', 'Region', 'Count'])
  })

  it('query history shows appearance, changes with tags, and disappearance', async () => {
    const history = await runCliJson<ResourceHistory>(['query', 'history', VPC_ARN, ...at()])
    expect(history).toMatchObject({arn: VPC_ARN, type: 'AWS::EC2::VPC', resourceId: 'vpc-1', inventory: null, tags: {owner: 'b', env: 'prod'}})
    expect(history.entries.map((e) => [e.snapshot, e.event, e.present])).toEqual([
      ['monday', 'appeared', true],
      ['tuesday', 'changed', true],
      ['wednesday', 'disappeared', false],
    ])
    const [monday, tuesday] = history.entries
    expect(tuesday!.previous).toEqual({snapshot: 'monday', snapshotId: monday!.snapshotId, configHash: monday!.configHash})
    expect(tuesday!.tagChanges).toEqual({added: {env: 'prod'}, removed: {}, changed: {owner: {from: 'a', to: 'b'}}})

    const table = await runCli(['query', 'history', VPC_ARN, ...at()])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout.split('\n')[0]).toBe(VPC_ARN)
    expect(table.stdout).toMatch(/│ tuesday +│ default +│ .* │ changed +│ [0-9a-f]{12} │ \+env=prod ~owner=a→b │/)
    expect(table.stdout).toMatch(/│ wednesday +│ default +│ .* │ disappeared +│ +│ +│/)
    expect(table.stdout).not.toContain('Changes in')

    // --show-diff: the drift engine's field changes, in JSON and after the table.
    const detailed = await runCliJson<ResourceHistory>(['query', 'history', VPC_ARN, '--show-diff', ...at()])
    expect(detailed.entries[1]!.changes!.map((c) => [c.path, c.kind, c.category])).toEqual([
      ['CidrBlock', 'changed', 'configuration'],
      ['Tags[env]', 'added', 'tags'],
      ['Tags[owner]', 'changed', 'tags'],
    ])
    const shown = await runCli(['query', 'history', VPC_ARN, '--show-diff', ...at()])
    expect(shown.stdout).toContain('Changes in tuesday:\n  ~ CidrBlock: "10.0.0.0/16" → "10.1.0.0/16"\n  + Tags[env]: "prod"\n  ~ Tags[owner]: "a" → "b"')
  })

  it('query history --inventory limits the snapshots; unknown ARNs and empty stores are one-line errors', async () => {
    // A store without snapshots (where there is no store at all, these commands say so instead).
    const empty = join(root, 'empty')
    openStore(empty).close()
    const [team, unknown, elsewhere, emptyHistory, emptyStats] = await Promise.all([
      runCliJson<ResourceHistory>(['query', 'history', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-9', '--inventory', 'team', ...at()]),
      runCli(['query', 'history', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-404', ...at()]),
      runCli(['query', 'history', VPC_ARN, '--inventory', 'team', ...at()]),
      runCli(['query', 'history', VPC_ARN, '--storage-path', empty]),
      runCli(['query', 'stats', '--storage-path', empty]),
    ])
    expect(team.entries.map((e) => [e.snapshot, e.event])).toEqual([['team-1', 'appeared']])
    expectOneLineError(unknown, /^Error: No snapshot holds a resource with ARN "arn:aws:ec2:us-east-1:123456789012:vpc\/vpc-404"\./)
    expectOneLineError(elsewhere, /^Error: No snapshot of inventory "team" holds a resource with ARN/)
    expectOneLineError(emptyHistory, /^Error: The store has no snapshots yet\. Take one with "awsinv snapshot create"\.$/)
    expectOneLineError(emptyStats, /^Error: Inventory "default" has no active snapshot\./)
  })
})

describe('on snapshots of the emulator', () => {
  let emulator: Emulator
  let storage: string
  let groupId: string
  let templateId: string
  const at = () => ['--storage-path', storage, '--endpoint-url', emulator.url]
  const snapshot = (name: string) => runCliJson<SnapshotReport>(['snapshot', 'create', name, '--regions', 'us-east-1', ...at()])

  beforeAll(async () => {
    emulator = await startEmulator()
    storage = join(root, 'emulated')
    const ids = await seedSandbox(emulator.url, 'us-east-1')
    groupId = ids['AWS::EC2::SecurityGroup']![0]!
    templateId = ids['AWS::EC2::LaunchTemplate']![0]!
    await snapshot('before')
    const {ec2} = emulatorClients(emulator.url, 'us-east-1')
    await ec2.authorizeSecurityGroupIngress({GroupId: groupId, IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})
    await ec2.createTags({Resources: [groupId], Tags: [{Key: 'owner', Value: 'team-b'}]})
    await ec2.deleteLaunchTemplate({LaunchTemplateId: templateId})
    ec2.destroy()
    await snapshot('after')
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  it('query history follows a changed security group and a deleted launch template', async () => {
    const report = await runCliJson<SnapshotReport>(['snapshot', 'report', 'before', '--detailed', ...at()])
    const arnOf = (id: string) => report.resources!.find((r) => r.id === id)!.arn
    const [group, template] = await Promise.all([
      runCliJson<ResourceHistory>(['query', 'history', arnOf(groupId), ...at()]),
      runCliJson<ResourceHistory>(['query', 'history', arnOf(templateId), ...at()]),
    ])
    expect(group.entries.map((e) => e.event)).toEqual(['appeared', 'changed'])
    expect(group.entries[1]!.tagChanges).toEqual({added: {}, removed: {}, changed: {owner: {from: 'team-a', to: 'team-b'}}})
    expect(template.type).toBe('AWS::EC2::LaunchTemplate')
    expect(template.entries.map((e) => [e.snapshot, e.event])).toEqual([
      ['before', 'appeared'],
      ['after', 'disappeared'],
    ])
  })

  it('query stats agrees with the snapshot report', async () => {
    const [stats, report, byOwner] = await Promise.all([
      runCliJson<StatsResult>(['query', 'stats', ...at()]),
      runCliJson<SnapshotReport>(['snapshot', 'report', 'after', '--detailed', ...at()]),
      runCliJson<StatsResult>(['query', 'stats', '--group-by', 'tag:owner', '--required-tags', 'owner,env', ...at()]),
    ])
    expect(stats.snapshot).toBe('after')
    const perType = new Map<string, number>()
    for (const row of report.byType) perType.set(row.type, (perType.get(row.type) ?? 0) + row.count)
    expect(stats.rows.map((r) => [r.group, r.resources])).toEqual([...perType].sort(([a], [b]) => (a < b ? -1 : 1)))
    const resources = report.resources!
    expect(stats.total.resources).toBe(resources.length)
    expect(stats.total.tagged).toBe(resources.filter((r) => Object.keys(r.tags).length > 0).length)
    const owners = byOwner.rows.map((r) => [r.group, r.resources])
    expect(owners).toEqual([
      ['team-a', resources.filter((r) => r.tags.owner === 'team-a').length],
      ['team-b', 1],
      [null, resources.filter((r) => r.tags.owner === undefined).length],
    ])
    expect(byOwner.total.withRequiredTags).toBe(resources.filter((r) => r.tags.owner !== undefined && r.tags.env !== undefined).length)
  })
})
