import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {ensureEmulatorInstalled, repoRoot} from './emulator.js'

/**
 * Makes sure the emulator's Python environment exists (creating .venv with the pinned moto when it
 * is missing) and that the CLI is built. Integration tests are never skipped: if the emulator cannot
 * be installed the run fails here.
 */
export default function setup(): void {
  ensureEmulatorInstalled()
  if (!existsSync(join(repoRoot, 'dist', 'commands'))) {
    throw new Error('The CLI is not built: run "npm run build" (npm test does it first).')
  }
}
