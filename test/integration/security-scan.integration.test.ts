import {EC2} from '@aws-sdk/client-ec2'
import {STS} from '@aws-sdk/client-sts'
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ChecksResult, ScanResult} from '../../src/security/scan.js'
import {type CliOptions, expectRefused, runCli, runCliJson} from '../support/cli.js'
import {parseCsv} from '../support/csv.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {expectValidSarif} from '../support/sarif.js'
import {databaseFileDigest} from '../support/store.js'

/**
 * `security scan` and `security checks` end to end: volumes in the emulator, snapshots taken by the
 * CLI, scans of what was stored. Assertions that must not move when checks are added to the catalogue
 * run with `--check ec2-volume-unencrypted`.
 */
const REGION = 'us-east-1'
const CHECK = 'ec2-volume-unencrypted'
const OTHER_ACCOUNT = '210987654321'

let emulator: Emulator
let root: string
let storage: string
let encrypted: string
let plain: string
let added: string

const at = () => ['--storage-path', storage, '--endpoint-url', emulator.url]
const snapshot = (name: string, env?: CliOptions['env']) =>
  runCliJson(['snapshot', 'create', name, '--regions', REGION, '--resource-types', 'AWS::EC2::Volume', '--no-config', ...at()], {env})
const scan = (...args: string[]) => ['security', 'scan', ...args, ...at()]
const volumeArn = (id: string) => `arn:aws:ec2:${REGION}:123456789012:volume/${id}`

beforeAll(async () => {
  emulator = await startEmulator()
  root = mkdtempSync(join(tmpdir(), 'awsinv-security-'))
  storage = join(root, 'store')
  const ec2 = new EC2({endpoint: emulator.url, region: REGION, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 2})
  encrypted = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 4, Encrypted: true})).VolumeId!
  plain = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 2})).VolumeId!
  await snapshot('baseline')
  added = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 3})).VolumeId!
  await snapshot('current')
  ec2.destroy()

  // A snapshot of another account, in the same store: credentials of a role assumed there.
  const sts = new STS({endpoint: emulator.url, region: REGION, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 2})
  const {Credentials} = await sts.assumeRole({RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/auditor`, RoleSessionName: 'awsinv-test'})
  sts.destroy()
  const other = await snapshot('other-account', {
    AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey,
    AWS_SESSION_TOKEN: Credentials!.SessionToken,
  })
  expect(other).toMatchObject({snapshot: {accountId: OTHER_ACCOUNT}})
}, 180_000)

afterAll(async () => {
  await emulator?.stop()
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('security scan', () => {
  it('--json: FAIL for each unencrypted volume of the active snapshot; the summary counts what passed too', async () => {
    const result = await runCliJson<ScanResult>(scan('--snapshot', 'current', '--check', CHECK))
    expect(result.snapshot).toMatchObject({name: 'current', accountId: '123456789012', regions: [REGION]})
    expect(result.findings.map((f) => `${f.status} ${f.resource}`).sort()).toEqual([`FAIL ${volumeArn(added)}`, `FAIL ${volumeArn(plain)}`].sort())
    expect(result.findings[0]).toMatchObject({checkId: CHECK, title: 'EBS volumes are encrypted', severity: 'medium', cis: null, region: REGION})
    expect(result.findings.find((f) => f.resource === volumeArn(plain))).toMatchObject({
      evidence: `volume ${plain} (2 GiB) is not encrypted`,
      remediation: expect.stringContaining(`--volume-id ${plain} --region ${REGION}`),
    })
    expect(result.summary).toMatchObject({checks: 1, evaluated: 3, pass: 1, fail: 2, unknown: 0, shown: 2})

    // Without a snapshot name: the active snapshot (the latest taken); without --check: the whole catalogue.
    const all = await runCliJson<ScanResult>(scan())
    expect(all.snapshot.name).toBe('other-account')
    const catalogue = await runCliJson<ChecksResult>(['security', 'checks', ...at()])
    expect(all.summary.checks).toBe(catalogue.checks.length)
    expect(all.summary.pass + all.summary.fail + all.summary.unknown).toBe(all.summary.evaluated)
    const current = await runCliJson<ScanResult>(scan('--inventory', 'default', '--snapshot', 'current', '--status', 'all'))
    expect(current.findings.filter((f) => f.checkId === CHECK).map((f) => f.status).sort()).toEqual(['FAIL', 'FAIL', 'PASS'])
  })

  it('prints the grouped table by default, and SARIF with --format sarif', async () => {
    const table = await runCli(scan('--snapshot', 'current', '--check', CHECK))
    expect(table.code).toBe(0)
    expect(table.stdout).toContain('1 check, 2 FAIL, 1 PASS, 0 UNKNOWN')
    expect(table.stdout).toContain('MEDIUM (2)')
    expect(table.stdout).toContain(`fix:      aws ec2 create-snapshot --volume-id ${added} --region ${REGION}`)

    const sarif = await runCli(scan('--snapshot', 'current', '--check', CHECK, '--format', 'sarif'))
    expect(sarif.code).toBe(0)
    const log = JSON.parse(sarif.stdout) as {runs: Array<{tool: {driver: {rules: Array<{id: string}>}}; results: Array<{ruleId: string; level: string}>}>}
    expectValidSarif(log)
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual([CHECK])
    expect(log.runs[0]!.results.map((r) => `${r.ruleId} ${r.level}`)).toEqual([`${CHECK} warning`, `${CHECK} warning`])
  })

  it('--fail-on exits 2 when a shown FAIL reaches the severity, 0 when none does', async () => {
    const medium = await runCli(scan('--snapshot', 'current', '--check', CHECK, '--fail-on', 'medium'))
    expect(medium.code).toBe(2)
    expect(medium.stdout).toContain('--fail-on medium: 2 shown FAIL findings at medium or above (exit code 2).')
    const json = await runCli(scan('--snapshot', 'current', '--check', CHECK, '--fail-on', 'medium', '--json'))
    expect(json.code).toBe(2)
    expect((JSON.parse(json.stdout) as ScanResult).failOn).toEqual({severity: 'medium', count: 2, failed: true})

    const critical = await runCli(scan('--snapshot', 'current', '--check', CHECK, '--fail-on', 'critical'))
    expect(critical.code).toBe(0)
    expect(critical.stdout).toContain('--fail-on critical: 0 shown FAIL findings at critical or above.')
  })

  it('--export writes each format, named by its extension', async () => {
    const dir = join(root, 'exports')
    mkdirSync(dir)
    const json = await runCliJson<ScanResult>(scan('--snapshot', 'current', '--check', CHECK))
    for (const file of ['scan.json', 'scan.csv', 'scan.md', 'scan.sarif']) {
      const result = await runCli(scan('--snapshot', 'current', '--check', CHECK, '--export', join(dir, file)))
      expect(result.code, result.stderr).toBe(0)
    }

    expect(readdirSync(dir).sort()).toEqual(['scan.csv', 'scan.json', 'scan.md', 'scan.sarif'])
    expect(JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8'))).toEqual(json)
    const csv = parseCsv(readFileSync(join(dir, 'scan.csv'), 'utf8'))
    expect(csv[0]![0]).toBe('severity')
    expect(csv.slice(1).map((r) => r[7]).sort()).toEqual([volumeArn(added), volumeArn(plain)].sort())
    expect(readFileSync(join(dir, 'scan.md'), 'utf8')).toContain('| Checks | FAIL | PASS | UNKNOWN |\n|---:|---:|---:|---:|\n| 1 | 2 | 1 | 0 |')
    expectValidSarif(JSON.parse(readFileSync(join(dir, 'scan.sarif'), 'utf8')))
  })

  it('--since reports only what newly fails since the earlier snapshot', async () => {
    const result = await runCliJson<ScanResult>(scan('--snapshot', 'current', '--check', CHECK, '--since', 'baseline'))
    expect(result.findings.map((f) => `${f.status} ${f.resource}`)).toEqual([`FAIL ${volumeArn(added)}`])
    expect(result.since).toMatchObject({name: 'baseline', alreadyFailing: 1})
    expect(result.summary).toMatchObject({fail: 2, shown: 1})
    expect(encrypted).toMatch(/^vol-/)
  })
})

describe('security checks', () => {
  it('lists the catalogue with its metadata, in every format', async () => {
    const result = await runCliJson<ChecksResult>(['security', 'checks', ...at()])
    expect(result.checks).toContainEqual({id: CHECK, title: 'EBS volumes are encrypted', severity: 'medium', cis: null, resourceTypes: ['AWS::EC2::Volume']})
    const md = await runCli(['security', 'checks', '--format', 'md', ...at()])
    expect(md.stdout).toContain(`| ${CHECK} | EBS volumes are encrypted | medium |  |  | AWS::EC2::Volume |`)
    const high = await runCliJson<ChecksResult>(['security', 'checks', '--severity', 'high', ...at()])
    expect(high.checks.map((c) => c.id)).not.toContain(CHECK)
  })
})

describe('bad input is refused with one line, a non-zero exit, and nothing written', () => {
  it('refuses unknown checks, severities and snapshots, impossible --since snapshots, and bad export paths', async () => {
    const dir = join(root, 'refused')
    mkdirSync(dir)
    writeFileSync(join(root, 'a-file'), '')
    const before = databaseFileDigest(storage)
    const cases: Array<{args: string[]; message: RegExp; exit?: number}> = [
      {args: scan('--check', 'ec2-nope'), message: /^Error: Unknown check "ec2-nope"\. Run "awsinv security checks" to see the check ids\.$/},
      {args: scan('--check', 'ec2-volume-unencrypt'), message: /^Error: Unknown check "ec2-volume-unencrypt"\. Did you mean "ec2-volume-unencrypted"\? Run "awsinv security checks"/},
      {args: scan('--severity', 'extreme'), message: /Unknown severity "extreme" for --severity: use info, low, medium, high, critical\./},
      {args: scan('--fail-on', 'urgent'), message: /Unknown severity "urgent" for --fail-on/},
      {args: ['security', 'checks', '--severity', 'extreme', ...at()], message: /Unknown severity "extreme" for --severity/},
      {args: scan('--snapshot', 'nope'), message: /Unknown snapshot "nope"\. Run "awsinv snapshot list"/},
      {args: scan('--snapshot', 'current', '--since', 'nope'), message: /Unknown snapshot "nope"/},
      {args: scan('--snapshot', 'baseline', '--since', 'current'), message: /--since "current" \(.+\) started after "baseline" \(.+\): name an earlier snapshot\./},
      {args: scan('--snapshot', 'current', '--since', 'current'), message: /--since "current" is the scanned snapshot itself/},
      {
        args: scan('--snapshot', 'current', '--since', 'other-account'),
        message: new RegExp(`--since "other-account" is of account ${OTHER_ACCOUNT}, but "current" is of account 123456789012`),
      },
      {args: scan('--snapshot', 'current', '--export', join(dir, 'missing', 'scan.json')), message: /Cannot write .*scan\.json: its directory does not exist\./},
      {args: scan('--snapshot', 'current', '--export', join(root, 'a-file', 'scan.sarif')), message: /Cannot write .*scan\.sarif: a part of its path is not a directory\./},
      {args: scan('--snapshot', 'current', '--export', join(dir, 'scan.txt')), message: /--export needs a \.json, \.csv, \.md or \.sarif file name, got ".*scan\.txt"\./},
      // A usage error is exit 1 with --fail-on, so CI never reads it as "findings found".
      {args: scan('--status', 'bogus', '--fail-on', 'high'), message: /Expected --status=bogus to be one of: fail, unknown, pass, all/, exit: 1},
      {args: scan('--fail-on=high', '--nope'), message: /Nonexistent flag: --nope/, exit: 1},
      {args: ['security', 'scan', ...at(), '--fail-on'], message: /^Error: Flag --fail-on expects a value\.$/, exit: 1},
    ]
    for (let i = 0; i < cases.length; i += 4) {
      const group = cases.slice(i, i + 4)
      const results = await Promise.all(group.map((c) => runCli(c.args)))
      results.forEach((result, j) => {
        const c = group[j]!
        expectRefused(result, c.message, `awsinv ${c.args.join(' ')}`)
        expect(result.code, c.args.join(' ')).toBe(c.exit ?? 1)
      })
    }

    expect(readdirSync(dir)).toEqual([])
    expect(databaseFileDigest(storage)).toBe(before)
  })
})
