import type {AwsSession} from '../aws/session.js'
import {specOf} from '../resources/registry.js'
import type {Store} from '../store/database.js'
import {StoreAuditSink} from './audit.js'
import {type Confirmation, type PromptIo, accountAlias, promptForAccount} from './confirm.js'
import {type ExecutionProgress, type ExecutionResult, executePlan} from './execute.js'
import {checkPlanAge, checkPlanExecutable, readPlanFile} from './plan-file.js'
import type {CleanupPlan, ProtectionRules} from './types.js'

/** What `cleanup preview`, `cleanup execute` and `cleanup purge` return (`--json`, `--format json`). */
export interface CleanupResult {
  /** The plan shown (made now, or read from `--plan`). */
  plan: CleanupPlan
  /** The snapshot of the current state the plan was made from, when it was made now and stored. */
  saved: string | null
  /** The plan file written (`--out`) or read (`--plan`), as an absolute path. */
  planFile: string | null
  /** The run, or null when nothing was executed (a preview, or a plan with nothing to delete). */
  execution: ExecutionResult | null
}

export interface RunPlanOptions {
  confirmation: Confirmation
  /** Items of a wave deleted at once. */
  concurrency: number
  signal: AbortSignal
  /** Rules given at execution, re-checked with the plan's. */
  extraRules?: ProtectionRules
  onProgress?: (event: ExecutionProgress) => void
  /**
   * `--max-plan-age` of a saved plan: checked again right before the run, once the prompt is answered
   * (a plan left at the prompt keeps aging).
   */
  maxAgeMs?: number
  /** The clock (tests). */
  now?: () => Date
  /** Where the prompt reads and writes (tests; default the terminal). */
  promptIo?: PromptIo
}

/**
 * Confirms (the prompt, unless `--yes`) and executes a plan, recording it in the audit log; a saved plan
 * (`maxAgeMs`) is refused if it grew too old meanwhile. Null when the plan has nothing to do: no prompt, no run.
 */
export async function confirmAndExecute(store: Store, session: AwsSession, plan: CleanupPlan, options: RunPlanOptions): Promise<ExecutionResult | null> {
  if (plan.waves.length === 0) return null
  if (options.confirmation === 'prompt') await promptForAccount(plan, await accountAlias(session.clients), options.promptIo, options.signal)
  if (options.maxAgeMs !== undefined) {
    checkPlanAge(plan, (options.now ?? (() => new Date()))(), options.maxAgeMs, options.confirmation === 'prompt' ? 'while the confirmation prompt waited' : undefined)
  }

  const audit = new StoreAuditSink(store)
  try {
    return await executePlan(plan, {
      specOf,
      clients: session.clients,
      caller: {arn: session.identity.arn, accountId: session.identity.accountId},
      homeRegion: session.homeRegion,
      concurrency: options.concurrency,
      signal: options.signal,
      ...(options.extraRules ? {extraRules: options.extraRules} : {}),
      audit,
      ...(options.onProgress ? {onProgress: options.onProgress} : {}),
    })
  } finally {
    audit.close()
  }
}

/** A saved plan, checked for execution now by these credentials: whole, unedited, this account's, recent enough, allowed, and not deleting them. */
export function loadPlanForExecution(file: string, session: AwsSession, options: {maxAgeMs: number; extraRules?: ProtectionRules; now?: Date}): CleanupPlan {
  const plan = readPlanFile(file)
  checkPlanExecutable(plan, {caller: {arn: session.identity.arn, accountId: session.identity.accountId}, now: options.now ?? new Date(), maxAgeMs: options.maxAgeMs, extraRules: options.extraRules, specOf})
  return plan
}
