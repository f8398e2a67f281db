import Database from 'better-sqlite3'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ConfigCheckReport} from '../../src/collect/config/check.js'
import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import {specOf, specs} from '../../src/resources/registry.js'
import {type CliResult, runCli, runCliJson} from '../support/cli.js'
import {parseCsv} from '../support/csv.js'
import {createAggregator, emulatorRecordedTypes, fixMotoConfigTimestamps, seedTopics, setRecording, setUpRecorder} from '../support/config.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {EMULATOR_GAP, expectOnlyEmulatorGaps} from '../support/emulator-gaps.js'
import {type FaultProxy, type FaultRule, startFaultProxy} from '../support/fault-proxy.js'
import {type SeededIds, seedSandbox} from '../support/seed.js'

/**
 * AWS Config as a source, end to end against the emulator: a recorder in us-east-1 recording exactly the
 * types the emulator's Config returns data for (none in eu-west-1), a seeded sandbox with IAM, and SNS
 * topics. Every CLI run goes through a proxy that corrects moto's Config timestamps (see
 * fixMotoConfigTimestamps) and, where a test asks, injects faults.
 */

type Created = Extract<SnapshotCreateResult, {dryRun: false}>
type Planned = Extract<SnapshotCreateResult, {dryRun: true}>
interface CoverageRow {
  account_id: string
  region: string
  resource_type: string
  status: string
  source: string
  source_reason: string
  item_count: number
}

const OWN = '123456789012'
/**
 * Fields moto 5.2's Config items do not carry, so a resource using them cannot have the same configuration
 * through the emulator's Config as through its direct APIs: S3 bucket items have no
 * BucketVersioningConfiguration (real AWS Config records it), and a managed policy's item gives its
 * createDate as its updateDate (moto stamps the two a moment apart, so they can differ by a millisecond).
 * Parity is checked exactly everywhere else.
 */
const emulatorConfigGaps: Record<string, string[]> = {'AWS::S3::Bucket': ['Versioning'], 'AWS::IAM::Policy': ['UpdateDate']}
const newStorage = () => mkdtempSync(join(tmpdir(), 'awsinv-config-'))
/** The recorded types awsinv can read from a Config item (the spec has fromConfigItem). */
const mappedTypes = emulatorRecordedTypes.filter((t) => typeof specOf(t)?.fromConfigItem === 'function')
const homeCell = (type: string) => (specOf(type)?.scope === 'global' ? 'global' : 'us-east-1')

function rows<T = Record<string, unknown>>(storage: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(storage, 'inventory.db'), {readonly: true})
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

const coverageOf = (storage: string, snapshot: string) =>
  rows<CoverageRow>(
    storage,
    `select account_id, region, resource_type, status, source, source_reason, item_count from v_coverage where snapshot_name = ? order by region, resource_type`,
    snapshot,
  )

function expectOneLineError(result: CliResult, message: RegExp): void {
  const context = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
  expect(result.code, context).toBe(1)
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '')
  expect(lines, context).toEqual([expect.stringMatching(/^Error: /)])
  expect(lines[0], context).toMatch(message)
}

describe('AWS Config first', () => {
  let emulator: Emulator
  let proxy: FaultProxy
  let seeded: SeededIds
  let topics: string[]
  const proxies: FaultProxy[] = []

  /** A proxy with the timestamp fix and these faults, closed after the file. */
  async function proxyWith(rules: FaultRule[]): Promise<FaultProxy> {
    const p = await startFaultProxy(emulator.url, rules, {transform: fixMotoConfigTimestamps})
    proxies.push(p)
    return p
  }

  beforeAll(async () => {
    emulator = await startEmulator()
    seeded = await seedSandbox(emulator.url, 'us-east-1', {prefix: 'c', global: true})
    topics = [...(await seedTopics(emulator.url, 'us-east-1', 'c', ['alerts'], {env: 'dev', owner: 'team-a'})), ...(await seedTopics(emulator.url, 'us-east-1', 'c', ['plain']))]
    await setUpRecorder(emulator.url, 'us-east-1')
    proxy = await proxyWith([])
  })

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()))
    await emulator?.stop()
  })

  const base = (storage: string, endpoint = proxy.url) => ['--storage-path', storage, '--endpoint-url', endpoint]

  it('collects the recorded types through AWS Config, every other type directly, and says why per cell', async () => {
    const storage = newStorage()
    const result = await runCliJson<Created>(['snapshot', 'create', 'default', ...base(storage), '--regions', 'us-east-1,eu-west-1'])
    expect(result.snapshot.status).toBe('partial')
    expectOnlyEmulatorGaps(result.gaps, ['us-east-1', 'eu-west-1'])
    expect(result.snapshot.useConfig).toBe(true)
    const coverage = coverageOf(storage, 'default')
    expect(coverage.length).toBe(specs.filter((s) => s.scope === 'global').length + 2 * specs.filter((s) => s.scope !== 'global').length)

    for (const type of emulatorRecordedTypes) {
      const row = coverage.find((r) => r.resource_type === type && r.region === homeCell(type))
      if (!specOf(type)) continue
      if (mappedTypes.includes(type)) expect(row, type).toMatchObject({status: 'ok', source: 'config', source_reason: 'AWS Config: recorder "default" records this type'})
      else expect(row, type).toMatchObject({status: 'ok', source: 'api', source_reason: 'AWS Config: no Config mapping for this type in awsinv'})
    }

    for (const row of coverage.filter((r) => !mappedTypes.includes(r.resource_type) || r.region === 'eu-west-1')) {
      expect(row.source, `${row.region} ${row.resource_type}`).toBe('api')
    }

    // eu-west-1 has no recorder; us-east-1 records only the four types.
    expect(new Set(coverage.filter((r) => r.region === 'eu-west-1').map((r) => r.source_reason))).toEqual(new Set(['AWS Config: no configuration recorder in eu-west-1']))
    expect(coverage.find((r) => r.region === 'us-east-1' && r.resource_type === 'AWS::EC2::VPC')?.source_reason).toBe('AWS Config: no Config mapping for this type in awsinv')

    // What Config delivered is what was stored, marked as coming from Config.
    const stored = rows<{type: string; source: string; n: number}>(
      storage,
      `select type, source, count(*) as n from v_resources where snapshot_name = 'default' group by type, source`,
    )
    for (const type of mappedTypes) {
      const row = coverage.find((r) => r.resource_type === type && r.region === homeCell(type))!
      expect(stored.filter((s) => s.type === type), type).toEqual([{type, source: 'config', n: row.item_count}])
    }

    if (mappedTypes.includes('AWS::SNS::Topic')) {
      const arns = rows<{arn: string}>(storage, `select arn from v_resources where snapshot_name = 'default' and type = 'AWS::SNS::Topic' order by arn`).map((r) => r.arn)
      expect(arns).toEqual([...topics].sort())
    }

    if (mappedTypes.includes('AWS::IAM::Role')) {
      const roles = rows<{name: string; region: string; account_id: string}>(storage, `select name, region, account_id from v_resources where snapshot_name = 'default' and type = 'AWS::IAM::Role'`)
      expect(roles).toEqual(seeded['AWS::IAM::Role']!.map((name) => ({name, region: 'global', account_id: OWN})))
    }
  })

  it('shows the source per region and type in a dry run, asking Config what it records but listing nothing', async () => {
    const storage = newStorage()
    const counting = await proxyWith([])
    const result = await runCliJson<Planned>(['snapshot', 'create', 'dry', ...base(storage, counting.url), '--regions', 'us-east-1,eu-west-1', '--dry-run'])
    for (const type of mappedTypes) {
      expect(result.plan.cells.find((c) => c.type === type && c.region === homeCell(type)), type).toMatchObject({source: 'config'})
      if (specOf(type)?.scope !== 'global') expect(result.plan.cells.find((c) => c.type === type && c.region === 'eu-west-1')).toMatchObject({source: 'api'})
    }

    expect(result.plan.cells.find((c) => c.type === 'AWS::EC2::VPC' && c.region === 'eu-west-1')).toEqual({
      accountId: OWN,
      region: 'eu-west-1',
      type: 'AWS::EC2::VPC',
      source: 'api',
      reason: 'AWS Config: no configuration recorder in eu-west-1',
    })
    expect(new Set(counting.requests.map((r) => r.service))).toEqual(new Set(['sts', 'config']))
    expect(new Set(counting.requests.filter((r) => r.service === 'config').map((r) => r.target?.split('.')[1]))).toEqual(
      new Set(['DescribeConfigurationRecorders', 'DescribeConfigurationRecorderStatus']),
    )
    // Each region is detected once.
    expect(counting.requests.filter((r) => r.target?.endsWith('.DescribeConfigurationRecorders')).map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1'])
    expect(rows(storage, 'select * from snapshots')).toEqual([])
  })

  it('uses the direct APIs only with --no-config, making no AWS Config call at all', async () => {
    const storage = newStorage()
    const counting = await proxyWith([])
    // Every type but the AWS Config recorders' status, which is data read from AWS Config's own API whatever the source.
    const types = specs.filter((s) => s.service !== 'config').map((s) => s.type)
    const result = await runCliJson<Created>(['snapshot', 'create', 'direct', ...base(storage, counting.url), '--regions', 'us-east-1', '--no-config', '--resource-types', types.join(',')])
    expect(result.snapshot).toMatchObject({status: 'partial', useConfig: false})
    expectOnlyEmulatorGaps(result.gaps, ['us-east-1'])
    const coverage = coverageOf(storage, 'direct')
    expect(new Set(coverage.map((r) => `${r.source} ${r.source_reason}`))).toEqual(new Set(['api --no-config']))
    expect(counting.seen.has('config')).toBe(false)
    expect(rows(storage, `select * from resources where source = 'config'`)).toEqual([])
  })

  it('gives the same ARNs and configuration hashes through AWS Config as through the direct APIs (parity)', async () => {
    // Needs fromConfigItem on every type the emulator's Config records.
    expect(mappedTypes).toEqual(emulatorRecordedTypes)
    const storage = newStorage()
    const types = ['--resource-types', emulatorRecordedTypes.join(',')]
    await runCliJson<Created>(['snapshot', 'create', 'via-config', ...base(storage), '--regions', 'us-east-1', ...types])
    await runCliJson<Created>(['snapshot', 'create', 'via-api', ...base(storage), '--regions', 'us-east-1', '--no-config', ...types])
    const viaConfig = coverageOf(storage, 'via-config')
    expect(viaConfig.map((r) => [r.resource_type, r.source])).toEqual(expect.arrayContaining(emulatorRecordedTypes.map((t) => [t, 'config'])))
    const resources = (snapshot: string) =>
      rows<{type: string; arn: string; config_hash: string; configuration: string; tags: string}>(
        storage,
        `select type, arn, config_hash, configuration, tags from v_resources where snapshot_name = ? order by type, arn`,
        snapshot,
      )
    const config = resources('via-config')
    const api = resources('via-api')
    expect(config.map((r) => r.arn)).toEqual(api.map((r) => r.arn))
    expect(config.length).toBeGreaterThanOrEqual(6)
    const gaps: string[] = []
    for (const [i, row] of config.entries()) {
      const direct = api[i]!
      expect(JSON.parse(row.tags), `tags of ${row.arn}`).toEqual(JSON.parse(direct.tags))
      if (row.config_hash === direct.config_hash) continue
      // Only what the emulator's Config item cannot carry may differ, and nothing else.
      const withoutGaps = (json: string) => {
        const configuration = JSON.parse(json) as Record<string, unknown>
        for (const field of emulatorConfigGaps[row.type] ?? []) delete configuration[field]
        return configuration
      }

      expect(withoutGaps(row.configuration), `${row.type} ${row.arn}`).toEqual(withoutGaps(direct.configuration))
      gaps.push(row.arn)
    }

    // The seeded bucket has versioning on: always a gap. A policy is one only when its update date really
    // differs from its creation date, and then the Config item must carry the creation date in its place.
    const configurationOf = (json: string) => JSON.parse(json) as {CreateDate?: string; UpdateDate?: string}
    const policyGaps = config.filter((row, i) => {
      if (row.type !== 'AWS::IAM::Policy') return false
      const direct = configurationOf(api[i]!.configuration)
      if (direct.UpdateDate === direct.CreateDate) return false
      expect(configurationOf(row.configuration), row.arn).toEqual({...direct, UpdateDate: direct.CreateDate})
      return true
    })
    expect(gaps).toEqual([...policyGaps.map((r) => r.arn), 'arn:aws:s3:::c-bucket-us-east-1'])
  })

  it('reports recorders, recorded types and the source per type with config check', async () => {
    const storage = newStorage()
    const report = await runCliJson<ConfigCheckReport>(['config', 'check', ...base(storage), '--regions', 'us-east-1,eu-west-1'])
    expect(report.accountId).toBe(OWN)
    expect(report.regions.map((r) => [r.region, r.status, r.home, r.recorders.length])).toEqual([
      ['us-east-1', 'available', true, 1],
      ['eu-west-1', 'available', false, 0],
    ])
    expect(report.regions[0]!.recorders[0]).toMatchObject({
      name: 'default',
      recording: true,
      recordingGroup: {strategy: 'INCLUSION_BY_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: emulatorRecordedTypes},
      records: `only ${emulatorRecordedTypes.join(', ')}`,
    })
    expect(report.types).toHaveLength(specs.filter((s) => s.scope === 'global').length + 2 * specs.filter((s) => s.scope !== 'global').length)
    for (const type of mappedTypes) expect(report.types.find((t) => t.type === type && t.region === homeCell(type)), type).toMatchObject({source: 'config'})

    const table = await runCli(['config', 'check', ...base(storage), '--regions', 'us-east-1,eu-west-1', '--format', 'md'])
    expect(table.code).toBe(0)
    expect(table.stdout).toContain(`| us-east-1 (home) | default | yes |`)
    expect(table.stdout).toContain('| eu-west-1 | - | no | no configuration recorder |')
    expect(table.stdout).toContain('| eu-west-1 | AWS::EC2::VPC | api | AWS Config: no configuration recorder in eu-west-1 |')
    expect(table.stderr).toBe('')

    // CSV: one RFC 4180 document, its last record ending in CRLF like the others.
    const csv = await runCli(['config', 'check', ...base(storage), '--regions', 'us-east-1', '--resource-types', 'sqs', '--format', 'csv'])
    expect(csv.code, csv.stderr).toBe(0)
    expect(parseCsv(csv.stdout).map((r) => r[1])).toEqual(['Type', 'AWS::SQS::Queue'])

    // Some types only: a service, a glob.
    const some = await runCliJson<ConfigCheckReport>(['config', 'check', ...base(storage), '--regions', 'us-east-1', '--resource-types', 'sqs,AWS::IAM::Ro*'])
    expect(some.types.map((t) => `${t.region} ${t.type}`)).toEqual(['global AWS::IAM::Role', 'us-east-1 AWS::SQS::Queue'])
  })

  it('falls back to the direct APIs, saying why, when AWS Config is denied', async () => {
    const storage = newStorage()
    const denying = await proxyWith([{service: 'config', fault: 'access_denied'}])
    const result = await runCliJson<Created>(['snapshot', 'create', 'denied', ...base(storage, denying.url), '--regions', 'us-east-1'])
    // Not collected: the recorders' status (AWS Config's own API is denied) and the emulator's missing Access Analyzer.
    expect(result.snapshot.status).toBe('partial')
    expect(result.gaps.map((g) => [g.resourceType, g.region, g.status, g.errorCode]).sort()).toEqual([
      [EMULATOR_GAP.type, 'us-east-1', EMULATOR_GAP.status, EMULATOR_GAP.errorCode],
      ['Account::Config::RecorderStatus', 'us-east-1', 'access_denied', 'AccessDeniedException'],
    ])
    const coverage = coverageOf(storage, 'denied')
    expect(new Set(coverage.map((r) => `${r.source} ${r.source_reason}`))).toEqual(new Set(['api AWS Config failed (AccessDeniedException); direct API']))
    expect(coverage.filter((r) => r.status !== 'ok').map((r) => r.resource_type).sort()).toEqual([EMULATOR_GAP.type, 'Account::Config::RecorderStatus'])
    expect(coverage.find((r) => r.resource_type === 'AWS::IAM::Role')?.item_count).toBe(seeded['AWS::IAM::Role']!.length)
  })

  it('discards a cell Config failed part way through and collects it directly', async () => {
    const storage = newStorage()
    const failing = await proxyWith([{service: 'config', operation: 'BatchGetResourceConfig', fault: 'server_error'}])
    const result = await runCliJson<Created>(['snapshot', 'create', 'midway', ...base(storage, failing.url), '--regions', 'us-east-1', '--max-attempts', '1'])
    expect(result.snapshot.status).toBe('partial')
    expectOnlyEmulatorGaps(result.gaps, ['us-east-1'])
    const coverage = coverageOf(storage, 'midway')
    for (const type of mappedTypes) {
      expect(coverage.find((r) => r.resource_type === type), type).toMatchObject({status: 'ok', source: 'api', source_reason: 'AWS Config failed (InternalFailure); direct API'})
    }

    expect(rows(storage, `select arn from resources where source = 'config'`)).toEqual([])
    if (mappedTypes.length > 0) expect(failing.requests.some((r) => r.target?.endsWith('.ListDiscoveredResources'))).toBe(true)
  })

  it('falls back with the reason in a region whose Config endpoint cannot be reached', async () => {
    const storage = newStorage()
    const dropping = await proxyWith([{service: 'config', region: 'eu-west-1', fault: 'drop'}])
    const result = await runCliJson<Created>(['snapshot', 'create', 'unreachable', ...base(storage, dropping.url), '--regions', 'us-east-1,eu-west-1', '--max-attempts', '2'])
    // Not collected: eu-west-1's recorders (AWS Config's own endpoint is unreachable there) and the emulator's missing Access Analyzer.
    expect(result.snapshot.status).toBe('partial')
    expect(result.gaps.map((g) => [g.resourceType, g.region, g.status]).sort()).toEqual([
      [EMULATOR_GAP.type, 'eu-west-1', EMULATOR_GAP.status],
      [EMULATOR_GAP.type, 'us-east-1', EMULATOR_GAP.status],
      ['Account::Config::RecorderStatus', 'eu-west-1', 'error'],
    ])
    const coverage = coverageOf(storage, 'unreachable')
    const reasons = new Set(coverage.filter((r) => r.region === 'eu-west-1').map((r) => r.source_reason))
    expect(reasons.size).toBe(1)
    expect([...reasons][0]).toMatch(/^AWS Config: endpoint not reachable in eu-west-1 \(\w+\)$/)
    for (const type of mappedTypes) expect(coverage.find((r) => r.resource_type === type && r.region === homeCell(type)), type).toMatchObject({source: 'config'})
  })

  it('falls back with the reason while the recorder is stopped', async () => {
    const storage = newStorage()
    await setRecording(emulator.url, 'us-east-1', false)
    try {
      const result = await runCliJson<Created>(['snapshot', 'create', 'stopped', ...base(storage), '--regions', 'us-east-1'])
      expect(result.snapshot.status).toBe('partial')
      expectOnlyEmulatorGaps(result.gaps, ['us-east-1'])
      const coverage = coverageOf(storage, 'stopped')
      expect(new Set(coverage.map((r) => `${r.source} ${r.source_reason}`))).toEqual(new Set(['api AWS Config: recorder not recording (default)']))
      const check = await runCliJson<ConfigCheckReport>(['config', 'check', ...base(storage), '--regions', 'us-east-1'])
      expect(check.regions[0]!.recorders[0]).toMatchObject({name: 'default', recording: false})
    } finally {
      await setRecording(emulator.url, 'us-east-1', true)
    }
  })

  describe('--config-aggregator', () => {
    beforeAll(async () => {
      await createAggregator(emulator.url, 'us-east-1', 'sandbox', [OWN], ['us-east-1'])
    })

    it('refuses an unknown aggregator in one line, naming the ones that exist, and records nothing', async () => {
      const storage = newStorage()
      const result = await runCli(['snapshot', 'create', 'agg', ...base(storage), '--regions', 'us-east-1', '--config-aggregator', 'nosuch'])
      expectOneLineError(result, /^Error: Unknown AWS Config aggregator "nosuch" in us-east-1\. Aggregators there: sandbox\./)
      expect(result.stdout).toBe('')
      expect(rows(storage, 'select * from snapshots')).toEqual([])
      const dry = await runCli(['snapshot', 'create', ...base(storage), '--dry-run', '--config-aggregator', 'nosuch'])
      expectOneLineError(dry, /Unknown AWS Config aggregator "nosuch"/)
    })

    it('says which permissions are missing when the aggregator may not be read', async () => {
      const storage = newStorage()
      const denying = await proxyWith([{service: 'config', fault: 'access_denied'}])
      const result = await runCli(['snapshot', 'create', 'agg', ...base(storage, denying.url), '--regions', 'us-east-1', '--config-aggregator', 'sandbox'])
      expectOneLineError(
        result,
        /^Error: Not allowed to use AWS Config aggregator "sandbox" in us-east-1 \(AccessDeniedException\)\. Grant config:DescribeConfigurationAggregators, config:ListAggregateDiscoveredResources, config:BatchGetAggregateResourceConfig/,
      )
      expect(rows(storage, 'select * from snapshots')).toEqual([])
    })

    it('cannot be combined with --no-config', async () => {
      const result = await runCli(['snapshot', 'create', ...base(newStorage()), '--no-config', '--config-aggregator', 'sandbox'])
      expect(result.code).toBe(2)
      expect(result.stderr).toBe("Error: --config-aggregator and --no-config cannot be used together. See more help with --help.\n")
    })

    it('collects the Config-mapped types through the aggregator, recording each resource\'s account', async () => {
      const storage = newStorage()
      const counting = await proxyWith([])
      const result = await runCliJson<Created>(['snapshot', 'create', 'agg', ...base(storage, counting.url), '--regions', 'us-east-1', '--config-aggregator', 'sandbox'])
      expect(result.snapshot.status).toBe('partial')
      expectOnlyEmulatorGaps(result.gaps, ['us-east-1'])
      expect(result.snapshot.accounts).toEqual([OWN])
      const coverage = coverageOf(storage, 'agg')
      for (const type of mappedTypes) {
        expect(coverage.find((r) => r.resource_type === type), type).toMatchObject({account_id: OWN, region: homeCell(type), status: 'ok', source: 'config', source_reason: expect.stringMatching(/^AWS Config aggregator "sandbox"/)})
      }

      for (const row of coverage.filter((r) => !mappedTypes.includes(r.resource_type))) expect(row.source).toBe('api')
      if (mappedTypes.length > 0) {
        const operations = new Set(counting.requests.filter((r) => r.service === 'config').map((r) => r.target?.split('.')[1]))
        expect(operations).toContain('ListAggregateDiscoveredResources')
        expect(operations).toContain('BatchGetAggregateResourceConfig')
        expect(operations).not.toContain('ListDiscoveredResources')
      }

      // The same resources as the direct APIs find.
      await runCliJson<Created>(['snapshot', 'create', 'agg-direct', ...base(storage), '--regions', 'us-east-1', '--no-config'])
      const arns = (snapshot: string) =>
        rows<{arn: string}>(storage, `select arn from v_resources where snapshot_name = ? and type in (${mappedTypes.map(() => '?').join(',') || "''"}) order by arn`, snapshot, ...mappedTypes).map((r) => r.arn)
      expect(arns('agg')).toEqual(arns('agg-direct'))
    })
  })
})
