import Database from 'better-sqlite3'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DATABASE_FILE, openStore} from '../../src/store/database.js'
import {insertInventory} from '../../src/store/inventories.js'
import {type CliResult, expectRefused, runCli, runCliJson} from '../support/cli.js'
import {coverageRecord, fakeResource, finishedSnapshot} from '../support/store.js'
import {sharedTempDir, unprivileged} from '../support/unprivileged.js'

/**
 * Which commands need the database, and how: the built CLI on real SQLite files without AWS. Commands that only
 * read never create a database and work on one they cannot write; commands that write say in one line why they
 * cannot. Permissions are tested as a user they apply to (see unprivileged()).
 */

let temp: ReturnType<typeof sharedTempDir>
/** The store every command reads, writable. */
let source: string
/** A copy of it, read-only, in a read-only directory. */
let readOnly: string
const at = (dir: string) => ['--storage-path', dir]
const VPC_ARN = fakeResource('vpc-1').arn

beforeAll(() => {
  temp = sharedTempDir('awsinv-store-access-')
  source = join(temp.dir, 'source')
  const store = openStore(source)
  try {
    const vpc = (id: string, tags: Record<string, string>) => fakeResource(id, {tags})
    finishedSnapshot(store, 'monday', {resources: [vpc('vpc-1', {owner: 'a'})]})
    finishedSnapshot(store, 'tuesday', {resources: [vpc('vpc-1', {owner: 'b'}), vpc('vpc-2', {})], coverage: [coverageRecord()], setActive: true})
    insertInventory(store, {name: 'team', includeTags: {team: 'a'}})
  } finally {
    store.close()
  }

  readOnly = copyReadOnly('read-only')
})

afterAll(() => temp?.remove())

/** A copy of the source database alone in `name` (0444), in a directory of `dirMode`. */
function copyReadOnly(name: string, dirMode = 0o555): string {
  const dir = join(temp.dir, name)
  mkdirSync(dir)
  copyFileSync(join(source, DATABASE_FILE), join(dir, DATABASE_FILE))
  chmodSync(join(dir, DATABASE_FILE), 0o444)
  chmodSync(dir, dirMode)
  return dir
}

/** The commands that only read the database, as a user runs them (reports go to a writable directory). */
const readCommands = (exports: string): string[][] => [
  ['query', 'sql', 'select name, resource_count from v_snapshots order by name'],
  ['query', 'sql', 'select arn from v_resources order by arn', '--snapshot', 'monday'],
  ['query', 'resources', '--type', 'ec2'],
  ['query', 'history', VPC_ARN, '--show-diff'],
  ['query', 'stats', '--group-by', 'snapshot'],
  ['query', 'diff', 'monday', 'tuesday'],
  ['snapshot', 'list'],
  ['snapshot', 'show', 'tuesday'],
  ['snapshot', 'report', '--export', join(exports, 'resources.csv')],
  ['security', 'scan', '--status', 'all'],
  ['inventory', 'list'],
  ['inventory', 'show', 'team'],
]

const context = (args: string[], result: CliResult) => `awsinv ${args.join(' ')}\nexit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`

describe('commands that only read', () => {
  it('give on a read-only copy in a read-only directory what they give on the original, and change nothing', async () => {
    const exports = join(temp.dir, 'exports')
    mkdirSync(exports, {mode: 0o777})
    chmodSync(exports, 0o777)
    const before = readFileSync(join(readOnly, DATABASE_FILE))
    for (const args of readCommands(exports)) {
      // One after the other: both write the same export file, which the unprivileged user could not replace.
      const original = await runCliJson<unknown>([...args, ...at(source)])
      if (args.includes('--export')) rmSync(join(exports, 'resources.csv'))
      const copy = await runCli([...args, ...at(readOnly), '--json'], {unprivileged: true})
      expect(copy.code, context(args, copy)).toBe(0)
      expect(copy.stderr, context(args, copy)).not.toMatch(/Error/)
      // The export path is the same in both; nothing else may differ.
      expect(JSON.parse(copy.stdout), context(args, copy)).toEqual(original)
    }

    expect(readdirSync(readOnly)).toEqual([DATABASE_FILE])
    expect(readFileSync(join(readOnly, DATABASE_FILE)).equals(before)).toBe(true)
    expect(readFileSync(join(exports, 'resources.csv'), 'utf8')).toMatch(/vpc-2/)
  })

  it('never replace an export file the user may not write, even in a directory they may write', async () => {
    const exports = join(temp.dir, 'exports-owned')
    mkdirSync(exports, {mode: 0o777})
    chmodSync(exports, 0o777)
    const file = join(exports, 'theirs.csv')
    writeFileSync(file, 'kept', {mode: 0o644})
    const run = await runCli(['snapshot', 'report', '--export', file, ...at(readOnly)], {unprivileged: true})
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toBe(`Error: Cannot write ${file}: permission denied.\n`)
    expect(readFileSync(file, 'utf8')).toBe('kept')
    expect(readdirSync(exports)).toEqual(['theirs.csv'])
  })

  it('refuse, before any work, a file of another user in a sticky directory, which the final rename could not replace', async () => {
    const sticky = join(temp.dir, 'sticky')
    mkdirSync(sticky)
    chmodSync(sticky, 0o1777)
    const file = join(sticky, 'shared.json')
    writeFileSync(file, 'kept')
    chmodSync(file, 0o666)
    const run = await runCli(['snapshot', 'report', '--export', file, ...at(readOnly)], {unprivileged: true})
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toBe(`Error: Cannot write ${file}: permission denied (a file of another user, in a directory where only its owner may replace it).\n`)
    expect(readFileSync(file, 'utf8')).toBe('kept')
    expect(readdirSync(sticky)).toEqual(['shared.json'])
  })

  it('read a read-only file in a directory they may write', async () => {
    const dir = copyReadOnly('read-only-file', 0o777)
    const before = readFileSync(join(dir, DATABASE_FILE))
    const listed = await runCli(['snapshot', 'list', '--json', ...at(dir)], {unprivileged: true})
    expect(listed.code, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as Array<{name: string}>).map((s) => s.name)).toEqual(['tuesday', 'monday'])
    const sql = await runCli(['query', 'sql', 'select count(*) as n from v_resources', '--snapshot', 'tuesday', '--json', ...at(dir)], {unprivileged: true})
    expect(sql.code, sql.stderr).toBe(0)
    expect(JSON.parse(sql.stdout)).toMatchObject({rows: [[2]]})
    expect(readFileSync(join(dir, DATABASE_FILE)).equals(before)).toBe(true)
    // No -wal or -shm of the reader's own is left next to it: the owner's commands would fail on them.
    expect(readdirSync(dir)).toEqual([DATABASE_FILE])
    const owner = await runCliJson<Array<{name: string}>>(['snapshot', 'rename', 'monday', 'lundi', ...at(dir)])
    expect(owner).toMatchObject({name: 'lundi'})
  })

  it('refuse in one line a read-only database that needs upgrading, and one whose -wal file they cannot read through', async () => {
    // An older awsinv's database: its newest migration is not recorded.
    const older = join(temp.dir, 'older-source')
    mkdirSync(older)
    copyFileSync(join(source, DATABASE_FILE), join(older, DATABASE_FILE))
    const db = new Database(join(older, DATABASE_FILE))
    db.prepare('delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)').run()
    db.close()
    const olderCopy = join(temp.dir, 'older')
    mkdirSync(olderCopy)
    copyFileSync(join(older, DATABASE_FILE), join(olderCopy, DATABASE_FILE))
    chmodSync(join(olderCopy, DATABASE_FILE), 0o444)
    chmodSync(olderCopy, 0o555)

    const withWal = join(temp.dir, 'with-wal')
    mkdirSync(withWal)
    copyFileSync(join(source, DATABASE_FILE), join(withWal, DATABASE_FILE))
    writeFileSync(join(withWal, `${DATABASE_FILE}-wal`), '')
    for (const file of readdirSync(withWal)) chmodSync(join(withWal, file), 0o444)
    chmodSync(withWal, 0o555)

    const [upgrade, wal] = await Promise.all([
      runCli(['snapshot', 'list', ...at(olderCopy)], {unprivileged: true}),
      runCli(['query', 'sql', 'select 1', ...at(withWal)], {unprivileged: true}),
    ])
    expectRefused(upgrade, /^Error: .*\/older\/inventory\.db was written by an older version of awsinv and needs upgrading, which takes write access: run any awsinv command once as a user who can write it \(e\.g\. "awsinv snapshot list"\)\.$/)
    expect(upgrade.code).toBe(1)
    expectRefused(wal, /^Error: Cannot read .*\/with-wal\/inventory\.db: SQLite has to create inventory\.db-shm next to it, in a directory this user cannot write\./)
    expect(readdirSync(olderCopy)).toEqual([DATABASE_FILE])
  })

  it('never create a database: a mistyped path is an error saying so, and nothing is created', async () => {
    const empty = join(temp.dir, 'empty')
    mkdirSync(empty)
    const typo = join(temp.dir, 'typo', 'new', 'dir')
    for (const dir of [typo, empty]) {
      const results = await Promise.all(readCommands(temp.dir).map((args) => runCli([...args, ...at(dir)])))
      results.forEach((result, i) => {
        expectRefused(result, new RegExp(`^Error: No awsinv database at ${dir} \\(inventory\\.db\\): take a snapshot first, or check --storage-path / AWSINV_STORAGE_PATH\\.$`), context(readCommands(temp.dir)[i]!, result))
        expect(result.code).toBe(1)
      })
    }

    // From the environment too.
    const fromEnv = await runCli(['snapshot', 'list'], {env: {AWSINV_STORAGE_PATH: typo}})
    expectRefused(fromEnv, /^Error: No awsinv database at .*\/typo\/new\/dir/)
    expect(existsSync(join(temp.dir, 'typo'))).toBe(false)
    expect(readdirSync(empty)).toEqual([])
  })

  it('security scan refuses bad flags before it looks for the database', async () => {
    const missing = join(temp.dir, 'scan-missing')
    const results = await Promise.all([
      runCli(['security', 'scan', '--check', 'nope', ...at(missing)]),
      runCli(['security', 'scan', '--check', ' , ', ...at(missing)]),
      runCli(['security', 'scan', '--fail-on', 'bogus', ...at(missing)]),
      runCli(['security', 'scan', '--severity', 'severe', ...at(missing)]),
    ])
    expectRefused(results[0]!, /^Error: Unknown check "nope"\. Run "awsinv security checks" to see the check ids\.$/)
    expectRefused(results[1]!, /^Error: --check needs a check id\./)
    expectRefused(results[2]!, /^Error: Unknown severity "bogus" for --fail-on: use info, low, medium, high, critical\.$/)
    expectRefused(results[3]!, /^Error: Unknown severity "severe" for --severity/)
    expect(existsSync(missing)).toBe(false)
  })
})

describe('commands that write', () => {
  it('refuse a database they cannot write in one line, and leave it as it was', async () => {
    const before = readFileSync(join(readOnly, DATABASE_FILE))
    const writes = [
      ['inventory', 'create', 'new-team'],
      ['inventory', 'delete', 'team', '--yes'],
      ['snapshot', 'rename', 'monday', 'lundi'],
      ['snapshot', 'set-active', 'monday'],
      ['snapshot', 'delete', 'monday', '--yes'],
      ['snapshot', 'create', 'wednesday', '--regions', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'],
      // It caches Cost Explorer's responses in the database.
      ['cost', '--endpoint-url', 'http://127.0.0.1:9'],
    ]
    const results = await Promise.all(writes.map((args) => runCli([...args, ...at(readOnly)], {unprivileged: true})))
    results.forEach((result, i) =>
      expectRefused(result, /^Error: Cannot open .*\/read-only\/inventory\.db for writing\. Check its permissions or use another --storage-path\.$/, context(writes[i]!, result)),
    )
    expect(readdirSync(readOnly)).toEqual([DATABASE_FILE])
    expect(readFileSync(join(readOnly, DATABASE_FILE)).equals(before)).toBe(true)
  })

  it('that act on something stored never create a database: a mistyped path is an error saying so, and nothing is created', async () => {
    const typo = join(temp.dir, 'update-typo', 'dir')
    const empty = join(temp.dir, 'update-empty')
    mkdirSync(empty)
    const updates = [
      ['snapshot', 'delete', 'monday', '--yes'],
      ['snapshot', 'rename', 'monday', 'lundi'],
      ['snapshot', 'set-active', 'monday'],
      ['inventory', 'delete', 'team', '--yes'],
      ['delta', '--snapshot', 'monday', '--endpoint-url', 'http://127.0.0.1:9'],
      ['cleanup', 'preview', 'monday', '--endpoint-url', 'http://127.0.0.1:9'],
      ['cleanup', 'execute', 'monday', '--confirm', '--yes', '--endpoint-url', 'http://127.0.0.1:9'],
      ['cleanup', 'purge', '--preview', '--from-snapshot', 'monday', '--endpoint-url', 'http://127.0.0.1:9'],
      ['cost', '--snapshot', 'monday', '--endpoint-url', 'http://127.0.0.1:9'],
      ['cost', '--inventory', 'team', '--endpoint-url', 'http://127.0.0.1:9'],
    ]
    for (const dir of [typo, empty]) {
      const results = await Promise.all(updates.map((args) => runCli([...args, ...at(dir)])))
      results.forEach((result, i) => {
        expectRefused(result, new RegExp(`^Error: No awsinv database at ${dir} \\(inventory\\.db\\): take a snapshot first`), context(updates[i]!, result))
        expect(result.code).toBe(1)
      })
    }

    expect(existsSync(join(temp.dir, 'update-typo'))).toBe(false)
    expect(readdirSync(empty)).toEqual([])
  })

  it('say in one line that they cannot create the database in a directory they cannot write', async () => {
    const locked = join(temp.dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    const result = await runCli(['inventory', 'create', 'team', ...at(locked)], {unprivileged: true})
    expectRefused(result, /^Error: Cannot open .*\/locked\/inventory\.db for writing\. Check its permissions or use another --storage-path\.$/)
    expect(readdirSync(locked)).toEqual([])
  })
})

describe('a database path that is a directory', () => {
  it('is refused as one by commands that read and that write, and left alone', async () => {
    const dir = join(temp.dir, 'dir-as-file')
    mkdirSync(join(dir, DATABASE_FILE), {recursive: true})
    const results = await Promise.all([runCli(['snapshot', 'list', ...at(dir)]), runCli(['inventory', 'create', 'team', ...at(dir)])])
    for (const result of results) {
      expectRefused(result, /^Error: .*\/dir-as-file\/inventory\.db is a directory, not an awsinv database\. Move it away or use another --storage-path\.$/)
    }

    expect(readdirSync(join(dir, DATABASE_FILE))).toEqual([])
  })
})

describe('unprivileged()', () => {
  it('really runs without the permission bypass of root, or these tests would prove nothing', async () => {
    const {command, args} = unprivileged(process.execPath, ['-e', "require('fs').writeFileSync(process.argv[1], 'x')", join(readOnly, 'probe')])
    const {spawnSync} = await import('node:child_process')
    const child = spawnSync(command, args, {encoding: 'utf8'})
    expect(child.status).not.toBe(0)
    expect(child.stderr).toMatch(/EACCES/)
  })
})
