// `npm run bench:delta` — how close `awsinv query diff` comes to a raw floor on two large snapshots.
//   tsx bench/delta.ts [--resources N] [--change F] [--runs K] [--keep]
// Builds a store (real migrations) in a temporary directory with two complete snapshots of one synthetic
// account: `before` with N resources of 16 registered types in 3 regions and IAM, and `after`, the same
// with a fraction F of them changed — a quarter each added, removed, modified (a new security-group rule,
// another instance type, a changed policy statement…) and retagged. Then times (median of K runs, whole
// processes) `awsinv query diff before after --json` against bench/raw-diff.mjs (both snapshots' ARN →
// configuration-hash maps compared in plain JavaScript) and prints wall time, peak RSS and the ratio.
// Figures only: no timing is asserted. The counts both report are checked against what was generated;
// a mismatch is a correctness failure and exits 1. `--keep` leaves the store in place (e.g. to profile
// `node --cpu-prof bin/run.js query diff before after --json --storage-path DIR` on it).
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import type {DriftReport} from '../src/diff/snapshots.js'
import {specOf} from '../src/resources/registry.js'
import type {Resource} from '../src/resources/types.js'
import {DATABASE_FILE, type Store, openStore} from '../src/store/database.js'
import {canonicalJson, sha256} from '../src/store/hash.js'
import {finishSnapshot} from '../src/store/snapshots.js'
import {SnapshotWriter} from '../src/store/writer.js'
import {repoRoot} from '../test/support/emulator.js'
import {coverageRecord, seedSnapshot} from '../test/support/store.js'
import {median, timed} from './measure.js'
import {type Slot, accountId, random, regions, resourceOf, retagged, slot, syntheticSpecs} from './synthetic-account.js'

const {values} = parseArgs({options: {resources: {type: 'string', default: '100000'}, change: {type: 'string', default: '0.01'}, runs: {type: 'string', default: '3'}, keep: {type: 'boolean', default: false}}})
const total = Number(values.resources)
const changeShare = Number(values.change)
const runs = Number(values.runs)
if (!Number.isInteger(total) || total < 100 || !(changeShare > 0 && changeShare <= 0.5) || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('Usage: tsx bench/delta.ts [--resources N>=100] [--change 0<F<=0.5] [--runs K>=1]\n')
  process.exit(1)
}

/** Which resources of `before` change in `after`, and how many are new. */
interface ChangePlan {
  removed: Set<number>
  modified: Set<number>
  retagged: Set<number>
  /** Slot numbers of the added resources (after those of `before`). */
  added: number[]
}

/** A fraction of the slots, a quarter each removed, modified (types with a plausible change only), retagged and added. */
function planChanges(slots: readonly Slot[], share: number): ChangePlan {
  const changes = Math.max(4, Math.round(slots.length * share))
  const quarter = Math.floor(changes / 4)
  const want = {removed: quarter, modified: changes - 3 * quarter, retagged: quarter}
  const order = slots.map((s) => s.n)
  const draw = random(42)
  for (let i = order.length - 1; i > 0; i--) {
    const j = draw.int(i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }

  const plan: ChangePlan = {removed: new Set(), modified: new Set(), retagged: new Set(), added: []}
  for (const n of order) {
    if (plan.removed.size < want.removed) plan.removed.add(n)
    else if (plan.modified.size < want.modified && slots[n]!.changeable) plan.modified.add(n)
    else if (plan.retagged.size < want.retagged) plan.retagged.add(n)
  }

  plan.added = Array.from({length: quarter}, (_, i) => slots.length + i)
  return plan
}

/** A resource as its row stores it. */
interface StoredResource {
  arn: string
  type: string
  service: string
  resourceId: string
  name: string
  region: string
  createdAt: string | null
  configHash: string
  relationships: string
  tags: Record<string, string>
}

/** The row of a canonical resource, and its configuration's canonical JSON (what the hash is of). */
function storedForm(resource: Resource): {row: StoredResource; json: string} {
  const json = canonicalJson(resource.configuration)
  const {arn, type, id: resourceId, name, region, createdAt, tags} = resource
  const row = {arn, type, service: specOf(type)!.service, resourceId, name, region, createdAt, configHash: sha256(json), relationships: JSON.stringify(resource.relationships), tags}
  return {row, json}
}

const pageSize = 1000

/**
 * Stores a complete snapshot with the columns SnapshotWriter fills, in plain inserts a page per
 * transaction: configurations once per hash (`json` is given where the configuration may be new), tags
 * as rows, an `ok` coverage row for every (account, region, type) cell; then seals it. Returns the rows.
 */
function storeSnapshot(store: Store, name: string, entries: Iterable<{row: StoredResource; json?: string}>): StoredResource[] {
  const {sqlite} = store
  const snapshotId = seedSnapshot(store, name, {accountId, regions: [...regions], resourceTypes: syntheticSpecs.map((s) => s.type)})
  const insertConfiguration = sqlite.prepare('insert or ignore into configurations (hash, json) values (?, ?)')
  const insertResource = sqlite.prepare(
    `insert into resources (snapshot_id, arn, type, service, resource_id, name, region, account_id, created_at, source, config_hash, relationships)
     values (@snapshotId, @arn, @type, @service, @resourceId, @name, @region, @accountId, @createdAt, 'api', @configHash, @relationships)`,
  )
  const insertTag = sqlite.prepare('insert into resource_tags (resource_id, key, value) values (?, ?, ?)')
  const writePage = sqlite.transaction((page: Array<{row: StoredResource; json?: string}>) => {
    for (const {row, json} of page) {
      if (json !== undefined) insertConfiguration.run(row.configHash, json)
      const {tags, ...columns} = row
      const pk = insertResource.run({...columns, snapshotId, accountId}).lastInsertRowid
      for (const [key, value] of Object.entries(tags)) insertTag.run(pk, key, value)
    }
  })

  const rows: StoredResource[] = []
  let page: Array<{row: StoredResource; json?: string}> = []
  for (const entry of entries) {
    rows.push(entry.row)
    page.push(entry)
    if (page.length === pageSize) {
      writePage(page)
      page = []
    }
  }

  writePage(page)
  const writer = new SnapshotWriter(store, snapshotId)
  for (const spec of syntheticSpecs) {
    for (const region of spec.scope === 'global' ? ['global'] : regions) {
      const itemCount = rows.filter((r) => r.type === spec.type && r.region === region).length
      writer.coverage(coverageRecord({region, resourceType: spec.type, itemCount, apiCalls: 1 + Math.floor(itemCount / 1000), durationMs: 50 + Math.floor(itemCount / 10)}))
    }
  }

  finishSnapshot(store, snapshotId, {status: 'complete', setActive: false})
  return rows
}

function* beforeEntries(slots: readonly Slot[]): Generator<{row: StoredResource; json: string}> {
  for (const s of slots) yield storedForm(resourceOf(s))
}

/** `before`'s rows with the planned changes: unchanged resources are the very same rows (their configurations are stored already). */
function* afterEntries(slots: readonly Slot[], before: readonly StoredResource[], plan: ChangePlan): Generator<{row: StoredResource; json?: string}> {
  for (const s of slots) {
    if (plan.removed.has(s.n)) continue
    if (plan.modified.has(s.n)) yield storedForm(resourceOf(s, true))
    else if (plan.retagged.has(s.n)) yield storedForm(resourceOf(retagged(s)))
    else yield {row: before[s.n]!}
  }

  for (const n of plan.added) yield storedForm(resourceOf(slot(n)))
}

interface RawCounts {
  added: number
  removed: number
  changed: number
}

/** Differences between what `query diff` reported and what was generated; empty when they agree. */
function checkReport(report: DriftReport, expected: {arns: Record<'added' | 'removed' | 'modified', Set<string>>; retagged: number; unchanged: number}): string[] {
  const problems: string[] = []
  for (const change of ['added', 'removed', 'modified', 'replaced'] as const) {
    const want = change === 'replaced' ? new Set<string>() : expected.arns[change]
    const got = new Set(report.resources.filter((r) => r.change === change).map((r) => r.arn))
    const missing = [...want].filter((arn) => !got.has(arn))
    const extra = [...got].filter((arn) => !want.has(arn))
    if (report.summary[change] !== want.size || missing.length > 0 || extra.length > 0) {
      problems.push(`${change}: reported ${report.summary[change]}, generated ${want.size} (missing ${missing.slice(0, 3).join(', ') || 'none'}; unexpected ${extra.slice(0, 3).join(', ') || 'none'})`)
    }
  }

  if (report.summary.unchanged !== expected.unchanged) problems.push(`unchanged: reported ${report.summary.unchanged}, generated ${expected.unchanged}`)
  if (report.summary.byCategory.tags !== expected.retagged) problems.push(`tag drift: reported ${report.summary.byCategory.tags}, generated ${expected.retagged}`)
  if (report.summary.notComparable !== 0) problems.push(`not comparable cells: reported ${report.summary.notComparable}, generated 0`)
  return problems
}

const dir = mkdtempSync(join(tmpdir(), 'awsinv-bench-delta-'))
try {
  process.stdout.write(`Building two snapshots of ${total} resources in ${dir}…\n`)
  const started = Date.now()
  const store = openStore(dir)
  const slots = Array.from({length: total}, (_, n) => slot(n))
  const plan = planChanges(slots, changeShare)
  const before = storeSnapshot(store, 'before', beforeEntries(slots))
  const after = storeSnapshot(store, 'after', afterEntries(slots, before, plan))
  const configurations = store.sqlite.prepare('select count(*) from configurations').pluck().get() as number
  store.close()
  const database = join(dir, DATABASE_FILE)
  const buildSeconds = (Date.now() - started) / 1000

  const arnsOf = (ns: Iterable<number>) => new Set([...ns].map((n) => before[n]!.arn))
  const expected = {
    arns: {added: new Set(after.slice(after.length - plan.added.length).map((r) => r.arn)), removed: arnsOf(plan.removed), modified: arnsOf([...plan.modified, ...plan.retagged])},
    retagged: plan.retagged.size,
    unchanged: total - plan.removed.size - plan.modified.size - plan.retagged.size,
  }
  // Every synthetic type keeps its tags in its configuration too, so a retag changes the stored hash as a modification does.
  const expectedRaw: RawCounts = {added: plan.added.length, removed: plan.removed.size, changed: plan.modified.size + plan.retagged.size}

  const cli = [join(repoRoot, 'bin', 'run.js'), 'query', 'diff', 'before', 'after', '--json', '--storage-path', dir]
  const raw = [join(repoRoot, 'bench', 'raw-diff.mjs'), database, 'before', 'after']
  // Timings on a busy machine are worth reading next to its load.
  process.stdout.write(`Built in ${buildSeconds.toFixed(1)} s. Timing ${runs} run(s) of each (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs)…\n`)
  // Warm the OS caches once, untimed.
  await timed(process.execPath, raw)

  const awsinvSeconds: number[] = []
  const rawSeconds: number[] = []
  let rss = 0
  let rawRss = 0
  let report: DriftReport | undefined
  let reportBytes = 0
  let rawCounts: RawCounts | undefined
  for (let run = 0; run < runs; run++) {
    const a = await timed(process.execPath, cli)
    awsinvSeconds.push(a.seconds)
    rss = Math.max(rss, a.rssKiB)
    report = JSON.parse(a.stdout) as DriftReport
    reportBytes = Buffer.byteLength(a.stdout)
    const r = await timed(process.execPath, raw)
    rawSeconds.push(r.seconds)
    rawRss = Math.max(rawRss, r.rssKiB)
    rawCounts = JSON.parse(r.stdout) as RawCounts
  }

  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`
  const fmt = (s: number) => `${s.toFixed(3)} s`
  const s = report!.summary
  const lines = [
    `query diff: ${total} resources in each snapshot (${syntheticSpecs.length} types, ${regions.length} regions + IAM), ${configurations} stored configurations, ${mib(statSync(database).size / 1024)} database, median of ${runs} runs`,
    `  changes generated        ${plan.added.length} added, ${plan.removed.size} removed, ${plan.modified.size} modified, ${plan.retagged.size} retagged`,
    `  awsinv query diff --json ${fmt(median(awsinvSeconds))}   peak RSS ${mib(rss)} (target < 600 MiB), ${(reportBytes / 1024).toFixed(0)} KiB of JSON`,
    `  raw better-sqlite3 floor ${fmt(median(rawSeconds))}   peak RSS ${mib(rawRss)}`,
    `  ratio                    ${(median(awsinvSeconds) / median(rawSeconds)).toFixed(2)}x   (target <= 3x)`,
    `  awsinv counts            ${s.added} added, ${s.removed} removed, ${s.modified} modified (${s.byCategory.tags} with tag drift), ${s.replaced} replaced, ${s.unchanged} unchanged`,
    `  raw counts               ${rawCounts!.added} added, ${rawCounts!.removed} removed, ${rawCounts!.changed} changed hashes`,
  ]
  process.stdout.write(`\n${lines.join('\n')}\n`)

  const problems = checkReport(report!, expected)
  for (const key of ['added', 'removed', 'changed'] as const) {
    if (rawCounts![key] !== expectedRaw[key]) problems.push(`raw ${key}: counted ${rawCounts![key]}, generated ${expectedRaw[key]}`)
  }

  if (problems.length > 0) {
    process.stdout.write(`COUNT MISMATCH: ${problems.join('; ')}\n`)
    process.exitCode = 1
  } else {
    process.stdout.write('  counts match what was generated\n')
  }
} finally {
  if (values.keep) process.stdout.write(`Store kept in ${dir}\n`)
  else rmSync(dir, {recursive: true, force: true})
}
