import Database from 'better-sqlite3'
import {spawn, spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {chmodSync, closeSync, copyFileSync, cpSync, mkdirSync, openSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {DATABASE_FILE, type OpenStoreOptions, type Store, openStore, resolveStorageDir} from '../../../src/store/database.js'
import {finishedSnapshot} from '../../support/store.js'
import {sharedTempDir, unprivileged} from '../../support/unprivileged.js'

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

/** This release's migrations plus a later one adding `inventories.owner`, copied into `parent`: the folder. */
function migrationsWithUpgrade(parent: string): string {
  const migrations = join(parent, 'migrations')
  cpSync(join(repoRoot, 'migrations'), migrations, {recursive: true})
  const journalPath = join(migrations, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {entries: Array<{idx: number; when: number; tag: string; breakpoints: boolean; version: string}>}
  const last = journal.entries.at(-1)!
  journal.entries.push({...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_test_upgrade'})
  writeFileSync(journalPath, JSON.stringify(journal))
  writeFileSync(join(migrations, '9999_test_upgrade.sql'), 'ALTER TABLE `inventories` ADD `owner` text;')
  return migrations
}

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
    const first = open(dir)
    first.sqlite.prepare(`insert into inventories (name, created_at) values ('kept', 'now')`).run()
    first.close()

    // A later release adds a migration: the same file is upgraded, never recreated.
    const migrations = migrationsWithUpgrade(tempDir())
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

  it('rejects a storage directory it cannot create', () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, 'x')
    expect(() => open(join(file, 'sub'))).toThrow(/Cannot create storage directory/)
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

describe('openStore with read access', () => {
  const read = (dir: string, options: OpenStoreOptions = {}) => {
    const store = openStore(dir, {...options, access: 'read'})
    stores.push(store)
    return store
  }

  it('never creates a database: a missing directory, a directory without the file and an empty file are none', () => {
    const parent = tempDir()
    const typo = join(parent, 'typo', 'new', 'dir')
    expect(() => read(typo)).toThrow(new UserError(`No awsinv database at ${typo} (inventory.db): take a snapshot first, or check --storage-path / AWSINV_STORAGE_PATH.`))
    expect(readdirSync(parent)).toEqual([])

    const empty = tempDir()
    expect(() => read(empty)).toThrow(`No awsinv database at ${empty} (inventory.db)`)
    expect(readdirSync(empty)).toEqual([])
    // A zero-byte file (a run killed before SQLite wrote it) holds no database either, and stays as it is.
    writeFileSync(join(empty, DATABASE_FILE), '')
    expect(() => read(empty)).toThrow(`No awsinv database at ${empty} (inventory.db)`)
    expect(readdirSync(empty)).toEqual([DATABASE_FILE])
    expect(statSync(join(empty, DATABASE_FILE)).size).toBe(0)
  })

  it('upgrades a database it can write like any command, keeping the mode it found', () => {
    const dir = tempDir()
    open(dir).close()
    chmodSync(join(dir, DATABASE_FILE), 0o640)
    const store = read(dir, {migrationsFolder: migrationsWithUpgrade(tempDir())})
    expect(store.writable).toBe(true)
    expect(store.sqlite.prepare('select name, owner from inventories').all()).toEqual([])
    expect(statSync(store.path).mode & 0o777).toBe(0o640)
  })
})

describe('openStore with update access', () => {
  it('never creates a database, and opens an existing one writable, upgrading it', () => {
    const parent = tempDir()
    const typo = join(parent, 'typo')
    expect(() => openStore(typo, {access: 'update'})).toThrow(`No awsinv database at ${typo} (inventory.db)`)
    expect(readdirSync(parent)).toEqual([])
    writeFileSync(join(parent, DATABASE_FILE), '')
    expect(() => openStore(parent, {access: 'update'})).toThrow(`No awsinv database at ${parent} (inventory.db)`)
    expect(statSync(join(parent, DATABASE_FILE)).size).toBe(0)

    const dir = tempDir()
    const migrations = migrationsWithUpgrade(dir)
    open(dir).close()
    const store = openStore(dir, {access: 'update', migrationsFolder: migrations})
    stores.push(store)
    expect(store.writable).toBe(true)
    expect(store.sqlite.prepare('select owner from inventories').all()).toEqual([])
  })
})

describe('openStore refusing what is no database', () => {
  it('says a database path that is a directory is one, with either access, and leaves it alone', () => {
    const dir = tempDir()
    mkdirSync(join(dir, DATABASE_FILE))
    for (const access of ['read', 'write'] as const) {
      expect(() => openStore(dir, {access})).toThrow(new UserError(`${join(dir, DATABASE_FILE)} is a directory, not an awsinv database. Move it away or use another --storage-path.`))
    }

    expect(readdirSync(dir)).toEqual([DATABASE_FILE])
    expect(readdirSync(join(dir, DATABASE_FILE))).toEqual([])
  })

  it('refuses a storage path that is a file with either access', () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, 'x')
    for (const access of ['read', 'write'] as const) expect(() => openStore(file, {access})).toThrow(`Storage path ${file} is not a directory.`)
  })

  it('refuses a file it cannot create where no file can be, under /proc, in one line', () => {
    expect(() => openStore('/proc')).toThrow(/^Cannot create \/proc\/inventory\.db: ENOENT: .*\. Pass a writable directory with --storage-path\.$/)
  })
})

/**
 * Opens each `[dir, options]` with openStore in a process that file modes apply to (see unprivileged()), and
 * gives for each what it read (snapshot names, through the store and a reader connection), what writing gave, and
 * whether it was opened writable, or the error.
 */
function openUnprivileged(cases: Array<[string, OpenStoreOptions]>): Array<{error: string} | {writable: boolean; snapshots: string[]; viaReader: string[]; write: string}> {
  const script = `import {openStore} from './src/store/database.ts'
const names = (db) => db.prepare('select name from snapshots order by name').pluck().all()
const results = ${JSON.stringify(cases)}.map(([dir, options]) => {
  try {
    const store = openStore(dir, options)
    let write = 'written'
    try { store.sqlite.prepare("insert into inventories (name, created_at) values ('new', 'now')").run() } catch (error) { write = error.code }
    const reader = store.openReader()
    const result = {writable: store.writable, snapshots: names(store.sqlite), viaReader: names(reader), write}
    reader.close()
    store.close()
    return result
  } catch (error) {
    return {error: error.message}
  }
})
console.log(JSON.stringify(results))`
  const {command, args} = unprivileged(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
  const child = spawnSync(command, args, {cwd: repoRoot, encoding: 'utf8', timeout: 60_000})
  if (child.status !== 0) throw new Error(`${command} exited ${child.status}: ${child.error?.message ?? child.stderr}`)
  return JSON.parse(child.stdout) as ReturnType<typeof openUnprivileged>
}

describe('openStore on a database this user cannot write', () => {
  const shared: Array<{remove(): void}> = []
  afterEach(() => {
    for (const s of shared.splice(0)) s.remove()
  })

  /** A database with snapshot "one" (and `prepare` done to it), copied alone into `name` under `root`: the copy's directory. */
  function copyOf(root: string, name: string, prepare: (store: Store) => void = () => {}): string {
    const source = join(root, `${name}-source`)
    const store = openStore(source)
    finishedSnapshot(store, 'one')
    prepare(store)
    store.close()
    const dir = join(root, name)
    mkdirSync(dir)
    copyFileSync(join(source, DATABASE_FILE), join(dir, DATABASE_FILE))
    return dir
  }

  const lockDown = (dir: string, dirMode = 0o555) => {
    for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o444)
    chmodSync(dir, dirMode)
  }

  it('reads a read-only copy in a read-only directory and a read-only file, writing nothing; a command that writes is refused', () => {
    const temp = sharedTempDir('awsinv-db-ro-')
    shared.push(temp)
    const readOnlyDir = copyOf(temp.dir, 'read-only-dir')
    const readOnlyFile = copyOf(temp.dir, 'read-only-file')
    const emptyReadOnlyDir = join(temp.dir, 'empty')
    mkdirSync(emptyReadOnlyDir)
    lockDown(readOnlyDir)
    // Writable by the unprivileged user: SQLite may keep its -shm file there.
    lockDown(readOnlyFile, 0o777)
    lockDown(emptyReadOnlyDir)
    const before = readFileSync(join(readOnlyDir, DATABASE_FILE))

    const [inDir, asFile, writeInDir, createInDir] = openUnprivileged([
      [readOnlyDir, {access: 'read'}],
      [readOnlyFile, {access: 'read'}],
      [readOnlyDir, {access: 'write'}],
      [emptyReadOnlyDir, {access: 'write'}],
    ])
    const readOnly = {writable: false, snapshots: ['one'], viaReader: ['one'], write: 'SQLITE_READONLY'}
    expect(inDir).toEqual(readOnly)
    expect(asFile).toEqual(readOnly)
    expect(writeInDir).toEqual({error: `Cannot open ${join(readOnlyDir, DATABASE_FILE)} for writing. Check its permissions or use another --storage-path.`})
    expect(createInDir).toEqual({error: `Cannot open ${join(emptyReadOnlyDir, DATABASE_FILE)} for writing. Check its permissions or use another --storage-path.`})
    expect(readdirSync(readOnlyDir)).toEqual([DATABASE_FILE])
    expect(readFileSync(join(readOnlyDir, DATABASE_FILE)).equals(before)).toBe(true)
    expect(readdirSync(emptyReadOnlyDir)).toEqual([])
  })

  it('refuses a read-only database whose schema is older or newer than this awsinv, or whose -wal file it cannot read through', () => {
    const temp = sharedTempDir('awsinv-db-ro-')
    shared.push(temp)
    const older = copyOf(temp.dir, 'older')
    const newer = copyOf(temp.dir, 'newer', (store) => {
      store.sqlite.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('future', Date.now() + 10 ** 12)
    })
    const withWal = copyOf(temp.dir, 'with-wal')
    // Left by a process that stopped while writing: the committed transactions it holds are not in the file.
    writeFileSync(join(withWal, `${DATABASE_FILE}-wal`), '')
    for (const dir of [older, newer, withWal]) lockDown(dir)
    const migrations = migrationsWithUpgrade(temp.dir)

    const results = openUnprivileged([
      [older, {access: 'read', migrationsFolder: migrations}],
      [newer, {access: 'read'}],
      [withWal, {access: 'read'}],
    ])
    expect(results).toEqual([
      {
        error: `${join(older, DATABASE_FILE)} was written by an older version of awsinv and needs upgrading, which takes write access: run any awsinv command once as a user who can write it (e.g. "awsinv snapshot list").`,
      },
      {error: `${join(newer, DATABASE_FILE)} was written by a newer version of awsinv. Upgrade awsinv to use it.`},
      {
        error: `Cannot read ${join(withWal, DATABASE_FILE)}: SQLite has to create inventory.db-shm next to it, in a directory this user cannot write. Copy the database (with its -wal file, if any) to a writable directory, or run with write access to it.`,
      },
    ])
    expect(readdirSync(older)).toEqual([DATABASE_FILE])
  })
})

describe('resolveStorageDir', () => {
  const saved = process.env.AWSINV_STORAGE_PATH
  afterEach(() => {
    if (saved === undefined) delete process.env.AWSINV_STORAGE_PATH
    else process.env.AWSINV_STORAGE_PATH = saved
  })

  it('takes the flag, else AWSINV_STORAGE_PATH, else ~/.snapshots', () => {
    process.env.AWSINV_STORAGE_PATH = '/srv/inventory'
    expect(resolveStorageDir('/tmp/store')).toBe('/tmp/store')
    expect(resolveStorageDir()).toBe('/srv/inventory')
    process.env.AWSINV_STORAGE_PATH = '~/inv'
    expect(resolveStorageDir()).toBe(join(homedir(), 'inv'))
    delete process.env.AWSINV_STORAGE_PATH
    expect(resolveStorageDir()).toBe(join(homedir(), '.snapshots'))
  })

  it('refuses an empty or blank AWSINV_STORAGE_PATH as a usage error naming it, unless the flag is given', () => {
    for (const value of ['', ' ', '\t']) {
      process.env.AWSINV_STORAGE_PATH = value
      // Exit code 2, as for an empty --storage-path.
      expect(() => resolveStorageDir()).toThrow(
        new UserError('AWSINV_STORAGE_PATH is set but empty: set it to the directory of the awsinv database, or unset it to use ~/.snapshots.', 2),
      )
      expect(resolveStorageDir('/tmp/store')).toBe('/tmp/store')
    }
  })
})
