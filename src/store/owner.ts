import {hostname} from 'node:os'

/**
 * Which process owns a `running` row (a snapshot being collected, a cleanup run): its pid and host, so that
 * the row of a process that was killed can be told from one still at work.
 */
export interface RowOwner {
  pid: number
  host: string
}

/** The current process, as the owner of a row it starts. */
export function currentOwner(): RowOwner {
  return {pid: process.pid, host: hostname()}
}

/**
 * Whether a `running` row's process is certainly gone: on this host, with no such process. A row of another
 * host (a shared storage directory) cannot be judged from here, and is never called abandoned.
 */
export function isAbandoned(owner: {pid: number | null; host: string | null}): boolean {
  if (owner.host !== hostname()) return false
  if (owner.pid === null) return true
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code !== 'EPERM'
  }
}
