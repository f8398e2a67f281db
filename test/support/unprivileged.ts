import {chmodSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * `command args` as a user that file modes apply to: root bypasses them, so as root it runs as `nobody` through
 * runuser (a missing runuser fails the test rather than skipping it); any other user is subject to them already.
 */
export function unprivileged(command: string, args: readonly string[]): {command: string; args: string[]} {
  if (process.getuid?.() !== 0) return {command, args: [...args]}
  return {command: 'runuser', args: ['-u', 'nobody', '--', command, ...args]}
}

/**
 * A temporary directory that an unprivileged user may enter and read (mode 0755), with `remove()` to delete it
 * once whatever was made read-only inside is writable again.
 */
export function sharedTempDir(prefix: string): {dir: string; remove(): void} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  return {
    dir,
    remove() {
      makeWritable(dir)
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755)
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) makeWritable(path)
    else if (entry.isFile()) chmodSync(path, statSync(path).mode | 0o200)
  }
}
