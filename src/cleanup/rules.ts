import {existsSync, readFileSync} from 'node:fs'
import {isAbsolute, join} from 'node:path'

import {globRegExp} from '../diff/ignore.js'
import {UserError} from '../errors.js'
import {specs} from '../resources/registry.js'
import type {PlanSelection, ProtectionReason, ProtectionRules, TagProtection} from './types.js'
import {didYouMean} from '../suggest.js'
import {parseYamlText, yamlSources} from '../yaml-text.js'
import {counted} from '../words.js'

/** The rules file read from the working directory when `--rules` is not given. */
export const DEFAULT_RULES_FILE = '.awsinv-cleanup.yaml'

/** Where `--protect-tag` rules say they come from. */
export const PROTECT_TAG_FLAG = '--protect-tag'

const DAY_MS = 86_400_000

/** Rules that protect nothing and limit nothing: what applies without a rules file or options. */
export function emptyRules(): ProtectionRules {
  return {file: null, tags: [], types: [], names: [], ageDaysMinimum: null, accounts: {allow: null, deny: [], source: null}, maxDeletions: null}
}

/** What the command's options add to the rules file. */
export interface RuleOptions {
  /** `--rules FILE`: must exist. Without it, `.awsinv-cleanup.yaml` in `cwd` is read when present. */
  rulesFile?: string
  /** `--protect-tag K=V` values (value globs, `K=*` any value). */
  protectTags?: readonly string[]
  /** Directory relative paths are resolved in (default: the process's). */
  cwd?: string
  /** Type ids that `protection.types` globs must match at least one of (default: every registered type). */
  knownTypes?: readonly string[]
}

/**
 * The protection rules in force: the rules file (explicit, or the default one when present) merged with
 * `--protect-tag`. Every mistake is a UserError naming the file and the key.
 */
export function resolveProtectionRules(options: RuleOptions = {}): ProtectionRules {
  const cwd = options.cwd ?? process.cwd()
  const knownTypes = options.knownTypes ?? specs.map((s) => s.type)
  const fromFile = loadRulesFile(options.rulesFile, cwd, knownTypes) ?? emptyRules()
  const flagged = (options.protectTags ?? []).map((value) => parseProtectTag(value))
  return {...fromFile, tags: [...fromFile.tags, ...flagged]}
}

/** Reads a rules file; undefined when no file was named and the default one does not exist. */
export function loadRulesFile(explicit: string | undefined, cwd: string, knownTypes: readonly string[]): ProtectionRules | undefined {
  const file = explicit ?? DEFAULT_RULES_FILE
  const path = isAbsolute(file) ? file : join(cwd, file)
  if (!existsSync(path)) {
    if (explicit === undefined) return undefined
    throw new UserError(`Rules file "${explicit}" not found.`)
  }

  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UserError(`Cannot read rules file "${file}": ${(error as Error).message}`)
  }

  return parseRulesText(text, file, knownTypes)
}

const topKeys = ['protection', 'accounts', 'max_deletions'] as const
const protectionKeys = ['tags', 'types', 'names', 'age_days_minimum'] as const
const accountKeys = ['allow', 'deny'] as const
const tagKeys = ['key', 'value'] as const

/**
 * Parses the YAML text of a rules file (schema in docs/cleanup.md). Strict: unknown keys, wrong types and
 * type globs that match no known type are errors, because a mistyped protection rule would protect
 * nothing. An empty key (`max_deletions:`) is the same as leaving it out.
 */
export function parseRulesText(text: string, file: string, knownTypes: readonly string[] = specs.map((s) => s.type)): ProtectionRules {
  const document = parseYamlText(text, file)
  // Numbers are judged by how they are written: YAML reads 1e2, 0x10 and 2.0 as whole numbers too.
  const {sourceAt} = yamlSources(text)
  const number = (value: unknown, path: ReadonlyArray<string | number>): YamlNumber | undefined =>
    typeof value === 'number' ? {value, source: sourceAt(path)} : undefined

  const rules: ProtectionRules = {...emptyRules(), file}
  if (document === null || document === undefined) return rules
  const top = mapping(document, file, 'the document', topKeys)

  const protection = top.protection === null || top.protection === undefined ? {} : mapping(top.protection, file, 'protection', protectionKeys)
  rules.tags = list(protection.tags, file, 'protection.tags').map((entry, i) => tagRule(entry, file, `protection.tags entry ${i + 1}`))
  rules.types = list(protection.types, file, 'protection.types').map((entry, i) => {
    const pattern = glob(entry, file, `protection.types entry ${i + 1}`)
    if (!knownTypes.some((type) => matchGlob(pattern, type, true))) {
      throw new UserError(`${file}: protection.types entry ${i + 1} "${pattern}" matches no resource type.${typeHint(pattern, knownTypes)} Use type ids or globs such as AWS::IAM::Role or AWS::EC2::*.`)
    }

    return {pattern, source: file}
  })
  rules.names = list(protection.names, file, 'protection.names').map((entry, i) => ({pattern: glob(entry, file, `protection.names entry ${i + 1}`), source: file}))
  const days = count(protection.age_days_minimum, number(protection.age_days_minimum, ['protection', 'age_days_minimum']), file, 'protection.age_days_minimum')
  if (days !== undefined) rules.ageDaysMinimum = {days, source: file}

  const accounts = top.accounts === null || top.accounts === undefined ? {} : mapping(top.accounts, file, 'accounts', accountKeys)
  const idsAt = (key: 'allow' | 'deny') => accountIds(accounts[key], (entry, i) => number(entry, ['accounts', key, i]), file, `accounts.${key}`)
  const allow = accounts.allow === null || accounts.allow === undefined ? null : idsAt('allow')
  const deny = idsAt('deny')
  if (allow !== null || deny.length > 0) rules.accounts = {allow, deny, source: file}
  const limit = count(top.max_deletions, number(top.max_deletions, ['max_deletions']), file, 'max_deletions')
  if (limit !== undefined) rules.maxDeletions = {limit, source: file}
  return rules
}

/** Parses one `--protect-tag K=V` value. */
export function parseProtectTag(value: string): TagProtection {
  const tag = splitTag(value, PROTECT_TAG_FLAG)
  if (tag === undefined) throw new UserError(`Malformed ${PROTECT_TAG_FLAG} "${value}": expected KEY=VALUE (VALUE a glob, KEY=* for any value).`)
  return tag
}

function splitTag(value: string, source: string): TagProtection | undefined {
  const eq = value.indexOf('=')
  const key = eq < 0 ? '' : value.slice(0, eq).trim()
  return key === '' ? undefined : {key, value: value.slice(eq + 1).trim(), source}
}

function tagRule(entry: unknown, file: string, where: string): TagProtection {
  if (typeof entry === 'string') {
    const tag = splitTag(entry, file)
    if (tag === undefined) throw new UserError(`${file}: ${where} "${entry}" must be KEY=VALUE or a mapping with key and value.`)
    return tag
  }

  const record = mapping(entry, file, where, tagKeys)
  if (typeof record.key !== 'string' || record.key.trim() === '') throw new UserError(`${file}: ${where}: "key" must be a non-empty string.`)
  // No value: any value (protecting more is the safe reading of an incomplete rule).
  if (record.value === undefined || record.value === null) return {key: record.key.trim(), value: '*', source: file}
  if (typeof record.value !== 'string') throw new UserError(`${file}: ${where}: "value" must be a string (a glob), got ${JSON.stringify(record.value)}.`)
  return {key: record.key.trim(), value: record.value, source: file}
}

/**
 * `value` as a mapping with only `keys`. `where` names it: a dotted path (`protection`), whose keys are
 * reported with it (`protection.tag`), or a list entry (`protection.tags entry 2`), reported after it.
 */
function mapping<K extends string>(value: unknown, file: string, where: string, keys: readonly K[]): Partial<Record<K, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${file}: ${where} must be a mapping with ${keys.join(', ')}, got ${JSON.stringify(value)}.`)
  }

  const unknown = Object.keys(value).filter((k) => !(keys as readonly string[]).includes(k))
  if (unknown.length > 0) {
    if (where.includes(' entry ')) throw new UserError(`${file}: ${where}: unknown key "${unknown[0]}" (expected ${keys.join(', ')}).`)
    const at = where === 'the document' ? '' : `${where}.`
    throw new UserError(`${file}: unknown key "${at}${unknown[0]}" (expected ${keys.map((k) => `${at}${k}`).join(', ')}).`)
  }

  return value as Partial<Record<K, unknown>>
}

function list(value: unknown, file: string, where: string): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new UserError(`${file}: ${where} must be a list, got ${JSON.stringify(value)}.`)
  return value
}

function glob(value: unknown, file: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UserError(`${file}: ${where} must be a non-empty glob string, got ${JSON.stringify(value)}.`)
  return value.trim()
}

/** A number of the rules file with its text as written (`1e2`, `0x10`, `012345678901`; undefined if it cannot be found: never accepted). */
interface YamlNumber {
  value: number
  source: string | undefined
}

const decimalDigits = /^\d+$/

/** A whole number of 0 or more, written in decimal digits: `1e2`, `0x10`, `2.0` and `+5` are refused, not read as 100, 16, 2 and 5. */
function count(value: unknown, number: YamlNumber | undefined, file: string, where: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const digits = number?.source !== undefined && decimalDigits.test(number.source)
  // Read from the text: under a `%YAML 1.1` header the parser reads `010` as octal 8.
  if (digits && Number.isSafeInteger(Number(number!.source))) return Number(number!.source)
  const written = number?.source ?? JSON.stringify(value)
  // Whole, but written otherwise: say how to write it.
  const hint = number !== undefined && !digits && Number.isSafeInteger(number.value) && number.value >= 0 ? `: write it in decimal digits, as ${number.value}` : ''
  throw new UserError(`${file}: ${where} must be a whole number of 0 or more, got ${written}${hint}.`)
}

/**
 * Account ids as 12-digit strings: a quoted string, or an unquoted number written as exactly 12 decimal
 * digits, taken as written (YAML reads `012345678901` as 12345678901; the text keeps the zero). Nothing is
 * padded, rounded or converted: an 11-digit typo, `1e11`, `0x1CBE991A14` or `123456789012.0` is refused.
 */
function accountIds(value: unknown, numberAt: (entry: unknown, index: number) => YamlNumber | undefined, file: string, where: string): string[] {
  return list(value, file, where).map((entry, i) => {
    const number = numberAt(entry, i)
    const id = number === undefined ? entry : number.source
    if (typeof id !== 'string' || !/^\d{12}$/.test(id)) {
      throw new UserError(`${file}: ${where} entry ${i + 1} must be a 12-digit account id, got ${number?.source ?? JSON.stringify(entry)}.`)
    }

    return id
  })
}

// ---------------------------------------------------------------------------------------------------
// Selection (--type, --region)

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/

/** ` Did you mean "AWS::SNS::Topic"?` for a type id (no wildcard) that is a typo of a known one, else ''. */
function typeHint(pattern: string, knownTypes: readonly string[]): string {
  return /[*?]/.test(pattern) ? '' : didYouMean(pattern, [...new Set(specs.map((s) => s.service))], {ignoreCase: true}) || didYouMean(pattern, knownTypes, {ignoreCase: true})
}

/**
 * The `--type` globs and `--region` values, validated: a type glob must match a known type, a region must
 * look like one (or be `global`, which selects the global types).
 */
export function resolveSelection(
  options: {types?: readonly string[]; regions?: readonly string[]},
  knownTypes: readonly string[] = specs.map((s) => s.type),
): PlanSelection {
  const split = (values: readonly string[] | undefined) => [...new Set((values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))].sort()
  // A service name (`sqs`, as snapshot create takes it) stands for its types.
  const serviceOf = new Map(specs.map((s) => [s.type, s.service]))
  // Account settings are never considered: a service stands for its resource types (for its settings only
  // when it has nothing else, which is then refused as deleting nothing).
  const ofService = (entry: string) => {
    const all = /[*?]/.test(entry) ? [] : knownTypes.filter((type) => serviceOf.get(type) === entry.toLowerCase())
    const resources = all.filter((type) => !type.startsWith('Account::'))
    return resources.length > 0 ? resources : all
  }
  const types = split(split(options.types).flatMap((entry) => (ofService(entry).length > 0 ? ofService(entry) : [entry])))
  for (const pattern of types) {
    if (!knownTypes.some((type) => matchGlob(pattern, type, true))) {
      throw new UserError(`--type "${pattern}" matches no resource type.${typeHint(pattern, knownTypes)} Use services, type ids or globs such as sqs, AWS::EC2::Instance or AWS::IAM::*.`)
    }
  }

  // Region ids are lower case: US-EAST-1 is us-east-1.
  const regions = split(options.regions?.map((r) => r.toLowerCase()))
  for (const region of regions) {
    if (region !== 'global' && !regionPattern.test(region)) throw new UserError(`--region "${region}" is not a region (e.g. us-east-1), nor "global" for the global types.`)
  }

  if (types.length > 0) checkDeletable(split(options.types), types, knownTypes)
  if (types.length > 0 && regions.length > 0) checkTypesInRegions(split(options.types), types, regions, knownTypes)
  return {types: types.length > 0 ? types : null, regions: regions.length > 0 ? regions : null}
}

/** Refuses a `--type` that selects only types awsinv never deletes (account settings, Access Analyzer…). */
function checkDeletable(given: readonly string[], types: readonly string[], knownTypes: readonly string[]): void {
  const byType = new Map(specs.map((s) => [s.type, s]))
  const selected = knownTypes.filter((type) => types.some((pattern) => matchGlob(pattern, type, true)) && byType.has(type))
  if (selected.length === 0 || selected.some((type) => byType.get(type)!.deleter !== undefined)) return
  throw new UserError(`--type ${given.join(', ')} selects only types awsinv does not delete (${selected.join(', ')}): nothing could be planned.`)
}

/**
 * Refuses a `--type` and `--region` that together select nothing: only global types (IAM) with regions
 * but not `global`, or only regional types with `global` alone.
 */
function checkTypesInRegions(given: readonly string[], types: readonly string[], regions: readonly string[], knownTypes: readonly string[]): void {
  const scopeOf = new Map(specs.map((s) => [s.type, s.scope]))
  const scopes = new Set(knownTypes.filter((type) => types.some((pattern) => matchGlob(pattern, type, true))).map((type) => scopeOf.get(type)))
  const selected = `--type ${given.join(', ')}`
  const regionsText = `--region ${regions.join(', ')}`
  if (scopes.size !== 1) return
  if (scopes.has('global') && !regions.includes('global')) {
    throw new UserError(`${selected} selects only global types, which ${regionsText} leaves out: add --region global.`)
  }

  if (scopes.has('regional') && regions.every((region) => region === 'global')) {
    throw new UserError(`${selected} selects only regional types, which --region global leaves out: name their regions, or leave --region out.`)
  }
}

/** Whether `--region` leaves out global types (IAM) that `--type` (or its absence) selects: `global` is not listed. */
export function leavesOutGlobalTypes(selection: PlanSelection): boolean {
  if (selection.regions === null || selection.regions.includes('global')) return false
  return specs.some((s) => s.scope === 'global' && s.deleter !== undefined && selects({types: selection.types, regions: null}, {type: s.type, region: 'global'}))
}

/** The regions among `regions` where the selected types (every type when none) can be: `global` for global types, the others for regional ones. */
export function regionsOfSelectedTypes(selection: PlanSelection, regions: readonly string[]): string[] {
  const scopes = new Set(specs.filter((s) => selects({types: selection.types, regions: null}, {type: s.type, region: s.scope})).map((s) => s.scope))
  return regions.filter((region) => scopes.has(region === 'global' ? 'global' : 'regional'))
}

/** Whether a resource is within the selection. With regions, a global resource is selected only when `global` is listed. */
export function selects(selection: PlanSelection, resource: {type: string; region: string}): boolean {
  if (selection.types && !selection.types.some((pattern) => matchGlob(pattern, resource.type, true))) return false
  return selection.regions === null || selection.regions.includes(resource.region)
}

// ---------------------------------------------------------------------------------------------------
// Matching

const compiled = new Map<string, RegExp>()

/** Whether `text` matches the glob (`*` any run of characters, `?` one character, the rest literal). */
export function matchGlob(pattern: string, text: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`
  let regExp = compiled.get(key)
  if (regExp === undefined) {
    const exact = globRegExp(pattern)
    regExp = ignoreCase ? new RegExp(exact.source, 'i') : exact
    compiled.set(key, regExp)
  }

  return regExp.test(text)
}

/** What the rules look at. `tags` is null when they could not be read. */
export interface RuleSubject {
  type: string
  id: string
  name: string
  tags: Record<string, string> | null
  createdAt: string | null
}

/**
 * The rules that protect a resource, each as a reason. Fail closed: a tag rule protects a resource whose
 * tags are unknown, the age rule one whose creation time is unknown. Ages are measured at `now`.
 */
export function matchRules(rules: ProtectionRules, subject: RuleSubject, now: Date): ProtectionReason[] {
  const reasons: ProtectionReason[] = []
  for (const tag of rules.tags) {
    const rule = `${tag.key}=${tag.value}`
    if (subject.tags === null) {
      reasons.push({kind: 'tag-rule', rule, source: tag.source, explanation: `its tags could not be read, so tag rule ${rule} (${tag.source}) protects it`})
    } else if (Object.hasOwn(subject.tags, tag.key) && matchGlob(tag.value, subject.tags[tag.key] ?? '')) {
      reasons.push({kind: 'tag-rule', rule, source: tag.source, explanation: `tagged ${tag.key}=${subject.tags[tag.key]}, matching ${rule} (${tag.source})`})
    }
  }

  for (const type of rules.types) {
    if (matchGlob(type.pattern, subject.type, true)) {
      reasons.push({kind: 'type-rule', rule: type.pattern, source: type.source, explanation: `type ${subject.type} matches ${type.pattern} (${type.source})`})
    }
  }

  for (const name of rules.names) {
    const matched = matchGlob(name.pattern, subject.name) ? `name ${subject.name}` : matchGlob(name.pattern, subject.id) ? `id ${subject.id}` : undefined
    if (matched) reasons.push({kind: 'name-rule', rule: name.pattern, source: name.source, explanation: `${matched} matches ${name.pattern} (${name.source})`})
  }

  if (rules.ageDaysMinimum !== null) {
    const {days, source} = rules.ageDaysMinimum
    const rule = `${days} days`
    const created = subject.createdAt === null ? Number.NaN : Date.parse(subject.createdAt)
    if (Number.isNaN(created)) {
      reasons.push({kind: 'age-rule', rule, source, explanation: `its creation time is unknown, so the ${days}-day minimum age (${source}) protects it`})
    } else if (now.getTime() - created > days * DAY_MS) {
      const ms = now.getTime() - created
      // Under a day (age_days_minimum: 0 protects everything already there): in hours, not "0 days".
      const age = ms >= DAY_MS ? counted(Math.floor(ms / DAY_MS), 'day') : ms >= 3_600_000 ? counted(Math.floor(ms / 3_600_000), 'hour') : 'less than an hour'
      reasons.push({kind: 'age-rule', rule, source, explanation: `created ${subject.createdAt}, ${age} ago: older than the ${days}-day minimum (${source})`})
    }
  }

  return reasons
}

/** Refuses a plan for an account the rules do not allow. */
export function checkAccountAllowed(rules: ProtectionRules, accountId: string): void {
  const {allow, deny, source} = rules.accounts
  if (deny.includes(accountId)) throw new UserError(`Account ${accountId} is in accounts.deny of ${source}: awsinv will not delete anything in it.`)
  if (allow !== null && !allow.includes(accountId)) {
    throw new UserError(`Account ${accountId} is not in accounts.allow of ${source} (${allow.join(', ') || 'empty'}): awsinv will not delete anything in it.`)
  }
}
