import Database from 'better-sqlite3'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {specOf} from '../../src/resources/registry.js'
import type {InventorySummary} from '../../src/store/inventories.js'
import type {ResourceRow, SnapshotReport} from '../../src/store/reports.js'
import type {Snapshot} from '../../src/store/snapshots.js'
import {openStore} from '../../src/store/database.js'
import {type CliResult, runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {expectOnlyEmulatorGaps} from '../support/emulator-gaps.js'
import {type SeededIds, seedSandbox} from '../support/seed.js'
import {finishedSnapshot} from '../support/store.js'

/**
 * Snapshot and inventory management end to end: inventories with tag filters, the active snapshot,
 * listing in every format, reports and exports, rename, set-active, delete (with its store cleanup)
 * and deleting an inventory with its snapshots. The tests build on each other, in order.
 */

const REGION = 'us-east-1'
/** The seeded resources carry owner=team-a; the inventory also drops the seeded ENI by its Name tag. */
const INCLUDE = {owner: 'team-a'}
const EXCLUDE = {Name: 'sbx-eni'}

let emulator: Emulator
let root: string
let storage: string
let seeded: SeededIds

const at = (dir = storage) => ['--storage-path', dir, '--endpoint-url', emulator.url]
const json = <T>(...args: string[]) => runCliJson<T>([...args, ...at()])
const text = async (...args: string[]): Promise<string> => {
  const result = await runCli([...args, ...at()])
  expect(result.code, `awsinv ${args.join(' ')}\nstderr: ${result.stderr}`).toBe(0)
  return result.stdout
}

type Report = SnapshotReport & {exported?: {path: string; resources: number}}
type InventoryShow = InventorySummary & {snapshots: Snapshot[]}

/** Opens the store read-only for checks the CLI does not show. */
function withStore<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(storage, 'inventory.db'), {readonly: true, fileMustExist: true})
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/** `text` as a regular expression matching it literally. */
const escape = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One error line, non-zero exit, no stack trace. */
function expectOneLineError(result: CliResult, message: RegExp): void {
  const context = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
  expect(result.code, context).not.toBe(0)
  expect(result.code, context).not.toBeNull()
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '')
  expect(lines, context).toHaveLength(1)
  expect(lines[0], context).toMatch(/^Error: /)
  expect(lines[0], context).toMatch(message)
}

/**
 * A strict RFC 4180 parser: CRLF between records, fields quoted when they hold a comma, quote or line
 * break, quotes doubled inside quoted fields. Throws on anything else.
 */
function parseCsv(input: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let i = 0
  const endOfField = () => i >= input.length || input[i] === ',' || input.startsWith('\r\n', i)
  while (i <= input.length) {
    let field = ''
    if (input[i] === '"') {
      i++
      while (true) {
        if (i >= input.length) throw new Error('unterminated quoted field')
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }

          i++
          break
        }

        field += input[i++]
      }

      if (!endOfField()) throw new Error(`unexpected character after a closing quote at ${i}`)
    } else {
      while (!endOfField()) {
        const c = input[i]!
        if (c === '"' || c === '\r' || c === '\n') throw new Error(`unescaped ${JSON.stringify(c)} in an unquoted field at ${i}`)
        field += c
        i++
      }
    }

    record.push(field)
    if (i >= input.length) {
      records.push(record)
      break
    }

    if (input[i] === ',') {
      i++
      continue
    }

    // CRLF: end of record. A CRLF at the very end of the input terminates the last record.
    i += 2
    records.push(record)
    record = []
    if (i >= input.length) break
  }

  const width = records[0]?.length
  for (const [n, r] of records.entries()) if (r.length !== width) throw new Error(`record ${n} has ${r.length} fields, the header ${width}`)
  return records
}

const matchesFilters = (tags: Record<string, string>) =>
  Object.entries(INCLUDE).every(([k, v]) => tags[k] === v) && !Object.entries(EXCLUDE).some(([k, v]) => tags[k] === v)
/** Account settings carry no tags: an inventory keeps them whatever its filters say. */
const isSetting = (type: string) => specOf(type)?.untagged === true

beforeAll(async () => {
  emulator = await startEmulator()
  seeded = await seedSandbox(emulator.url, REGION, {global: true})
  root = mkdtempSync(join(tmpdir(), 'awsinv-manage-'))
  storage = join(root, 'store')
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('an empty store', () => {
  it('snapshot report without a name errors clearly; snapshot list says there are none', async () => {
    // A store without snapshots (where there is no store at all, these commands say so instead).
    const empty = join(root, 'empty')
    openStore(empty).close()
    const [report, list, listJson] = await Promise.all([
      runCli(['snapshot', 'report', ...at(empty)]),
      runCli(['snapshot', 'list', ...at(empty)]),
      runCli(['snapshot', 'list', '--inventory', 'default', '--json', ...at(empty)]),
    ])
    expectOneLineError(report, /^Error: Inventory "default" has no active snapshot\. Name one \(awsinv snapshot report NAME\), or take one with "awsinv snapshot create"\.$/)
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/No snapshots yet/)
    expect(listJson.code, listJson.stderr).toBe(0)
    expect(JSON.parse(listJson.stdout)).toEqual([])
  })

  it('a storage path or export file starting with ~/ is in the home directory, never a directory named ~', async () => {
    const home = join(root, 'home')
    const cwd = join(root, 'cwd')
    mkdirSync(home)
    mkdirSync(cwd)
    const flag = await runCli(['inventory', 'create', 'team', '--storage-path', '~/flag-store', '--json'], {env: {HOME: home}, cwd})
    expect(flag.code, flag.stderr).toBe(0)
    const fromEnv = await runCli(['inventory', 'create', 'team', '--json'], {env: {HOME: home, AWSINV_STORAGE_PATH: '~/env-store'}, cwd})
    expect(fromEnv.code, fromEnv.stderr).toBe(0)
    // Read from there too.
    const listed = await runCliJson<Array<{name: string}>>(['inventory', 'list'], {env: {HOME: home, AWSINV_STORAGE_PATH: '~/env-store'}, cwd})
    expect(listed.map((i) => i.name)).toEqual(['default', 'team'])
    // A file flag too: the plan file is looked for in the home directory.
    const plan = await runCli(['cleanup', 'execute', '--plan', '~/plan.json', '--confirm', '--yes', '--storage-path', '~/flag-store', '--endpoint-url', emulator.url], {env: {HOME: home}, cwd})
    expectOneLineError(plan, new RegExp(`^Error: Cannot read plan file ${join(home, 'plan.json').replaceAll('/', '\\/')}: no such file\\.$`))
    expect(existsSync(join(home, 'flag-store', 'inventory.db'))).toBe(true)
    expect(existsSync(join(home, 'env-store', 'inventory.db'))).toBe(true)
    expect(readdirSync(cwd)).toEqual([])
  })

  it('snapshot list of an empty inventory: prose for people, an empty document for programs with the prose on stderr', async () => {
    const empty = join(root, 'empty-list')
    const created = await runCli(['inventory', 'create', 'team-y', ...at(empty)])
    expect(created.code, created.stderr).toBe(0)
    const list = (...args: string[]) => runCli(['snapshot', 'list', '--inventory', 'team-y', ...args, ...at(empty)])
    const [table, md, csv, asJson] = await Promise.all([list(), list('--format', 'md'), list('--format', 'csv'), list('-f', 'json')])
    const prose = 'No snapshots in inventory "team-y" yet. Take one with "awsinv snapshot create --inventory team-y".\n'
    for (const result of [table, md, csv, asJson]) expect(result.code, result.stderr).toBe(0)
    expect([table.stdout, table.stderr]).toEqual([prose, ''])
    expect([md.stdout, md.stderr]).toEqual([prose, ''])
    expect([csv.stdout, csv.stderr]).toEqual(['Name,Inventory,Status,Account,Regions,Resources,Gaps,Started,Active\r\n', prose])
    expect(JSON.parse(asJson.stdout)).toEqual([])
    expect(asJson.stderr).toBe(prose)
  })

  it('deleting the active snapshot names the one set-active would make active, and so do the errors that follow', async () => {
    const dir = join(root, 'delete-active')
    const store = openStore(dir)
    try {
      finishedSnapshot(store, 'monday', {status: 'partial'})
      finishedSnapshot(store, 'tuesday', {status: 'failed'})
      finishedSnapshot(store, 'wednesday', {setActive: true})
    } finally {
      store.close()
    }

    const deleted = await runCli(['snapshot', 'delete', 'wednesday', '--yes', ...at(dir)])
    expect(deleted.code, deleted.stderr).toBe(0)
    // The failed snapshot cannot be active: the newest one that can is named.
    const advice = 'make one active with "awsinv snapshot set-active monday" (its newest complete or partial snapshot)'
    expect(deleted.stdout).toBe(`Deleted snapshot wednesday (1 resource).\nIt was the active snapshot of inventory "default", which has none now: ${advice}.\n`)
    const [report, stats, delta] = await Promise.all([
      runCli(['snapshot', 'report', ...at(dir)]),
      runCli(['query', 'stats', ...at(dir)]),
      runCli(['delta', ...at(dir)]),
    ])
    expectOneLineError(report, new RegExp(`^Error: Inventory "default" has no active snapshot\\. Name one \\(awsinv snapshot report NAME\\), or ${escape(advice)}\\.$`))
    expectOneLineError(stats, new RegExp(`^Error: Inventory "default" has no active snapshot\\. Name one with --snapshot, or ${escape(advice)}\\.$`))
    expectOneLineError(delta, new RegExp(`^Error: No active snapshot to compare with\\. Name one with --snapshot, or ${escape(advice)}\\.$`))
    // Nothing was made active behind the user's back.
    expect((await runCliJson<Snapshot[]>(['snapshot', 'list', ...at(dir)])).map((s) => [s.name, s.active])).toEqual([
      ['tuesday', false],
      ['monday', false],
    ])
  })

  it('inventory show says how to take the first snapshot of an inventory that has none', async () => {
    const empty = join(root, 'empty-inventories')
    const created = await runCli(['inventory', 'create', 'team-z', ...at(empty)])
    expect(created.code, created.stderr).toBe(0)
    const [byDefault, team] = await Promise.all([runCli(['inventory', 'show', 'default', ...at(empty)]), runCli(['inventory', 'show', 'team-z', ...at(empty)])])
    expect(byDefault.stdout).toMatch(/^ {2}snapshots: none yet \(take one with "awsinv snapshot create"\)$/m)
    expect(team.stdout).toMatch(/^ {2}snapshots: none yet \(take one with "awsinv snapshot create --inventory team-z"\)$/m)
  })
})

describe('snapshot and inventory management', () => {
  let all: Report
  let team: Report

  it('takes a snapshot into the default inventory and makes it active', async () => {
    all = await json<Report>('snapshot', 'create', 'all-1', '--regions', REGION)
    // Partial only for the emulator's missing Access Analyzer.
    expect(all.snapshot).toMatchObject({name: 'all-1', inventory: 'default', status: 'partial', active: true, regions: [REGION]})
    expect(all.snapshot.filters).toEqual({includeTags: {}, excludeTags: {}})
    expect(all.snapshot.resourceCount).toBeGreaterThan(30)
    expectOnlyEmulatorGaps(all.gaps, [REGION])
  })

  it('inventory create stores its filters; snapshot create --inventory applies them and becomes its active snapshot', async () => {
    const inventory = await json<InventorySummary>(
      'inventory',
      'create',
      'team-a',
      '--description',
      'Team A sandbox',
      '--include-tags',
      'owner=team-a',
      '--exclude-tags',
      'Name=sbx-eni',
    )
    expect(inventory).toMatchObject({name: 'team-a', description: 'Team A sandbox', includeTags: INCLUDE, excludeTags: EXCLUDE, activeSnapshotId: null})

    team = await json<Report>('snapshot', 'create', 'team-1', '--inventory', 'team-a', '--regions', REGION)
    expect(team.snapshot).toMatchObject({name: 'team-1', inventory: 'team-a', status: 'partial', active: true})
    expectOnlyEmulatorGaps(team.gaps, [REGION])
    expect(team.snapshot.filters).toEqual({includeTags: INCLUDE, excludeTags: EXCLUDE})

    // Exactly the resources of the unfiltered snapshot that pass the inventory's filters.
    const [allDetailed, teamDetailed] = await Promise.all([
      json<Report>('snapshot', 'report', 'all-1', '--detailed'),
      json<Report>('snapshot', 'report', 'team-1', '--detailed'),
    ])
    const allResources = allDetailed.resources!
    const teamResources = teamDetailed.resources!
    expect(teamResources).toHaveLength(team.snapshot.resourceCount)
    for (const r of teamResources.filter((r) => !isSetting(r.type))) {
      expect(r.tags.owner, r.arn).toBe('team-a')
      expect(r.tags.Name, r.arn).not.toBe('sbx-eni')
    }

    // The account settings are all there, untagged.
    const settings = allResources.filter((r) => isSetting(r.type)).map((r) => r.arn)
    expect(settings.length).toBeGreaterThan(0)
    expect(teamResources.filter((r) => isSetting(r.type)).map((r) => r.arn).sort()).toEqual([...settings].sort())
    const expected = allResources.filter((r) => isSetting(r.type) || matchesFilters(r.tags)).map((r) => r.arn)
    expect(teamResources.map((r) => r.arn).sort()).toEqual(expected.sort())
    expect(teamResources.length).toBeGreaterThan(10)
    expect(teamResources.length).toBeLessThan(allResources.length)
    // The seeded VPC is in, the default VPC and the excluded ENI are out.
    const ids = new Set(teamResources.map((r) => r.id))
    const seededVpc = seeded['AWS::EC2::VPC']![0]!
    expect(ids.has(seededVpc)).toBe(true)
    expect(allResources.some((r) => r.type === 'AWS::EC2::VPC' && r.id !== seededVpc && !ids.has(r.id))).toBe(true)
    expect(ids.has(seeded['AWS::EC2::NetworkInterface']![0]!)).toBe(false)
    expect(allResources.some((r) => r.id === seeded['AWS::EC2::NetworkInterface']![0]!)).toBe(true)

    // The default inventory's active snapshot did not move.
    const report = await json<Report>('snapshot', 'report')
    expect(report.snapshot.name).toBe('all-1')
  })

  it('--no-set-active leaves the active pointer where it was', async () => {
    const second = await json<Report>('snapshot', 'create', 'team-2', '--inventory', 'team-a', '--regions', REGION, '--resource-types', 'ec2', '--no-set-active')
    expect(second.snapshot).toMatchObject({name: 'team-2', inventory: 'team-a', status: 'complete', active: false})
    const shown = await json<InventoryShow>('inventory', 'show', 'team-a')
    expect(shown.activeSnapshotId).toBe(team.snapshot.id)
  })

  it('--include-tags on an inventory key wins, with a note naming what it replaces', async () => {
    const result = await runCli(['snapshot', 'create', 'team-b', '--inventory', 'team-a', '--regions', REGION, '--resource-types', 'ec2', '--include-tags', 'owner=team-b', '--dry-run', '--json', ...at()])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.trim()).toBe('Note: inventory "team-a" filters by tag; for this snapshot --include-tags owner=team-b replaces its owner=team-a.')
    const {plan} = JSON.parse(result.stdout) as {plan: {filters: unknown}}
    expect(plan.filters).toEqual({includeTags: {owner: 'team-b'}, excludeTags: EXCLUDE})

    // Repeating the inventory's own value is no change: no note.
    const same = await runCli(['snapshot', 'create', '--inventory', 'team-a', '--regions', REGION, '--resource-types', 'ec2', '--include-tags', 'owner=team-a', '--dry-run', ...at()])
    expect(same.code, same.stderr).toBe(0)
    expect(same.stderr).toBe('')
  })

  it('inventory list shows filters, snapshot counts and active snapshots; inventory show lists the snapshots', async () => {
    const [list, table, show, showText] = await Promise.all([
      json<InventorySummary[]>('inventory', 'list'),
      text('inventory', 'list'),
      json<InventoryShow>('inventory', 'show', 'team-a'),
      text('inventory', 'show', 'team-a'),
    ])
    expect(list.map((i) => i.name)).toEqual(['default', 'team-a'])
    expect(list[0]).toMatchObject({name: 'default', snapshotCount: 1, activeSnapshot: 'all-1'})
    expect(list[1]).toMatchObject({name: 'team-a', snapshotCount: 2, activeSnapshot: 'team-1', includeTags: INCLUDE, excludeTags: EXCLUDE})
    expect(table).toMatch(/team-a.*owner=team-a.*Name=sbx-eni.*2.*team-1/)

    expect(show).toMatchObject({name: 'team-a', description: 'Team A sandbox', includeTags: INCLUDE, excludeTags: EXCLUDE})
    expect(show.snapshots.map((s) => [s.name, s.active])).toEqual([
      ['team-2', false],
      ['team-1', true],
    ])
    expect(showText).toMatch(/snapshots \(2\)/)
    expect(showText).toMatch(/\* team-1/)
    expect(showText).toMatch(/ {3}team-2/)
  })

  it('snapshot list: newest first, by inventory, in json, csv and markdown', async () => {
    const [list, byInventory, asJson, asCsv, asMd, table] = await Promise.all([
      json<Snapshot[]>('snapshot', 'list'),
      json<Snapshot[]>('snapshot', 'list', '--inventory', 'team-a'),
      text('snapshot', 'list', '--format', 'json'),
      text('snapshot', 'list', '--format', 'csv'),
      text('snapshot', 'list', '--format', 'md'),
      text('snapshot', 'list'),
    ])
    expect(list.map((s) => s.name)).toEqual(['team-2', 'team-1', 'all-1'])
    const started = list.map((s) => s.startedAt)
    expect([...started].sort().reverse()).toEqual(started)
    expect(list.map((s) => s.active)).toEqual([false, true, true])
    expect(byInventory.map((s) => s.name)).toEqual(['team-2', 'team-1'])

    // Programs get the plain name and a separate Active field; people see the * after the name.
    const rows = JSON.parse(asJson) as Array<Record<string, unknown>>
    expect(rows.map((r) => r.Name)).toEqual(['team-2', 'team-1', 'all-1'])
    expect(rows.map((r) => r.Active)).toEqual([false, true, true])
    expect(rows.map((r) => r.Resources)).toEqual(list.map((s) => s.resourceCount))
    expect(rows.map((r) => r.Inventory)).toEqual(['team-a', 'team-a', 'default'])

    expect(asCsv.endsWith('\r\n')).toBe(true)
    const csv = parseCsv(asCsv)
    expect(csv[0]).toEqual(['Name', 'Inventory', 'Status', 'Account', 'Regions', 'Resources', 'Gaps', 'Started', 'Active'])
    expect(csv.slice(1).map((r) => [r[0], r[8]])).toEqual([
      ['team-2', 'false'],
      ['team-1', 'true'],
      ['all-1', 'true'],
    ])
    expect(csv.slice(1).map((r) => Number(r[5]))).toEqual(list.map((s) => s.resourceCount))

    const md = asMd.trimEnd().split('\n')
    expect(md).toHaveLength(5)
    expect(md[0]).toMatch(/^\| Name \| Inventory \| Status \|.*\| Started \|$/)
    expect(md[1]).toMatch(/^\|( --- \|)+$/)
    for (const line of md) expect(line.split(' | ')).toHaveLength(8)
    expect(md.slice(2).map((l) => l.split(' | ')[0])).toEqual(['| team-2', '| team-1 *', '| all-1 *'])

    for (const name of ['team-2', 'team-1', 'all-1']) expect(table).toContain(name)
    expect(table).toMatch(/│ team-1 \* +│ team-a +│/)
  })

  it('snapshot show and report --detailed describe every resource', async () => {
    const [shown, shownText, detailed, detailedText] = await Promise.all([
      json<Report>('snapshot', 'show', 'all-1'),
      text('snapshot', 'show', 'all-1'),
      json<Report>('snapshot', 'report', 'all-1', '--detailed'),
      text('snapshot', 'report', 'all-1', '--detailed'),
    ])
    const count = all.snapshot.resourceCount
    expect(shown.snapshot).toMatchObject({name: 'all-1', resourceCount: count, status: 'partial'})
    expect(shown.byService.reduce((n, r) => n + r.count, 0)).toBe(count)
    expect(shown.byRegion.reduce((n, r) => n + r.count, 0)).toBe(count)
    expect(shown.byRegion.map((r) => r.key).sort()).toEqual(['global', REGION])
    expectOnlyEmulatorGaps(shown.gaps, [REGION])
    expect(shown.coverage.ok).toBe(shown.coverage.cells - 1)
    expect(shown.resources).toBeUndefined()
    expect(shownText).toMatch(/Snapshot all-1 \(active\) — partial/)
    expect(shownText).toMatch(new RegExp(`${count} resources`))

    expect(detailed.resources).toHaveLength(count)
    expect(new Set(detailed.resources!.map((r) => r.arn)).size).toBe(count)
    for (const r of detailed.resources!) expect(detailedText).toContain(r.arn)
    // Every seeded resource is listed.
    for (const [type, ids] of Object.entries(seeded)) {
      for (const id of ids) {
        expect(
          detailed.resources!.some((r) => r.type === type && (r.id === id || r.arn === id || r.name === id)),
          `${type} ${id}`,
        ).toBe(true)
      }
    }
  })

  it('snapshot report --export writes every resource to .json and .csv', async () => {
    const jsonFile = join(root, 'all-1.json')
    const csvFile = join(root, 'all-1.csv')
    const [toJson, toCsv, exportedText] = await Promise.all([
      json<Report>('snapshot', 'report', 'all-1', '--export', jsonFile),
      json<Report>('snapshot', 'report', 'team-1', '--export', csvFile),
      text('snapshot', 'report', 'team-1', '--export', join(root, 'team-1.json')),
    ])
    expect(toJson.exported).toEqual({path: jsonFile, resources: all.snapshot.resourceCount})
    expect(toCsv.exported).toEqual({path: csvFile, resources: team.snapshot.resourceCount})
    expect(exportedText).toContain(`Exported ${team.snapshot.resourceCount} resources to ${join(root, 'team-1.json')}`)

    const exported = JSON.parse(readFileSync(jsonFile, 'utf8')) as ResourceRow[]
    expect(exported).toHaveLength(all.snapshot.resourceCount)
    const detailed = await json<Report>('snapshot', 'report', 'all-1', '--detailed')
    expect(exported).toEqual(detailed.resources)

    const raw = readFileSync(csvFile, 'utf8')
    expect(raw.endsWith('\r\n')).toBe(true)
    const records = parseCsv(raw)
    expect(records[0]).toEqual(['arn', 'type', 'id', 'name', 'region', 'accountId', 'createdAt', 'source', 'tags'])
    expect(records).toHaveLength(team.snapshot.resourceCount + 1)
    for (const record of records.slice(1)) {
      expect(record[0]).toMatch(/^arn:aws:/)
      const tags = JSON.parse(record[8]!) as Record<string, string>
      if (isSetting(record[1]!)) expect(tags, record[0]).toEqual({})
      else expect(tags.owner, record[0]).toBe('team-a')
    }

    // No temporary files left behind.
    expect(existsSync(`${jsonFile}.tmp`)).toBe(false)
  })

  it('snapshot report --export with --format json or csv keeps stdout one document and says what it exported on stderr', async () => {
    const file = join(root, 'team-1-machine.json')
    const [asJson, asCsv] = await Promise.all([
      runCli(['snapshot', 'report', 'team-1', '--export', file, '--format', 'json', ...at()]),
      runCli(['snapshot', 'report', 'team-1', '--export', join(root, 'team-1-machine.csv'), '-f', 'csv', ...at()]),
    ])
    for (const result of [asJson, asCsv]) expect(result.code, result.stderr).toBe(0)
    const document = JSON.parse(asJson.stdout) as Report
    expect(document.snapshot.name).toBe('team-1')
    expect(document.exported).toEqual({path: file, resources: team.snapshot.resourceCount})
    expect(asJson.stderr).toBe(`Exported ${team.snapshot.resourceCount} resources to ${file}\n`)
    const records = parseCsv(asCsv.stdout)
    expect(records[0]).toEqual(['Service', 'Type', 'Region', 'Count'])
    expect(records.slice(1).reduce((n, r) => n + Number(r[3]), 0)).toBe(team.snapshot.resourceCount)
    // The snapshot is partial (the emulator lacks Access Analyzer): the CSV, one table, says so on stderr.
    expect(team.gaps.length).toBeGreaterThan(0)
    expect(asCsv.stderr).toBe(
      `Exported ${team.snapshot.resourceCount} resources to ${join(root, 'team-1-machine.csv')}\n` +
        `Note: ${team.gaps.length} of ${team.coverage.cells} cells ${team.gaps.length === 1 ? 'was' : 'were'} NOT collected in snapshot "team-1": their resources are missing from this CSV. --format table, md or json lists the gaps.\n`,
    )
    expect(document.gaps).toEqual(team.gaps)
  })

  it('snapshot report names the coverage gaps in every format: listed in table, md and json, a note on stderr with csv', async () => {
    const [table, md, csv, detailed, complete] = await Promise.all([
      runCli(['snapshot', 'report', 'team-1', ...at()]),
      runCli(['snapshot', 'report', 'team-1', '-f', 'md', ...at()]),
      runCli(['snapshot', 'report', 'team-1', '-f', 'csv', ...at()]),
      runCli(['snapshot', 'report', 'team-1', '-f', 'csv', '--detailed', ...at()]),
      runCli(['snapshot', 'report', 'team-2', '-f', 'csv', ...at()]),
    ])
    const gapType = team.gaps[0]!.resourceType
    for (const result of [table, md]) {
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(`${team.gaps.length} of ${team.coverage.cells} cells`)
      expect(result.stdout).toContain(gapType)
      expect(result.stderr).toBe('')
    }

    for (const result of [csv, detailed]) {
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).not.toContain(gapType)
      expect(result.stderr).toMatch(/^Note: \d+ of \d+ cells? (was|were) NOT collected in snapshot "team-1": their resources are missing from this CSV\. --format table, md or json lists the gaps\.\n$/)
    }

    // Every cell of team-2 (ec2 only) was collected: nothing to say.
    expect(complete.code, complete.stderr).toBe(0)
    expect(complete.stderr).toBe('')
  })

  it('rename: the new name works, the old one is unknown', async () => {
    const renamed = await json<Snapshot>('snapshot', 'rename', 'team-2', 'team-2b')
    expect(renamed).toMatchObject({name: 'team-2b', inventory: 'team-a'})
    const [oldName, newName] = await Promise.all([runCli(['snapshot', 'show', 'team-2', ...at()]), json<Report>('snapshot', 'show', 'team-2b')])
    expectOneLineError(oldName, /Unknown snapshot "team-2"/)
    expect(newName.snapshot).toMatchObject({name: 'team-2b', id: renamed.id, resourceCount: renamed.resourceCount})
  })

  it('set-active moves the active pointer; report without a name follows it', async () => {
    const active = await json<Snapshot>('snapshot', 'set-active', 'team-2b')
    expect(active).toMatchObject({name: 'team-2b', active: true})
    const [list, teamReport, defaultReport] = await Promise.all([
      json<InventorySummary[]>('inventory', 'list'),
      json<Report>('snapshot', 'report', '--inventory', 'team-a'),
      json<Report>('snapshot', 'report'),
    ])
    expect(list.find((i) => i.name === 'team-a')?.activeSnapshot).toBe('team-2b')
    expect(teamReport.snapshot.name).toBe('team-2b')
    expect(defaultReport.snapshot.name).toBe('all-1')
  })

  it('delete --yes removes the snapshot, its rows, and configurations only it referenced', async () => {
    const id = all.snapshot.id
    const before = withStore((db) => ({
      resourceIds: db.prepare('select id from resources where snapshot_id = ?').pluck().all(id) as number[],
      onlyHere: db
        .prepare('select distinct config_hash from resources where snapshot_id = ? except select config_hash from resources where snapshot_id <> ?')
        .pluck()
        .all(id, id) as string[],
      shared: db
        .prepare('select distinct config_hash from resources where snapshot_id = ? intersect select config_hash from resources where snapshot_id <> ?')
        .pluck()
        .all(id, id) as string[],
      tags: db.prepare('select count(*) from resource_tags t join resources r on r.id = t.resource_id where r.snapshot_id = ?').pluck().get(id) as number,
      coverage: db.prepare('select count(*) from coverage where snapshot_id = ?').pluck().get(id) as number,
      others: db.prepare('select snapshot_id, count(*) as n from resources where snapshot_id <> ? group by snapshot_id order by snapshot_id').all(id),
    }))
    expect(before.resourceIds).toHaveLength(all.snapshot.resourceCount)
    expect(before.onlyHere.length).toBeGreaterThan(0)
    expect(before.shared.length).toBeGreaterThan(0)
    expect(before.tags).toBeGreaterThan(0)
    expect(before.coverage).toBeGreaterThan(0)

    const deleted = await runCli(['snapshot', 'delete', 'all-1', '--yes', ...at()])
    expect(deleted.code, deleted.stderr).toBe(0)
    expect(deleted.stdout.trim().split('\n')).toEqual([
      `Deleted snapshot all-1 (${all.snapshot.resourceCount} resources).`,
      // The default inventory holds no other snapshot to make active.
      'It was the active snapshot of inventory "default", which has none now: take one with "awsinv snapshot create".',
    ])

    withStore((db) => {
      const count = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number
      expect(count('select count(*) from snapshots where id = ?', id)).toBe(0)
      expect(count('select count(*) from resources where snapshot_id = ?', id)).toBe(0)
      expect(count('select count(*) from coverage where snapshot_id = ?', id)).toBe(0)
      const marks = before.resourceIds.map(() => '?').join(',')
      expect(count(`select count(*) from resource_tags where resource_id in (${marks})`, ...before.resourceIds)).toBe(0)
      const hashMarks = (hashes: string[]) => hashes.map(() => '?').join(',')
      expect(count(`select count(*) from configurations where hash in (${hashMarks(before.onlyHere)})`, ...before.onlyHere)).toBe(0)
      expect(count(`select count(*) from configurations where hash in (${hashMarks(before.shared)})`, ...before.shared)).toBe(before.shared.length)
      // Nothing dangles, and the other snapshots are untouched.
      expect(count('select count(*) from resources r where not exists (select 1 from configurations c where c.hash = r.config_hash)')).toBe(0)
      expect(count('select count(*) from configurations c where not exists (select 1 from resources r where r.config_hash = c.hash)')).toBe(0)
      expect(db.prepare('select snapshot_id, count(*) as n from resources group by snapshot_id order by snapshot_id').all()).toEqual(before.others)
    })

    const [show, report, list] = await Promise.all([
      runCli(['snapshot', 'show', 'all-1', ...at()]),
      runCli(['snapshot', 'report', ...at()]),
      json<InventorySummary[]>('inventory', 'list'),
    ])
    expectOneLineError(show, /Unknown snapshot "all-1"/)
    // It was the default inventory's active snapshot: there is none now.
    expectOneLineError(report, /Inventory "default" has no active snapshot/)
    expect(list.find((i) => i.name === 'default')).toMatchObject({snapshotCount: 0, activeSnapshot: null})
  })

  it('inventory delete --delete-snapshots removes the inventory with its snapshots', async () => {
    const result = await json<{deleted: string; deletedSnapshots: number}>('inventory', 'delete', 'team-a', '--yes', '--delete-snapshots')
    expect(result).toEqual({deleted: 'team-a', deletedSnapshots: 2})
    const [list, snapshots, shown] = await Promise.all([
      json<InventorySummary[]>('inventory', 'list'),
      json<Snapshot[]>('snapshot', 'list'),
      runCli(['inventory', 'show', 'team-a', ...at()]),
    ])
    expect(list.map((i) => i.name)).toEqual(['default'])
    expect(snapshots).toEqual([])
    expectOneLineError(shown, /Unknown inventory "team-a"/)
    withStore((db) => {
      for (const table of ['snapshots', 'resources', 'resource_tags', 'coverage', 'configurations']) {
        expect(db.prepare(`select count(*) from ${table}`).pluck().get(), table).toBe(0)
      }
    })
  })
})
