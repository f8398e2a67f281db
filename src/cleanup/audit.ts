import {chmodSync, closeSync, mkdirSync, openSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../errors.js'
import {finishCleanupRun, insertCleanupItem, insertCleanupRun} from '../store/cleanup-audit.js'
import type {Store} from '../store/database.js'
import {toolVersion} from '../version.js'
import type {AuditSink, ExecutionResult, ItemResult} from './execute.js'
import type {CallerIdentity, CleanupPlan} from './types.js'

/** The directory of the cleanup audit files, under the storage directory. */
export function auditLogDir(storageDir: string): string {
  return join(storageDir, 'audit-logs', 'cleanup')
}

/** One line of an audit file. */
export type AuditLine =
  | {event: 'run-started'; runId: string; time: string; toolVersion: string; caller: CallerIdentity; plan: CleanupPlan}
  | ({event: 'item'; runId: string} & ItemResult)
  | {event: 'run-finished'; runId: string; time: string} & Pick<ExecutionResult, 'status' | 'exitCode' | 'startedAt' | 'finishedAt' | 'summary'>

/**
 * The audit log of cleanup runs: rows in the store (`cleanup_runs`, `cleanup_items`) and, line by line,
 * `<storage>/audit-logs/cleanup/<run-id>.jsonl` — readable by its owner only, like the database. Every
 * item is written the moment it settles, so a run killed halfway still shows what it did.
 */
export class StoreAuditSink implements AuditSink {
  logFile: string | null = null
  private fd: number | undefined

  constructor(private readonly store: Store) {}

  runStarted(run: {runId: string; plan: CleanupPlan; caller: CallerIdentity; startedAt: string}): void {
    const dir = auditLogDir(this.store.dir)
    const file = join(dir, `${run.runId}.jsonl`)
    try {
      mkdirSync(dir, {recursive: true, mode: 0o700})
      // Created owner-only before anything is written to it.
      this.fd = openSync(file, 'a', 0o600)
      chmodSync(file, 0o600)
    } catch (error) {
      throw new UserError(`Cannot write the cleanup audit log ${file}: ${(error as Error).message}. Nothing was deleted.`)
    }

    const version = toolVersion()
    try {
      insertCleanupRun(this.store, {...run, logFile: file, toolVersion: version})
    } catch (error) {
      // Refused (another run is deleting) or not recorded: no run, so no log of one either.
      this.close()
      rmSync(file, {force: true})
      throw error
    }

    this.logFile = file
    this.append({event: 'run-started', runId: run.runId, time: run.startedAt, toolVersion: version, caller: run.caller, plan: run.plan})
  }

  itemFinished(runId: string, item: ItemResult): void {
    insertCleanupItem(this.store, runId, item)
    this.append({event: 'item', runId, ...item})
  }

  runFinished(result: ExecutionResult): void {
    finishCleanupRun(this.store, result)
    const {runId, status, exitCode, startedAt, finishedAt, summary} = result
    this.append({event: 'run-finished', runId, time: finishedAt, status, exitCode, startedAt, finishedAt, summary})
    this.close()
  }

  /** Closes the file (also when the run ended by an error). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private append(line: AuditLine): void {
    if (this.fd === undefined) throw new Error('the audit log is not open')
    writeSync(this.fd, `${JSON.stringify(line)}\n`)
  }
}
