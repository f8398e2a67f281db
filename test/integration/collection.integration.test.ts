import Database from 'better-sqlite3'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import type {ResourceSearchResult} from '../../src/query/resources.js'
import type {StatsResult} from '../../src/query/stats.js'
import type {SnapshotReport} from '../../src/store/reports.js'
import type {Snapshot} from '../../src/store/snapshots.js'
import {expectRefused, runCli, runCliJson} from '../support/cli.js'
import {parseCsv} from '../support/csv.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {EMULATOR_GAP, expectOnlyEmulatorGaps} from '../support/emulator-gaps.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {type SeededIds, seedSandbox} from '../support/seed.js'
import {runInTerminal} from '../support/terminal.js'

type Created = Extract<SnapshotCreateResult, {dryRun: false}>
type Planned = Extract<SnapshotCreateResult, {dryRun: true}>

const newStorage = () => mkdtempSync(join(tmpdir(), 'awsinv-collect-'))

/** Resolves once `condition` holds, checking every 50 ms; rejects after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition')
    await new Promise((r) => setTimeout(r, 50))
  }
}

function storedRows(storage: string, sql: string, ...params: unknown[]): Array<Record<string, unknown>> {
  const db = new Database(join(storage, 'inventory.db'), {readonly: true})
  try {
    return db.prepare(sql).all(...params) as Array<Record<string, unknown>>
  } finally {
    db.close()
  }
}

describe('collection: selection, filters, coverage, interruption and concurrency', () => {
  let emulator: Emulator
  let seeded: SeededIds
  const proxies: FaultProxy[] = []

  beforeAll(async () => {
    emulator = await startEmulator()
    seeded = await seedSandbox(emulator.url, 'us-east-1', {prefix: 'a', global: true})
    await seedSandbox(emulator.url, 'eu-west-1', {prefix: 'b', tags: {owner: 'team-b'}})
  })

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()))
    await emulator?.stop()
  })

  const base = (storage: string, endpoint = emulator.url) => ['--storage-path', storage, '--endpoint-url', endpoint]

  it('collects only the services and type ids asked for', async () => {
    const storage = newStorage()
    const result = await runCliJson<Created>(['snapshot', 'create', 'sel', ...base(storage), '--regions', 'us-east-1', '--resource-types', 's3,AWS::EC2::VPC'])
    // The service s3 is the buckets and the account's public access block (a setting, stored even when not configured).
    expect(result.snapshot.resourceTypes.sort()).toEqual(['AWS::EC2::VPC', 'AWS::S3::AccountPublicAccessBlock', 'AWS::S3::Bucket'])
    const types = new Set(storedRows(storage, 'select distinct type from resources').map((r) => r.type))
    expect(types).toEqual(new Set(['AWS::EC2::VPC', 'AWS::S3::AccountPublicAccessBlock', 'AWS::S3::Bucket']))
    expect(result.coverage.cells).toBe(3)
  })

  it('keeps only resources with every include tag and none of the exclude tags', async () => {
    const storage = newStorage()
    const included = await runCliJson<Created>(['snapshot', 'create', 'inc', ...base(storage), '--regions', 'us-east-1,eu-west-1', '--include-tags', 'owner=team-b,env=dev'])
    const owners = storedRows(storage, `select distinct value from v_resource_tags where snapshot_name = 'inc' and key = 'owner'`).map((r) => r.value)
    expect(owners).toEqual(['team-b'])
    expect(included.snapshot.resourceCount).toBeGreaterThan(10)
    expect(included.snapshot.filters.includeTags).toEqual({owner: 'team-b', env: 'dev'})

    await runCliJson<Created>(['snapshot', 'create', 'exc', ...base(storage), '--regions', 'us-east-1,eu-west-1', '--exclude-tags', 'owner=team-a'])
    const excluded = storedRows(storage, `select count(*) as n from v_resource_tags where snapshot_name = 'exc' and key = 'owner' and value = 'team-a'`)
    expect(excluded[0]!.n).toBe(0)
    // Untagged resources (default VPC, its subnets …) are kept by an exclude-only filter.
    const untagged = storedRows(storage, `select count(*) as n from v_resources where snapshot_name = 'exc' and tags = '{}'`)
    expect(untagged[0]!.n as number).toBeGreaterThan(0)

    // What is collected like a filtered snapshot says so: only what the filters select is compared or considered.
    const note = 'Note: snapshot "inc" was taken with tag filters (include owner=team-b, env=dev); the current state is collected with them, so only the resources they select are considered.\n'
    const delta = await runCli(['delta', '--snapshot', 'inc', '--no-save', '--json', ...base(storage)])
    expect(delta.code, delta.stderr).toBe(0)
    expect(delta.stderr).toBe(note)
    // Cleanup collects without them, so what they leave out is seen keeping what it uses.
    const preview = await runCli(['cleanup', 'preview', 'inc', '--no-save', '--json', ...base(storage)])
    expect(preview.code, preview.stderr).toBe(0)
    expect(preview.stderr).toBe(
      'Note: snapshot "inc" was taken with tag filters (include owner=team-b, env=dev); only the resources they select are candidates, but the current state is collected without them, so what they leave out stays and keeps what it uses.\n',
    )
    const unfiltered = await runCli(['delta', '--snapshot', 'exc', '--no-save', '--json', ...base(storage)])
    expect(unfiltered.stderr).toBe('Note: snapshot "exc" was taken with tag filters (exclude owner=team-a); the current state is collected with them, so only the resources they select are considered.\n')
  })

  it('dry run prints the plan and makes no list call', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url)
    proxies.push(proxy)
    const result = await runCliJson<Planned>(['snapshot', 'create', 'dry', ...base(storage, proxy.url), '--regions', 'us-east-1,eu-west-1', '--dry-run'])
    expect(result.dryRun).toBe(true)
    expect(result.plan.accountId).toBe('123456789012')
    expect(result.plan.cells.filter((c) => c.type === 'AWS::IAM::Role')).toEqual([
      expect.objectContaining({region: 'global', source: 'api'}),
    ])
    expect(result.plan.cells.filter((c) => c.type === 'AWS::EC2::VPC').map((c) => c.region).sort()).toEqual(['eu-west-1', 'us-east-1'])
    // Only the caller-identity check and AWS Config detection reached AWS: no list call.
    expect([...proxy.seen.keys()].sort()).toEqual(['config', 'sts'])
    expect(new Set(proxy.requests.filter((r) => r.service === 'config').map((r) => r.target?.split('.')[1]))).toEqual(
      new Set(['DescribeConfigurationRecorders', 'DescribeConfigurationRecorderStatus']),
    )
    expect(result.plan.cells.find((c) => c.type === 'AWS::EC2::VPC' && c.region === 'eu-west-1')?.reason).toBe('AWS Config: no configuration recorder in eu-west-1')
    expect(storedRows(storage, 'select count(*) as n from snapshots')[0]!.n).toBe(0)
  })

  it('plans every enabled region with --regions all, and takes default regions from AWSINV_REGIONS', async () => {
    const storage = newStorage()
    const all = await runCliJson<Planned>(['snapshot', 'create', ...base(storage), '--regions', 'all', '--dry-run', '--resource-types', 'AWS::EC2::VPC'])
    expect(all.plan.regions.length).toBeGreaterThan(10)
    expect(all.plan.regions).toContain('eu-west-1')
    // The emulator lists every partition's regions; credentials of the aws partition serve its own only.
    expect(all.plan.regions.filter((r) => r.startsWith('cn-') || r.startsWith('us-gov-'))).toEqual([])
    const fromEnv = await runCliJson<Planned>(['snapshot', 'create', ...base(storage), '--dry-run', '--resource-types', 'AWS::EC2::VPC'], {
      env: {AWSINV_REGIONS: 'eu-west-1,ap-southeast-2'},
    })
    expect(fromEnv.plan.regions).toEqual(['eu-west-1', 'ap-southeast-2'])
    const fromProfileRegion = await runCliJson<Planned>(['snapshot', 'create', ...base(storage), '--dry-run', '--resource-types', 'AWS::EC2::VPC'], {
      env: {AWS_REGION: 'ca-central-1'},
    })
    expect(fromProfileRegion.plan.regions).toEqual(['ca-central-1'])
  })

  it('uses the credentials of a named profile with --profile and names an unknown profile clearly', async () => {
    const storage = newStorage()
    const dir = newStorage()
    const credentials = join(dir, 'credentials')
    writeFileSync(credentials, '[sandbox]\naws_access_key_id = profilekey\naws_secret_access_key = profilesecret\n')
    const env = {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true'}
    const ok = await runCliJson<Created>(['snapshot', 'create', 'via-profile', ...base(storage), '--regions', 'us-east-1', '--resource-types', 'AWS::EC2::VPC', '--profile', 'sandbox'], {env})
    expect(ok.snapshot.status).toBe('complete')
    // Access keys left in the environment: the profile wins, and stderr says so in one line (not the SDK's nine).
    const both = await runCli(['snapshot', 'create', 'both', ...base(storage), '--regions', 'us-east-1', '--resource-types', 'AWS::EC2::VPC', '--profile', 'sandbox', '--json'], {
      env: {...env, AWS_ACCESS_KEY_ID: 'envkey', AWS_SECRET_ACCESS_KEY: 'envsecret'},
    })
    expect(both.code).toBe(0)
    expect((JSON.parse(both.stdout) as Created).snapshot.status).toBe('complete')
    expect(both.stderr.trim().split('\n')).toEqual([
      'Note: profile "sandbox" is in use; the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set in the environment are ignored.',
    ])
    const missing = await runCli(['snapshot', 'create', 'nope', ...base(storage), '--regions', 'us-east-1', '--profile', 'nosuch'], {env})
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: .*credentials/i)])
  })

  it('keeps stderr quiet (no progress) when it is not a terminal', async () => {
    const storage = newStorage()
    const run = await runCli(['snapshot', 'create', 'quiet', ...base(storage), '--regions', 'us-east-1', '--resource-types', 'ec2'])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('Snapshot quiet (active) — complete')
  })

  it('marks the snapshot partial, never empty or crashed, when a service is denied, and says what permission is missing', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [{service: 'lambda', fault: 'access_denied'}])
    proxies.push(proxy)
    const run = await runCli(['snapshot', 'create', 'denied', ...base(storage, proxy.url), '--regions', 'us-east-1,eu-west-1', '--json'])
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout) as Created
    expect(result.snapshot.status).toBe('partial')
    // The denied service, and the emulator's missing Access Analyzer.
    expect(result.gaps.map((g) => [g.resourceType, g.region, g.status]).sort()).toEqual([
      [EMULATOR_GAP.type, 'eu-west-1', EMULATOR_GAP.status],
      [EMULATOR_GAP.type, 'us-east-1', EMULATOR_GAP.status],
      ['AWS::Lambda::Function', 'eu-west-1', 'access_denied'],
      ['AWS::Lambda::Function', 'us-east-1', 'access_denied'],
    ])
    expect(result.gaps.find((g) => g.resourceType === 'AWS::Lambda::Function')!.remedy).toMatch(/Grant .*lambda:/)
    // Everything else was collected.
    expect(storedRows(storage, `select count(*) as n from resources where type = 'AWS::EC2::VPC'`)[0]!.n).toBe(4)
    expect(storedRows(storage, `select count(*) as n from resources where type = 'AWS::Lambda::Function'`)[0]!.n).toBe(0)

    const report = await runCli(['snapshot', 'report', 'denied', ...base(storage)])
    expect(report.code).toBe(0)
    expect(report.stdout).toMatch(/4 of \d+ cells were NOT collected/)
    expect(report.stdout).toContain('access_denied')
  })

  it('fails a snapshot in which not one cell could be collected: exit 1, never active, its cells kept to say why', async () => {
    const storage = newStorage()
    const types = ['--resource-types', 'sqs,sns', '--regions', 'us-east-1,eu-west-1']
    const good = await runCliJson<Created>(['snapshot', 'create', 'good', ...base(storage), ...types])
    expect(good.snapshot).toMatchObject({status: 'complete', active: true})
    // The endpoint goes away for every service listed (the caller's identity is still answered).
    const proxy = await startFaultProxy(emulator.url, [
      {service: 'sqs', fault: 'drop'},
      {service: 'sns', fault: 'drop'},
    ])
    proxies.push(proxy)
    const [run, asJson] = await Promise.all([
      runCli(['snapshot', 'create', 'gone', ...base(storage, proxy.url), ...types, '--max-attempts', '1']),
      runCli(['snapshot', 'create', 'gone-json', ...base(storage, proxy.url), ...types, '--max-attempts', '1', '--json']),
    ])
    const failure = /^Nothing could be collected: all 4 cells failed, every one with (ECONNRESET|ECONNREFUSED|EPIPE) \(.+\)\. Snapshot "gone(-json)?" is kept as failed: "awsinv snapshot report gone(-json)?" lists every cell\.$/
    expect(run.code, run.stderr).toBe(1)
    expect(run.stdout).toBe('')
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]!.replace(/^Error: /, ''), run.stderr).toMatch(failure)
    expect(asJson.code).toBe(1)
    expect((JSON.parse(asJson.stdout) as {error: {message: string}}).error.message).toMatch(failure)

    // The good snapshot stays the active one; the failed ones are kept, with every cell and its error.
    const list = await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])
    expect(list.map((s) => [s.name, s.status, s.active, s.resourceCount, s.gapCount]).sort()).toEqual([
      ['gone', 'failed', false, 0, 4],
      ['gone-json', 'failed', false, 0, 4],
      ['good', 'complete', true, good.snapshot.resourceCount, 0],
    ])
    expect(list.find((s) => s.name === 'gone')!.error).toMatch(/^Nothing could be collected: all 4 cells failed/)
    const cells = storedRows(storage, `select region, resource_type, status, error_code from v_coverage where snapshot_name = 'gone' order by region, resource_type`)
    expect(cells.map((c) => [c.region, c.resource_type, c.status])).toEqual([
      ['eu-west-1', 'AWS::SNS::Topic', 'error'],
      ['eu-west-1', 'AWS::SQS::Queue', 'error'],
      ['us-east-1', 'AWS::SNS::Topic', 'error'],
      ['us-east-1', 'AWS::SQS::Queue', 'error'],
    ])
    const [report, active, setActive] = await Promise.all([
      runCli(['snapshot', 'report', 'gone', ...base(storage)]),
      runCliJson<SnapshotReport>(['snapshot', 'report', ...base(storage)]),
      runCli(['snapshot', 'set-active', 'gone', ...base(storage)]),
    ])
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout).toMatch(/Snapshot gone — failed/)
    expect(report.stdout).toMatch(/4 of 4 cells were NOT collected/)
    expect(active.snapshot.name).toBe('good')
    expect(setActive.code).toBe(1)
    expect(setActive.stderr).toBe('Error: Snapshot "gone" is failed; only complete or partial snapshots can be active.\n')

    // delta collects the current state the same way: it stops there too, and keeps the state only when it saves it.
    const [saved, unsaved] = await Promise.all([
      runCli(['delta', '--snapshot', 'good', '--save-as', 'now', '--max-attempts', '1', ...base(storage, proxy.url)]),
      runCli(['delta', '--snapshot', 'good', '--no-save', '--max-attempts', '1', ...base(storage, proxy.url)]),
    ])
    expect(saved.code).toBe(1)
    expect(saved.stderr).toMatch(/^Error: Nothing could be collected: all 4 cells failed, .* Snapshot "now" is kept as failed: "awsinv snapshot report now" lists every cell\.\n$/)
    expect(unsaved.code).toBe(1)
    expect(unsaved.stderr).toMatch(/^Error: Nothing could be collected: all 4 cells failed, every one with \w+ \(.+\)\.\n$/)
    const after = await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])
    expect(after.map((s) => [s.name, s.status, s.active]).sort()).toEqual([
      ['gone', 'failed', false],
      ['gone-json', 'failed', false],
      ['good', 'complete', true],
      ['now', 'failed', false],
    ])
  })

  it('a service that accepts requests but never answers fails after --request-timeout instead of holding the run forever', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [{service: 'sqs', fault: 'delay', delayMs: 60_000}])
    proxies.push(proxy)
    const started = Date.now()
    // A gap does not fail the snapshot: it is complete, with the cell that timed out listed.
    const created = await runCliJson<SnapshotReport>([
      'snapshot', 'create', 'slow', ...base(storage, proxy.url), '--regions', 'us-east-1', '--resource-types', 'AWS::EC2::VPC,AWS::SQS::Queue', '--no-config', '--request-timeout', '1', '--max-attempts', '2',
    ])
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(created.snapshot.gapCount).toBe(1)
    expect(created.gaps.map((g) => [g.resourceType, g.status, g.error])).toEqual([['AWS::SQS::Queue', 'error', expect.stringMatching(/ETIMEDOUT|TimeoutError|requestTimeout/)]])

    // The session itself: one line saying what was waited for.
    const sts = await startFaultProxy(emulator.url, [{service: 'sts', fault: 'delay', delayMs: 60_000}])
    proxies.push(sts)
    const refused = await runCli(['snapshot', 'create', 'never', ...base(storage, sts.url), '--regions', 'us-east-1', '--request-timeout', '1', '--max-attempts', '1'])
    expectRefused(refused, new RegExp(`^Error: Cannot reach the AWS endpoint at ${sts.url.replaceAll('.', '\\.')} \\(ETIMEDOUT: no answer within 1 s, --request-timeout\\)\\. Check --endpoint-url and your network\\.$`))
  })

  it('queries of a snapshot still being collected say on stderr, and in JSON, that its figures are incomplete', async () => {
    const storage = newStorage()
    // The VPC cell is held long enough to query the snapshot while it runs; the queue cell is collected at once.
    const proxy = await startFaultProxy(emulator.url, [{service: 'ec2', fault: 'delay', delayMs: 10_000}])
    proxies.push(proxy)
    const creating = runCli(['snapshot', 'create', 'busy', ...base(storage, proxy.url), '--regions', 'us-east-1', '--resource-types', 'AWS::EC2::VPC,sqs', '--no-config'])
    const deadline = Date.now() + 30_000
    while ((proxy.seen.get('ec2') ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(proxy.seen.get('ec2')).toBeGreaterThan(0)

    const query = (...args: string[]) => runCli([...args, ...base(storage)])
    const [stats, resources, report, statsJson, resourcesJson, reportJson] = await Promise.all([
      query('query', 'stats', '-s', 'busy', '-f', 'csv'),
      query('query', 'resources', '-s', 'busy', '-f', 'json'),
      query('snapshot', 'report', 'busy'),
      query('query', 'stats', '-s', 'busy', '--json'),
      query('query', 'resources', '-s', 'busy', '--json'),
      query('snapshot', 'report', 'busy', '--json'),
    ])
    const note = 'Note: snapshot "busy" is still running: its figures are incomplete.\n'
    for (const result of [stats, resources, report, statsJson, resourcesJson, reportJson]) {
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toBe(note)
    }

    // stdout stays one document.
    expect(parseCsv(stats.stdout)[0]![0]).toBe('Type')
    expect((JSON.parse(resources.stdout) as {incomplete: boolean}).incomplete).toBe(true)
    expect(report.stdout).toMatch(/^Snapshot busy — running$/m)
    expect((JSON.parse(statsJson.stdout) as StatsResult).incompleteSnapshots).toEqual([{name: 'busy', status: 'running'}])
    expect((JSON.parse(resourcesJson.stdout) as ResourceSearchResult).incomplete).toBe(true)
    expect((JSON.parse(reportJson.stdout) as SnapshotReport).incomplete).toBe(true)

    // Once it is finished, the same queries say nothing more.
    const created = await creating
    expect(created.code, created.stderr).toBe(0)
    const [after, afterJson] = await Promise.all([query('query', 'stats', '-s', 'busy'), query('snapshot', 'report', 'busy', '--json')])
    expect(after.stderr).toBe('')
    expect(afterJson.stderr).toBe('')
    expect((JSON.parse(afterJson.stdout) as SnapshotReport).incomplete).toBe(false)
  })

  it('records throttling that outlasts the retries and server errors as coverage gaps', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [
      {service: 's3', fault: 'throttle'},
      {service: 'iam', fault: 'server_error'},
    ])
    proxies.push(proxy)
    const result = await runCliJson<Created>([
      'snapshot',
      'create',
      'flaky',
      ...base(storage, proxy.url),
      '--regions',
      'us-east-1',
      '--resource-types',
      's3,iam,AWS::EC2::VPC',
      '--max-attempts',
      '2',
    ])
    expect(result.snapshot.status).toBe('partial')
    const statuses = Object.fromEntries(result.gaps.map((g) => [g.resourceType, g.status]))
    expect(statuses['AWS::S3::Bucket']).toBe('throttled')
    expect(statuses['AWS::IAM::Role']).toBe('error')
    expect(result.byType.find((t) => t.type === 'AWS::EC2::VPC')?.count).toBe(2)
  })

  it('recovers from transient faults through retries', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [
      {service: 'ec2', fault: 'throttle', times: 2},
      {service: 'iam', fault: 'drop', times: 1},
    ])
    proxies.push(proxy)
    const result = await runCliJson<Created>(['snapshot', 'create', 'retry', ...base(storage, proxy.url), '--regions', 'us-east-1', '--resource-types', 'ec2,iam'])
    expect(result.snapshot.status).toBe('complete')
    expect(result.byType.find((t) => t.type === 'AWS::IAM::User')?.count).toBe(seeded['AWS::IAM::User']!.length)
  })

  it('marks a snapshot interrupted on Ctrl-C, exits 130 and keeps the database consistent', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [{service: 'ec2', fault: 'delay', delayMs: 1500}])
    proxies.push(proxy)
    const run = await runCli(['snapshot', 'create', 'stopped', ...base(storage, proxy.url), '--regions', 'us-east-1,eu-west-1'], {
      onSpawn(child) {
        // Interrupt once collection is under way (the proxy holds every EC2 call for 1.5 s).
        const timer = setInterval(() => {
          if ((proxy.seen.get('ec2') ?? 0) > 0) {
            clearInterval(timer)
            child.kill('SIGINT')
          }
        }, 50)
        child.once('exit', () => clearInterval(timer))
      },
    })
    expect(run.code).toBe(130)
    expect(run.stderr).toContain('interrupted')
    const list = await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])
    expect(list).toEqual([expect.objectContaining({name: 'stopped', status: 'interrupted', active: false})])
    const check = storedRows(storage, 'pragma integrity_check')
    expect(check[0]!.integrity_check).toBe('ok')
    // No cell of an interrupted run is left half-written: every stored resource belongs to a collected cell.
    const orphans = storedRows(
      storage,
      `select count(*) as n from resources r where not exists (select 1 from coverage c where c.snapshot_id = r.snapshot_id
        and c.region = r.region and c.resource_type = r.type and c.status = 'ok')`,
    )
    expect(orphans[0]!.n).toBe(0)
  })

  it('a Ctrl-C stops the run at once, aborting the calls in flight rather than waiting for their answer or timeout', async () => {
    const storage = newStorage()
    // Every EC2 call is held for a minute: only aborting it ends the run within seconds.
    const proxy = await startFaultProxy(emulator.url, [{service: 'ec2', fault: 'delay', delayMs: 60_000}])
    proxies.push(proxy)
    let signalled = 0
    const run = await runCli(['snapshot', 'create', 'held', ...base(storage, proxy.url), '--regions', 'us-east-1', '--resource-types', 'AWS::EC2::VPC,AWS::SQS::Queue', '--no-config'], {
      onSpawn(child) {
        const timer = setInterval(() => {
          if ((proxy.seen.get('ec2') ?? 0) > 0) {
            clearInterval(timer)
            signalled = Date.now()
            child.kill('SIGINT')
          }
        }, 50)
        child.once('exit', () => clearInterval(timer))
      },
    })
    expect(run.code, run.stderr).toBe(130)
    expect(Date.now() - signalled).toBeLessThan(10_000)
    const [held] = await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])
    expect(held).toMatchObject({name: 'held', status: 'interrupted'})
    const report = await runCliJson<SnapshotReport>(['snapshot', 'report', 'held', ...base(storage)])
    // The queue cell was collected; the VPC cell, stopped in flight, is not stored at all.
    expect(report.byType.map((t) => t.type)).not.toContain('AWS::EC2::VPC')
  })

  it('a Ctrl-C before the collection starts (while AWS Config is detected in every region) stores nothing and exits 130', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [{service: 'config', fault: 'delay', delayMs: 5000}])
    proxies.push(proxy)
    const run = await runCli(['snapshot', 'create', 'early', ...base(storage, proxy.url), '--regions', 'all'], {
      onSpawn(child) {
        const timer = setInterval(() => {
          if ((proxy.seen.get('config') ?? 0) > 0) {
            clearInterval(timer)
            child.kill('SIGINT')
          }
        }, 50)
        child.once('exit', () => clearInterval(timer))
      },
    })
    expect(run.code, run.stderr).toBe(130)
    expect(run.stderr).toBe('Error: Interrupted before the collection started: nothing was saved.\n')
    expect(run.stdout).toBe('')
    expect(await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])).toEqual([])
    expect(storedRows(storage, 'select count(*) as n from coverage')[0]!.n).toBe(0)
  })

  it('a Ctrl-C at a terminal ends the run at once, with the progress line cleared and the cursor and line wrapping given back', async () => {
    const storage = newStorage()
    // Every EC2 call is held for 20 s: the Ctrl-C aborts them instead of waiting.
    const proxy = await startFaultProxy(emulator.url, [{service: 'ec2', fault: 'delay', delayMs: 20_000}])
    proxies.push(proxy)
    const run = runInTerminal(['snapshot', 'create', 'twice', ...base(storage, proxy.url), '--regions', 'us-east-1', '--resource-types', 'ec2'])
    await until(() => (proxy.seen.get('ec2') ?? 0) > 0 && run.output().includes('Collecting ['))
    const typed = Date.now()
    run.type('\u0003')
    const {code, output} = await run.done
    expect(code, output).toBe(130)
    expect(Date.now() - typed).toBeLessThan(10_000)
    // The run sealed its snapshot itself, and says so.
    expect(output).toContain('is marked interrupted')
    const hide = '\u001B[?25l'
    expect(output).toContain(hide)
    const afterDrawing = output.slice(output.lastIndexOf(hide))
    expect(afterDrawing).toContain('\u001B[?25h')
    expect(afterDrawing).toContain('\u001B[?7h')
    const list = await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])
    expect(list).toEqual([expect.objectContaining({name: 'twice', status: 'interrupted', active: false})])
  })

  it('shows a killed run as interrupted and never uses it as the active snapshot', async () => {
    const storage = newStorage()
    const proxy = await startFaultProxy(emulator.url, [{service: 'ec2', fault: 'delay', delayMs: 3000}])
    proxies.push(proxy)
    const run = await runCli(['snapshot', 'create', 'killed', ...base(storage, proxy.url), '--regions', 'us-east-1'], {
      onSpawn(child) {
        const timer = setInterval(() => {
          if ((proxy.seen.get('ec2') ?? 0) > 0) {
            clearInterval(timer)
            child.kill('SIGKILL')
          }
        }, 50)
        child.once('exit', () => clearInterval(timer))
      },
    })
    expect(run.signal).toBe('SIGKILL')
    const list = await runCliJson<Snapshot[]>(['snapshot', 'list', ...base(storage)])
    expect(list).toEqual([expect.objectContaining({name: 'killed', status: 'interrupted', active: false})])
    const report = await runCli(['snapshot', 'report', ...base(storage)])
    expect(report.code).toBe(1)
    expect(report.stderr).toMatch(/Inventory "default" has no active snapshot/)
  })

  it('lets two processes write snapshots to the same database at once', async () => {
    const storage = newStorage()
    const [one, two] = await Promise.all(
      ['p1', 'p2'].map((name) => runCliJson<Created>(['snapshot', 'create', name, ...base(storage), '--regions', 'us-east-1,eu-west-1', '--concurrency', '4'])),
    )
    // Complete but for the emulator's missing Access Analyzer.
    for (const run of [one!, two!]) {
      expect(run.snapshot.status).toBe('partial')
      expectOnlyEmulatorGaps(run.gaps, ['us-east-1', 'eu-west-1'])
    }

    expect(one!.snapshot.resourceCount).toBe(two!.snapshot.resourceCount)
    const counts = storedRows(storage, 'select s.name, count(r.id) as n from snapshots s join resources r on r.snapshot_id = s.id group by s.name order by s.name')
    expect(counts).toEqual([
      {name: 'p1', n: one!.snapshot.resourceCount},
      {name: 'p2', n: one!.snapshot.resourceCount},
    ])
  })
})
