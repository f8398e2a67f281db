import Database from 'better-sqlite3'
import {drizzle, type BetterSQLite3Database} from 'drizzle-orm/better-sqlite3'
import {readMigrationFiles} from 'drizzle-orm/migrator'
import {type Stats, chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join, resolve} from 'node:path'

import {UserError} from '../errors.js'
import {expandHome} from '../paths.js'
import {packageRoot} from '../package-root.js'
import * as schema from './schema.js'

export const DATABASE_FILE = 'inventory.db'

/** An open, migrated awsinv database. */
export interface Store {
  /** Directory holding the database and audit logs. */
  dir: string
  /** Path of the SQLite file. */
  path: string
  sqlite: Database.Database
  db: BetterSQLite3Database<typeof schema>
  close(): void
}

/** The storage directory: the flag, else AWSINV_STORAGE_PATH (unless empty), else ~/.snapshots. */
export function resolveStorageDir(flag?: string): string {
  const dir = expandHome(flag ?? (process.env.AWSINV_STORAGE_PATH || undefined) ?? join(homedir(), '.snapshots'))
  return resolve(dir)
}

/**
 * Opens (creating if needed) the database in `dir` and brings its schema up to date in place.
 * Fails with a one-line UserError when the directory cannot hold it or the file is not an awsinv database.
 */
export function openStore(dir: string, options: {migrationsFolder?: string} = {}): Store {
  prepareDirectory(dir)
  const path = join(dir, DATABASE_FILE)
  let sqlite: Database.Database | undefined
  try {
    createDatabaseFile(path)
    sqlite = new Database(path)
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // Checked before anything (even the journal mode) is written to the file.
    assertOwnDatabase(sqlite, path)
    enableWal(sqlite)
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('synchronous = NORMAL')
  } catch (error) {
    sqlite?.close()
    throw error instanceof UserError ? error : databaseError(path, error)
  }

  try {
    chmodSync(path, 0o600)
    migrate(sqlite, path, options.migrationsFolder ?? join(packageRoot(), 'migrations'))
  } catch (error) {
    sqlite.close()
    throw error instanceof UserError ? error : databaseError(path, error)
  }

  const open = sqlite
  const db = drizzle(open, {schema})
  return {db, dir, path, sqlite: open, close: () => open.close()}
}

/** What is at `path`, or undefined when nothing is (or a part of the path is not a directory). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as {code?: string}).code ?? '')) return undefined
    throw error
  }
}

/** The file, created before SQLite does so that it is never readable by others. */
function createDatabaseFile(path: string): void {
  const file = statOf(path)
  if (file?.isDirectory()) throw isADirectory(path)
  if (file) return
  try {
    closeSync(openSync(path, 'a', 0o600))
  } catch (error) {
    const {code, message} = error as {code?: string; message: string}
    // Denied is a permission the user can fix; anything else (ENOENT under /proc) is no place for a file.
    if (['EACCES', 'EPERM', 'EROFS'].includes(code ?? '')) throw error
    throw new UserError(`Cannot create ${path}: ${message}. Pass a writable directory with --storage-path.`)
  }
}

function notADirectory(dir: string): UserError {
  return new UserError(`Storage path ${dir} is not a directory. Pass a directory with --storage-path.`)
}

function isADirectory(path: string): UserError {
  return new UserError(`${path} is a directory, not an awsinv database. Move it away or use another --storage-path.`)
}

function prepareDirectory(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw notADirectory(dir)
    return
  }

  try {
    makeDirectories(dir)
  } catch (error) {
    throw new UserError(`Cannot create storage directory ${dir}: ${(error as Error).message}. Pass a writable directory with --storage-path.`)
  }
}

/**
 * Creates `dir` and any missing parents, owner-only. Not `mkdirSync(dir, {recursive: true})`: on Node 20
 * that loops forever when creating a directory fails with ENOENT although its parent exists, as it does
 * under /proc and /sys.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = []
  for (let current = dir; !existsSync(current); current = dirname(current)) {
    missing.unshift(current)
    if (dirname(current) === current) break
  }

  for (const path of missing) {
    try {
      mkdirSync(path, {mode: 0o700})
    } catch (error) {
      // Another process may have just created it.
      if ((error as {code?: string}).code !== 'EEXIST' || !statSync(path).isDirectory()) throw error
    }
  }
}

/** What an error opening the file means, in one line. */
function databaseError(path: string, error: unknown): UserError {
  const err = error as {code?: string; message?: string}
  const code = err.code ?? ''
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new UserError(`${path} is not a valid SQLite database (it may be corrupt). Move it away or use another --storage-path.`)
  }

  // SQLite's extended codes name the cause (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN_ISDIR…).
  if (/^SQLITE_(CANTOPEN|READONLY|PERM)/.test(code) || ['EACCES', 'EPERM', 'EROFS'].includes(code)) {
    return new UserError(`Cannot open ${path} for writing. Check its permissions or use another --storage-path.`)
  }

  return new UserError(`Cannot use database ${path}: ${err.message ?? String(error)}`)
}

const MIGRATIONS_TABLE = '__drizzle_migrations'

/** How long a statement waits for another process's lock on the file before giving up. */
const BUSY_TIMEOUT_MS = 30_000

/**
 * Switches the file to WAL mode (once per file; later opens find it so). Switching writes the file's
 * header under a lock taken while already reading, so when another process holds the write lock (it is
 * switching the same new file, or writing it in rollback mode) SQLite answers SQLITE_BUSY at once
 * instead of waiting, since waiting could deadlock. Nothing has changed then: retry until the busy timeout.
 */
function enableWal(sqlite: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS
  for (let attempt = 1; ; attempt++) {
    try {
      sqlite.pragma('journal_mode = WAL')
      return
    } catch (error) {
      if ((error as {code?: string}).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(100, 5 * attempt))
    }
  }
}

/** A database with tables but no awsinv migration record belongs to something else: leave it alone. */
function assertOwnDatabase(sqlite: Database.Database, path: string): void {
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table'`).pluck().all() as string[]
  if (tables.length > 0 && !tables.includes(MIGRATIONS_TABLE)) {
    throw new UserError(`${path} is not an awsinv database (it has tables of another application). Use another --storage-path.`)
  }
}

/**
 * Applies the drizzle-kit migrations not yet applied, in one IMMEDIATE transaction so that two processes
 * opening a new file at once do not both migrate it. Records them the way drizzle's migrator does.
 */
function migrate(sqlite: Database.Database, path: string, folder: string): void {
  const migrations = readMigrationFiles({migrationsFolder: folder})
  const apply = sqlite.transaction(() => {
    sqlite.exec(`create table if not exists ${MIGRATIONS_TABLE} (id integer primary key autoincrement, hash text not null, created_at numeric)`)
    const last = sqlite.prepare(`select created_at from ${MIGRATIONS_TABLE} order by created_at desc limit 1`).pluck().get() as number | undefined
    const newest = migrations.at(-1)?.folderMillis ?? 0
    if (last !== undefined && Number(last) > newest) {
      throw new UserError(`${path} was written by a newer version of awsinv. Upgrade awsinv to use it.`)
    }

    const record = sqlite.prepare(`insert into ${MIGRATIONS_TABLE} (hash, created_at) values (?, ?)`)
    for (const migration of migrations) {
      if (last !== undefined && Number(last) >= migration.folderMillis) continue
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement)
      record.run(migration.hash, migration.folderMillis)
    }
  })
  apply.immediate()
}
