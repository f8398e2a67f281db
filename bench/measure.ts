// Timing helpers shared by the benchmark scripts: whole processes, wall time and peak RSS.
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {repoRoot} from '../test/support/emulator.js'

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const timeCommand = '/usr/bin/time'
// Without /usr/bin/time, a node child reports its own peak RSS as it exits (same unit: KiB, last stderr line).
const maxRssHook = join(repoRoot, 'bench', 'max-rss.mjs')

/**
 * Runs a command, returning wall seconds and peak RSS (KiB) as /usr/bin/time reports them (NaN for a
 * command other than node when /usr/bin/time is missing). Asynchronous, so that a proxy living in this
 * process keeps serving the command's requests.
 */
export async function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{seconds: number; rssKiB: number; stdout: string}> {
  const [file, argv] = existsSync(timeCommand)
    ? [timeCommand, ['-f', '%M', command, ...args]]
    : command === process.execPath
      ? [command, ['--import', maxRssHook, ...args]]
      : [command, args]
  const start = process.hrtime.bigint()
  const child = spawn(file, argv, {env, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const [code] = (await once(child, 'close')) as [number | null]
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${stderr}`)
  const rssKiB = Number(stderr.trim().split('\n').at(-1))
  return {seconds, rssKiB, stdout}
}
