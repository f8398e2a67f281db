import {describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {checkReadOnlySql, splitStatements, statementKind, statementRefusal, tokenize} from '../../../src/query/sql-guard.js'

const kindOf = (sql: string) => statementKind(tokenize(sql))
const refusalOf = (sql: string) => statementRefusal(tokenize(sql))
const statementsOf = (sql: string) => splitStatements(tokenize(sql)).map((s) => s.map((t) => t.text).join(' '))

describe('tokenize', () => {
  it('keeps strings, quoted identifiers and their doubled quotes as single tokens', () => {
    expect(tokenize(`select 'it''s; DELETE', "a "" b", \`c\`, [d;e] from t`).map((t) => [t.kind, t.text])).toEqual([
      ['word', 'select'],
      ['string', "'it''s; DELETE'"],
      ['punctuation', ','],
      ['identifier', '"a "" b"'],
      ['punctuation', ','],
      ['identifier', '`c`'],
      ['punctuation', ','],
      ['identifier', '[d;e]'],
      ['word', 'from'],
      ['word', 't'],
    ])
  })

  it('drops comments, whatever they hold', () => {
    expect(tokenize('select 1 -- ; delete\n/* ; drop */ + 2').map((t) => t.text)).toEqual(['select', '1', '+', '2'])
  })

  it('records where each token starts', () => {
    expect(tokenize('select  foo').map((t) => t.start)).toEqual([0, 8])
  })

  it('runs an unterminated string or comment to the end', () => {
    expect(tokenize("select 'abc; drop").map((t) => t.text)).toEqual(['select', "'abc; drop"])
    expect(tokenize('select 1 /* drop; ').map((t) => t.text)).toEqual(['select', '1'])
  })
})

describe('splitStatements', () => {
  it.each([
    ['select 1', ['select 1']],
    ['select 1;', ['select 1']],
    ['select 1;;  ; -- trailing comment', ['select 1']],
    ["select ';'; select 2", ["select ';'", 'select 2']],
    ['select 1; delete from t', ['select 1', 'delete from t']],
    ['', []],
    ['  -- only a comment', []],
  ])('%j → %j', (sql, expected) => {
    expect(statementsOf(sql)).toEqual(expected)
  })
})

describe('statementKind', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['select 1', 'SELECT'],
    ['values (1)', 'VALUES'],
    ['  /* c */ Delete from t', 'DELETE'],
    ['with x as (select 1) select * from x', 'SELECT'],
    ['with x as (select 1) delete from t where a in (select * from x)', 'DELETE'],
    ['WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x) INSERT INTO t SELECT n FROM x', 'INSERT'],
    ['with "select"(a) as (values (1)) update t set a = 1', 'UPDATE'],
    ['with a as (select 1), b as (select 2) replace into t values (1)', 'REPLACE'],
    ['explain select 1', 'SELECT'],
    ['explain query plan delete from t', 'DELETE'],
    ['pragma table_info(t)', 'PRAGMA'],
    ["'just a string'", undefined],
    ['42', undefined],
  ])('%j is %j', (sql, kind) => {
    expect(kindOf(sql)).toBe(kind)
  })
})

describe('statementRefusal', () => {
  it.each(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'DROP', 'CREATE', 'ALTER', 'ATTACH', 'DETACH', 'VACUUM', 'REINDEX', 'ANALYZE'])(
    'refuses %s, naming it',
    (kind) => {
      expect(refusalOf(`${kind.toLowerCase()} something`)).toBe(`query sql is read-only: ${kind} statements are refused`)
    },
  )

  it.each(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'])('refuses transaction control: %s', (kind) => {
    expect(refusalOf(kind.toLowerCase())).toMatch(new RegExp(`^query sql is read-only: ${kind} statements are refused`))
  })

  it('refuses a write behind a WITH clause or EXPLAIN', () => {
    expect(refusalOf('with x as (select 1) delete from resources')).toBe('query sql is read-only: DELETE statements are refused')
    expect(refusalOf('explain query plan insert into t values (1)')).toBe('query sql is read-only: INSERT statements are refused')
  })

  it('refuses load_extension wherever it appears', () => {
    expect(refusalOf("select load_extension('/tmp/evil.so')")).toMatch(/cannot load SQLite extensions/)
    expect(refusalOf("select 1 where LOAD_EXTENSION('x') is null")).toMatch(/cannot load SQLite extensions/)
    // A quoted name calls the function all the same.
    for (const quoted of ['"load_extension"', '`Load_Extension`', '[load_extension]']) expect(refusalOf(`select ${quoted}('x')`)).toMatch(/cannot load SQLite extensions/)
    // In a string it is only text.
    expect(refusalOf("select 'load_extension'")).toBeUndefined()
  })

  it.each([
    'pragma user_version = 7',
    'PRAGMA journal_mode=DELETE',
    'pragma main.foreign_keys = off',
    'pragma query_only = 0',
    'pragma "writable_schema" = 1',
  ])('refuses a pragma that sets a value: %s', (sql) => {
    expect(refusalOf(sql)).toMatch(/^query sql is read-only: PRAGMA \S+ = … sets a value and is refused$/)
  })

  it.each(['pragma user_version(7)', 'pragma wal_checkpoint(truncate)', 'pragma optimize', 'pragma wal_checkpoint', 'pragma shrink_memory', 'pragma incremental_vacuum(10)'])(
    'refuses a pragma not known to only read: %s',
    (sql) => {
      expect(refusalOf(sql)).toMatch(/^query sql is read-only: PRAGMA \w+(\(…\))? is refused; only pragmas that read are allowed/)
    },
  )

  it.each([
    'pragma table_info(v_resources)',
    'PRAGMA main.table_info("resources")',
    'pragma index_list(resources)',
    'pragma table_list',
    'pragma compile_options',
    'pragma user_version',
    'pragma journal_mode',
    'pragma integrity_check',
  ])('allows a pragma that only reads: %s', (sql) => {
    expect(refusalOf(sql)).toBeUndefined()
  })

  it.each(['select 1', 'values (1)', "select replace(name, 'a', 'b') from t", 'select * from "delete"', 'selec 1'])('lets %j through to SQLite', (sql) => {
    expect(refusalOf(sql)).toBeUndefined()
  })
})

describe('checkReadOnlySql', () => {
  it('returns the one statement and its kind', () => {
    const checked = checkReadOnlySql('select 1;')
    expect(checked.kind).toBe('SELECT')
    expect(checked.tokens.map((t) => t.text)).toEqual(['select', '1'])
  })

  it('names a write hidden in a later statement, and where it is', () => {
    expect(() => checkReadOnlySql('select 1; -- looks harmless\n delete from resources')).toThrow(
      'query sql is read-only: DELETE statements are refused (found in statement 2 of 2)',
    )
  })

  it('refuses several statements even when all of them read', () => {
    expect(() => checkReadOnlySql('select 1; select 2')).toThrow(UserError)
    expect(() => checkReadOnlySql('select 1; select 2')).toThrow('query sql runs one statement at a time; found 2. Run them one by one.')
  })

  it('refuses an empty query', () => {
    expect(() => checkReadOnlySql('  -- nothing here\n ;')).toThrow('No SQL to run: the query is empty.')
  })
})
