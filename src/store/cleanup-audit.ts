import {and, asc, eq, sql} from 'drizzle-orm'
import {hostname} from 'node:os'

import type {ExecutionResult, ItemResult} from '../cleanup/execute.js'
import type {CallerIdentity, CleanupPlan} from '../cleanup/types.js'
import {UserError} from '../errors.js'
import type {Store} from './database.js'
import {currentOwner, isAbandoned} from './owner.js'
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

/**
 * Records a run in `running` state. Refuses (UserError) while another run of this host is deleting in the
 * same account: two runs at once would race each other's deletions. Checked and recorded in one IMMEDIATE
 * transaction, so of two runs starting together exactly one starts. Runs of other hosts (a shared storage
 * directory) cannot be judged from here and do not block.
 */
export function insertCleanupRun(store: Store, run: NewCleanupRun): void {
  const start = store.sqlite.transaction(() => {
    const other = store.db
      .select({id: cleanupRuns.id, planId: cleanupRuns.planId, pid: cleanupRuns.pid, host: cleanupRuns.host})
      .from(cleanupRuns)
      .where(and(eq(cleanupRuns.status, 'running'), eq(cleanupRuns.accountId, run.plan.accountId), eq(cleanupRuns.host, hostname())))
      .all()
      .find((r) => !isAbandoned(r))
    if (other) {
      throw new UserError(
        `Another cleanup run is deleting in account ${run.plan.accountId} now (${other.id} of plan ${other.planId}, process ${other.pid}): wait for it to end, then run again. Nothing was deleted.`,
      )
    }

    insertRunRow(store, run)
  })
  start.immediate()
}

function insertRunRow(store: Store, run: NewCleanupRun): void {
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
      ...currentOwner(),
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
      prepared: summary.prepared,
      scheduled: summary.scheduled,
      gone: summary.gone,
      skipped: summary.skipped,
      failed: summary.failed,
      interrupted: summary.interrupted,
      notAttempted: summary.notAttempted,
      pid: null,
    })
    .where(eq(cleanupRuns.id, result.runId))
    .run()
}

/**
 * Marks `running` runs whose process on this host is gone (killed) as `interrupted`, counting what their
 * recorded items did; the plan items never recorded count as not attempted. Returns how many it marked.
 */
export function reapAbandonedCleanupRuns(store: Store, now = new Date()): number {
  const running = store.db
    .select({id: cleanupRuns.id, pid: cleanupRuns.pid, host: cleanupRuns.host, plan: cleanupRuns.plan})
    .from(cleanupRuns)
    .where(eq(cleanupRuns.status, 'running'))
    .all()
  let reaped = 0
  for (const run of running.filter((r) => isAbandoned(r))) {
    const planned = (JSON.parse(run.plan) as CleanupPlan).waves.reduce((n, w) => n + w.items.length, 0)
    const counts = new Map(
      store.db
        .select({result: cleanupItems.result, n: sql<number>`count(*)`})
        .from(cleanupItems)
        .where(eq(cleanupItems.runId, run.id))
        .groupBy(cleanupItems.result)
        .all()
        .map((r) => [r.result, r.n]),
    )
    const recorded = [...counts.values()].reduce((n, c) => n + c, 0)
    store.db
      .update(cleanupRuns)
      .set({
        status: 'interrupted',
        finishedAt: now.toISOString(),
        items: planned,
        deleted: counts.get('deleted') ?? 0,
        prepared: counts.get('prepared') ?? 0,
        scheduled: counts.get('scheduled') ?? 0,
        gone: counts.get('gone') ?? 0,
        skipped: counts.get('skipped') ?? 0,
        failed: counts.get('failed') ?? 0,
        interrupted: counts.get('interrupted') ?? 0,
        notAttempted: (counts.get('not-attempted') ?? 0) + Math.max(0, planned - recorded),
        pid: null,
      })
      .where(eq(cleanupRuns.id, run.id))
      .run()
    reaped++
  }

  return reaped
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
