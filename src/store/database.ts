import Database from 'better-sqlite3'
import {drizzle, type BetterSQLite3Database} from 'drizzle-orm/better-sqlite3'
import {type MigrationMeta, readMigrationFiles} from 'drizzle-orm/migrator'
import {type Stats, accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {UserError} from '../errors.js'
import {expandHome} from '../paths.js'
import {packageRoot} from '../package-root.js'
import * as schema from './schema.js'

// better-sqlite3 reads this when its native addon loads, at the first `new Database`: URI filenames are how a
// database is opened `immutable` (see connectReadOnly). awsinv opens absolute paths only, never a `file:` name.
process.env.SQLITE_USE_URI ??= '1'

export const DATABASE_FILE = 'inventory.db'

/**
 * What a command does with the database. `write`: it is created if missing, and must be writable. `update`: it
 * must exist (a command that changes what is stored, such as deleting a snapshot, has nothing to act on in a new
 * database: a mistyped path is said so instead of left behind as an empty database), and must be writable.
 * `read`: it must exist, and is opened read-only when this process cannot write it (see openStore).
 */
export type StoreAccess = 'read' | 'update' | 'write'

/** An open awsinv database with an up-to-date schema. */
export interface Store {
  /** Directory holding the database and audit logs. */
  dir: string
  /** Path of the SQLite file. */
  path: string
  sqlite: Database.Database
  db: BetterSQLite3Database<typeof schema>
  /** False when the file was opened read-only: a command that only reads, on a database it cannot write. */
  writable: boolean
  /** A new read-only connection to the same file, opened as this one was; the caller closes it. */
  openReader(): Database.Database
  close(): void
}

export interface OpenStoreOptions {
  /** Default `write`. */
  access?: StoreAccess
  migrationsFolder?: string
}

/**
 * The storage directory: the flag, else AWSINV_STORAGE_PATH, else ~/.snapshots. A variable set to nothing (an
 * unset shell variable in `AWSINV_STORAGE_PATH=$DIR`) is refused like an empty --storage-path, not taken as unset.
 */
export function resolveStorageDir(flag?: string): string {
  const fromEnv = process.env.AWSINV_STORAGE_PATH
  if (flag === undefined && fromEnv !== undefined && fromEnv.trim() === '') {
    throw new UserError('AWSINV_STORAGE_PATH is set but empty: set it to the directory of the awsinv database, or unset it to use ~/.snapshots.', 2)
  }

  return resolve(expandHome(flag ?? fromEnv ?? join(homedir(), '.snapshots')))
}

/**
 * Opens the database in `dir` and makes sure its schema is up to date, failing with a one-line UserError when it
 * cannot be used. With `write` access the directory and the file are created if needed and pending migrations are
 * applied. With `update` access the file must exist already, and pending migrations are applied. With `read`
 * access nothing is created; a database this process can write is upgraded in place all the
 * same, one it cannot write (a read-only copy, directory or mount) is opened read-only and must be up to date.
 */
export function openStore(dir: string, options: OpenStoreOptions = {}): Store {
  const path = join(dir, DATABASE_FILE)
  const migrations = options.migrationsFolder ?? join(packageRoot(), 'migrations')
  const access = options.access ?? 'write'
  if (access === 'write') {
    prepareDirectory(dir)
    return openWritable(dir, path, migrations, access)
  }

  requireDatabase(dir, path)
  if (access === 'update' || canWrite(dir, path)) return openWritable(dir, path, migrations, access)
  return openReadOnly(dir, path, migrations)
}

function openWritable(dir: string, path: string, migrations: string, access: StoreAccess): Store {
  let sqlite: Database.Database | undefined
  try {
    if (access === 'write') createDatabaseFile(path)
    sqlite = new Database(path, {fileMustExist: true})
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // Checked before anything (even the journal mode) is written to the file.
    assertOwnDatabase(sqlite, path, access)
    enableWal(sqlite)
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('synchronous = NORMAL')
    // A command that only reads leaves the file's mode as it found it.
    if (access !== 'read') chmodSync(path, 0o600)
    migrate(sqlite, path, migrations)
  } catch (error) {
    sqlite?.close()
    throw error instanceof UserError ? error : databaseError(path, error, 'write')
  }

  return storeOf(dir, path, sqlite, true, () => new Database(path, {readonly: true, fileMustExist: true}))
}

function openReadOnly(dir: string, path: string, migrations: string): Store {
  let sqlite: Database.Database | undefined
  let reconnect: () => Database.Database
  try {
    ;({sqlite, reconnect} = connectReadOnly(path))
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    assertOwnDatabase(sqlite, path, 'read')
    assertUpToDate(sqlite, path, migrations)
  } catch (error) {
    sqlite?.close()
    throw error instanceof UserError ? error : databaseError(path, error, 'read')
  }

  return storeOf(dir, path, sqlite, false, reconnect)
}

function storeOf(dir: string, path: string, sqlite: Database.Database, writable: boolean, openReader: () => Database.Database): Store {
  const db = drizzle(sqlite, {schema})
  return {db, dir, path, sqlite, writable, openReader, close: () => sqlite.close()}
}

/**
 * A read-only connection to `path`, and how to open another. SQLite reads a WAL database through its -shm file,
 * which it creates next to the database (with a -wal file) when missing: a file this process cannot write is
 * therefore read as it is when neither exists (see connectImmutable), so that a reader never leaves files of its
 * own next to another user's database, nor needs a directory it can write.
 */
function connectReadOnly(path: string): {sqlite: Database.Database; reconnect: () => Database.Database} {
  if (![`${path}-wal`, `${path}-shm`].some((file) => existsSync(file))) return connectImmutable(path)
  const plain = () => new Database(path, {readonly: true, fileMustExist: true})
  const sqlite = plain()
  try {
    sqlite.pragma('schema_version')
    return {sqlite, reconnect: plain}
  } catch (error) {
    sqlite.close()
    const code = (error as {code?: string}).code ?? ''
    // With a -wal file but no -shm (left by a process that stopped), SQLite answers SQLITE_CANTOPEN.
    if (/^SQLITE_(CANTOPEN|READONLY)/.test(code) && !isWritable(dirname(path))) throw readOnlyDirectory(path)
    throw error
  }
}

/**
 * `path` opened `immutable`: read as it is, without -wal or -shm. Safe where neither file exists: without a -wal
 * file every committed transaction is in the database file itself, and no process has it open (an open WAL
 * connection keeps both files); a writer would have to start while this one reads.
 */
function connectImmutable(path: string): {sqlite: Database.Database; reconnect: () => Database.Database} {
  const immutable = () => new Database(`${pathToFileURL(path).href}?immutable=1`, {readonly: true, fileMustExist: true})
  let sqlite: Database.Database | undefined
  try {
    sqlite = immutable()
    sqlite.pragma('schema_version')
    return {sqlite, reconnect: immutable}
  } catch (error) {
    sqlite?.close()
    // URI filenames disabled (SQLITE_USE_URI=0 in the environment): the name is taken as a file that is not there.
    if ((error as {code?: string}).code === 'SQLITE_CANTOPEN') throw readOnlyDirectory(path)
    throw error
  }
}

function readOnlyDirectory(path: string): UserError {
  return new UserError(
    `Cannot read ${path}: SQLite has to create ${DATABASE_FILE}-shm next to it, in a directory this user cannot write. Copy the database (with its -wal file, if any) to a writable directory, or run with write access to it.`,
  )
}

/** Whether this process may write the file and create files next to it (SQLite's -wal and -shm). */
function canWrite(dir: string, path: string): boolean {
  return isWritable(path) && isWritable(dir)
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
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

/** A command that only reads or updates never creates a database: a mistyped path is said so, instead of read as empty. */
function requireDatabase(dir: string, path: string): void {
  try {
    if (statOf(dir)?.isDirectory() === false) throw notADirectory(dir)
    const file = statOf(path)
    if (!file) throw noDatabase(dir)
    if (file.isDirectory()) throw isADirectory(path)
  } catch (error) {
    throw error instanceof UserError ? error : databaseError(path, error, 'read')
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

function noDatabase(dir: string): UserError {
  return new UserError(`No awsinv database at ${dir} (${DATABASE_FILE}): take a snapshot first, or check --storage-path / AWSINV_STORAGE_PATH.`)
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

/** What an error opening the file means for `access`, in one line. */
function databaseError(path: string, error: unknown, access: StoreAccess): UserError {
  const err = error as {code?: string; message?: string}
  const code = err.code ?? ''
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new UserError(`${path} is not a valid SQLite database (it may be corrupt). Move it away or use another --storage-path.`)
  }

  // SQLite's extended codes name the cause (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN_ISDIR…).
  if (/^SQLITE_(CANTOPEN|READONLY|PERM)/.test(code) || ['EACCES', 'EPERM', 'EROFS'].includes(code)) {
    return new UserError(`Cannot open ${path} for ${access === 'read' ? 'reading' : 'writing'}. Check its permissions or use another --storage-path.`)
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

/**
 * A database with tables but no awsinv migration record belongs to something else: leave it alone. One without
 * any table (an empty file) is no database to a command that only reads or updates.
 */
function assertOwnDatabase(sqlite: Database.Database, path: string, access: StoreAccess): void {
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table'`).pluck().all() as string[]
  if (tables.length > 0 && !tables.includes(MIGRATIONS_TABLE)) {
    throw new UserError(`${path} is not an awsinv database (it has tables of another application). Use another --storage-path.`)
  }

  if (tables.length === 0 && access !== 'write') throw noDatabase(dirname(path))
}

/** The newest migration recorded in the file, refused when a newer awsinv wrote it. */
function lastMigration(sqlite: Database.Database, path: string, migrations: readonly MigrationMeta[]): number | undefined {
  const last = sqlite.prepare(`select max(created_at) from ${MIGRATIONS_TABLE}`).pluck().get() as number | null
  if (last !== null && Number(last) > (migrations.at(-1)?.folderMillis ?? 0)) {
    throw new UserError(`${path} was written by a newer version of awsinv. Upgrade awsinv to use it.`)
  }

  return last === null ? undefined : Number(last)
}

/** A file opened read-only cannot be migrated: its schema must be this version's already. */
function assertUpToDate(sqlite: Database.Database, path: string, folder: string): void {
  const migrations = readMigrationFiles({migrationsFolder: folder})
  const last = lastMigration(sqlite, path, migrations)
  if (migrations.some((m) => last === undefined || m.folderMillis > last)) {
    throw new UserError(
      `${path} was written by an older version of awsinv and needs upgrading, which takes write access: run any awsinv command once as a user who can write it (e.g. "awsinv snapshot list").`,
    )
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
    const last = lastMigration(sqlite, path, migrations)
    const record = sqlite.prepare(`insert into ${MIGRATIONS_TABLE} (hash, created_at) values (?, ?)`)
    for (const migration of migrations) {
      if (last !== undefined && last >= migration.folderMillis) continue
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement)
      record.run(migration.hash, migration.folderMillis)
    }
  })
  apply.immediate()
}
