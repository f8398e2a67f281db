import {canonicalJson} from '../store/hash.js'

/**
 * Marks an object key that stands for a set element's identity rather than a field name, so a path
 * through it prints as `IpPermissions[tcp:22]` instead of `IpPermissions.tcp:22`.
 */
export const SET_KEY = '\u0001'

/** What the differ needs to know about a type to compare two of its configurations without noise. */
export interface DiffRules {
  /** Field paths (dot-separated, `*` for any element) dropped before comparing. */
  volatile?: readonly string[]
  /** Array paths compared as sets, with the field(s) identifying an element (`.`: the element itself). */
  sets?: Readonly<Record<string, string | readonly string[]>>
}

// Tags are compared from the resource's tag map, as their own category; the copy inside the
// configuration would report every tag change twice.
const tagFields = new Set(['Tags', 'TagSet', 'TagList'])

/**
 * A configuration in the form the differ compares: volatile fields dropped, JSON documents held in
 * strings parsed, policy documents in one canonical shape, `null`/`""`/`[]`/`{}` treated as absent, and
 * set-like arrays turned into objects keyed by their elements' identity.
 */
export function prepareForDiff(configuration: Record<string, unknown>, rules: DiffRules = {}): Record<string, unknown> {
  let value: unknown = Object.fromEntries(Object.entries(configuration).filter(([key]) => !tagFields.has(key)))
  for (const path of rules.volatile ?? []) value = dropPath(value, path.split('.'))
  value = parseEmbeddedDocuments(value)
  // Inner sets first: an outer set's `*` walks the elements of an array that is still an array.
  const sets = Object.entries(rules.sets ?? {}).sort(([a], [b]) => b.split('.').length - a.split('.').length)
  for (const [path, identity] of sets) value = keySetAt(value, path.split('.'), typeof identity === 'string' ? [identity] : identity)
  return (dropEmpty(value) ?? {}) as Record<string, unknown>
}

function dropPath(value: unknown, path: readonly string[]): unknown {
  const [head, ...rest] = path
  if (head === undefined || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return head === '*' ? value.map((v) => dropPath(v, rest)) : value
  const record = value as Record<string, unknown>
  const keys = head === '*' ? Object.keys(record) : head in record ? [head] : []
  if (keys.length === 0) return value
  const out = {...record}
  for (const key of keys) {
    if (rest.length === 0) delete out[key]
    else out[key] = dropPath(record[key], rest)
  }

  return out
}

/**
 * Strings holding JSON objects or arrays (IAM and bucket policies, queue attributes…), plain or
 * URL-encoded as IAM returns them, parsed so they compare by structure; policy documents canonicalized.
 */
export function parseEmbeddedDocuments(value: unknown): unknown {
  if (typeof value === 'string') {
    const parsed = parseJsonText(value)
    return parsed === undefined ? value : parseEmbeddedDocuments(parsed)
  }

  if (Array.isArray(value)) return value.map((v) => parseEmbeddedDocuments(v))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = parseEmbeddedDocuments(v)
  return isPolicyDocument(out) ? canonicalPolicy(out) : out
}

function parseJsonText(text: string): object | undefined {
  const trimmed = text.trim()
  let candidate: string | undefined
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) candidate = trimmed
  else if (/^%(7B|5B)/i.test(trimmed)) {
    try {
      candidate = decodeURIComponent(trimmed)
    } catch {
      return undefined
    }
  }

  if (candidate === undefined) return undefined
  try {
    const parsed = JSON.parse(candidate) as unknown
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined
  } catch {
    return undefined
  }
}

function isPolicyDocument(value: Record<string, unknown>): boolean {
  return 'Statement' in value && (Array.isArray(value.Statement) || (value.Statement !== null && typeof value.Statement === 'object'))
}

// Fields of a policy statement whose values IAM treats as sets: a single string is a one-element list.
const statementListFields = new Set(['Action', 'NotAction', 'Resource', 'NotResource'])

/**
 * A policy document in one shape: `Statement` always a list keyed by `Sid` (or, without unique Sids,
 * by content), single values as lists, lists sorted. `"Action": "s3:GetObject"` and
 * `"Action": ["s3:GetObject"]` grant the same and compare equal.
 */
function canonicalPolicy(document: Record<string, unknown>): Record<string, unknown> {
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).map((s) => canonicalStatement(s))
  const sids = statements.map((s) => (s !== null && typeof s === 'object' ? (s as Record<string, unknown>).Sid : undefined))
  const bySid = sids.every((sid) => typeof sid === 'string' && sid !== '') && new Set(sids).size === sids.length
  const keyed: Record<string, unknown> = {}
  statements.forEach((statement, i) => {
    keyed[SET_KEY + (bySid ? (sids[i] as string) : canonicalJson(statement))] = statement
  })
  return {...document, Statement: keyed}
}

function canonicalStatement(statement: unknown): unknown {
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) return statement
  const out: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(statement)) {
    if (statementListFields.has(field)) out[field] = sortedList(value)
    else if ((field === 'Principal' || field === 'NotPrincipal') && value !== null && typeof value === 'object') out[field] = mapValues(value, sortedList)
    else if (field === 'Condition' && value !== null && typeof value === 'object')
      out[field] = mapValues(value, (operator) => (operator !== null && typeof operator === 'object' ? mapValues(operator, sortedList) : operator))
    else out[field] = value
  }

  return out
}

function sortedList(value: unknown): unknown {
  const list = Array.isArray(value) ? value : [value]
  if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value
  return [...new Set(list.map(String))].sort()
}

function mapValues(value: object, map: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]))
}

function keySetAt(value: unknown, path: readonly string[], identity: readonly string[]): unknown {
  const [head, ...rest] = path
  if (head === undefined) return Array.isArray(value) ? keyedSet(value, identity) : value
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return head === '*' ? value.map((v) => keySetAt(v, rest, identity)) : value
  const record = value as Record<string, unknown>
  if (head === '*') return mapValues(record, (v) => keySetAt(v, rest, identity))
  return head in record ? {...record, [head]: keySetAt(record[head], rest, identity)} : value
}

/** A set-like array as an object keyed by each element's identity (`tcp:22`); repeated identities get `#2`, `#3`… */
function keyedSet(elements: readonly unknown[], identity: readonly string[]): Record<string, unknown> {
  const keyed: Record<string, unknown> = {}
  for (const element of elements) {
    const base = setIdentity(element, identity)
    let key = base
    for (let n = 2; SET_KEY + key in keyed; n++) key = `${base}#${n}`
    keyed[SET_KEY + key] = element
  }

  return keyed
}

/**
 * The identity of a set element as text: its identifying values joined by `:`, missing ones left out and
 * a value equal to the one before it collapsed (`tcp`, 22, 22 → `tcp:22`; `tcp`, 0, 65535 → `tcp:0:65535`).
 */
export function setIdentity(element: unknown, identity: readonly string[]): string {
  const values: string[] = []
  for (const field of identity) {
    const value = field === '.' ? element : element !== null && typeof element === 'object' ? (element as Record<string, unknown>)[field] : undefined
    if (value === undefined || value === null || value === '') continue
    const text = typeof value === 'object' ? canonicalJson(value) : String(value)
    if (values.at(-1) !== text) values.push(text)
  }

  return values.length > 0 ? values.join(':') : canonicalJson(element)
}

/** `null`, `""`, `[]` and `{}` mean "not set" wherever the APIs use them interchangeably: removed. */
function dropEmpty(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => dropEmpty(v) ?? null)
  if (typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const kept = dropEmpty(v)
    if (kept !== undefined) out[k] = kept
  }

  return Object.keys(out).length === 0 ? undefined : out
}
