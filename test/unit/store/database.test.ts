import Database from 'better-sqlite3'
import {spawn, spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {closeSync, cpSync, mkdirSync, openSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {DATABASE_FILE, type Store, openStore, resolveStorageDir} from '../../../src/store/database.js'

const stores: Store[] = []
const open = (dir: string) => {
  const store = openStore(dir)
  stores.push(store)
  return store
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const repoRoot = join(import.meta.dirname, '../../..')
const tempDir = () => mkdtempSync(join(tmpdir(), 'awsinv-db-'))

describe('openStore', () => {
  it('creates the directory and an owner-only database in WAL mode with foreign keys on', () => {
    const dir = join(tempDir(), 'nested', 'store')
    const store = open(dir)
    expect(statSync(dir).isDirectory()).toBe(true)
    expect(statSync(store.path).mode & 0o777).toBe(0o600)
    expect(store.sqlite.pragma('journal_mode', {simple: true})).toBe('wal')
    expect(store.sqlite.pragma('foreign_keys', {simple: true})).toBe(1)
    expect(Number(store.sqlite.pragma('busy_timeout', {simple: true}))).toBeGreaterThan(0)
  })

  it('applies every migration once and records it', () => {
    const dir = tempDir()
    open(dir).close()
    const store = open(dir)
    const applied = store.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as {n: number}
    const journal = JSON.parse(readFileSync(join(import.meta.dirname, '../../../migrations/meta/_journal.json'), 'utf8')) as {entries: unknown[]}
    expect(applied.n).toBe(journal.entries.length)
    const views = store.sqlite.prepare(`select name from sqlite_master where type = 'view' order by name`).pluck().all()
    expect(views).toEqual(['v_coverage', 'v_resource_tags', 'v_resources', 'v_snapshots'])
  })

  it('upgrades an older database in place, keeping its data', () => {
    const dir = tempDir()
    const migrations = join(tempDir(), 'migrations')
    cpSync(join(import.meta.dirname, '../../../migrations'), migrations, {recursive: true})
    const first = open(dir)
    first.sqlite.prepare(`insert into inventories (name, created_at) values ('kept', 'now')`).run()
    first.close()

    // A later release adds a migration: the same file is upgraded, never recreated.
    const journalPath = join(migrations, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {entries: Array<{idx: number; when: number; tag: string; breakpoints: boolean; version: string}>}
    const last = journal.entries.at(-1)!
    journal.entries.push({...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_test_upgrade'})
    writeFileSync(journalPath, JSON.stringify(journal))
    writeFileSync(join(migrations, '9999_test_upgrade.sql'), 'ALTER TABLE `inventories` ADD `owner` text;')
    const store = openStore(dir, {migrationsFolder: migrations})
    stores.push(store)
    expect(store.sqlite.prepare('select name, owner from inventories').all()).toEqual([{name: 'kept', owner: null}])
    store.close()
    // Reopening with the same migrations applies nothing twice.
    expect(() => stores.push(openStore(dir, {migrationsFolder: migrations}))).not.toThrow()
  })

  it('rejects a file that is not a SQLite database', () => {
    const dir = tempDir()
    writeFileSync(join(dir, DATABASE_FILE), 'this is not sqlite, just text that is long enough to have a header '.repeat(20))
    expect(() => open(dir)).toThrow(UserError)
    expect(() => open(dir)).toThrow(/not a valid SQLite database/)
  })

  it("rejects another application's SQLite database without touching it", () => {
    const dir = tempDir()
    const foreign = new Database(join(dir, DATABASE_FILE))
    foreign.exec('create table customers (id integer primary key, name text)')
    foreign.close()
    const before = readFileSync(join(dir, DATABASE_FILE))
    expect(() => open(dir)).toThrow(/not an awsinv database/)
    expect(readFileSync(join(dir, DATABASE_FILE)).equals(before)).toBe(true)
  })

  it('rejects a storage path that is a file', () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, 'x')
    expect(() => open(file)).toThrow(/is not a directory/)
  })

  it('rejects a storage directory it cannot create', () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, 'x')
    expect(() => open(join(file, 'sub'))).toThrow(/Cannot create storage directory/)
  })

  it('says a database path that is a directory is one, and leaves it alone', () => {
    const dir = tempDir()
    mkdirSync(join(dir, DATABASE_FILE))
    expect(() => open(dir)).toThrow(new UserError(`${join(dir, DATABASE_FILE)} is a directory, not an awsinv database. Move it away or use another --storage-path.`))
    expect(readdirSync(dir)).toEqual([DATABASE_FILE])
    expect(readdirSync(join(dir, DATABASE_FILE))).toEqual([])
  })

  it('refuses a file it cannot create where no file can be, under /proc, in one line', () => {
    expect(() => open('/proc')).toThrow(/^Cannot create \/proc\/inventory\.db: ENOENT: .*\. Pass a writable directory with --storage-path\.$/)
  })

  it('rejects a storage directory under /proc at once, where a recursive mkdir would spin forever', () => {
    // Run in a child process: the failure this guards against is a synchronous endless loop.
    const script = `import {openStore} from './src/store/database.ts'
try { openStore('/proc/awsinv-test/store') } catch (error) { console.log(error.message) }`
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: repoRoot, encoding: 'utf8', timeout: 30_000})
    expect(child.signal).toBeNull()
    expect(child.stdout.trim()).toMatch(/^Cannot create storage directory \/proc\/awsinv-test\/store: ENOENT.*Pass a writable directory with --storage-path\.$/)
  })

  it('waits for another process writing a new file, instead of failing with "database is locked"', async () => {
    // Another process holds the write lock of the new, still rollback-mode file for a moment — as one
    // switching it to WAL does when several awsinv commands start on a new store at once. Switching
    // here then gets SQLITE_BUSY at once, without SQLite's busy wait.
    const dir = tempDir()
    const path = join(dir, DATABASE_FILE)
    closeSync(openSync(path, 'a', 0o600))
    const holder = spawn(
      process.execPath,
      ['-e', "const db = new (require('better-sqlite3'))(process.argv[1]); db.exec('begin immediate'); console.log('held'); setTimeout(() => db.exec('commit'), 300)", path],
      {cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit']},
    )
    const [held] = (await once(holder.stdout, 'data')) as [Buffer]
    expect(held.toString().trim()).toBe('held')
    const store = open(dir)
    expect(store.sqlite.pragma('journal_mode', {simple: true})).toBe('wal')
    expect(store.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBeGreaterThan(0)
    await once(holder, 'exit')
  })

  it('refuses a database written by a newer awsinv', () => {
    const dir = tempDir()
    const store = open(dir)
    store.sqlite.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('future', Date.now() + 10 ** 12)
    store.close()
    expect(() => open(dir)).toThrow(/newer version of awsinv/)
  })
})

describe('resolveStorageDir', () => {
  const saved = process.env.AWSINV_STORAGE_PATH
  afterEach(() => {
    if (saved === undefined) delete process.env.AWSINV_STORAGE_PATH
    else process.env.AWSINV_STORAGE_PATH = saved
  })

  it('takes the flag, else AWSINV_STORAGE_PATH, else ~/.snapshots; an empty variable counts as unset', () => {
    process.env.AWSINV_STORAGE_PATH = '/srv/inventory'
    expect(resolveStorageDir('/tmp/store')).toBe('/tmp/store')
    expect(resolveStorageDir()).toBe('/srv/inventory')
    process.env.AWSINV_STORAGE_PATH = '~/inv'
    expect(resolveStorageDir()).toBe(join(homedir(), 'inv'))
    process.env.AWSINV_STORAGE_PATH = ''
    expect(resolveStorageDir()).toBe(join(homedir(), '.snapshots'))
    delete process.env.AWSINV_STORAGE_PATH
    expect(resolveStorageDir()).toBe(join(homedir(), '.snapshots'))
  })
})
