import {type Stats, accessSync, chmodSync, constants, existsSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {UserError} from '../errors.js'

/** Why a file could not be written, in words (Node's messages name the temporary file instead). */
export function writeErrorReason(error: NodeJS.ErrnoException, path?: string): string {
  switch (error.code) {
    case 'ENOENT': {
      // A directory that exists but takes no new files (/proc) answers ENOENT too.
      return path !== undefined && existsSync(dirname(path)) ? 'files cannot be created in its directory' : 'its directory does not exist'
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

/** The one-line error for output that could not be written to `path` (named `named` by the user). */
export function cannotWrite(named: string, error: unknown, path = named): UserError {
  return new UserError(`Cannot write ${named}: ${writeErrorReason(error as NodeJS.ErrnoException, path)}.`)
}

/**
 * Refuses, before any work, an `--export` file whose extension names none of `extensions` (`json`, `csv`…),
 * or that could not be written (see `checkWritable`).
 */
export function checkExportFile(file: string, extensions: readonly string[]): void {
  if (!extensions.some((extension) => file.toLowerCase().endsWith(`.${extension}`))) {
    const names = extensions.map((extension) => `.${extension}`)
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
    throw new UserError(`--export needs a ${list} file name, got "${file}".`)
  }

  checkWritable(file)
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
 * Where output named `file` really goes: through a symbolic link to its target (the link stays a link),
 * and `direct` for what is no regular file (`/dev/stdout`, a named pipe), which is written to as it is:
 * renaming a file over it would replace the device.
 */
export function outputTarget(file: string): {path: string; direct: boolean} {
  let path = resolve(file)
  try {
    path = realpathSync(path)
  } catch {
    // Not there yet (or a dangling link): written where named.
  }

  try {
    const stat = statSync(path, {throwIfNoEntry: false})
    return {path, direct: stat !== undefined && !stat.isFile() && !stat.isDirectory()}
  } catch {
    // A part of the path is no directory: the write says so.
    return {path, direct: false}
  }
}

/**
 * An existing file the caller may not write is refused as writing to it in place would be (a rename
 * would replace it regardless), and so is a write-protected one (no write permission for anyone), which
 * root could otherwise write.
 */
function checkReplaceable(named: string, path: string, existing: Stats | undefined): void {
  if (!existing?.isFile()) return
  if ((existing.mode & 0o222) === 0) throw new UserError(`Cannot write ${named}: it is write-protected (chmod u+w to replace it).`)
  accessSync(path, constants.W_OK)
  // In a sticky directory (/tmp) only the owner of the file or of the directory may rename over the file.
  const uid = process.getuid?.()
  const directory = statSync(dirname(path))
  if (uid !== undefined && uid !== 0 && (directory.mode & 0o1000) !== 0 && existing.uid !== uid && directory.uid !== uid) {
    throw new UserError(`Cannot write ${named}: permission denied (a file of another user, in a directory where only its owner may replace it).`)
  }
}

/** The mode temporary files are written with: nobody else reads what may replace a private file. */
export const TEMP_FILE_MODE = 0o600

/**
 * Puts the complete temporary file `temp` (written with TEMP_FILE_MODE) in place of the file at `path`
 * (`named` by the user), with the permissions of the file it replaces, or those of a new file.
 */
export function renameOver(named: string, temp: string, path: string): void {
  const existing = statSync(path, {throwIfNoEntry: false})
  checkReplaceable(named, path, existing)
  chmodSync(temp, existing?.isFile() ? existing.mode & 0o7777 : 0o666 & ~process.umask())
  renameSync(temp, path)
}

/**
 * Writes `text` to `file` through a temporary file in the same directory, renamed over it once complete:
 * readers never see half a file, and a failure leaves no file behind (a one-line UserError instead). A
 * file replaced keeps its permissions. A device or pipe is written to directly. Returns the path as named.
 */
export function writeFileAtomically(file: string, text: string): string {
  const named = resolve(file)
  const {path, direct} = outputTarget(file)
  const temp = `${path}.${process.pid}.tmp`
  try {
    if (direct) writeFileSync(path, text)
    else {
      writeFileSync(temp, text, {flag: 'wx', mode: TEMP_FILE_MODE})
      renameOver(named, temp, path)
    }
  } catch (error) {
    if (!direct) removeQuietly(temp)
    if (error instanceof UserError) throw error
    throw cannotWrite(named, error, path)
  }

  return named
}

/**
 * Refuses a file that could not be written, before any work: its directory missing, not a directory or not
 * writable, or the path a directory. In the words a failed write would use, so a long or billable run never
 * ends in that failure.
 */
export function checkWritable(file: string): void {
  const named = resolve(file)
  const {path, direct} = outputTarget(file)
  // A file is made and removed where the output would go: permission bits say nothing to root, and some
  // directories (/proc) refuse new files whoever asks. A device or pipe is asked (opening a pipe would wait).
  const probe = `${path}.${process.pid}.probe`
  try {
    const existing = statSync(path, {throwIfNoEntry: false})
    if (existing?.isDirectory()) throw new UserError(`Cannot write ${named}: it is a directory.`)
    checkReplaceable(named, path, existing)
    if (direct) accessSync(path, constants.W_OK)
    else writeFileSync(probe, '', {flag: 'wx'})
  } catch (error) {
    if (error instanceof UserError) throw error
    throw cannotWrite(named, error, path)
  }

  if (!direct) removeQuietly(probe)
}
