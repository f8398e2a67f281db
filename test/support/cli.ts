import {type ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'
import {expect} from 'vitest'

import {emulatorEnv, repoRoot} from './emulator.js'
import {unprivileged} from './unprivileged.js'

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** Extra environment; the emulator credentials are always set. */
  env?: Record<string, string | undefined>
  /** Called with the child right after it starts (e.g. to send it a signal). */
  onSpawn?: (child: ChildProcess) => void
  timeoutMs?: number
  /** Working directory (default: this process's). */
  cwd?: string
  /** Text piped to stdin (default: none; stdin is an empty pipe). */
  stdin?: string
  /** Run as a user that file modes apply to (see unprivileged()), to test permissions. */
  unprivileged?: boolean
}

/** Runs the built CLI (`bin/run.js`) as a user would and collects its output. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {...process.env, ...emulatorEnv, ...options.env}
    // Never let a developer's own settings leak into a test run.
    for (const key of ['AWS_PROFILE', 'AWSINV_PROFILE', 'AWSINV_REGIONS', 'AWSINV_REGION', 'AWSINV_INVENTORY']) {
      if (!options.env || !(key in options.env)) delete env[key]
    }

    const cli = [join(repoRoot, 'bin', 'run.js'), ...args]
    const {command, args: argv} = options.unprivileged ? unprivileged(process.execPath, cli) : {command: process.execPath, args: cli}
    const child = spawn(command, argv, {env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stdout, stderr})
    })
    // A child that exits without reading its stdin must not fail the test with EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.stdin ?? '')
    options.onSpawn?.(child)
  })
}

/** Runs the CLI with `--json` and parses stdout; throws with the output when the exit code is not 0. */
export async function runCliJson<T>(args: string[], options: CliOptions = {}): Promise<T> {
  const result = await runCli([...args, '--json'], options)
  if (result.code !== 0) throw new Error(`awsinv ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

/** The refusal every bad input must produce: non-zero exit, one "Error: " line matching `message`, nothing on stdout. */
export function expectRefused(result: CliResult, message: RegExp, label = ''): void {
  const context = `${label}\nexit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
  expect(result.code, context).not.toBe(0)
  expect(result.code, context).not.toBeNull()
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '')
  expect(lines, context).toHaveLength(1)
  expect(lines[0], context).toMatch(/^Error: /)
  expect(lines[0], context).toMatch(message)
  expect(result.stderr, context).not.toMatch(/^\s+at /m)
  expect(result.stdout, context).toBe('')
}
