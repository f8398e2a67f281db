import {classifyError} from '../aws/errors.js'
import {counted} from '../words.js'
import type {Deleter, DeleteContext, DeleteStep, JsonValue, PlanItem, ScheduledDeletion, StepOutcome} from './types.js'

/** What happened to one step of an item. */
export interface StepRecord {
  action: string
  description: string
  /** The step's parameters as planned: what it acted on. */
  params: Record<string, JsonValue>
  /** `done`/`gone` as the deleter answered; `failed` when the step could not be completed; `interrupted` when the run stopped during it. */
  status: 'done' | 'gone' | 'failed' | 'interrupted'
  /** Calls of `Deleter.run` for this step, retries and progress checks included. */
  attempts: number
  /** AWS request ids of every call the step made, for the audit log. */
  requestIds: string[]
  /** The deleter's last word on the step ("terminating", "scheduled for deletion on …"). */
  detail?: string
  /** Why the step failed: one line naming what blocked it. */
  error?: string
  /** Set when the deleter answered that AWS only scheduled the deletion (see `ScheduledDeletion`). */
  scheduled?: ScheduledDeletion
  startedAt: string
  finishedAt: string
}

/** The outcome of running every step of one plan item. */
export interface ItemRunResult {
  /** `deleted`: every step done; `gone`: it no longer existed; `failed`: a step failed (later steps not run). */
  status: 'deleted' | 'gone' | 'failed'
  steps: StepRecord[]
  /** For `failed`: the failing step's error. */
  error?: string
  /** For `failed` on a hold: the ARNs or ids the deleter named as blocking. */
  blockedBy?: string[]
}

export interface ItemRunOptions {
  signal: AbortSignal
  /** Retries of a throttled, dependency-blocked or held step before it fails (default 8). */
  maxRetries?: number
  /** First backoff delay; doubled per retry up to 30 s, with jitter (default 1 s). */
  baseDelayMs?: number
  /** How long `wait` answers may go on when the deleter sets no `waitTimeoutMs` (default 10 min). */
  defaultWaitTimeoutMs?: number
  /**
   * Pause between progress checks when the deleter gives no `retryAfterMs` (default 5 s). The first checks
   * come sooner (1 s, 2 s, 4 s…), so that what completes quickly is not waited on for the full pause.
   */
  defaultPollMs?: number
  /**
   * Whether the plan deletes what an ARN or id names (the executor's plan). A hold blocked only by what the
   * plan leaves alone (a secret's replica in a region not selected) never clears: it fails at once.
   */
  inPlan?: (arnOrId: string) => boolean
  /** Runs each pause (a wait for AWS, a backoff); the executor gives its concurrency slot up meanwhile. */
  whilePausing?: <T>(pause: () => Promise<T>) => Promise<T>
  /** Injected for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Injected for tests: the clock that wait timeouts are measured with. */
  now?: () => number
}

/** Thrown when the run is interrupted between calls. */
export class RunInterrupted extends Error {
  constructor(
    /** What the item's steps had done when it stopped: finished steps, then the one it stopped in (`interrupted`), if it had started. */
    readonly steps: StepRecord[] = [],
  ) {
    super('interrupted')
    this.name = 'RunInterrupted'
  }
}

/**
 * Runs an item's steps in order through its type's deleter, exactly as planned: `wait` answers are polled
 * until done or the wait timeout, throttling, dependency errors and `hold` answers are retried with
 * exponential backoff, a step whose target is gone (answer `gone`, or a not-found error) counts as
 * complete. Any other error fails the item, and its remaining steps are not run.
 */
export async function runItemSteps(deleter: Deleter, ctx: DeleteContext, item: PlanItem, options: ItemRunOptions): Promise<ItemRunResult> {
  // Nothing done is nothing deleted (plan files are checked for this; a failure, never a silent success).
  if (item.steps.length === 0) return {status: 'failed', steps: [], error: `${item.type} ${item.id} has no steps to run`}
  const records: StepRecord[] = []
  for (const step of item.steps) {
    let record: Awaited<ReturnType<typeof runStep>>
    try {
      record = await runStep(deleter, ctx, item, step, options)
    } catch (error) {
      if (error instanceof RunInterrupted) throw new RunInterrupted([...records, ...error.steps])
      throw error
    }

    records.push(record.record)
    if (record.record.status === 'failed') return {status: 'failed', steps: records, error: record.record.error, ...(record.blockedBy ? {blockedBy: record.blockedBy} : {})}
  }

  return {status: records.length > 0 && records.every((r) => r.status === 'gone') ? 'gone' : 'deleted', steps: records}
}

async function runStep(
  deleter: Deleter,
  ctx: DeleteContext,
  item: PlanItem,
  step: DeleteStep,
  options: ItemRunOptions,
): Promise<{record: StepRecord; blockedBy?: string[]}> {
  const sleep = options.sleep ?? sleepFor
  const now = options.now ?? Date.now
  const maxRetries = options.maxRetries ?? 8
  const waitTimeoutMs = deleter.waitTimeoutMs ?? options.defaultWaitTimeoutMs ?? 600_000
  const startedAt = new Date(now()).toISOString()
  const requestIds: string[] = []
  let attempts = 0
  let retries = 0
  let waitingSince: number | undefined
  let polls = 0
  const finish = (status: StepRecord['status'], extra: Partial<StepRecord> = {}): StepRecord => ({
    action: step.action,
    description: step.description,
    params: step.params,
    status,
    attempts,
    requestIds,
    ...extra,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
  })

  // Interrupted before its first call, the step never started: nothing to record of it.
  const interrupted = () => new RunInterrupted(attempts === 0 ? [] : [finish('interrupted', {error: 'the run was interrupted during this step'})])
  const whilePausing = options.whilePausing ?? (<T>(work: () => Promise<T>) => work())
  const pause = (ms: number) => whilePausing(() => sleep(ms, ctx.signal)).catch((error: unknown) => Promise.reject(error instanceof RunInterrupted ? interrupted() : error))
  while (true) {
    if (ctx.signal.aborted) throw interrupted()
    attempts++
    let outcome: StepOutcome
    try {
      outcome = await deleter.run(ctx, item, step)
    } catch (error) {
      const requestId = (error as {$metadata?: {requestId?: string}}).$metadata?.requestId
      if (requestId) requestIds.push(requestId)
      const classified = classifyError(error)
      if (classified.kind === 'not_found') return {record: finish('gone', {detail: `${classified.code}: ${classified.message}`})}
      if ((classified.kind === 'throttled' || classified.kind === 'dependency') && retries < maxRetries) {
        await pause(backoff(options.baseDelayMs ?? 1000, retries++))
        continue
      }

      const retried = retries > 0 ? ` (after ${counted(retries, 'retry', 'retries')})` : ''
      return {record: finish('failed', {error: `${step.action} failed${retried}: ${classified.code}: ${classified.message}`})}
    }

    requestIds.push(...(outcome.requestIds ?? []))
    switch (outcome.status) {
      case 'done':
      case 'gone': {
        const scheduled = outcome.status === 'done' && outcome.scheduled ? {scheduled: outcome.scheduled} : {}
        return {record: finish(outcome.status, {...(outcome.detail === undefined ? {} : {detail: outcome.detail}), ...scheduled})}
      }

      case 'wait': {
        waitingSince ??= now()
        if (now() - waitingSince > waitTimeoutMs) {
          return {record: finish('failed', {detail: outcome.detail, error: `${step.action} did not complete within ${Math.round(waitTimeoutMs / 1000)} s: ${outcome.detail}`})}
        }

        await pause(outcome.retryAfterMs ?? Math.min(options.defaultPollMs ?? 5000, 1000 * 2 ** polls++))
        continue
      }

      case 'hold': {
        const blockers = outcome.blockedBy ?? []
        if (blockers.length > 0 && options.inPlan !== undefined && !blockers.some((b) => options.inPlan!(b))) {
          return {
            record: finish('failed', {detail: outcome.detail, error: `${step.action} blocked by ${blockers.join(', ')}, which this run does not delete: ${outcome.detail}`}),
            blockedBy: blockers,
          }
        }

        if (retries >= maxRetries) {
          const blocked = outcome.blockedBy?.length ? ` by ${outcome.blockedBy.join(', ')}` : ''
          return {
            record: finish('failed', {detail: outcome.detail, error: `${step.action} blocked${blocked} after ${retries} retries: ${outcome.detail}`}),
            ...(outcome.blockedBy ? {blockedBy: outcome.blockedBy} : {}),
          }
        }

        await pause(backoff(options.baseDelayMs ?? 1000, retries++))
      }
    }
  }
}

/** Exponential backoff with full jitter in its upper half: base × 2^retry, at most 30 s. */
function backoff(baseMs: number, retry: number): number {
  const ceiling = Math.min(30_000, baseMs * 2 ** retry)
  return ceiling / 2 + Math.random() * (ceiling / 2)
}

/** Sleeps, waking early (and throwing RunInterrupted) when the signal aborts. */
export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new RunInterrupted())
      return
    }

    const onAbort = () => {
      clearTimeout(timer)
      reject(new RunInterrupted())
    }

    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, {once: true})
  })
}
