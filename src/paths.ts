import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * A path with a leading `~` (alone or before a slash) as a path in the home directory, as a shell would give it.
 * The shell leaves `--export=~/x` and a quoted `"~/x"` alone, and a literal `~` directory is never what was meant.
 */
export function expandHome(path: string): string {
  if (path === '~') return homedir()
  return /^~[/\\]/.test(path) ? join(homedir(), path.slice(2)) : path
}
