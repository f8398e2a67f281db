// `npm run demo`: the main job of awsinv on a local AWS emulator, no AWS account needed.
// Starts moto server, seeds a small sandbox account in two regions, takes a snapshot and prints its report.
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {emulatorEnv, ensureEmulatorInstalled, repoRoot, startEmulator} from '../test/support/emulator.js'
import {seedSandbox} from '../test/support/seed.js'

ensureEmulatorInstalled()
const emulator = await startEmulator()
try {
  process.stdout.write(`AWS emulator listening on ${emulator.url}; seeding a sandbox account in us-east-1 and eu-west-1…\n`)
  await seedSandbox(emulator.url, 'us-east-1', {prefix: 'demo', global: true})
  await seedSandbox(emulator.url, 'eu-west-1', {prefix: 'demo-eu', tags: {env: 'prod'}})
  const storage = mkdtempSync(join(tmpdir(), 'awsinv-demo-'))
  const args = ['snapshot', 'create', 'demo', '--regions', 'us-east-1,eu-west-1', '--storage-path', storage, '--endpoint-url', emulator.url]
  process.stdout.write(`\n$ awsinv ${args.join(' ')}\n`)
  const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {stdio: 'inherit', env: {...process.env, ...emulatorEnv}})
  const shown = spawnSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'snapshot', 'show', 'demo', '--json', '--storage-path', storage], {encoding: 'utf8'})
  if (shown.status === 0 && (JSON.parse(shown.stdout) as {snapshot: {status: string}}).snapshot.status === 'partial') {
    process.stdout.write(
      '\nThe emulator does not implement every AWS service (Access Analyzer, for one): what awsinv could not read is\n' +
        'recorded as a coverage gap, so the snapshot says "partial" instead of silently leaving those types out.\n',
    )
  }

  process.stdout.write(
    `\nThe snapshot is in ${storage}/inventory.db. Explore it (no emulator needed for these):\n` +
      `  node bin/run.js snapshot report demo --detailed --storage-path ${storage}\n` +
      `  node bin/run.js snapshot report demo --export demo.csv --storage-path ${storage}\n` +
      `  node bin/run.js security scan --severity high --storage-path ${storage}\n` +
      `  node bin/run.js query stats --group-by type --storage-path ${storage}\n`,
  )
  process.exitCode = run.status ?? 1
} finally {
  await emulator.stop()
}
