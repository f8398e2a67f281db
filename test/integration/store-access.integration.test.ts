import {chmodSync, existsSync, mkdirSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DATABASE_FILE} from '../../src/store/database.js'
import {expectRefused, runCli} from '../support/cli.js'
import {sharedTempDir, unprivileged} from '../support/unprivileged.js'

/**
 * Where the database can and cannot be: the built CLI on real SQLite files without AWS. Permissions are tested as a
 * user they apply to (see unprivileged()).
 */

let temp: ReturnType<typeof sharedTempDir>
const at = (dir: string) => ['--storage-path', dir]

beforeAll(() => {
  temp = sharedTempDir('awsinv-store-access-')
})

afterAll(() => temp?.remove())

describe('security scan', () => {
  it('refuses bad flags before it looks for the database', async () => {
    const missing = join(temp.dir, 'scan-missing')
    const results = await Promise.all([
      runCli(['security', 'scan', '--check', 'nope', ...at(missing)]),
      runCli(['security', 'scan', '--check', ' , ', ...at(missing)]),
      runCli(['security', 'scan', '--fail-on', 'bogus', ...at(missing)]),
      runCli(['security', 'scan', '--severity', 'severe', ...at(missing)]),
    ])
    expectRefused(results[0]!, /^Error: Unknown check "nope"\. Run "awsinv security checks" to see the check ids\.$/)
    expectRefused(results[1]!, /^Error: --check needs a check id\./)
    expectRefused(results[2]!, /^Error: Unknown severity "bogus" for --fail-on: use info, low, medium, high, critical\.$/)
    expectRefused(results[3]!, /^Error: Unknown severity "severe" for --severity/)
    expect(existsSync(missing)).toBe(false)
  })
})

describe('commands that write', () => {
  it('say in one line that they cannot create the database in a directory they cannot write', async () => {
    const locked = join(temp.dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    const result = await runCli(['inventory', 'create', 'team', ...at(locked)], {unprivileged: true})
    expectRefused(result, /^Error: Cannot open .*\/locked\/inventory\.db for writing\. Check its permissions or use another --storage-path\.$/)
    expect(readdirSync(locked)).toEqual([])
  })
})

describe('a database path that is a directory', () => {
  it('is refused as one, and left alone', async () => {
    const dir = join(temp.dir, 'dir-as-file')
    mkdirSync(join(dir, DATABASE_FILE), {recursive: true})
    const results = await Promise.all([runCli(['snapshot', 'list', ...at(dir)]), runCli(['inventory', 'create', 'team', ...at(dir)])])
    for (const result of results) {
      expectRefused(result, /^Error: .*\/dir-as-file\/inventory\.db is a directory, not an awsinv database\. Move it away or use another --storage-path\.$/)
    }

    expect(readdirSync(join(dir, DATABASE_FILE))).toEqual([])
  })
})

describe('unprivileged()', () => {
  it('really runs without the permission bypass of root, or these tests would prove nothing', async () => {
    const locked = join(temp.dir, 'probe-locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    const {command, args} = unprivileged(process.execPath, ['-e', "require('fs').writeFileSync(process.argv[1], 'x')", join(locked, 'probe')])
    const {spawnSync} = await import('node:child_process')
    const child = spawnSync(command, args, {encoding: 'utf8'})
    expect(child.status).not.toBe(0)
    expect(child.stderr).toMatch(/EACCES/)
  })
})
