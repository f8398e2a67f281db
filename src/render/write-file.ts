import {accessSync, constants, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {UserError} from '../errors.js'

/** Why a file could not be written, in words (Node's messages name the temporary file instead). */
export function writeErrorReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': {
      return 'its directory does not exist'
    }

    case 'EACCES':
    case 'EPERM':
    case 'EROFS': {
      return 'permission denied'
    }

    case 'EISDIR': {
      return 'it is a directory'
    }

    case 'ENOTDIR': {
      return 'a part of its path is not a directory'
    }

    default: {
      return error.message
    }
  }
}

/** Removes what a failed write may have left; where there can be nothing (no such directory), there is nothing to do. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, {force: true})
  } catch {
    // ENOTDIR and the like: the temporary file was never created.
  }
}

/**
 * Writes `text` to `file` through a temporary file in the same directory, renamed over it once complete:
 * readers never see half a file, and a failure leaves no file behind (a one-line UserError instead).
 */
export function writeFileAtomically(file: string, text: string): string {
  const path = resolve(file)
  const temp = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(temp, text, {flag: 'wx'})
    renameSync(temp, path)
  } catch (error) {
    removeQuietly(temp)
    throw new UserError(`Cannot write ${path}: ${writeErrorReason(error as NodeJS.ErrnoException)}.`)
  }

  return path
}

/**
 * Refuses a file that could not be written, before any work: its directory missing, not a directory or not
 * writable, or the path a directory. In the words a failed write would use, so a long or billable run never
 * ends in that failure.
 */
export function checkWritable(file: string): void {
  const path = resolve(file)
  try {
    if (statSync(path, {throwIfNoEntry: false})?.isDirectory()) throw new UserError(`Cannot write ${path}: it is a directory.`)
    accessSync(dirname(path), constants.W_OK)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(`Cannot write ${path}: ${writeErrorReason(error as NodeJS.ErrnoException)}.`)
  }
}
