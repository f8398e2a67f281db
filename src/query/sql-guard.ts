import {UserError} from '../errors.js'

/** A lexical token of SQLite SQL. Whitespace and comments are dropped. */
export interface SqlToken {
  kind: 'word' | 'identifier' | 'string' | 'punctuation' | 'other'
  /** The token as written (quotes included). */
  text: string
  /** Offset of the token's first character in the SQL text. */
  start: number
}

/**
 * Splits SQL into tokens the way SQLite's tokenizer does, as far as telling statements apart needs:
 * strings, quoted identifiers (`"x"`, `` `x` ``, `[x]`) and comments are single units, so a `;` or a
 * keyword inside them is never mistaken for SQL.
 */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let i = 0
  const closing = (close: string, from: number, doubled: boolean): number => {
    let j = from
    while (j < sql.length) {
      if (sql[j] === close) {
        if (doubled && sql[j + 1] === close) {
          j += 2
          continue
        }

        return j + 1
      }

      j++
    }

    return sql.length
  }

  while (i < sql.length) {
    const c = sql[i]!
    const start = i
    if (/\s/.test(c)) {
      i++
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end + 1
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2)
      i = end === -1 ? sql.length : end + 2
    } else if (c === "'") {
      i = closing("'", i + 1, true)
      tokens.push({kind: 'string', text: sql.slice(start, i), start})
    } else if (c === '"' || c === '`') {
      i = closing(c, i + 1, true)
      tokens.push({kind: 'identifier', text: sql.slice(start, i), start})
    } else if (c === '[') {
      i = closing(']', i + 1, false)
      tokens.push({kind: 'identifier', text: sql.slice(start, i), start})
    } else if (/[\p{L}_]/u.test(c)) {
      const match = /^[\p{L}\p{N}_$]+/u.exec(sql.slice(i))!
      i += match[0].length
      tokens.push({kind: 'word', text: match[0], start})
    } else if (/[();,.=]/.test(c)) {
      i++
      tokens.push({kind: 'punctuation', text: c, start})
    } else {
      i++
      tokens.push({kind: 'other', text: c, start})
    }
  }

  return tokens
}

/** The statements of a SQL text: its tokens split at every `;`, empty statements dropped. */
export function splitStatements(tokens: readonly SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]]
  for (const token of tokens) {
    if (token.kind === 'punctuation' && token.text === ';') statements.push([])
    else statements.at(-1)!.push(token)
  }

  return statements.filter((s) => s.length > 0)
}

const word = (token: SqlToken | undefined): string | undefined => (token?.kind === 'word' ? token.text.toUpperCase() : undefined)
/** The name a quoted identifier (`"x"`, `` `x` ``, `[x]`) spells, upper case; SQLite calls a function so named too. */
const nameOf = (token: SqlToken): string | undefined => (token.kind === 'identifier' ? token.text.slice(1, -1).toUpperCase() : undefined)

/**
 * What a statement does: its leading keyword (`SELECT`, `INSERT`, `PRAGMA`…). For `WITH`, the keyword
 * of the statement its common table expressions lead to (`WITH x AS (…) DELETE …` is a `DELETE`);
 * for `EXPLAIN [QUERY PLAN]`, that of the statement it explains. Undefined when it starts with no keyword.
 */
export function statementKind(tokens: readonly SqlToken[]): string | undefined {
  let i = 0
  if (word(tokens[0]) === 'EXPLAIN') {
    i = word(tokens[1]) === 'QUERY' && word(tokens[2]) === 'PLAN' ? 3 : 1
  }

  const first = word(tokens[i])
  if (first !== 'WITH') return first
  // The CTE bodies are parenthesized: the first keyword outside every parenthesis that can start
  // the main statement is its kind.
  let depth = 0
  for (const token of tokens.slice(i + 1)) {
    if (token.text === '(') depth++
    else if (token.text === ')') depth--
    else if (depth === 0 && MAIN_AFTER_WITH.has(word(token) ?? '')) return word(token)
  }

  return 'WITH'
}

const MAIN_AFTER_WITH = new Set(['SELECT', 'VALUES', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE'])

/** Statements that change the database, its schema, the connection or the files around it. */
const WRITE_KINDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'UPSERT', 'DROP', 'CREATE', 'ALTER', 'ATTACH', 'DETACH', 'VACUUM', 'REINDEX', 'ANALYZE'])

/** Transaction control: meaningless on a connection that runs one read-only statement. */
const TRANSACTION_KINDS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'])

/** Pragmas that only read, with no argument. */
const READ_PRAGMAS = new Set([
  'application_id',
  'auto_vacuum',
  'collation_list',
  'compile_options',
  'database_list',
  'data_version',
  'encoding',
  'foreign_key_check',
  'foreign_keys',
  'freelist_count',
  'function_list',
  'integrity_check',
  'journal_mode',
  'module_list',
  'page_count',
  'page_size',
  'pragma_list',
  'query_only',
  'quick_check',
  'schema_version',
  'table_list',
  'user_version',
])

/** Pragmas that only read, with an argument in parentheses (a table or index name). */
const READ_PRAGMAS_WITH_ARGUMENT = new Set([
  'foreign_key_check',
  'foreign_key_list',
  'index_info',
  'index_list',
  'index_xinfo',
  'integrity_check',
  'quick_check',
  'table_info',
  'table_list',
  'table_xinfo',
])

/** `PRAGMA [schema.]name [= value | (value)]`: the pragma's name, lower case, and the tokens after it. */
function pragmaParts(tokens: readonly SqlToken[]): {name: string; rest: readonly SqlToken[]} {
  const from = tokens.findIndex((t) => word(t) === 'PRAGMA')
  const dotted = tokens[from + 2]?.text === '.'
  const nameToken = dotted ? tokens[from + 3] : tokens[from + 1]
  return {name: (nameToken?.text ?? '').replaceAll(/^["`[]|["`\]]$/g, '').toLowerCase(), rest: tokens.slice(from + (dotted ? 4 : 2))}
}

/**
 * Whether the statement reads the journal mode (`PRAGMA journal_mode`, no value): SQLite counts every
 * journal_mode statement as a writer, since one with a value switches modes, so its read-only flag
 * cannot tell.
 */
export function readsJournalMode(tokens: readonly SqlToken[]): boolean {
  if (statementKind(tokens) !== 'PRAGMA') return false
  const {name, rest} = pragmaParts(tokens)
  return name === 'journal_mode' && rest.length === 0
}

/** The refusal for a PRAGMA that is not known to only read, or undefined when it only reads. */
function pragmaRefusal(tokens: readonly SqlToken[]): string | undefined {
  const {name, rest} = pragmaParts(tokens)
  const shown = `PRAGMA ${name}`
  if (rest[0]?.text === '=') return `query sql is read-only: ${shown} = … sets a value and is refused`
  const allowed = rest.length === 0 ? READ_PRAGMAS : rest[0]?.text === '(' ? READ_PRAGMAS_WITH_ARGUMENT : undefined
  if (allowed?.has(name)) return undefined
  const kind = rest[0]?.text === '(' ? `${shown}(…)` : shown
  return `query sql is read-only: ${kind} is refused; only pragmas that read are allowed, such as table_info(…), index_list(…), table_list and compile_options`
}

/** Why one statement may not run, or undefined when nothing in its text says it writes. */
export function statementRefusal(tokens: readonly SqlToken[]): string | undefined {
  if (tokens.some((t) => word(t) === 'LOAD_EXTENSION' || nameOf(t) === 'LOAD_EXTENSION')) return 'query sql cannot load SQLite extensions: load_extension is refused'
  const kind = statementKind(tokens)
  if (kind === undefined) return undefined
  if (WRITE_KINDS.has(kind)) return `query sql is read-only: ${kind} statements are refused`
  if (TRANSACTION_KINDS.has(kind)) return `query sql is read-only: ${kind} statements are refused (each query runs alone, on a read-only connection)`
  if (kind === 'PRAGMA') return pragmaRefusal(tokens)
  return undefined
}

/**
 * Checks a SQL text before anything is prepared: it must hold exactly one statement, and no statement
 * in it may write (every statement is checked, so a write hidden after a `SELECT …;` is named).
 * Returns that statement's tokens; throws a one-line UserError otherwise.
 */
export function checkReadOnlySql(sql: string): {tokens: SqlToken[]; kind: string | undefined} {
  const statements = splitStatements(tokenize(sql))
  if (statements.length === 0) throw new UserError('No SQL to run: the query is empty.')
  for (const statement of statements) {
    const refusal = statementRefusal(statement)
    if (refusal) throw new UserError(statements.length > 1 ? `${refusal} (found in statement ${statements.indexOf(statement) + 1} of ${statements.length})` : refusal)
  }

  if (statements.length > 1) {
    throw new UserError(`query sql runs one statement at a time; found ${statements.length}. Run them one by one.`)
  }

  return {tokens: statements[0]!, kind: statementKind(statements[0]!)}
}
