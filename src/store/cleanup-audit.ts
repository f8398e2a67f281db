import {asc, eq} from 'drizzle-orm'

import type {ExecutionResult, ItemResult} from '../cleanup/execute.js'
import type {CallerIdentity, CleanupPlan} from '../cleanup/types.js'
import type {Store} from './database.js'
import {type CleanupRunStatus, cleanupItems, cleanupRuns} from './schema.js'

/** A run as it starts: what is known before any item runs. */
export interface NewCleanupRun {
  runId: string
  plan: CleanupPlan
  caller: CallerIdentity
  startedAt: string
  logFile: string | null
  toolVersion: string
}

/** A stored run, as `cleanup_runs` holds it (the plan parsed). */
export type CleanupRunRow = Omit<typeof cleanupRuns.$inferSelect, 'plan'> & {plan: CleanupPlan}

/** A stored item, as `cleanup_items` holds it (JSON columns parsed). */
export type CleanupItemRow = Omit<typeof cleanupItems.$inferSelect, 'blockedBy' | 'protectedBy' | 'includes' | 'beforeState' | 'steps'> &
  Pick<ItemResult, 'includes' | 'steps'> & {blockedBy: string[] | null; protectedBy: ItemResult['protectedBy'] | null; beforeState: ItemResult['before']}

/** Records a run in `running` state. */
export function insertCleanupRun(store: Store, run: NewCleanupRun): void {
  store.db
    .insert(cleanupRuns)
    .values({
      id: run.runId,
      planId: run.plan.id,
      planHash: run.plan.hash,
      mode: run.plan.mode,
      accountId: run.plan.accountId,
      callerArn: run.caller.arn,
      baselineSnapshot: run.plan.baseline?.name ?? null,
      currentSnapshot: run.plan.current.name,
      planCreatedAt: run.plan.createdAt,
      plan: JSON.stringify(run.plan),
      status: 'running',
      startedAt: run.startedAt,
      logFile: run.logFile,
      toolVersion: run.toolVersion,
    })
    .run()
}

/** Records one settled item of a run. */
export function insertCleanupItem(store: Store, runId: string, item: ItemResult): void {
  store.db
    .insert(cleanupItems)
    .values({
      runId,
      itemKey: item.key,
      kind: item.kind,
      wave: item.wave,
      arn: item.arn,
      type: item.type,
      region: item.region,
      accountId: item.accountId,
      resourceId: item.id,
      name: item.name,
      result: item.result,
      reason: item.reason,
      blockedBy: item.blockedBy ? JSON.stringify(item.blockedBy) : null,
      protectedBy: item.protectedBy ? JSON.stringify(item.protectedBy) : null,
      includes: JSON.stringify(item.includes),
      beforeState: item.before ? JSON.stringify(item.before) : null,
      steps: JSON.stringify(item.steps),
      startedAt: item.startedAt,
      finishedAt: item.finishedAt,
    })
    .run()
}

/** Seals a run with its status and counts. */
export function finishCleanupRun(store: Store, result: ExecutionResult): void {
  const {summary} = result
  store.db
    .update(cleanupRuns)
    .set({
      status: result.status satisfies CleanupRunStatus,
      finishedAt: result.finishedAt,
      items: summary.items,
      deleted: summary.deleted,
      scheduled: summary.scheduled,
      gone: summary.gone,
      skipped: summary.skipped,
      failed: summary.failed,
      interrupted: summary.interrupted,
      notAttempted: summary.notAttempted,
    })
    .where(eq(cleanupRuns.id, result.runId))
    .run()
}

/** A stored run, or undefined. */
export function findCleanupRun(store: Store, runId: string): CleanupRunRow | undefined {
  const row = store.db.select().from(cleanupRuns).where(eq(cleanupRuns.id, runId)).get()
  return row && {...row, plan: JSON.parse(row.plan) as CleanupPlan}
}

/** The items of a run in the order they settled. */
export function cleanupRunItems(store: Store, runId: string): CleanupItemRow[] {
  const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))
  return store.db
    .select()
    .from(cleanupItems)
    .where(eq(cleanupItems.runId, runId))
    .orderBy(asc(cleanupItems.id))
    .all()
    .map((row) => ({
      ...row,
      blockedBy: parse<string[]>(row.blockedBy),
      protectedBy: parse<NonNullable<ItemResult['protectedBy']>>(row.protectedBy),
      includes: parse<string[]>(row.includes) ?? [],
      beforeState: parse<NonNullable<ItemResult['before']>>(row.beforeState),
      steps: parse<ItemResult['steps']>(row.steps) ?? [],
    }))
}
