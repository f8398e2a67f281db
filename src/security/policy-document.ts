/**
 * Reading IAM and resource policy documents as stored (parsed JSON). The grammar allows a single
 * statement object or an array, and a string or an array for Action, NotAction, Resource and
 * condition values; these helpers flatten both forms so checks compare plain lists.
 */

/** One policy statement, with only the fields checks read. */
export interface PolicyStatement {
  Sid?: string
  Effect?: string
  Principal?: unknown
  Action?: unknown
  NotAction?: unknown
  Resource?: unknown
  NotResource?: unknown
  Condition?: Record<string, Record<string, unknown>>
}

/** The statements of a parsed policy document; empty when it has none or is not a document. */
export function statementsOf(document: unknown): PolicyStatement[] {
  if (document === null || typeof document !== 'object') return []
  const statement = (document as {Statement?: unknown}).Statement
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement]
  return list.filter((s): s is PolicyStatement => s !== null && typeof s === 'object')
}

/** A policy value that may be a string, a boolean or an array of them, as a list of strings. */
export function valuesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
  return list.filter((v) => typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number').map(String)
}

/** Whether a statement allows every action on every resource (`"Action": "*"` with `"Resource": "*"`). */
export function allowsEverything(statement: PolicyStatement): boolean {
  // NotAction/NotResource grant "all but": broad, but not the "*:*" the benchmark names.
  if (statement.Effect !== 'Allow' || statement.NotAction !== undefined || statement.NotResource !== undefined) return false
  return valuesOf(statement.Action).some((a) => a === '*' || a === '*:*') && valuesOf(statement.Resource).includes('*')
}

/** Whether a principal element names everyone (`"*"` or `{"AWS": "*"}`). */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true
  if (principal === null || typeof principal !== 'object') return false
  return valuesOf((principal as {AWS?: unknown}).AWS).includes('*')
}

/**
 * The values a statement's condition tests `key` against with one of `operators`; condition keys are
 * case-insensitive, operator names are not.
 */
export function conditionValues(statement: PolicyStatement, operators: readonly string[], key: string): string[] {
  const values: string[] = []
  for (const [operator, tests] of Object.entries(statement.Condition ?? {})) {
    if (!operators.includes(operator) || tests === null || typeof tests !== 'object') continue
    for (const [name, value] of Object.entries(tests)) if (name.toLowerCase() === key.toLowerCase()) values.push(...valuesOf(value))
  }

  return values
}

/** A value as one single-quoted shell word (for JSON arguments of a remediation command). */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}
