import {existsSync, readFileSync} from 'node:fs'

import {UserError} from '../errors.js'
import {parseYamlText} from '../yaml-text.js'
import {type PathSegment, formatPath} from './path.js'

/** The ignore file read from the working directory when `--ignore` is not given. */
export const DEFAULT_IGNORE_FILE = '.awsinv-ignore.yaml'

/** One entry of an ignore file: globs on the resource type, the ARN and the field path. */
export interface IgnoreEntry {
  type?: RegExp
  arn?: RegExp
  /** Without a path, the entry covers whole resources; with one, only the matching field changes. */
  path?: RegExp
  /** A `!` entry takes back what earlier entries ignored. */
  include: boolean
}

/** Parsed ignore rules; the last matching entry decides, as in `.gitignore`. */
export interface IgnoreRules {
  file: string
  entries: IgnoreEntry[]
}

const entryKeys = ['type', 'arn', 'path'] as const

/**
 * Reads an ignore file. `explicit` is the `--ignore` value (must exist); without it the default file is
 * read when present. Every mistake is reported as one line naming the file and the entry.
 */
export function loadIgnoreRules(explicit: string | undefined, cwd = process.cwd()): IgnoreRules | undefined {
  const file = explicit ?? DEFAULT_IGNORE_FILE
  const path = file.startsWith('/') ? file : `${cwd}/${file}`
  if (!existsSync(path)) {
    if (explicit === undefined) return undefined
    throw new UserError(`Ignore file "${explicit}" not found.`)
  }

  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UserError(`Cannot read ignore file "${file}": ${(error as Error).message}`)
  }

  return parseIgnoreRules(text, file)
}

/** Parses the YAML text of an ignore file: `ignore:` followed by a list of `{type, arn, path}` globs. */
export function parseIgnoreRules(text: string, file: string): IgnoreRules {
  const document = parseYamlText(text, file)

  if (document === null || document === undefined) return {file, entries: []}
  if (typeof document !== 'object' || Array.isArray(document)) throw new UserError(`${file}: expected a mapping with an "ignore" list.`)
  const unknown = Object.keys(document).filter((k) => k !== 'ignore')
  if (unknown.length > 0) throw new UserError(`${file}: unknown key "${unknown[0]}" (expected "ignore").`)
  const list = (document as {ignore?: unknown}).ignore ?? []
  if (!Array.isArray(list)) throw new UserError(`${file}: "ignore" must be a list of entries.`)
  return {file, entries: list.map((entry, i) => parseEntry(entry, `${file}: entry ${i + 1}`))}
}

function parseEntry(entry: unknown, where: string): IgnoreEntry {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new UserError(`${where}: expected a mapping with type, arn and/or path, got ${JSON.stringify(entry)}.`)
  }

  const record = entry as Record<string, unknown>
  const unknown = Object.keys(record).filter((k) => !(entryKeys as readonly string[]).includes(k))
  if (unknown.length > 0) throw new UserError(`${where}: unknown key "${unknown[0]}" (expected type, arn, path).`)
  const present = entryKeys.filter((k) => k in record)
  if (present.length === 0) throw new UserError(`${where}: needs at least one of type, arn, path.`)
  const parsed: IgnoreEntry = {include: false}
  for (const key of present) {
    const value = record[key]
    if (typeof value !== 'string' || value.trim() === '' || value.trim() === '!') throw new UserError(`${where}: "${key}" must be a non-empty glob.`)
    let glob = value.trim()
    if (glob.startsWith('!')) {
      parsed.include = true
      glob = glob.slice(1)
    }

    parsed[key] = globRegExp(glob)
  }

  return parsed
}

/** `*` any run of characters, `?` one character; everything else literal (brackets included: paths use them). */
export function globRegExp(glob: string): RegExp {
  let source = ''
  for (const char of glob) source += char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')
  return new RegExp(`^${source}$`)
}

/** Whether a whole resource is ignored. */
export function ignoresResource(rules: IgnoreRules | undefined, resource: {type: string; arn: string}): boolean {
  return decide(rules, resource, undefined)
}

/**
 * Whether one field change is ignored. A path glob matches the change's path or any path above it, so
 * `MetadataOptions` covers `MetadataOptions.HttpTokens`.
 */
export function ignoresField(rules: IgnoreRules | undefined, resource: {type: string; arn: string}, segments: readonly PathSegment[]): boolean {
  return decide(rules, resource, segments)
}

function decide(rules: IgnoreRules | undefined, resource: {type: string; arn: string}, segments: readonly PathSegment[] | undefined): boolean {
  let ignored = false
  for (const entry of rules?.entries ?? []) {
    if (entry.type && !entry.type.test(resource.type)) continue
    if (entry.arn && !entry.arn.test(resource.arn)) continue
    if (entry.path) {
      if (segments === undefined) continue
      const pathRegExp = entry.path
      if (!segments.some((_s, i) => pathRegExp.test(formatPath(segments.slice(0, i + 1))))) continue
    }

    ignored = !entry.include
  }

  return ignored
}
