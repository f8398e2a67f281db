import {readFileSync} from 'node:fs'

import {UserError} from '../errors.js'
import {counted} from '../words.js'
import type {ResourceSpec} from '../resources/types.js'
import {writeFileAtomically} from '../render/write-file.js'
import {countPlan, isPlanIntact} from './plan.js'
import {callerPrincipalReason} from './protection.js'
import {checkAccountAllowed} from './rules.js'
import {foreignStepProblem, identityProblem} from './step-target.js'
import {type CallerIdentity, type CleanupPlan, PLAN_FORMAT, type ProtectionRules} from './types.js'

/** `--max-plan-age` when not given. */
export const DEFAULT_MAX_PLAN_AGE = '1h'

/** How far in the future a plan's time may be (clocks of two machines differ a little). */
const CLOCK_SKEW_MS = 5 * 60_000

const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** Parses a duration such as `90s`, `30m`, `2h`, `1.5h`, `1d` into milliseconds. */
export function parseDuration(value: string, flag = '--max-plan-age'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i.exec(value)
  const ms = match ? Number(match[1]) * units[match[2]!.toLowerCase()]! : Number.NaN
  if (ms === 0) throw new UserError(`${flag} "${value}" is no time at all: every plan would be too old. Give a duration longer than 0, e.g. 30m.`)
  if (!Number.isFinite(ms) || ms < 0) throw new UserError(`${flag} "${value}" is not a duration: use a number and a unit, e.g. 90s, 30m, 2h or 1d.`)
  return ms
}

/** A duration for people: `2h 5m`, `40m`, `12s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`
  return `${Math.floor(hours / 24)}d`
}

/** Writes a plan document (pretty JSON) atomically; returns the absolute path. */
export function writePlanFile(file: string, plan: CleanupPlan): string {
  return writeFileAtomically(file, `${JSON.stringify(plan, null, 2)}\n`)
}

/**
 * Reads a plan document and checks that it is one, whole and unedited: JSON, the plan format, the
 * fields the executor relies on, and a hash matching its content. Every problem is a one-line UserError.
 */
export function readPlanFile(file: string): CleanupPlan {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message
    throw new UserError(`Cannot read plan file ${file}: ${why}.`)
  }

  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new UserError(`Plan file ${file} is not JSON: save a plan with "awsinv cleanup preview SNAPSHOT --out ${file}".`)
  }

  const format = isObject(document) ? document.format : undefined
  if (format !== PLAN_FORMAT) {
    const found = typeof format === 'string' ? `format "${format}"` : 'no plan format'
    throw new UserError(`Plan file ${file} is not an awsinv cleanup plan (${found}; expected "${PLAN_FORMAT}").`)
  }

  const problem = shapeProblem(document as Record<string, unknown>)
  if (problem) throw new UserError(`Plan file ${file} is malformed: ${problem}.`)
  const plan = document as unknown as CleanupPlan
  if (!isPlanIntact(plan)) {
    throw new UserError(`Plan file ${file} was modified after it was made (its content does not match its hash ${String(plan.hash).slice(0, 12)}…): make a new plan with "awsinv cleanup preview".`)
  }

  return plan
}

export interface PlanChecks {
  /** Who the credentials in use are (STS): the plan must be for their account, and must not delete them. */
  caller: CallerIdentity
  now: Date
  /** `--max-plan-age` in milliseconds. */
  maxAgeMs: number
  /** Rules in force at execution besides the plan's (a rules file, `--protect-tag`): their account lists and limit apply too. */
  extraRules?: ProtectionRules
  /** The registered spec of a type: every item must be of a type this awsinv can delete. */
  specOf(type: string): ResourceSpec | undefined
}

/**
 * Whether an intact plan may be executed now: made for the credentials' account, not older than
 * `--max-plan-age` (nor from the future), allowed by the account lists and deletion limits of its rules
 * and of the rules given now, only of types this awsinv can delete, and not deleting the user or role the
 * credentials act as (the plan protected its own maker's, but it may be executed with other credentials).
 */
export function checkPlanExecutable(plan: CleanupPlan, checks: PlanChecks): void {
  const {accountId} = checks.caller
  if (plan.accountId !== accountId) {
    throw new UserError(`Plan ${plan.id} is for account ${plan.accountId}, but the credentials in use are for account ${accountId}: nothing was deleted.`)
  }

  checkPlanAge(plan, checks.now, checks.maxAgeMs)

  // Counted from the items: the summary is the plan's own word, and a hand-edited plan can say anything.
  const counts = countPlan(plan)
  const deletions = counts.deletions + counts.included
  for (const rules of [plan.rules, checks.extraRules]) {
    if (!rules) continue
    checkAccountAllowed(rules, plan.accountId)
    if (rules.maxDeletions !== null && deletions > rules.maxDeletions.limit) {
      throw new UserError(`Plan ${plan.id} deletes ${counted(deletions, 'resource')}, more than max_deletions ${rules.maxDeletions.limit} (${rules.maxDeletions.source}): make a narrower plan with --type or --region.`)
    }
  }

  for (const item of plan.waves.flatMap((w) => w.items)) {
    if (item.accountId !== plan.accountId) throw new UserError(`Plan ${plan.id} lists ${item.arn} of account ${item.accountId}, not the plan's account ${plan.accountId}.`)
    const deleter = checks.specOf(item.type)?.deleter
    if (deleter === undefined) throw new UserError(`Plan ${plan.id} lists ${item.type} ${item.id}, which this version of awsinv cannot delete.`)
    const mismatched = [item, ...item.includes].map((ref) => identityProblem(ref, checks.specOf(ref.type)?.arnByName)).find((problem) => problem !== undefined)
    if (mismatched !== undefined) {
      throw new UserError(`Plan ${plan.id} item ${item.key}: ${mismatched}, so it would act on a resource other than the one it names: nothing was deleted; make a new plan with "awsinv cleanup preview".`)
    }

    const foreign = foreignStepProblem(deleter, item)
    if (foreign !== undefined) {
      throw new UserError(`Plan ${plan.id} item ${item.key}: ${foreign}, so it would act on a resource other than the one it names: nothing was deleted; make a new plan with "awsinv cleanup preview".`)
    }

    for (const target of item.kind === 'delete' ? [item, ...item.includes] : []) {
      const own = callerPrincipalReason(checks.caller, target)
      if (own) {
        throw new UserError(`Plan ${plan.id} deletes ${target.type} ${target.id}, ${own}: nothing was deleted; execute it with other credentials, or make a new plan with these (it protects them).`)
      }
    }
  }
}

/**
 * Refuses a plan older than `--max-plan-age` at `now`, or dated in the future. `when` says at what point
 * of the run it is checked, for the message (`while the confirmation prompt waited`).
 */
export function checkPlanAge(plan: Pick<CleanupPlan, 'id' | 'createdAt'>, now: Date, maxAgeMs: number, when?: string): void {
  const age = now.getTime() - Date.parse(plan.createdAt)
  if (age > maxAgeMs) {
    const grew = when === undefined ? '' : `; it grew older ${when}, and nothing was deleted`
    throw new UserError(
      `Plan ${plan.id} was made ${formatDuration(age)} ago (${plan.createdAt}), more than --max-plan-age ${formatDuration(maxAgeMs)}${grew}: the account may have changed since; make a new plan with "awsinv cleanup preview", or raise --max-plan-age.`,
    )
  }

  if (age < -CLOCK_SKEW_MS) throw new UserError(`Plan ${plan.id} is dated ${plan.createdAt}, in the future: check this machine's clock, or make a new plan.`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The first way the document differs from the plan shape the executor relies on, or undefined. */
function shapeProblem(plan: Record<string, unknown>): string | undefined {
  for (const key of ['id', 'hash', 'accountId', 'createdAt'] as const) if (typeof plan[key] !== 'string') return `"${key}" is not a string`
  if (plan.mode !== 'cleanup' && plan.mode !== 'purge') return '"mode" is neither cleanup nor purge'
  if (Number.isNaN(Date.parse(plan.createdAt as string))) return '"createdAt" is not a time'
  if (!isObject(plan.caller) || !isObject(plan.current) || !isObject(plan.rules) || !isObject(plan.summary)) return 'it lacks caller, current, rules or summary'
  const regions = plan.current.regions
  if (regions !== undefined && (!Array.isArray(regions) || regions.some((r) => typeof r !== 'string'))) return '"current.regions" is not a list of regions'
  const rules = plan.rules
  if (!Array.isArray(rules.tags) || !Array.isArray(rules.types) || !Array.isArray(rules.names) || !isObject(rules.accounts)) return '"rules" lacks tags, types, names or accounts'
  if (!Array.isArray(plan.waves)) return '"waves" is not a list'
  const keys = new Set<string>()
  for (const [w, wave] of plan.waves.entries()) {
    if (!isObject(wave) || wave.index !== w || !Array.isArray(wave.items)) return `wave ${w} is not {index: ${w}, items: [...]}`
    for (const item of wave.items as unknown[]) {
      if (!isObject(item)) return `wave ${w} has an item that is not an object`
      for (const key of ['key', 'arn', 'type', 'id', 'name', 'region', 'accountId'] as const) if (typeof item[key] !== 'string') return `an item of wave ${w} has no "${key}"`
      if (item.kind !== 'delete' && item.kind !== 'prepare') return `item ${String(item.key)} has no kind`
      // Required, not defaulted: a plan without it (an older build's) would delete a resource recreated under
      // the same name since it was reviewed.
      if (item.uniqueId !== null && (typeof item.uniqueId !== 'string' || item.uniqueId === '')) return `item ${String(item.key)} has no "uniqueId" (a string, or null)`
      if (!Array.isArray(item.steps) || item.steps.some((s) => !isObject(s) || typeof s.action !== 'string' || !isObject(s.params))) return `item ${String(item.key)} has malformed steps`
      // Every item the planner makes has a step: an item without any would be reported done, doing nothing.
      if (item.steps.length === 0) return `item ${String(item.key)} has no steps`
      if (!Array.isArray(item.after) || item.after.some((k) => !keys.has(k as string))) return `item ${String(item.key)} waits for an item not in an earlier wave`
      if (!Array.isArray(item.includes)) return `item ${String(item.key)} has no "includes"`
    }

    // Keys become available to `after` only once their wave is over.
    for (const item of wave.items as Array<{key: string}>) {
      if (keys.has(item.key)) return `item ${item.key} is listed twice`
      keys.add(item.key)
    }
  }

  // A preparation names the cycle it breaks: the executor runs it only if all of its items are still to go.
  // Required, not defaulted: without it (an older build's plan) a preparation could change a resource that stays.
  const items = (plan.waves as Array<{items: Array<Record<string, unknown>>}>).flatMap((w) => w.items)
  const deletions = new Set(items.filter((i) => i.kind === 'delete').map((i) => i.key as string))
  for (const item of items.filter((i) => i.kind === 'prepare')) {
    const cycle = item.cycle
    if (!Array.isArray(cycle) || cycle.length === 0 || cycle.some((k) => typeof k !== 'string' || !deletions.has(k)) || !cycle.includes(item.partOf)) {
      return `prepare item ${String(item.key)} has no "cycle" (the keys of the delete items of the cycle it breaks, its "partOf" among them)`
    }
  }

  // The summary is what people read; the items are what runs: they must agree.
  const counts = countPlan(plan as unknown as CleanupPlan)
  const summary = plan.summary as Record<string, unknown>
  const differs = (['deletions', 'included', 'preparations', 'waves'] as const).find((key) => summary[key] !== counts[key])
  if (differs !== undefined) return `its summary says ${String(summary[differs])} ${differs}, but its items make ${counts[differs]}`
  return undefined
}
