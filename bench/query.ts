// `npm run bench:query` — query commands on a large store, against the same SQL run directly with better-sqlite3.
//   tsx bench/query.ts [--snapshots 20] [--per-snapshot 50000] [--runs 5] [--keep | --store DIR]
// Builds a synthetic store (real migrations, direct SQL inserts) in a temporary directory: 20 snapshots
// of 50,000 resources (1,000,000 rows), 20 types, 5 regions and global, 0-4 tags each, resources
// coming and going between snapshots, configurations shared by the snapshots a resource did not
// change in. Then times (median of --runs) on the middle snapshot:
//   (a) query stats --group-by type           vs  the same aggregate
//   (b) a tag search (owner=team-a, 1000 rows) vs  the same select
// as whole processes (bin/run.js vs bench/raw-query.mjs, so node start-up counts on both sides) and in
// process (the module function vs the statement on an open connection). Figures only: nothing is asserted.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {computeStats} from '../src/query/stats.js'
import {type Store, openStore} from '../src/store/database.js'
import {canonicalJson, sha256} from '../src/store/hash.js'
import {defaultInventory} from '../src/store/inventories.js'
import {TAGS_JSON} from '../src/store/reports.js'
import {findResources} from '../src/store/resources.js'
import {requireSnapshot} from '../src/store/snapshots.js'
import {repoRoot} from '../test/support/emulator.js'
import {median} from './measure.js'

const {values} = parseArgs({
  options: {
    snapshots: {type: 'string', default: '20'},
    'per-snapshot': {type: 'string', default: '50000'},
    runs: {type: 'string', default: '5'},
    /** Keep the store and print its directory, for --store. */
    keep: {type: 'boolean', default: false},
    /** Time the queries on a store kept by an earlier --keep run instead of building one. */
    store: {type: 'string'},
  },
})
const snapshotsToBuild = Number(values.snapshots)
const perSnapshot = Number(values['per-snapshot'])
const runs = Number(values.runs)
const TAG = {key: 'owner', value: 'team-a'}
const LIMIT = 1000

const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1']
const types = [
  ...['VPC', 'Subnet', 'SecurityGroup', 'Instance', 'Volume', 'Snapshot', 'NetworkInterface', 'RouteTable', 'NetworkAcl', 'EIP', 'InternetGateway', 'NatGateway', 'KeyPair', 'LaunchTemplate'].map((t) => ({type: `AWS::EC2::${t}`, service: 'ec2', global: false})),
  {type: 'AWS::S3::Bucket', service: 's3', global: false},
  {type: 'AWS::Lambda::Function', service: 'lambda', global: false},
  {type: 'AWS::SNS::Topic', service: 'sns', global: false},
  ...['Role', 'User', 'Policy'].map((t) => ({type: `AWS::IAM::${t}`, service: 'iam', global: true})),
]
const ACCOUNT = '123456789012'
/** Resources replaced between two consecutive snapshots. */
const CHURN = Math.round(perSnapshot / 50)

/** A cheap, stable pseudo-random number for resource `n` and a salt. */
function mix(n: number, salt: number): number {
  let x = Math.imul(n ^ salt, 0x9e3779b1) >>> 0
  x = Math.imul(x ^ (x >>> 15), 0x85ebca6b) >>> 0
  return (x ^ (x >>> 13)) >>> 0
}

/** The tags of resource `n`: 0 to 4 of Name, owner, env, cost-center. */
function tagsOf(n: number): Array<[string, string]> {
  const all: Array<[string, string]> = [
    ['owner', `team-${'abcde'[mix(n, 1) % 5]}`],
    ['env', ['dev', 'stage', 'prod'][mix(n, 2) % 3]!],
    ['Name', `res-${n}`],
    ['cost-center', `cc-${mix(n, 3) % 40}`],
  ]
  return all.slice(0, mix(n, 4) % 5)
}

/** Fills the store with direct SQL inserts, one transaction per snapshot. */
function buildStore(store: Store): {configurations: number; tags: number} {
  const db = store.sqlite
  // A throwaway file: durability does not matter, speed does.
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -1048576')
  const inventoryId = defaultInventory(store).id
  const insertSnapshot = db.prepare(
    `insert into snapshots (name, inventory_id, status, account_id, accounts, regions, resource_types, use_config, tool_version, started_at, finished_at)
     values (?, ?, 'running', ?, ?, ?, ?, 0, 'bench', ?, ?)`,
  )
  const insertConfig = db.prepare('insert or ignore into configurations (hash, json) values (?, ?)')
  const insertResource = db.prepare(
    `insert into resources (snapshot_id, arn, type, service, resource_id, name, region, account_id, created_at, source, config_hash)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', ?)`,
  )
  const insertTag = db.prepare('insert into resource_tags (resource_id, key, value) values (?, ?, ?)')
  const insertCoverage = db.prepare(
    `insert into coverage (snapshot_id, account_id, region, resource_type, status, source, api_calls, item_count, duration_ms) values (?, ?, ?, ?, 'ok', 'api', 1, ?, 1)`,
  )
  const seal = db.prepare(
    `update snapshots set status = 'complete', resource_count = (select count(*) from resources where snapshot_id = @id) where id = @id`,
  )
  /** Configuration hash of resource n at its current version: a resource changes every tenth snapshot or so. */
  const configs = new Map<number, {version: number; hash: string}>()
  const createdDates = Array.from({length: 500}, (_, d) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString())
  let tags = 0
  for (let k = 0; k < snapshotsToBuild; k++) {
    db.transaction(() => {
      const day = new Date(Date.UTC(2026, 0, 1 + k)).toISOString()
      const snapshotId = Number(
        insertSnapshot.run(`bench-${k}`, inventoryId, ACCOUNT, JSON.stringify([ACCOUNT]), JSON.stringify(regions), JSON.stringify(types.map((t) => t.type)), day, day)
          .lastInsertRowid,
      )
      const cells = new Map<string, number>()
      for (let i = 0; i < perSnapshot; i++) {
        const n = k * CHURN + i
        const spec = types[n % types.length]!
        const region = spec.global ? 'global' : regions[mix(n, 5) % regions.length]!
        const id = `${spec.service}-${n.toString(16).padStart(8, '0')}`
        const version = Math.floor((k + (n % 10)) / 10)
        let config = configs.get(n)
        if (config?.version !== version) {
          const json = canonicalJson({Id: id, Type: spec.type, Version: version, Settings: {Size: mix(n, 6) % 500, Flag: n % 2 === 0}, Note: 'x'.repeat(120)})
          config = {version, hash: sha256(json)}
          configs.set(n, config)
          insertConfig.run(config.hash, json)
        }

        const arn = `arn:aws:${spec.service}:${spec.global ? '' : region}:${ACCOUNT}:${spec.type.split('::')[2]!.toLowerCase()}/${id}`
        const created = createdDates[n % createdDates.length]!
        const rowId = insertResource.run(snapshotId, arn, spec.type, spec.service, id, `res-${n}`, region, ACCOUNT, created, config.hash).lastInsertRowid
        const tagList = tagsOf(n)
        for (const [key, value] of tagList) insertTag.run(rowId, key, value)
        tags += tagList.length
        const cell = `${region}\t${spec.type}`
        cells.set(cell, (cells.get(cell) ?? 0) + 1)
      }

      for (const [cell, count] of cells) {
        const [region, type] = cell.split('\t') as [string, string]
        insertCoverage.run(snapshotId, ACCOUNT, region, type, count)
      }

      seal.run({id: snapshotId})
    })()
  }

  db.pragma('synchronous = NORMAL')
  const configurations = db.prepare('select count(*) from configurations').pluck().get() as number
  return {configurations, tags}
}

/** Wall and CPU (user + system) seconds. */
interface Timing {
  wall: number
  cpu: number
}

/** Wall and CPU time of a whole process (CPU as /usr/bin/time reports it), and its stdout. */
function timedProcess(args: string[]): Timing & {stdout: string} {
  const start = process.hrtime.bigint()
  const child = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
  const wall = Number(process.hrtime.bigint() - start) / 1e9
  if (child.status !== 0) throw new Error(`node ${args.slice(0, 3).join(' ')}… failed: ${child.stderr}`)
  const [user, system] = child.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number]
  return {wall, cpu: user + system, stdout: child.stdout}
}

/** Medians of `runs` processes, after one untimed run; the last run's output. */
function medianProcess(args: string[]): Timing & {stdout: string} {
  timedProcess(args)
  const results = Array.from({length: runs}, () => timedProcess(args))
  return {wall: median(results.map((r) => r.wall)), cpu: median(results.map((r) => r.cpu)), stdout: results.at(-1)!.stdout}
}

/** Medians of `runs` calls of `fn` in this process, after one untimed call. */
function medianInProcess(fn: () => unknown): Timing {
  fn()
  const results = Array.from({length: runs}, () => {
    const start = process.hrtime.bigint()
    const cpu = process.cpuUsage()
    fn()
    const used = process.cpuUsage(cpu)
    return {wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (used.user + used.system) / 1e6}
  })
  return {wall: median(results.map((r) => r.wall)), cpu: median(results.map((r) => r.cpu))}
}

/** The same queries written directly: what the module functions are compared with. */
const rawStats = `select r.type as "group", count(*) as resources,
  sum(exists (select 1 from resource_tags t where t.resource_id = r.id)) as tagged
from resources r where r.snapshot_id = (select id from snapshots where name = @snapshot)
group by r.type order by r.type`
const rawTagSearch = `select r.arn, r.type, r.resource_id as id, r.name, r.region, r.account_id as accountId, r.created_at as createdAt, r.source,
  ${TAGS_JSON} as tags
from resources r
where r.snapshot_id = (select id from snapshots where name = @snapshot)
  and exists (select 1 from resource_tags t where t.resource_id = r.id and t.key = @key and t.value = @value)
order by r.type, r.region, r.arn limit @limit`

const cli = join(repoRoot, 'bin', 'run.js')
const raw = join(repoRoot, 'bench', 'raw-query.mjs')
/** The tag search through the CLI. */
const tagSearchCli = (snapshot: string, storage: string) => [
  cli, 'query', 'resources', '--tag', `${TAG.key}=${TAG.value}`, '--snapshot', snapshot, '--format', 'json', '--limit', String(LIMIT), '--storage-path', storage,
]
/** The same search through the store function `query resources` calls. */
const searchTagged = (store: Store, snapshotId: number) =>
  findResources(store, {snapshotId, types: [], regions: [], arns: [], names: [], tags: [TAG], limit: LIMIT}).resources

const dir = values.store ?? mkdtempSync(join(tmpdir(), 'awsinv-bench-query-'))
try {
  const started = process.hrtime.bigint()
  const store = openStore(dir)
  const built = values.store ? undefined : buildStore(store)
  const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9
  const snapshotCount = store.sqlite.prepare('select count(*) from snapshots').pluck().get() as number
  const snapshot = `bench-${Math.floor(snapshotCount / 2)}`
  const snapshotId = requireSnapshot(store, snapshot).id
  const params = {snapshot, ...TAG, limit: LIMIT}

  // (a) stats: whole processes, then in process.
  const statsCli = medianProcess([cli, 'query', 'stats', '--group-by', 'type', '--snapshot', snapshot, '--storage-path', dir, '--json'])
  const statsRaw = medianProcess([raw, store.path, rawStats, JSON.stringify(params)])
  const cliRows = (JSON.parse(statsCli.stdout) as {rows: Array<{group: string; resources: number; tagged: number}>}).rows
  const rawRows = JSON.parse(statsRaw.stdout) as Array<{group: string; resources: number; tagged: number}>
  if (JSON.stringify(cliRows.map((r) => [r.group, r.resources, r.tagged])) !== JSON.stringify(rawRows.map((r) => [r.group, r.resources, r.tagged]))) {
    throw new Error('query stats and the raw aggregate disagree')
  }

  const options = {snapshot, inventory: 'default', groupBy: {by: 'type'} as const, requiredTags: []}
  const statsModule = medianInProcess(() => computeStats(store, options))
  const statsStatement = store.sqlite.prepare(rawStats)
  const statsDirect = medianInProcess(() => statsStatement.all(params))

  // (b) tag search.
  const searchArgs = tagSearchCli(snapshot, dir)
  const searchCli = medianProcess(searchArgs)
  const searchRaw = medianProcess([raw, store.path, rawTagSearch, JSON.stringify(params)])
  const found = searchTagged(store, snapshotId)
  if (found.length !== (JSON.parse(searchRaw.stdout) as unknown[]).length) throw new Error('the tag search and the raw select disagree')
  const searchModule = medianInProcess(() => searchTagged(store, snapshotId))
  const searchStatement = store.sqlite.prepare(rawTagSearch)
  const searchDirect = medianInProcess(() => searchStatement.all(params))
  const resources = store.sqlite.prepare('select count(*) from resources').pluck().get() as number
  store.close()

  const ms = (t: number) => `${(t * 1000).toFixed(1).padStart(7)} ms`
  /** `awsinv 812.0 ms (cpu 420.0 ms)   raw …   ratio 1.80x (cpu 1.60x)` */
  const compare = (label: string, a: Timing, b: Timing, names: [string, string], target = '') =>
    `  ${label}  ${names[0]} ${ms(a.wall)} (cpu ${ms(a.cpu)})   ${names[1]} ${ms(b.wall)} (cpu ${ms(b.cpu)})   ratio ${(a.wall / b.wall).toFixed(2)}x (cpu ${(a.cpu / b.cpu).toFixed(2)}x)${target}`
  const lines = [
    built
      ? `store: ${resources} resources in ${snapshotCount} snapshots, ${built.tags} tags, ${built.configurations} configurations; built in ${buildSeconds.toFixed(1)} s`
      : `store: ${resources} resources in ${snapshotCount} snapshots, from ${dir}`,
    `(a) query stats --group-by type --snapshot ${snapshot} (${cliRows.length} types), median of ${runs}`,
    compare('process', statsCli, statsRaw, ['awsinv', 'raw'], '   (target <= 1.5x)'),
    compare('in-proc', statsModule, statsDirect, ['module', 'raw   ']),
    `(b) tag search ${TAG.key}=${TAG.value} --snapshot ${snapshot} --limit ${LIMIT} (${found.length} rows), median of ${runs}`,
    compare('process', searchCli, searchRaw, ['awsinv', 'raw'], '   (target <= 1.5x)'),
    compare('in-proc', searchModule, searchDirect, ['module', 'raw   ']),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
} finally {
  if (values.keep) process.stdout.write(`store kept in ${dir} (time it again with --store ${dir})\n`)
  else if (!values.store) rmSync(dir, {recursive: true, force: true})
}
