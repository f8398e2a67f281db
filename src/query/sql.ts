import type Database from 'better-sqlite3'

import {UserError} from '../errors.js'
import {closestWords} from '../suggest.js'
import type {Store} from '../store/database.js'
import {requireSnapshot} from '../store/snapshots.js'
import {type SqlToken, checkReadOnlySql, readsJournalMode} from './sql-guard.js'

/** A value of a result row: text, a number, or null. BLOBs are given as hexadecimal text. */
export type SqlValue = string | number | null

/** What `query sql` returns. */
export interface SqlQueryResult {
  /** Column names, in order, as SQLite names them (duplicates kept). */
  columns: string[]
  /** One array of values per row, in the order of `columns`. */
  rows: SqlValue[][]
  /** Rows returned (at most --limit). */
  rowCount: number
  /** Whether --limit stopped the reading before the last row. */
  truncated: boolean
}

export interface SqlQueryOptions {
  /** Stop after this many rows. */
  limit?: number
  /** Scope the documented views to this snapshot. */
  snapshot?: string
}

/** The documented views, and the column that names a row's snapshot in each. */
const SNAPSHOT_VIEWS = {v_resources: 'snapshot_id', v_resource_tags: 'snapshot_id', v_coverage: 'snapshot_id', v_snapshots: 'id'}

/**
 * Runs one read-only SQL statement against the store and returns its rows.
 *
 * The SQL is checked before the store is even opened (no write, transaction, ATTACH, VACUUM, state-changing
 * PRAGMA, extension loading, or second statement). The store is then opened, so that its schema is known to be
 * up to date, and the statement runs on a separate connection opened read-only, with `query_only` set, and
 * is refused unless SQLite itself reports it read-only. With a snapshot, TEMP views shadow the documented
 * views with that snapshot's rows only; the user's SQL is never rewritten.
 */
export function querySql(sql: string, options: SqlQueryOptions, openStore: () => Store): SqlQueryResult {
  const {tokens, kind} = checkReadOnlySql(sql)
  const store = openStore()
  const snapshotId = options.snapshot === undefined ? undefined : requireSnapshot(store, options.snapshot).id
  const db = store.openReader()
  try {
    db.pragma('busy_timeout = 30000')
    if (snapshotId !== undefined) scopeViews(db, snapshotId)
    db.pragma('query_only = ON')
    return readRows(db, sql, kind, readsJournalMode(tokens), options.limit)
  } catch (error) {
    throw error instanceof UserError ? error : sqlError(error, sql, tokens, db)
  } finally {
    db.close()
  }
}

/** TEMP views are searched before the main schema, so they stand in for the documented views. */
function scopeViews(db: Database.Database, snapshotId: number): void {
  if (!Number.isSafeInteger(snapshotId)) throw new Error(`Invalid snapshot id ${snapshotId}`)
  for (const [view, column] of Object.entries(SNAPSHOT_VIEWS)) {
    db.exec(`create temp view ${view} as select * from main.${view} where ${column} = ${snapshotId}`)
  }
}

function readRows(db: Database.Database, sql: string, kind: string | undefined, journalMode: boolean, limit: number | undefined): SqlQueryResult {
  const statement = db.prepare(sql)
  if (!statement.readonly && !journalMode) throw new UserError(`query sql is read-only: ${kind ?? 'this'} statements are refused`)
  if (!statement.reader) throw new UserError('query sql runs statements that return rows; this one returns none.')
  statement.safeIntegers(true).raw(true)
  const columns = statement.columns().map((c) => c.name)
  const rows: SqlValue[][] = []
  let truncated = false
  for (const row of statement.iterate() as IterableIterator<unknown[]>) {
    if (limit !== undefined && rows.length >= limit) {
      // One row past the limit proves there are more; the iterator is closed without reading on.
      truncated = true
      break
    }

    rows.push(row.map((v) => jsonValue(v)))
  }

  return {columns, rows, rowCount: rows.length, truncated}
}

/** Integers beyond 2^53 stay exact as decimal text; BLOBs become hexadecimal text. */
function jsonValue(value: unknown): SqlValue {
  if (value === null || typeof value === 'string') return value
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex')
  return String(value)
}

/**
 * `SQL error: <SQLite's message>`, with where the offending token is in the SQL when it can be found, and the
 * table, view or column probably meant when SQLite knows none of that name.
 */
function sqlError(error: unknown, sql: string, tokens: readonly SqlToken[], db: Database.Database): Error {
  const err = error as {code?: unknown; message?: string}
  if (typeof err.code !== 'string' || !err.code.startsWith('SQLITE_')) return error as Error
  // A write the checks above did not foresee (a table-valued pragma that writes): the connection refused it.
  if (err.code === 'SQLITE_READONLY') return new UserError('query sql is read-only: this statement writes and is refused')
  const message = err.message ?? err.code
  const token = offendingToken(message, tokens)
  const where = token ? ` (${position(sql, token.start)})` : message === 'incomplete input' ? ' (the SQL ends before the statement does)' : ''
  const meant = probablyMeant(message, db)
  return new UserError(`SQL error: ${message}${where}${meant ? `. Did you mean ${meant}?` : ''}`)
}

/** For an unknown table or column, the closest name the store has (its tables and views, or their columns). */
function probablyMeant(message: string, db: Database.Database): string | undefined {
  const unknown = /^no such (table|column): (.+)$/.exec(message)
  if (!unknown) return undefined
  const name = unquote(unknown[2]!.split('.').at(-1)!).toLowerCase()
  const relations = db.prepare(`select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' and name not like '\\_\\_%' escape '\\'`).pluck().all() as string[]
  const candidates =
    unknown[1] === 'table' ? relations : relations.flatMap((relation) => db.prepare('select name from pragma_table_info(?)').pluck().all(relation) as string[])
  const [closest] = closestWords(name, candidates, 1)
  return closest
}

/** The token SQLite's message names: `near "X"`, or the unknown table, column or function. */
function offendingToken(message: string, tokens: readonly SqlToken[]): SqlToken | undefined {
  const near = /^near "(.*)": /.exec(message)
  if (near) return tokens.find((t) => t.text === near[1])
  const unknown = /^(?:no such (?:column|table|function|collation sequence)|ambiguous column name): (.+?)(?: - .*)?$/.exec(message)
  if (!unknown) return undefined
  const name = unquote(unknown[1]!.split('.').at(-1)!).toLowerCase()
  return tokens.find((t) => (t.kind === 'word' || t.kind === 'identifier') && unquote(t.text).toLowerCase() === name)
}

function unquote(name: string): string {
  return /^(["`[]).*["`\]]$/.test(name) ? name.slice(1, -1) : name
}

/** `line L, column C: <the line, clipped around the offset>`. */
function position(sql: string, offset: number): string {
  const before = sql.slice(0, offset)
  const line = before.split('\n').length
  const lineStart = before.lastIndexOf('\n') + 1
  const lineEnd = sql.indexOf('\n', offset) === -1 ? sql.length : sql.indexOf('\n', offset)
  const column = offset - lineStart + 1
  const from = Math.max(lineStart, offset - 30)
  const to = Math.min(lineEnd, offset + 40)
  const excerpt = `${from > lineStart ? '…' : ''}${sql.slice(from, to).trim()}${to < lineEnd ? '…' : ''}`
  return `line ${line}, column ${column}: ${excerpt}`
}
