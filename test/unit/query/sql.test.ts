import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {querySql} from '../../../src/query/sql.js'
import type {Store} from '../../../src/store/database.js'
import {countRows, fakeResource, finishedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-query-sql-')
afterEach(() => stores.cleanup())

/** A store with snapshot `a` (2 VPCs, tagged) and `b` (3 VPCs). */
function seeded(): Store {
  const store = stores.open()
  finishedSnapshot(store, 'a', {setActive: true, resources: [fakeResource('vpc-1', {tags: {env: 'prod'}}), fakeResource('vpc-2', {tags: {env: 'dev', team: 'x'}})]})
  finishedSnapshot(store, 'b', {resources: [fakeResource('vpc-1'), fakeResource('vpc-3'), fakeResource('vpc-4')]})
  return store
}

const run = (store: Store, sql: string, options = {}) => querySql(sql, options, () => store)

describe('querySql', () => {
  it('returns the columns as SQLite names them and the rows as arrays', () => {
    const store = seeded()
    expect(run(store, 'select snapshot_name, count(*) as n from v_resources group by snapshot_name order by 1')).toEqual({
      columns: ['snapshot_name', 'n'],
      rows: [
        ['a', 2],
        ['b', 3],
      ],
      rowCount: 2,
      truncated: false,
    })
  })

  it('keeps duplicate column names, NULLs as null, BLOBs as hex and big integers exactly', () => {
    const result = run(seeded(), "select 1 as x, 2 as x, null as z, x'00ff10' as b, 9007199254740993 as big, -5 as small, 1.5 as f, 'text' as t")
    expect(result.columns).toEqual(['x', 'x', 'z', 'b', 'big', 'small', 'f', 't'])
    expect(result.rows).toEqual([[1, 2, null, '00ff10', '9007199254740993', -5, 1.5, 'text']])
  })

  it('stops after --limit rows and says whether more were there', () => {
    const store = seeded()
    expect(run(store, 'select arn from v_resources order by arn', {limit: 2})).toMatchObject({rowCount: 2, truncated: true})
    expect(run(store, 'select arn from v_resources order by arn', {limit: 5})).toMatchObject({rowCount: 5, truncated: false})
    expect(run(store, 'select arn from v_resources order by arn', {limit: 6})).toMatchObject({rowCount: 5, truncated: false})
  })

  it('stops reading at the limit: an error in a later row is never reached', () => {
    const store = seeded()
    // json() fails from the fourth row on; the limit reads one row past itself (to know whether more exist), no further.
    const sql = "with recursive n(i) as (select 1 union all select i + 1 from n where i < 10) select json(case when i < 4 then '{}' else 'not json' end) from n"
    expect(run(store, sql, {limit: 2})).toMatchObject({rowCount: 2, truncated: true})
    expect(() => run(store, sql)).toThrow(/^SQL error: malformed JSON/)
  })

  it('scopes every documented view to the snapshot, leaving the tables and main.* alone', () => {
    const store = seeded()
    const one = (sql: string) => run(store, sql, {snapshot: 'a'}).rows[0]![0]
    expect(one('select count(*) from v_resources')).toBe(2)
    expect(one('select count(*) from v_resource_tags')).toBe(3)
    expect(one('select count(*) from v_coverage')).toBe(1)
    expect(one('select group_concat(name) from v_snapshots')).toBe('a')
    expect(one("select count(distinct snapshot_name) from v_resources where snapshot_name = 'b'")).toBe(0)
    expect(run(store, 'select count(*) from v_resources', {snapshot: 'b'}).rows).toEqual([[3]])
    // Unscoped: every snapshot.
    expect(run(store, 'select count(*) from v_resources').rows).toEqual([[5]])
    expect(run(store, 'select count(*) from main.v_resources', {snapshot: 'a'}).rows).toEqual([[5]])
    expect(run(store, 'select count(*) from resources', {snapshot: 'a'}).rows).toEqual([[5]])
  })

  it('leaves nothing behind: the scoping views live on the query connection only', () => {
    const store = seeded()
    run(store, 'select 1', {snapshot: 'a'})
    expect(countRows(store, "sqlite_master where name like 'v_%' and type = 'view'")).toBe(4)
    expect(store.sqlite.prepare('select count(*) from v_resources').pluck().get()).toBe(5)
  })

  it('refuses an unknown snapshot', () => {
    expect(() => run(seeded(), 'select 1', {snapshot: 'ghost'})).toThrow(/^Unknown snapshot "ghost"/)
  })

  it('checks the SQL before opening the store', () => {
    let opened = false
    const open = () => {
      opened = true
      return seeded()
    }

    expect(() => querySql('delete from resources', {}, open)).toThrow('query sql is read-only: DELETE statements are refused')
    expect(opened).toBe(false)
  })

  it('runs on a read-only connection with query_only set', () => {
    const result = run(seeded(), 'pragma query_only')
    expect(result.rows).toEqual([[1]])
  })

  it('reads the journal mode, which SQLite counts as a writer, and leaves it as it is', () => {
    const store = seeded()
    expect(run(store, 'PRAGMA journal_mode').rows).toEqual([['wal']])
    expect(run(store, 'pragma main.journal_mode').rows).toEqual([['wal']])
    expect(() => run(store, 'PRAGMA journal_mode = delete')).toThrow(/^query sql is read-only: PRAGMA journal_mode = … sets a value and is refused$/)
    expect(store.sqlite.pragma('journal_mode', {simple: true})).toBe('wal')
  })

  it('refuses a write the checks let through in one line, as the read-only connection does', () => {
    expect(() => run(seeded(), 'select * from pragma_optimize')).toThrow(new UserError('query sql is read-only: this statement writes and is refused'))
  })

  it('returns no rows as an empty result with its columns', () => {
    expect(run(seeded(), 'select arn, name from v_resources where 0')).toEqual({columns: ['arn', 'name'], rows: [], rowCount: 0, truncated: false})
  })

  it.each([
    ['select * form v_resources', 'SQL error: near "form": syntax error (line 1, column 10: select * form v_resources)'],
    ['select nope from v_resources', 'SQL error: no such column: nope (line 1, column 8: select nope from v_resources)'],
    ['select r.nope from v_resources r', 'SQL error: no such column: r.nope (line 1, column 10: select r.nope from v_resources r)'],
    ['select *\nfrom\n  v_nope', 'SQL error: no such table: v_nope (line 3, column 3: v_nope)'],
    ['select nofunc(1)', 'SQL error: no such function: nofunc (line 1, column 8: select nofunc(1))'],
    ['select 1 +', 'SQL error: incomplete input (the SQL ends before the statement does)'],
  ])('reports %j as one line with where the problem is', (sql, message) => {
    const error = (() => {
      try {
        run(seeded(), sql)
      } catch (error) {
        return error
      }
    })()
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(message)
  })

  it('clips a long line around the offending token', () => {
    const columns = Array.from({length: 20}, (_, i) => `arn as c${i}`).join(', ')
    const sql = `select ${columns}, missing_column, ${columns} from v_resources`
    expect(() => run(seeded(), sql)).toThrow(/^SQL error: no such column: missing_column \(line 1, column \d+: …[^\n]{20,}missing_column[^\n]*…\)$/)
  })
})
