import {randomBytes} from 'node:crypto'

import type {AwsClients} from '../aws/clients.js'
import {classifyError} from '../aws/errors.js'
import {Semaphore} from '../collect/limit.js'
import {UserError} from '../errors.js'
import type {ResourceSpec} from '../resources/types.js'
import {CALLER_LINK_TYPES, type CallerLinks, readCallerLinks} from './caller-links.js'
import {intrinsicProtection, recheckProtection} from './protection.js'
import {matchRules} from './rules.js'
import {type ItemRunOptions, RunInterrupted, type StepRecord, runItemSteps} from './run-item.js'
import type {
  CallerIdentity,
  CleanupMode,
  CleanupPlan,
  CurrentState,
  Deleter,
  DeleteContext,
  IncludedResource,
  PlanItem,
  PlanWave,
  ProtectionReason,
  ProtectionRules,
  ResourceRef,
} from './types.js'

/**
 * The executor: runs a plan exactly as written. Each item after every item it waits for, the others in
 * parallel (bounded), each item re-read and re-checked against the protection rules right before its first step, its steps
 * run by `runItemSteps` (retries, waits, holds), every outcome recorded through the audit sink.
 */

/** How one plan item ended. */
export type ItemOutcome =
  /** A delete item's every step done: the resource is deleted. */
  | 'deleted'
  /** A prepare item's every step done: its references are removed, so that other items can be deleted. */
  | 'prepared'
  /** Its final step was accepted but AWS deletes it later (KMS key waiting period, secret recovery window). */
  | 'scheduled'
  /** It no longer existed when re-read, or every step found its target already gone. */
  | 'gone'
  /**
   * Not run, by design: protected now, replaced since the plan was made (another resource under its name),
   * it would take along a resource protected now, or an item it waits for was not deleted.
   */
  | 'skipped'
  /** A step failed, or the item could not be re-read (so it could not be re-checked): it may still exist. */
  | 'failed'
  /** The run was interrupted while the item ran: some of its steps may have been done. */
  | 'interrupted'
  /** The run was interrupted before the item started. */
  | 'not-attempted'

/** What happened to one plan item. */
export interface ItemResult extends ResourceRef {
  /** The plan item's key (the ARN, or `ARN#prepare`). */
  key: string
  kind: PlanItem['kind']
  /** Index of its wave. */
  wave: number
  result: ItemOutcome
  /** For people, one line: why it was skipped, failed or gone, or the final step's word (`scheduled for deletion on …`). Null when deleted with nothing to say. */
  reason: string | null
  /** `skipped` because protected now: every reason (of the item, or of the resource it would take along). */
  protectedBy?: ProtectionReason[]
  /** What kept it from running or finishing: keys of the items it waited for (`skipped`), the resources AWS still saw (`failed` on a hold), the protected resource it would take along. */
  blockedBy?: string[]
  /** ARNs of the resources AWS deletes along with it (from the plan). */
  includes: string[]
  /** The resource as re-read right before its first step (tags, name, configuration where the deleter reads it); null when it was not read or no longer existed. */
  before: CurrentState | null
  /** Every step that ran, in order, with its calls, request ids and outcome. Empty when no step ran. */
  steps: StepRecord[]
  /** When the item started and finished (null when it was not attempted). */
  startedAt: string | null
  finishedAt: string | null
}

/** Items per outcome. */
export interface ExecutionSummary {
  /** Items in the plan, delete and prepare items alike. */
  items: number
  /** Delete items deleted. */
  deleted: number
  /** Prepare items done (never counted as deleted: they delete nothing). */
  prepared: number
  scheduled: number
  gone: number
  skipped: number
  failed: number
  interrupted: number
  notAttempted: number
}

/**
 * `succeeded`: every item deleted, prepared, scheduled or gone; `incomplete`: nothing failed, but items were skipped
 * (protected now, or waiting for one that was), so they still exist; `failed`: at least one item failed;
 * `interrupted`: stopped by a signal.
 */
export type RunStatus = 'succeeded' | 'incomplete' | 'failed' | 'interrupted'

/** The outcome of executing a plan: what `cleanup execute --json` prints and the audit log's run record. */
export interface ExecutionResult {
  /** This run's id (`run-<UTC time>-<6 hex digits>`): the audit log's key and file name. */
  runId: string
  planId: string
  planHash: string
  mode: CleanupMode
  /** The account the plan deleted in. */
  accountId: string
  /** Who ran it (STS). */
  caller: CallerIdentity
  startedAt: string
  finishedAt: string
  status: RunStatus
  /** 0 when every item is deleted, prepared, scheduled or gone; 1 when an item failed; 3 when items were skipped (none failed); 130 when interrupted. */
  exitCode: 0 | 1 | 3 | 130
  summary: ExecutionSummary
  /** Every plan item, in plan order (wave by wave). */
  items: ItemResult[]
  /** The JSON lines audit file of this run, or null when no audit sink wrote one. */
  auditLog: string | null
}

/** Where the executor records each run as it goes (the store and a JSON lines file: src/cleanup/audit.ts). */
export interface AuditSink {
  /** The JSON lines file this sink writes, once the run has started; null when it writes none. */
  readonly logFile: string | null
  runStarted(run: {runId: string; plan: CleanupPlan; caller: CallerIdentity; startedAt: string}): void
  /** Called once per plan item as soon as it is settled (items never reached: when the run ends). */
  itemFinished(runId: string, item: ItemResult): void
  runFinished(result: ExecutionResult): void
}

/** What the executor reports while it works. */
export type ExecutionProgress =
  | {kind: 'start'; items: number; waves: number}
  | {kind: 'wave'; index: number; items: number}
  | {kind: 'item-start'; item: PlanItem; wave: number}
  | {kind: 'item-done'; result: ItemResult}

export interface ExecuteOptions {
  /** The registered spec of a type: its deleter runs the type's items. */
  specOf(type: string): ResourceSpec | undefined
  clients: AwsClients
  /** Who runs the plan: the plan is refused unless this is its account. */
  caller: CallerIdentity
  /** Region the calls for global types (IAM) go to. */
  homeRegion: string
  /** Items at work at once (an item waiting for AWS is not at work). */
  concurrency: number
  /** Aborted on SIGINT: the run stops between calls. */
  signal: AbortSignal
  /** Rules checked at the re-check in addition to the plan's own (a rules file or `--protect-tag` given at execution). */
  extraRules?: ProtectionRules
  audit?: AuditSink
  onProgress?: (event: ExecutionProgress) => void
  /** The clock (tests): timestamps, and the age rule at the re-check. */
  now?: () => Date
  /** The run's id (default: generated from the start time). */
  runId?: string
  /** Step runner options (retries, polls; tests inject sleep and clock). */
  steps?: Omit<ItemRunOptions, 'signal'>
  /** Reads what the caller's identity stands on now (default: from IAM, once, when an item may be one of them). */
  readCallerLinks?: () => Promise<CallerLinks>
}

/** The exit code of each run status: 3 when items were skipped (they still exist) but none failed. */
const exitCodes: Record<RunStatus, ExecutionResult['exitCode']> = {succeeded: 0, incomplete: 3, failed: 1, interrupted: 130}

/** Outcomes after which the items waiting for it may run: the resource is gone or going, or its references are. */
const clearedOutcomes = new Set<ItemOutcome>(['deleted', 'prepared', 'scheduled', 'gone'])

/** A new run id: `run-20261205-120000-a1b2c3`. */
export function newRunId(at: Date): string {
  const stamp = at.toISOString().replaceAll(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `run-${stamp}-${randomBytes(3).toString('hex')}`
}

/**
 * Executes a plan as written. Before an item's first step its deleter re-reads it: gone → `gone`; a unique
 * id other than the plan's (recreated under the same name since) → `skipped`; its tags (and those of what
 * it takes along) re-checked against the plan's rules → `skipped` when protected now. An item waiting for
 * one that was not deleted is `skipped`, naming it. Never throws for an item's failure: every outcome is
 * in the result. Throws UserError when the caller is not in the plan's account, and rethrows an audit
 * failure (the run then stops: nothing is deleted that is not recorded).
 */
export async function executePlan(plan: CleanupPlan, options: ExecuteOptions): Promise<ExecutionResult> {
  if (options.caller.accountId !== plan.accountId) {
    throw new UserError(`Plan ${plan.id} is for account ${plan.accountId}, but the credentials in use are for account ${options.caller.accountId}: nothing was deleted.`)
  }

  const now = options.now ?? (() => new Date())
  const started = now()
  const runId = options.runId ?? newRunId(started)
  const startedAt = started.toISOString()
  options.audit?.runStarted({runId, plan, caller: options.caller, startedAt})

  // Stopped by the caller's signal, or by an audit failure: nothing runs unrecorded.
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  if (options.signal.aborted) stop.abort()
  else options.signal.addEventListener('abort', onAbort, {once: true})

  const results = new Map<string, ItemResult>()
  let auditError: unknown
  const settle = (result: ItemResult) => {
    results.set(result.key, result)
    try {
      options.audit?.itemFinished(runId, result)
    } catch (error) {
      auditError ??= error
      stop.abort()
    }

    options.onProgress?.({kind: 'item-done', result})
  }

  // At most `concurrency` items at work; an item pausing (waiting for AWS, backing off) gives its slot up.
  const limit = new Semaphore(Math.max(1, options.concurrency))
  const run = new ItemRunner(plan, options, stop.signal, now, results, limit)
  options.onProgress?.({kind: 'start', items: plan.waves.reduce((n, w) => n + w.items.length, 0), waves: plan.waves.length})
  // An item starts once every item it waits for has settled (those are all in earlier waves), not when its
  // whole previous wave has: a slow deletion holds back only what depends on it. A slot goes to the item
  // of the earliest wave waiting for one, also when an item comes back from a pause; within a wave, to
  // the types that wait for AWS (instances, NAT gateways…) first, so that their waits overlap the rest.
  const priorityOf = (item: PlanItem, wave: PlanWave) => 2 * wave.index + (options.specOf(item.type)?.deleter?.waitTimeoutMs === undefined ? 1 : 0)
  const announced = new Set<number>()
  const settled = new Map<string, Promise<void>>()
  const runItem = async (item: PlanItem, wave: PlanWave) => {
    const priority = priorityOf(item, wave)
    await Promise.all(item.after.map((key) => settled.get(key)))
    await limit.run(async () => {
      if (stop.signal.aborted) return
      if (!announced.has(wave.index)) {
        announced.add(wave.index)
        options.onProgress?.({kind: 'wave', index: wave.index, items: wave.items.length})
      }

      const result = await run.item(item, wave.index, priority)
      if (result) settle(result)
    }, priority)
  }

  try {
    for (const wave of plan.waves) {
      // Queued in order of priority: the items ready at once take the free slots in that order too.
      const queued = [...wave.items].sort((x, y) => priorityOf(x, wave) - priorityOf(y, wave))
      for (const item of queued) settled.set(item.key, runItem(item, wave))
    }

    await Promise.all(settled.values())
  } finally {
    options.signal.removeEventListener('abort', onAbort)
  }

  if (auditError !== undefined) throw auditError
  for (const wave of plan.waves) {
    for (const item of wave.items) {
      if (!results.has(item.key)) settle(resultOf(item, wave.index, {result: 'not-attempted', reason: 'the run was interrupted before it started'}))
    }
  }

  if (auditError !== undefined) throw auditError
  const items = plan.waves.flatMap((w) => w.items.map((i) => results.get(i.key)!))
  const summary = summarize(items)
  // Exit 0 only when every planned item is gone (or going): a skipped item still exists.
  const status: RunStatus =
    summary.interrupted + summary.notAttempted > 0 ? 'interrupted' : summary.failed > 0 ? 'failed' : summary.skipped > 0 ? 'incomplete' : 'succeeded'
  const result: ExecutionResult = {
    runId,
    planId: plan.id,
    planHash: plan.hash,
    mode: plan.mode,
    accountId: plan.accountId,
    caller: {arn: options.caller.arn, accountId: options.caller.accountId},
    startedAt,
    finishedAt: now().toISOString(),
    status,
    exitCode: exitCodes[status],
    summary,
    items,
    auditLog: options.audit?.logFile ?? null,
  }
  options.audit?.runFinished(result)
  return result
}

function summarize(items: readonly ItemResult[]): ExecutionSummary {
  const count = (outcome: ItemOutcome) => items.filter((i) => i.result === outcome).length
  return {
    items: items.length,
    deleted: count('deleted'),
    prepared: count('prepared'),
    scheduled: count('scheduled'),
    gone: count('gone'),
    skipped: count('skipped'),
    failed: count('failed'),
    interrupted: count('interrupted'),
    notAttempted: count('not-attempted'),
  }
}

type Outcome = Pick<ItemResult, 'result' | 'reason'> & Partial<Pick<ItemResult, 'protectedBy' | 'blockedBy' | 'before' | 'steps' | 'startedAt' | 'finishedAt'>>

function resultOf(item: PlanItem, wave: number, outcome: Outcome): ItemResult {
  return {
    key: item.key,
    kind: item.kind,
    arn: item.arn,
    type: item.type,
    id: item.id,
    name: item.name,
    region: item.region,
    accountId: item.accountId,
    wave,
    includes: item.includes.map((i) => i.arn),
    before: null,
    steps: [],
    startedAt: null,
    finishedAt: null,
    ...outcome,
  }
}

function describe(ref: Pick<ResourceRef, 'type' | 'id' | 'name'>): string {
  return `${ref.type} ${ref.name === ref.id ? ref.id : `${ref.name} (${ref.id})`}`
}

/** Runs single items; holds what every item needs. */
class ItemRunner {
  private readonly byKey: Map<string, PlanItem>
  /** ARNs and ids of everything the plan deletes (its items and what AWS deletes along with them), to the item that does. */
  private readonly planned: ReadonlyMap<string, string>
  /** What the caller's identity stands on, read once when first needed. */
  private callerLinks?: Promise<CallerLinks>
  /** Per dependency cycle (its item keys), whether its preparations may run: decided once, for all of them. */
  private readonly cycleVerdicts = new Map<string, Promise<Outcome | undefined>>()

  constructor(
    private readonly plan: CleanupPlan,
    private readonly options: ExecuteOptions,
    private readonly signal: AbortSignal,
    private readonly now: () => Date,
    private readonly results: ReadonlyMap<string, ItemResult>,
    private readonly limit: Semaphore,
  ) {
    this.byKey = new Map(plan.waves.flatMap((w) => w.items.map((i) => [i.key, i])))
    this.planned = new Map(plan.waves.flatMap((w) => w.items.flatMap((i) => [i.arn, i.id, ...i.includes.flatMap((x) => [x.arn, x.id])].map((name) => [name, i.key] as const))))
  }

  /** The item's outcome; undefined when the run stopped before it started (it is then `not-attempted`). `priority`: its place in the queue for a slot after a pause. */
  async item(item: PlanItem, wave: number, priority: number): Promise<ItemResult | undefined> {
    const startedAt = this.now().toISOString()
    const done = (outcome: Outcome) => resultOf(item, wave, {startedAt, finishedAt: this.now().toISOString(), ...outcome})

    const checked = await this.recheckBefore(item)
    if (checked === undefined) return undefined
    if ('outcome' in checked) return done(checked.outcome)
    const {deleter, ctx, before} = checked
    if (item.kind === 'prepare') {
      const held = await this.cycleHeldBack(item)
      if (this.signal.aborted) return undefined
      if (held) return done({before, ...held})
    }

    this.options.onProgress?.({kind: 'item-start', item, wave})
    try {
      const whilePausing = <T>(pause: () => Promise<T>) => this.limit.pauseWithout(pause, priority)
      const ran = await runItemSteps(deleter, ctx, item, {...this.options.steps, signal: this.signal, whilePausing, inPlan: (x) => this.stillGoing(x)})
      const last = ran.steps.at(-1)
      switch (ran.status) {
        case 'failed': {
          return done({result: 'failed', before, steps: ran.steps, reason: ran.error ?? 'a step failed', ...(ran.blockedBy ? {blockedBy: ran.blockedBy} : {})})
        }

        case 'gone': {
          return done({result: 'gone', before, steps: ran.steps, reason: `already gone${last?.detail ? `: ${last.detail}` : ''}`})
        }

        default: {
          const result = item.kind === 'prepare' ? 'prepared' : last?.scheduled ? 'scheduled' : 'deleted'
          return done({result, before, steps: ran.steps, reason: last?.detail ?? null})
        }
      }
    } catch (error) {
      if (!(error instanceof RunInterrupted)) throw error
      const during = error.steps.at(-1)
      return done({result: 'interrupted', before, steps: error.steps, reason: `the run was interrupted${during ? ` during ${during.action}` : ''}`})
    }
  }

  /**
   * The re-check right before an item's first step: what it waits for has cleared, it has a deleter, and
   * its state read now shows it still there, not replaced, not protected now and not taking along a
   * resource protected now. Either what to run it with, or its outcome without running; undefined when the
   * run stopped meanwhile. `ignoring`: keys in its `after` not to wait for (its own cycle's, when a
   * preparation asks whether it will go).
   */
  private async recheckBefore(item: PlanItem, ignoring?: ReadonlySet<string>): Promise<{outcome: Outcome} | {deleter: Deleter; ctx: DeleteContext; before: CurrentState} | undefined> {
    const blocked = this.blockers(item, ignoring)
    if (blocked) return {outcome: blocked}
    const deleter = this.options.specOf(item.type)?.deleter
    if (deleter === undefined) return {outcome: {result: 'failed', reason: `awsinv has no deleter for ${item.type}`}}

    const ctx = this.contextOf(item)
    const read = await this.read(deleter, ctx, item)
    if (this.signal.aborted) return undefined
    if ('error' in read) return {outcome: {result: 'failed', reason: `could not re-read it before deleting, so it was not re-checked: ${read.error}`}}
    const before = read.state
    if (before === undefined) return {outcome: {result: 'gone', reason: 'it no longer existed, or was already scheduled for deletion, when re-read before its first step'}}
    const replaced = this.replacement(item, before)
    if (replaced) return {outcome: {result: 'skipped', before, reason: replaced}}

    const identity = await this.identity(item)
    if (this.signal.aborted) return undefined
    const reasons = [...this.recheck(item, before, item.createdAt), ...this.intrinsic(item, before), ...identity]
    if (reasons.length > 0) {
      return {outcome: {result: 'skipped', before, protectedBy: reasons, reason: `protected now: ${reasons.map((r) => r.explanation).join('; ')}`}}
    }

    const along = await this.recheckIncluded(item)
    if (this.signal.aborted) return undefined
    if (along) return {outcome: {before, ...along}}
    return {deleter, ctx, before}
  }

  /**
   * Why a preparation must not run: an item of the cycle it breaks would not be deleted now (protected,
   * replaced or unreadable now, or held back by what it waits for outside the cycle), and what the
   * preparation changes would then stay changed. Every item of the cycle is re-checked as its own deletion
   * will be; the answer is given once per cycle, so that its preparations all run or none does. Undefined
   * when they may run.
   */
  private cycleHeldBack(item: PlanItem): Promise<Outcome | undefined> {
    const members = cycleOf(item)
    const id = members.join('\n')
    let verdict = this.cycleVerdicts.get(id)
    if (verdict === undefined) {
      verdict = this.checkCycle(members)
      this.cycleVerdicts.set(id, verdict)
    }

    return verdict
  }

  private async checkCycle(members: readonly string[]): Promise<Outcome | undefined> {
    const preparations = [...this.byKey.values()].filter((i) => i.kind === 'prepare' && cycleOf(i).join('\n') === members.join('\n')).map((i) => i.key)
    const ignoring = new Set([...members, ...preparations])
    for (const key of members) {
      const member = this.byKey.get(key)
      if (member === undefined || member.kind !== 'delete') {
        return {result: 'skipped', blockedBy: [key], reason: `not run: ${key}, of the dependency cycle it breaks, is not a deletion of this plan, so its references are left as they are`}
      }

      const checked = await this.recheckBefore(member, ignoring)
      if (checked === undefined) return undefined
      if (!('outcome' in checked) || checked.outcome.result === 'gone') continue
      const {outcome} = checked
      return {
        result: 'skipped',
        blockedBy: [key],
        ...(outcome.protectedBy ? {protectedBy: outcome.protectedBy} : {}),
        reason: `not run: ${describe(member)}, of the dependency cycle it breaks, would not be deleted (${outcome.result}: ${outcome.reason}), so its references are left as they are`,
      }
    }

    return undefined
  }

  /** Whether the plan deletes what an ARN or id names, and has not given up on it (skipped, failed). */
  private stillGoing(arnOrId: string): boolean {
    const key = this.planned.get(arnOrId)
    if (key === undefined) return false
    const result = this.results.get(key)?.result
    return result === undefined || clearedOutcomes.has(result)
  }

  /** `skipped` when an item it waits for was not deleted or done (failed, skipped, interrupted): it still exists, or still holds it, so this one cannot go. */
  private blockers(item: PlanItem, ignoring?: ReadonlySet<string>): Outcome | undefined {
    const blocking = item.after.filter((key) => !ignoring?.has(key) && !clearedOutcomes.has(this.results.get(key)?.result ?? 'not-attempted'))
    if (blocking.length === 0) return undefined
    const named = blocking.map((key) => {
      const other = this.byKey.get(key)
      const outcome = this.results.get(key)?.result ?? 'not-attempted'
      return `${other ? `${other.kind === 'prepare' ? 'the preparation of ' : ''}${describe(other)}` : key} (${outcome})`
    })
    const preparations = blocking.filter((key) => this.byKey.get(key)?.kind === 'prepare').length
    const what = preparations === 0 ? 'deleted' : preparations === blocking.length ? 'done' : 'deleted or done'
    return {result: 'skipped', blockedBy: blocking, reason: `not run: it waits for ${named.join(', ')}, which ${blocking.length > 1 ? 'were' : 'was'} not ${what}`}
  }

  private contextOf(ref: Pick<ResourceRef, 'region'>): DeleteContext {
    return {
      accountId: this.plan.accountId,
      partition: this.options.caller.arn.split(':')[1] || 'aws',
      region: ref.region === 'global' ? this.options.homeRegion : ref.region,
      clients: this.options.clients,
      signal: this.signal,
    }
  }

  /** The deleter's re-read; a not-found error means gone. */
  private async read(deleter: Deleter, ctx: DeleteContext, item: PlanItem): Promise<{state: CurrentState | undefined} | {error: string}> {
    try {
      return {state: await deleter.current(ctx, item)}
    } catch (error) {
      const classified = classifyError(error)
      if (classified.kind === 'not_found') return {state: undefined}
      return {error: `${classified.code}: ${classified.message}`}
    }
  }

  /**
   * Why the resource just read is not the one the plan names: its unique id differs from the plan's, so it
   * was deleted and recreated under the same name since, and nobody reviewed its deletion. Undefined when
   * the ids match, or either side has none (a type without one; a read that could not tell).
   */
  private replacement(item: PlanItem, state: CurrentState): string | undefined {
    if (typeof item.uniqueId !== 'string' || state.uniqueId === undefined || state.uniqueId === item.uniqueId) return undefined
    const field = this.options.specOf(item.type)?.uniqueId ?? 'unique id'
    return `replaced since the plan was made: its ${field} is now ${state.uniqueId} (the plan's: ${item.uniqueId})`
  }

  /** What protects a resource now: the plan's rules and the extra ones, against what was just read. */
  private recheck(ref: Pick<ResourceRef, 'type' | 'id' | 'name'>, state: CurrentState | null, createdAt: string | null, rules = (r: ProtectionRules) => r): ProtectionReason[] {
    const subject = {type: ref.type, id: ref.id, name: state?.name ?? ref.name, createdAt}
    const tags = state?.tags ?? null
    const at = this.now()
    const reasons = recheckProtection(rules(this.plan.rules), subject, tags, at)
    // recheckProtection adds the management tags once; the extra rules add only their matches.
    if (this.options.extraRules) reasons.push(...matchRules(rules(this.options.extraRules), {...subject, tags}, at))
    // The rules file given again at execution repeats the plan's own rules: each reason once.
    return [...new Map(reasons.map((r) => [JSON.stringify(r), r])).values()]
  }

  /**
   * Whether the item is now something the caller's identity stands on (a group its user joined, a policy
   * attached to it since the plan was made): deleting it would change awsinv's own permissions mid-run.
   * Unreadable, it protects every item it may concern (fail closed).
   */
  private async identity(item: PlanItem): Promise<ProtectionReason[]> {
    if (item.kind !== 'delete' || !CALLER_LINK_TYPES.has(item.type)) return []
    this.callerLinks ??= (this.options.readCallerLinks ?? (() => readCallerLinks(this.options.clients, this.options.homeRegion, this.options.caller)))()
    const read = await this.callerLinks
    if ('error' in read) return [{kind: 'caller-identity', explanation: `what the caller's identity stands on could not be read (${read.error}), so it may be this`}]
    const explanation = read.links.get(item.arn)
    return explanation === undefined ? [] : [{kind: 'caller-identity', explanation}]
  }

  /** What always protects the item, as its state just read shows (none for an item the planner made). */
  private intrinsic(item: PlanItem, state: CurrentState): ProtectionReason[] {
    if (item.kind !== 'delete') return []
    // Tags are left out: recheckProtection has checked the management tags already. The ARN AWS answered
    // with is checked as well as the plan's (an IAM role's path is in it); a read without configuration
    // still has its ARN checked (IAM paths), and what only a further read shows comes from the deleter.
    const {type, id, name, region, accountId, createdAt} = item
    const arns = [...new Set([item.arn, ...(state.arn === undefined ? [] : [state.arn])])]
    const reasons = arns.flatMap((arn) =>
      intrinsicProtection({arn, type, id, name: state.name ?? name, region, accountId, createdAt, tags: {}, configuration: state.configuration ?? {}, source: 'api', relationships: []}, this.options.specOf),
    )
    reasons.push(...(state.alwaysProtected ?? []))
    return [...new Map(reasons.map((r) => [JSON.stringify(r), r])).values()]
  }

  /**
   * Re-reads what AWS deletes along with the item (an instance's DeleteOnTermination volumes): if one is
   * protected now, the item is skipped. A type awsinv cannot read counts as unreadable (tag rules protect
   * it). The age rule is not re-checked here: the planner checked it, and ages only grow.
   */
  private async recheckIncluded(item: PlanItem): Promise<Outcome | undefined> {
    const withoutAge = (r: ProtectionRules): ProtectionRules => ({...r, ageDaysMinimum: null})
    for (const included of item.includes) {
      const deleter = this.options.specOf(included.type)?.deleter
      let state: CurrentState | null = null
      if (deleter) {
        const read = await this.read(deleter, this.contextOf(included), includedItem(included))
        if (this.signal.aborted) return undefined
        if ('error' in read) return {result: 'failed', reason: `could not re-read ${describe(included)}, which AWS deletes with it: ${read.error}`}
        if (read.state === undefined) continue
        state = read.state
      }

      const reasons = this.recheck(included, state, null, withoutAge)
      if (reasons.length > 0) {
        return {
          result: 'skipped',
          protectedBy: reasons,
          blockedBy: [included.arn],
          reason: `deleting it would also delete ${describe(included)}, which is protected now: ${reasons.map((r) => r.explanation).join('; ')}`,
        }
      }
    }

    return undefined
  }
}

/** The keys of the delete items of the cycle a prepare item breaks (a plan file is checked for them; its own resource's item at least). */
function cycleOf(item: PlanItem): string[] {
  return item.cycle ?? (item.partOf === undefined ? [] : [item.partOf])
}

/** A resource that goes along with an item, as an item its own type's deleter can re-read. */
function includedItem(included: IncludedResource): PlanItem {
  const {explanation, ...ref} = included
  return {...ref, key: ref.arn, kind: 'delete', createdAt: null, tags: {}, why: {kind: 'created', explanation}, uniqueId: null, steps: [], after: [], includes: []}
}
