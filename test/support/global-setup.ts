import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {MOTO_REQUIREMENT, motoServerBin, repoRoot} from './emulator.js'

/**
 * Makes sure the emulator's Python environment exists (creating .venv with the pinned moto when it
 * is missing) and that the CLI is built. Integration tests are never skipped: if the emulator cannot
 * be installed the run fails here.
 */
export default function setup(): void {
  if (!existsSync(motoServerBin)) {
    const venv = join(repoRoot, '.venv')
    execFileSync('python3', ['-m', 'venv', venv], {stdio: 'inherit'})
    execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', MOTO_REQUIREMENT], {stdio: 'inherit'})
  }

  if (!existsSync(join(repoRoot, 'dist', 'commands'))) {
    throw new Error('The CLI is not built: run "npm run build" (npm test does it first).')
  }
}
