import {describe, expect, it} from 'vitest'

import {findingFingerprint, renderChecks, renderScan, scanExportFormat, scanSarif, summaryLine} from '../../../src/render/security.js'
import {ec2VolumeUnencrypted} from '../../../src/security/checks/ec2-volume-unencrypted.js'
import {fail, perCell} from '../../../src/security/evaluate.js'
import {type ScanOptions, type ScanResult, listChecks, runScan} from '../../../src/security/scan.js'
import type {Check} from '../../../src/security/types.js'
import {toolVersion} from '../../../src/version.js'
import {parseCsv} from '../../support/csv.js'
import {expectValidSarif} from '../../support/sarif.js'
import {collected, scanSnapshot} from '../../support/scan.js'
import {withTerminalWidth} from '../../support/terminal.js'

const VOLUME = 'AWS::EC2::Volume'
const volume = (id: string, Encrypted: boolean, name?: string) =>
  collected(VOLUME, {VolumeId: id, Size: 8, Encrypted, State: 'available', CreateTime: new Date('2026-01-01T00:00:00Z'), Tags: name ? [{Key: 'Name', Value: name}] : []})

/** A critical CIS verdict per collected region, so the output holds more than one severity. */
const regionSetting: Check = {
  id: 'test-region-setting',
  title: 'The region setting is on',
  severity: 'critical',
  cis: {v4: '9.3', v7: '4.1'},
  resourceTypes: [VOLUME],
  risk: 'Without it, anything goes.',
  remediation: {text: 'Turn the setting on.', cli: 'aws ec2 turn-on --region <region>'},
  evaluate: (snapshot) => perCell(snapshot, VOLUME, (cell) => ({verdict: fail('setting off', `aws ec2 turn-on --region ${cell.region}`)})),
}

const checks = [ec2VolumeUnencrypted, regionSetting]

/**
 * Two unencrypted volumes (one named with a pipe, a comma, a quote and an escape sequence), an encrypted
 * one, the region setting off in us-east-1, and eu-west-1 not collected.
 */
async function scanned(options: ScanOptions = {}): Promise<ScanResult> {
  const snapshot = scanSnapshot({
    resources: [await volume('vol-plain', false), await volume('vol-odd', false, 'a|b, "c" \u001B[31mred'), await volume('vol-enc', true)],
    cells: {[VOLUME]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'ec2:DescribeVolumes denied'}]},
  })
  return runScan(snapshot, options, checks)
}

describe('renderScan table', () => {
  withTerminalWidth(200)

  it('leads with the snapshot and the summary line, notes the UNKNOWNs, then groups FAILs by severity, most severe first', async () => {
    const text = renderScan(await scanned({failOn: 'high'}), 'table')
    const lines = text.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      'Security scan of snapshot "scan-test" (account 123456789012, captured 2026-06-01T12:00:00.000Z)',
      '2 checks, 3 FAIL, 1 PASS, 2 UNKNOWN',
      '2 UNKNOWN: data the snapshot did not collect, so neither PASS nor FAIL (list them with --status unknown).',
      'Showing FAIL findings: 3',
    ])
    expect(text.indexOf('CRITICAL (1)')).toBeGreaterThan(0)
    expect(text.indexOf('MEDIUM (2)')).toBeGreaterThan(text.indexOf('CRITICAL (1)'))
    expect(text).not.toContain('HIGH (')
    expect(text).toContain(
      [
        '  FAIL    ec2-volume-unencrypted  vol-plain  us-east-1  account 123456789012',
        '          EBS volumes are encrypted',
        '          resource: arn:aws:ec2:us-east-1:123456789012:volume/vol-plain',
        '          evidence: volume vol-plain (8 GiB) is not encrypted',
        '          fix:      aws ec2 create-snapshot --volume-id vol-plain --region us-east-1  # then copy-snapshot --encrypted and create-volume from the copy',
      ].join('\n'),
    )
    expect(text).toContain('  FAIL    test-region-setting  123456789012/us-east-1  us-east-1  account 123456789012\n          The region setting is on\n          evidence: setting off')
    expect(lines.at(-1)).toBe('--fail-on high: 1 shown FAIL finding at high or above (exit code 2).')
  })

  it('says under the summary which tag filters the snapshot was taken with, when it was', async () => {
    const filtered = scanSnapshot({resources: [await volume('vol-plain', false)], tagFilters: {includeTags: {env: 'dev', team: 'a'}, excludeTags: {keep: 'true'}}})
    const result = runScan(filtered, {}, checks)
    expect(result.snapshot.tagFilters).toEqual({includeTags: {env: 'dev', team: 'a'}, excludeTags: {keep: 'true'}})
    expect(renderScan(result, 'table').split('\n')[2]).toBe('Taken with tag filters (include env=dev, team=a; exclude keep=true): only the resources they select are judged.')
    expect(renderScan(await scanned(), 'table')).not.toContain('Taken with tag filters')
  })

  it('never passes control characters from resource data to the terminal', async () => {
    const text = renderScan(await scanned(), 'table')
    expect(text).toContain('a|b, "c" \uFFFD[31mred')
    expect(text).not.toContain('\u001B')
  })

  it('says what the filters show, the --since comparison, and when nothing is left to show', async () => {
    const unknown = renderScan(await scanned({status: 'unknown', severity: 'medium'}), 'table')
    expect(unknown).toContain('2 UNKNOWN: data the snapshot did not collect, so neither PASS nor FAIL.')
    expect(unknown).toContain('Showing UNKNOWN findings of severity medium or more: 2')
    expect(unknown).toContain('  UNKNOWN test-region-setting  123456789012/eu-west-1  eu-west-1  account 123456789012')
    expect(unknown).toContain('evidence: AWS::EC2::Volume was not collected in 123456789012/eu-west-1: access_denied (ec2:DescribeVolumes denied)')
    expect(unknown).not.toContain('fix:')

    const before = scanSnapshot({resources: [await volume('vol-plain', false)], capturedAt: new Date('2026-05-01T00:00:00Z')})
    const since = renderScan(runScan(scanSnapshot({resources: [await volume('vol-plain', false)]}), {since: before, failOn: 'low'}, checks), 'table')
    expect(since).toContain('Compared with "scan-test" (captured 2026-05-01T00:00:00.000Z): 2 FAIL findings already failing there are left out.')
    expect(since).toContain('Showing new FAIL findings since "scan-test": 0')
    expect(since).toContain('\n\nNo findings to show.\n\n--fail-on low: 0 shown FAIL findings at low or above.')

    // Regions the earlier snapshot did not collect: said, as everything failing there counts as new.
    const narrower = scanSnapshot({resources: [await volume('vol-plain', false)], regions: ['us-east-1'], capturedAt: new Date('2026-05-01T00:00:00Z')})
    const wider = renderScan(runScan(scanSnapshot({resources: [await volume('vol-plain', false)], regions: ['us-east-1', 'eu-west-1']}), {since: narrower}, checks), 'table')
    expect(wider).toContain('left out. "scan-test" did not collect eu-west-1: every FAIL there counts as new.')
    expect(since).not.toContain('did not collect')

    // An earlier snapshot without volumes at all: today's volume FAILs are about data it did not collect.
    const withoutVolumes = scanSnapshot({capturedAt: new Date('2026-05-01T00:00:00Z')})
    const unseen = runScan(scanSnapshot({resources: [await volume('vol-plain', false)]}), {since: withoutVolumes}, checks)
    expect(unseen.since?.notCollectedThere).toBeGreaterThan(0)
    expect(renderScan(unseen, 'table')).toMatch(/\d+ FAIL findings? shown (is|are) about data "scan-test" did not collect \(a region or type it left out\), so (it counts|they count) as new\./)
    expect(runScan(scanSnapshot({resources: [await volume('vol-plain', false)]}), {since: before}, checks).since?.notCollectedThere).toBe(0)

    // An earlier snapshot whose tag filters leave the volume out (it was there, untagged): its FAILs were not
    // judged there, so they count as not collected there, and the filters are named.
    const teamOnly = scanSnapshot({cells: {[VOLUME]: [{region: 'us-east-1'}]}, tagFilters: {includeTags: {owner: 'team-a'}, excludeTags: {}}, capturedAt: new Date('2026-05-01T00:00:00Z')})
    const filtered = runScan(scanSnapshot({resources: [await volume('vol-plain', false)]}), {since: teamOnly}, [ec2VolumeUnencrypted])
    expect(filtered.since?.notCollectedThere).toBe(1)
    expect(renderScan(filtered, 'table')).toContain(
      'left out. "scan-test" was taken with tag filters (include owner=team-a): what they leave out was not judged there. 1 FAIL finding shown is about data "scan-test" did not collect (a region or type it left out, or a resource its tag filters left out), so it counts as new.',
    )
    // One they select was judged there.
    const teamVolume = await collected(VOLUME, {VolumeId: 'vol-team', Size: 8, Encrypted: false, State: 'available', CreateTime: new Date('2026-01-01T00:00:00Z'), Tags: [{Key: 'owner', Value: 'team-a'}]})
    expect(runScan(scanSnapshot({resources: [teamVolume]}), {since: teamOnly}, [ec2VolumeUnencrypted]).since?.notCollectedThere).toBe(0)
  })
})

describe('renderScan md, csv and json', () => {
  it('md: a summary table, then a table per severity with escaped cells and the fix as code', async () => {
    const md = renderScan(await scanned({status: 'all'}), 'md')
    expect(md).toContain('### Security scan of `scan-test`\n\nAccount 123456789012, captured 2026-06-01T12:00:00.000Z. Showing all findings.')
    expect(md).toContain('| Checks | FAIL | PASS | UNKNOWN |\n|---:|---:|---:|---:|\n| 2 | 3 | 1 | 2 |')
    expect(md.indexOf('#### Critical (2)')).toBeLessThan(md.indexOf('#### Medium (4)'))
    expect(md).toContain(
      '| FAIL | ec2-volume-unencrypted | `arn:aws:ec2:us-east-1:123456789012:volume/vol-plain` | us-east-1 | volume vol-plain (8 GiB) is not encrypted | `aws ec2 create-snapshot --volume-id vol-plain --region us-east-1  # then copy-snapshot --encrypted and create-volume from the copy` |',
    )
    expect(md).toContain('| PASS | ec2-volume-unencrypted | `arn:aws:ec2:us-east-1:123456789012:volume/vol-enc` | us-east-1 | encrypted |  |')
    // Each table row has exactly the seven unescaped pipes of six cells.
    for (const row of md.split('\n').filter((l) => l.startsWith('| FAIL') || l.startsWith('| PASS') || l.startsWith('| UNKNOWN'))) {
      expect(row.replaceAll('\\|', '').split('|')).toHaveLength(8)
    }
  })

  it('csv: one RFC 4180 record per shown finding, every field', async () => {
    const result = await scanned()
    const rows = parseCsv(`${renderScan(result, 'csv')}\r\n`)
    expect(rows[0]).toEqual(['severity', 'status', 'check_id', 'title', 'cis_v4', 'cis_v7', 'resource_type', 'resource', 'name', 'account_id', 'region', 'evidence', 'remediation'])
    expect(rows).toHaveLength(4)
    expect(rows[1]).toEqual([
      'critical',
      'FAIL',
      'test-region-setting',
      'The region setting is on',
      '9.3',
      '4.1',
      VOLUME,
      '123456789012/us-east-1',
      '123456789012/us-east-1',
      '123456789012',
      'us-east-1',
      'setting off',
      'aws ec2 turn-on --region us-east-1',
    ])
    expect(rows.find((r) => r[7]?.endsWith('vol-odd'))?.[8]).toBe('a|b, "c" \u001B[31mred')
  })

  it('json: the result document itself, as --json prints it', async () => {
    const result = await scanned()
    expect(JSON.parse(renderScan(result, 'json'))).toEqual(result)
  })
})

/** The parts of the log the tests read. */
interface SarifLog {
  version: string
  runs: Array<{
    tool: {driver: {name: string; version: string; rules: unknown[]}}
    automationDetails: unknown
    results: Array<{
      ruleId: string
      kind: string
      level: string
      locations: Array<{physicalLocation: {artifactLocation: {uri: string}}; logicalLocations: Array<{name: string}>}>
    }>
    properties: {summary: unknown}
  }>
}

describe('renderScan sarif', () => {
  it('is a valid SARIF 2.1.0 log: one run, the checks as rules, the FAIL findings as results', async () => {
    const result = await scanned()
    const log = JSON.parse(renderScan(result, 'sarif')) as SarifLog
    expectValidSarif(log)
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    const run = log.runs[0]!
    expect(run.tool.driver).toMatchObject({name: 'awsinv', version: toolVersion()})
    expect(run.automationDetails).toEqual({id: 'awsinv-security/123456789012/scan-test'})
    expect(run.tool.driver.rules).toEqual([
      {
        id: 'ec2-volume-unencrypted',
        name: 'Ec2VolumeUnencrypted',
        shortDescription: {text: 'EBS volumes are encrypted'},
        fullDescription: {text: ec2VolumeUnencrypted.risk},
        help: {
          text: `${ec2VolumeUnencrypted.remediation.text}\n\n${ec2VolumeUnencrypted.remediation.cli}`,
          markdown: `${ec2VolumeUnencrypted.remediation.text}\n\n\`\`\`sh\n${ec2VolumeUnencrypted.remediation.cli}\n\`\`\``,
        },
        defaultConfiguration: {level: 'warning'},
        properties: {tags: ['security', 'aws'], 'security-severity': '5.5', precision: 'very-high', severity: 'medium', resourceTypes: [VOLUME]},
      },
      expect.objectContaining({
        id: 'test-region-setting',
        defaultConfiguration: {level: 'error'},
        properties: {
          tags: ['security', 'aws', 'CIS AWS Foundations v4.0.1 9.3', 'CIS AWS Foundations v7.0.0 4.1'],
          'security-severity': '9.5',
          precision: 'very-high',
          severity: 'critical',
          resourceTypes: [VOLUME],
          cis: {v4: '9.3', v7: '4.1'},
        },
      }),
    ])
    expect(run.results).toHaveLength(3)
    expect(run.results[0]).toEqual({
      ruleId: 'test-region-setting',
      ruleIndex: 1,
      kind: 'fail',
      level: 'error',
      message: {text: '123456789012/us-east-1: setting off\nRemediation: aws ec2 turn-on --region us-east-1'},
      locations: [
        {
          physicalLocation: {artifactLocation: {uri: '123456789012/us-east-1'}},
          logicalLocations: [{name: '123456789012/us-east-1', fullyQualifiedName: '123456789012/us-east-1', kind: 'resource'}],
        },
      ],
      partialFingerprints: {'awsinvFinding/v1': findingFingerprint('test-region-setting', '123456789012/us-east-1')},
      properties: {status: 'FAIL', severity: 'critical', resourceType: VOLUME, accountId: '123456789012', region: 'us-east-1'},
    })
    const plain = run.results.find((r) => r.locations[0]?.logicalLocations[0]?.name === 'vol-plain')
    expect(plain).toMatchObject({ruleId: 'ec2-volume-unencrypted', ruleIndex: 0, level: 'warning'})
    expect(plain?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('arn:aws:ec2:us-east-1:123456789012:volume/vol-plain')
    expect(run.properties.summary).toEqual(result.summary)
  })

  it('gives UNKNOWN (kind open) and PASS (kind pass) results level none when --status shows them, and stays valid', async () => {
    const log = scanSarif(await scanned({status: 'all'})) as unknown as SarifLog
    expectValidSarif(log)
    const kinds = log.runs[0]!.results.map((r) => `${r.kind}/${r.level}`)
    expect(kinds.filter((k) => k === 'open/none')).toHaveLength(2)
    expect(kinds.filter((k) => k === 'pass/none')).toHaveLength(1)
    expect(kinds.filter((k) => k.startsWith('fail/'))).toHaveLength(3)
  })

  it('is valid with no results, and fingerprints are stable per check and resource and differ across them', async () => {
    const empty = runScan(scanSnapshot({cells: {[VOLUME]: []}}), {}, [ec2VolumeUnencrypted])
    expectValidSarif(scanSarif(empty))
    // The validation means something: a run without its tool, or an unknown level, is refused.
    expect(() => expectValidSarif({version: '2.1.0', runs: [{results: []}]})).toThrow(/tool/)
    const log = scanSarif(await scanned()) as unknown as SarifLog
    log.runs[0]!.results[0]!.level = 'fatal'
    expect(() => expectValidSarif(log)).toThrow(/allowedValues/)
    expect(findingFingerprint('a', 'arn:1')).toBe(findingFingerprint('a', 'arn:1'))
    expect(new Set([findingFingerprint('a', 'arn:1'), findingFingerprint('b', 'arn:1'), findingFingerprint('a', 'arn:2'), findingFingerprint('a-', 'rn:1')]).size).toBe(4)
  })
})

describe('scanExportFormat', () => {
  it('takes the format from the extension, in any case, and refuses any other', () => {
    expect(['x.json', 'X.CSV', 'a/b.md', 'r.sarif', 'r.sarif.json'].map((f) => scanExportFormat(f))).toEqual(['json', 'csv', 'md', 'sarif', 'sarif'])
    expect(() => scanExportFormat('report.txt')).toThrow('--export needs a .json, .csv, .md or .sarif file name, got "report.txt".')
    expect(() => scanExportFormat('json')).toThrow('--export needs')
  })
})

describe('summaryLine', () => {
  it('says "check" for one', async () => {
    expect(summaryLine(runScan(scanSnapshot({resources: [await volume('v', true)]}), {}, [ec2VolumeUnencrypted]))).toBe('1 check, 0 FAIL, 1 PASS, 0 UNKNOWN')
  })
})

describe('renderChecks', () => {
  withTerminalWidth(300)

  it('lists id, title, severity, CIS ids and resource types; json is the result document', () => {
    const result = listChecks({}, checks)
    expect(renderChecks(result, 'md').split('\n')).toEqual([
      '| ID | Title | Severity | CIS v4.0.1 | CIS v7.0.0 | Resource types |',
      '| --- | --- | --- | --- | --- | --- |',
      '| ec2-volume-unencrypted | EBS volumes are encrypted | medium |  |  | AWS::EC2::Volume |',
      '| test-region-setting | The region setting is on | critical | 9.3 | 4.1 | AWS::EC2::Volume |',
    ])
    expect(renderChecks(result, 'table')).toMatch(/│ test-region-setting +│ The region setting is on +│ critical +│ 9\.3 +│ 4\.1 +│ AWS::EC2::Volume +│/)
    expect(parseCsv(`${renderChecks(result, 'csv')}\r\n`)[2]).toEqual(['test-region-setting', 'The region setting is on', 'critical', '9.3', '4.1', VOLUME])
    expect(JSON.parse(renderChecks(result, 'json'))).toEqual(result)
  })
})
