// `npm run bench:cleanup` — how close `awsinv cleanup execute` comes to its critical path.
//   tsx bench/cleanup.ts [--copies N] [--runs K] [--concurrency C]
// For each run, on a fresh emulator state: a baseline sandbox and its snapshot, then the end-to-end test's
// cleanup scenario (test/support/cleanup-scenario.ts: a VPC with its network, an instance with an Elastic
// IP, volumes and interfaces, mutually referencing security groups, IAM role, profile, policies, user and
// group, a versioned bucket with objects, a Lambda function, queues…) seeded N times. The plan is made
// (`cleanup preview --out`, untimed), then `cleanup execute --plan --confirm --yes --json` runs it as a
// whole process. Its execution's wall time (first item start to last item end) is compared with the
// critical path: the sum over waves of the slowest item of the wave, the least any executor running the
// waves in order could take (awsinv starts an item as soon as what it waits for is done, so it can take
// less). Prints the median figures of K runs and the ratio. Figures only: nothing is timed in a test. A
// run that leaves a seeded resource behind, or whose exit code is not 0, is a correctness failure and
// exits 1.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import type {CleanupResult} from '../src/cleanup/run-plan.js'
import {liveIds, seedCleanupScenario, seededWhere} from '../test/support/cleanup-scenario.js'
import {emulatorEnv, ensureEmulatorInstalled, repoRoot, startEmulator} from '../test/support/emulator.js'
import {median, timed} from './measure.js'

const {values} = parseArgs({options: {copies: {type: 'string', default: '10'}, runs: {type: 'string', default: '3'}, concurrency: {type: 'string'}}})
const copies = Number(values.copies)
const runs = Number(values.runs)
// Unset: the CLI's own default.
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency)
if (!Number.isInteger(copies) || copies < 1 || !Number.isInteger(runs) || runs < 1 || (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64))) {
  process.stderr.write('Usage: tsx bench/cleanup.ts [--copies N>=1] [--runs K>=1] [--concurrency 1..64]\n')
  process.exit(1)
}

const REGION = 'us-east-1'
const env = {...process.env, ...emulatorEnv}
const cli = join(repoRoot, 'bin', 'run.js')
const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from)

/** One run's figures, in seconds. */
interface RunFigures {
  process: number
  execution: number
  criticalPath: number
  items: number
  waves: number
  resources: number
}

/** The execution's wall time and its critical path, from the items' own start and end times. */
function figuresOf(result: CleanupResult): Omit<RunFigures, 'process' | 'resources'> {
  const execution = result.execution
  if (execution === null) throw new Error('the plan had nothing to delete')
  const timedItems = execution.items.filter((i) => i.startedAt !== null && i.finishedAt !== null)
  const first = Math.min(...timedItems.map((i) => Date.parse(i.startedAt!)))
  const last = Math.max(...timedItems.map((i) => Date.parse(i.finishedAt!)))
  const slowest = new Map<number, number>()
  for (const item of timedItems) slowest.set(item.wave, Math.max(slowest.get(item.wave) ?? 0, ms(item.startedAt!, item.finishedAt!)))
  const criticalPath = [...slowest.values()].reduce((sum, x) => sum + x, 0)
  if (process.env.BENCH_DEBUG) {
    for (const wave of new Set(timedItems.map((i) => i.wave))) {
      const its = timedItems.filter((i) => i.wave === wave)
      const start = Math.min(...its.map((i) => Date.parse(i.startedAt!)))
      const end = Math.max(...its.map((i) => Date.parse(i.finishedAt!)))
      const work = its.reduce((sum, i) => sum + ms(i.startedAt!, i.finishedAt!), 0)
      process.stderr.write(`  wave ${wave}: ${its.length} items, ${end - start} ms from first start to last end, slowest ${slowest.get(wave)} ms, item time summed ${work} ms\n`)
    }

    for (const item of [...timedItems].sort((a, b) => ms(b.startedAt!, b.finishedAt!) - ms(a.startedAt!, a.finishedAt!)).slice(0, 8)) {
      const steps = item.steps.map((s) => `${s.action}×${s.attempts}`).join(' ')
      process.stderr.write(`  wave ${item.wave} ${item.type} ${item.id}: ${ms(item.startedAt!, item.finishedAt!)} ms, ${item.result}, ${steps}\n`)
    }
  }

  return {execution: (last - first) / 1000, criticalPath: criticalPath / 1000, items: execution.items.length, waves: result.plan.waves.length}
}

async function runOnce(endpoint: string, reset: () => Promise<void>, run: number): Promise<RunFigures> {
  await reset()
  const storage = mkdtempSync(join(tmpdir(), 'awsinv-bench-cleanup-'))
  try {
    const common = ['--storage-path', storage, '--endpoint-url', endpoint]
    await seedCleanupScenario(endpoint, REGION, {prefix: 'base'})
    await timed(process.execPath, [cli, 'snapshot', 'create', 'base', '--regions', REGION, '--json', ...common], env)
    const seeded = await seedCleanupScenario(endpoint, REGION, {prefix: 'new', copies})
    const resources = Object.values(seeded).flat().length
    const planFile = join(storage, 'plan.json')
    await timed(process.execPath, [cli, 'cleanup', 'preview', 'base', '--out', planFile, '--no-save', '--json', ...common], env)

    const executed = await timed(process.execPath, [cli, 'cleanup', 'execute', '--plan', planFile, '--confirm', '--yes', '--json', ...(concurrency === undefined ? [] : ['--concurrency', String(concurrency)]), ...common], env)
    const result = JSON.parse(executed.stdout) as CleanupResult
    if (process.env.BENCH_DEBUG) writeFileSync(join(tmpdir(), 'awsinv-bench-cleanup-last.json'), executed.stdout)
    const left = seededWhere(seeded, await liveIds(endpoint, REGION), true)
    if (result.execution?.exitCode !== 0 || left.length > 0) {
      process.stderr.write(`run ${run + 1}: exit ${result.execution?.exitCode}, ${left.length} seeded resources left: ${left.slice(0, 10).join(', ')}\n`)
      process.exit(1)
    }

    return {process: executed.seconds, resources, ...figuresOf(result)}
  } finally {
    rmSync(storage, {recursive: true, force: true})
  }
}

ensureEmulatorInstalled()
const emulator = await startEmulator()
try {
  process.stdout.write(`Cleanup scenario ×${copies}, ${runs} run(s), ${concurrency === undefined ? 'default --concurrency' : `--concurrency ${concurrency}`}, emulator at ${emulator.url}…\n`)
  const figures: RunFigures[] = []
  for (let run = 0; run < runs; run++) {
    const f = await runOnce(emulator.url, () => emulator.reset(), run)
    process.stdout.write(`  run ${run + 1}: execution ${f.execution.toFixed(2)} s, critical path ${f.criticalPath.toFixed(2)} s, ratio ${(f.execution / f.criticalPath).toFixed(2)}x\n`)
    figures.push(f)
  }

  const med = (pick: (f: RunFigures) => number) => median(figures.map(pick))
  const fmt = (s: number) => `${s.toFixed(2)} s`
  const lines = [
    `cleanup execute: ${figures[0]!.resources} seeded resources as ${figures[0]!.items} plan items in ${figures[0]!.waves} waves, median of ${runs} runs`,
    `  execution wall time        ${fmt(med((f) => f.execution))}   (first item start to last item end)`,
    `  critical path              ${fmt(med((f) => f.criticalPath))}   (sum of the slowest item of each wave)`,
    `  ratio                      ${med((f) => f.execution / f.criticalPath).toFixed(2)}x   (target <= 1.5x)`,
    `  whole command              ${fmt(med((f) => f.process))}   (process: start, plan checks, execution, audit, output)`,
  ]
  process.stdout.write(`\n${lines.join('\n')}\n`)
} finally {
  await emulator.stop()
}
