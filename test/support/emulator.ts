import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** The pinned emulator requirement, installed into .venv by test/support/global-setup.ts and .ci/run. */
export const emulatorRequirements = join(repoRoot, 'test', 'support', 'emulator-requirements.txt')
const venvPython = join(repoRoot, '.venv', 'bin', 'python')
/** moto's server application plus an endpoint that moves its clock (see the script's doc string). */
const motoClockScript = join(repoRoot, 'test', 'support', 'moto_clock.py')

/** Credentials and region the emulator accepts; also what the CLI under test runs with. */
export const emulatorEnv = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
}

export interface Emulator {
  url: string
  port: number
  /** Drops every resource (POST /moto-api/reset). */
  reset(): Promise<void>
  /**
   * Moves the emulator's clock by `offsetDays` from now (negative: the past), so what is created next
   * carries those dates; 0 puts it back. moto cannot backdate resources any other way.
   */
  setClock(offsetDays: number): Promise<void>
  stop(): Promise<void>
}

/** Creates .venv with the pinned requirements when they are missing. Throws when that is impossible. */
export function ensureEmulatorInstalled(): void {
  if (emulatorImports()) return
  const venv = join(repoRoot, '.venv')
  if (!existsSync(venvPython)) execFileSync('python3', ['-m', 'venv', venv], {stdio: 'inherit'})
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', emulatorRequirements], {stdio: 'inherit'})
}

/** Whether the virtual environment has what the emulator script imports. */
function emulatorImports(): boolean {
  if (!existsSync(venvPython)) return false
  try {
    execFileSync(venvPython, ['-c', 'import freezegun, moto.server'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

/** A free TCP port on localhost. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/** How to start the emulator. */
export interface EmulatorOptions {
  /** Load moto's default AMIs (slower; off by default). */
  loadAmis?: boolean
  /**
   * Extra environment for moto, e.g. `MOTO_IAM_LOAD_MANAGED_POLICIES: 'true'` so AWS managed policies
   * (`arn:aws:iam::aws:policy/…`) exist and can be attached.
   */
  env?: Record<string, string>
}

/** Starts moto server on a free port and waits until it answers. Throws when it cannot be started. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  if (!existsSync(venvPython)) throw new Error(`The AWS emulator is not installed (${venvPython} missing); run the test global setup or .ci/run.`)
  const port = await freePort()
  // moto logs every request: to a file, never a pipe, which would fill and stall the emulator whenever
  // the parent is busy (e.g. in spawnSync) and not draining it.
  const logPath = join(mkdtempSync(join(tmpdir(), 'awsinv-moto-')), 'moto.log')
  const log = openSync(logPath, 'w')
  const child: ChildProcess = spawn(venvPython, [motoClockScript, '-H', '127.0.0.1', '-p', String(port)], {
    env: {...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: options.loadAmis ? 'true' : 'false', ...options.env},
    stdio: ['ignore', log, log],
  })
  closeSync(log)
  const logTail = () => readFileSync(logPath, 'utf8').slice(-4000)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (true) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${logTail()}`)
    try {
      const response = await fetch(`${url}/moto-api/data.json`)
      if (response.ok) break
    } catch {
      // not listening yet
    }

    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`moto_server did not answer on ${url} within 60 s: ${logTail()}`)
    }

    await new Promise((r) => setTimeout(r, 150))
  }

  return {
    url,
    port,
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, {method: 'POST'})
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`)
    },
    async setClock(offsetDays) {
      const response = await fetch(`${url}/_clock`, {method: 'POST', body: JSON.stringify({offsetDays})})
      if (!response.ok) throw new Error(`moving the emulator's clock failed: ${response.status}`)
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}
