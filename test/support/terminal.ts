import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {afterEach, beforeEach} from 'vitest'

import {emulatorEnv, repoRoot} from './emulator.js'

/** Gives the enclosing describe's tests a terminal `columns` wide (tables fit it), restored after each test. */
export function withTerminalWidth(columns: number): void {
  let before: number | undefined
  beforeEach(() => {
    before = process.stdout.columns
    process.stdout.columns = columns
  })
  afterEach(() => {
    process.stdout.columns = before as number
  })
}

/** A CLI run in a pseudo-terminal (test/support/pty_run.py): stdout and stderr are a terminal, as for a user. */
export interface TerminalRun {
  /** Types at the terminal: "\u0003" is a Ctrl-C, which the terminal turns into SIGINT. */
  type(keys: string): void
  /** Everything written to the terminal so far, escape sequences included. */
  output(): string
  /** The exit code (128+N when signal N ended the CLI) and the whole output. */
  done: Promise<{code: number | null; output: string}>
}

/**
 * Runs the built CLI in a terminal `columns` wide (with the Python of the emulator's virtual environment,
 * whose standard library drives the terminal). The environment is this process's, the emulator
 * credentials and `env`, without a developer's own awsinv settings.
 */
export function runInTerminal(args: string[], options: {env?: Record<string, string>; columns?: number; timeoutMs?: number} = {}): TerminalRun {
  const env: Record<string, string | undefined> = {...process.env, ...emulatorEnv, ...options.env}
  for (const key of ['AWS_PROFILE', 'AWSINV_PROFILE', 'AWSINV_REGIONS', 'AWSINV_REGION', 'AWSINV_INVENTORY']) {
    if (!options.env || !(key in options.env)) delete env[key]
  }

  const script = join(repoRoot, 'test', 'support', 'pty_run.py')
  const child = spawn(join(repoRoot, '.venv', 'bin', 'python'), [script, String(options.columns ?? 120), process.execPath, join(repoRoot, 'bin', 'run.js'), ...args], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stdin.on('error', () => {})
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const done = new Promise<{code: number | null; output: string}>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, output})
    })
  })
  return {type: (keys) => child.stdin.write(keys), output: () => output, done}
}
