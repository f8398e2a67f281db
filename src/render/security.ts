import {createHash} from 'node:crypto'

import {UserError} from '../errors.js'
import {describeTagFilters} from '../collect/filters.js'
import type {CheckInfo, ChecksResult, ScanFinding, ScanResult} from '../security/scan.js'
import {type Severity, severities} from '../security/types.js'
import {toolVersion} from '../version.js'
import {type Column, type OutputFormat, csvCell, displayText, mdCell, renderRows} from './format.js'
import {counted} from '../words.js'

/** Formats `security scan` prints and exports. */
export const scanFormats = ['table', 'json', 'csv', 'md', 'sarif'] as const
export type ScanFormat = (typeof scanFormats)[number]

/** Most severe first: the order findings are grouped in. */
const bySeverityDown: readonly Severity[] = [...severities].reverse()

/** The scan result in `format`; `json` is the same document `--json` prints. */
export function renderScan(result: ScanResult, format: ScanFormat): string {
  switch (format) {
    case 'json': {
      return JSON.stringify(result, null, 2)
    }

    case 'csv': {
      return scanCsv(result)
    }

    case 'md': {
      return scanMarkdown(result)
    }

    case 'sarif': {
      return JSON.stringify(scanSarif(result), null, 2)
    }

    default: {
      return scanText(result)
    }
  }
}

/** The format `--export FILE` writes, from FILE's extension; a UserError for any other extension. */
export function scanExportFormat(file: string): Exclude<ScanFormat, 'table'> {
  const name = file.toLowerCase()
  if (name.endsWith('.sarif') || name.endsWith('.sarif.json')) return 'sarif'
  if (name.endsWith('.json')) return 'json'
  if (name.endsWith('.csv')) return 'csv'
  if (name.endsWith('.md')) return 'md'
  throw new UserError(`--export needs a .json, .csv, .md or .sarif file name, got "${file}".`)
}

/** `N checks, X FAIL, Y PASS, Z UNKNOWN`. */
export function summaryLine(result: ScanResult): string {
  const s = result.summary
  return `${counted(s.checks, 'check')}, ${s.fail} FAIL, ${s.pass} PASS, ${s.unknown} UNKNOWN`
}

/** What the filters show, in words, e.g. `FAIL findings of severity high or more`. */
function shownLine(result: ScanResult): string {
  const f = result.filters
  const what = f.status === 'all' ? 'all findings' : `${f.status.toUpperCase()} findings`
  const parts = [
    f.since === null ? what : `new FAIL findings since "${f.since}"`,
    f.severity === null ? '' : `of severity ${f.severity} or more`,
    f.checks === null ? '' : `of ${f.checks.join(', ')}`,
    f.cisOnly ? 'of CIS checks' : '',
  ]
  return parts.filter(Boolean).join(' ')
}

/** Why UNKNOWN matters, said whenever there are any. */
function unknownNote(result: ScanResult): string | undefined {
  const n = result.summary.unknown
  if (n === 0) return undefined
  const hint = result.filters.status === 'unknown' || result.filters.status === 'all' ? '' : ' (list them with --status unknown)'
  return `${n} UNKNOWN: data the snapshot did not collect, so neither PASS nor FAIL${hint}.`
}

function filtersLine(result: ScanResult): string | undefined {
  const filters = describeTagFilters(result.snapshot.tagFilters)
  return filters === undefined ? undefined : `Taken with tag filters (${filters}): only the resources they select are judged.`
}

function sinceLine(result: ScanResult): string | undefined {
  if (!result.since) return undefined
  const {since} = result
  // What the earlier snapshot did not look at cannot have failed there: it all counts as new.
  const unseen = result.snapshot.regions.filter((r) => !since.regions.includes(r))
  const regions = unseen.length > 0 ? ` "${since.name}" did not collect ${unseen.join(', ')}: every FAIL there counts as new.` : ''
  const filters = describeTagFilters(since.tagFilters)
  const filtered = filters === undefined ? '' : ` "${since.name}" was taken with tag filters (${filters}): what they leave out was not judged there.`
  const n = since.notCollectedThere
  const data = n > 0 ? ` ${counted(n, 'FAIL finding')} shown ${n === 1 ? 'is' : 'are'} about data "${since.name}" did not collect (a region or type it left out${filters === undefined ? '' : ', or a resource its tag filters left out'}), so ${n === 1 ? 'it counts' : 'they count'} as new.` : ''
  return `Compared with "${since.name}" (captured ${since.capturedAt}): ${counted(since.alreadyFailing, 'FAIL finding')} already failing there ${since.alreadyFailing === 1 ? 'is' : 'are'} left out.${regions}${filtered}${data}`
}

function failOnLine(result: ScanResult): string | undefined {
  if (!result.failOn) return undefined
  const {severity, count} = result.failOn
  return `--fail-on ${severity}: ${counted(count, 'shown FAIL finding')} at ${severity} or above${count > 0 ? ' (exit code 2)' : ''}.`
}

/** The finding's resource name with where it is: `data  us-east-1  account 123456789012`. */
function label(f: ScanFinding): string {
  return `${f.name}  ${f.region}  account ${f.accountId}`
}

/** For people: the summary, then the shown findings grouped by severity, most severe first. */
function scanText(result: ScanResult): string {
  const lines = [
    `Security scan of snapshot "${result.snapshot.name}" (account ${result.snapshot.accountId}, captured ${result.snapshot.capturedAt})`,
    summaryLine(result),
    ...[filtersLine(result), unknownNote(result), sinceLine(result)].filter((l) => l !== undefined),
    `Showing ${shownLine(result)}: ${result.summary.shown}`,
  ]
  for (const severity of bySeverityDown) {
    const group = result.findings.filter((f) => f.severity === severity)
    if (group.length === 0) continue
    lines.push('', `${severity.toUpperCase()} (${group.length})`)
    for (const f of group) {
      lines.push(`  ${f.status.padEnd(7)} ${f.checkId}  ${displayText(label(f))}`, `          ${displayText(f.title)}`)
      if (f.resource !== f.name) lines.push(`          resource: ${displayText(f.resource)}`)
      lines.push(`          evidence: ${displayText(f.evidence)}`)
      if (f.remediation !== null) lines.push(`          fix:      ${displayText(f.remediation)}`)
    }
  }

  if (result.findings.length === 0) lines.push('', 'No findings to show.')
  const failOn = failOnLine(result)
  if (failOn) lines.push('', failOn)
  return lines.join('\n')
}

/** Inline code in Markdown, safe when the text itself holds a backtick. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``
}

function scanMarkdown(result: ScanResult): string {
  const s = result.summary
  const lines = [
    `### Security scan of \`${result.snapshot.name}\``,
    '',
    `Account ${result.snapshot.accountId}, captured ${result.snapshot.capturedAt}. Showing ${shownLine(result)}.`,
    '',
    '| Checks | FAIL | PASS | UNKNOWN |',
    '|---:|---:|---:|---:|',
    `| ${s.checks} | ${s.fail} | ${s.pass} | ${s.unknown} |`,
    ...[unknownNote(result), sinceLine(result)].flatMap((l) => (l === undefined ? [] : ['', l])),
  ]
  for (const severity of bySeverityDown) {
    const group = result.findings.filter((f) => f.severity === severity)
    if (group.length === 0) continue
    lines.push('', `#### ${severity[0]!.toUpperCase()}${severity.slice(1)} (${group.length})`, '')
    lines.push('| Status | Check | Resource | Region | Evidence | Remediation |', '|---|---|---|---|---|---|')
    for (const f of group) {
      const remediation = f.remediation === null ? '' : code(f.remediation)
      lines.push(`| ${f.status} | ${f.checkId} | ${mdCell(code(f.resource))} | ${f.region} | ${mdCell(f.evidence)} | ${mdCell(remediation)} |`)
    }
  }

  if (result.findings.length === 0) lines.push('', 'No findings to show.')
  const failOn = failOnLine(result)
  if (failOn) lines.push('', failOn)
  return lines.join('\n')
}

const csvHeader = ['severity', 'status', 'check_id', 'title', 'cis_v4', 'cis_v7', 'resource_type', 'resource', 'name', 'account_id', 'region', 'evidence', 'remediation']

/** One RFC 4180 row per shown finding (CRLF between records; the caller ends the last one). */
function scanCsv(result: ScanResult): string {
  const rows = result.findings.map((f) => [
    f.severity,
    f.status,
    f.checkId,
    f.title,
    f.cis?.v4 ?? '',
    f.cis?.v7 ?? '',
    f.resourceType,
    f.resource,
    f.name,
    f.accountId,
    f.region,
    f.evidence,
    f.remediation ?? '',
  ])
  return [csvHeader, ...rows].map((cells) => cells.map((c) => csvCell(c)).join(',')).join('\r\n')
}

/** GitHub code scanning reads `security-severity` as a CVSS-like score: 9+ critical, 7+ high, 4+ medium. */
const securitySeverity: Record<Severity, string> = {critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0'}
const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = {critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note'}

/** `ec2-volume-unencrypted` → `Ec2VolumeUnencrypted`, SARIF's readable rule name. */
function ruleName(id: string): string {
  return id
    .split('-')
    .map((part) => `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`)
    .join('')
}

/** Stable across scans for the same check and resource, so code scanning tracks one alert per finding. */
export function findingFingerprint(checkId: string, resource: string): string {
  return createHash('sha256').update(`${checkId}\u0000${resource}`).digest('hex')
}

/**
 * A SARIF 2.1.0 log of one run: the checks run as rules, the shown findings as results. A FAIL is a
 * result of kind `fail` with a level from its severity; an UNKNOWN (shown with `--status unknown|all`) is
 * kind `open` and a PASS kind `pass`, both level `none`, as SARIF prescribes for results that are not
 * failures. Locations name the resource's ARN, as artifact URI and as a logical location (there is no
 * source file; code scanning needs a location to show a result).
 */
export function scanSarif(result: ScanResult): Record<string, unknown> {
  const ruleIndex = new Map(result.checks.map((c, i) => [c.id, i]))
  const rules = result.checks.map((c) => ({
    id: c.id,
    name: ruleName(c.id),
    shortDescription: {text: c.title},
    fullDescription: {text: c.risk},
    help: {
      text: `${c.remediation.text}\n\n${c.remediation.cli}`,
      markdown: `${c.remediation.text}\n\n\`\`\`sh\n${c.remediation.cli}\n\`\`\``,
    },
    defaultConfiguration: {level: sarifLevel[c.severity]},
    properties: {
      tags: ['security', 'aws', ...(c.cis ? [`CIS AWS Foundations v4.0.1 ${c.cis.v4}`, ...(c.cis.v7 ? [`CIS AWS Foundations v7.0.0 ${c.cis.v7}`] : [])] : [])],
      'security-severity': securitySeverity[c.severity],
      precision: 'very-high',
      severity: c.severity,
      resourceTypes: c.resourceTypes,
      ...(c.cis ? {cis: c.cis} : {}),
    },
  }))
  const results = result.findings.map((f) => ({
    ruleId: f.checkId,
    ruleIndex: ruleIndex.get(f.checkId) ?? -1,
    ...(f.status === 'FAIL' ? {kind: 'fail', level: sarifLevel[f.severity]} : {kind: f.status === 'PASS' ? 'pass' : 'open', level: 'none'}),
    message: {text: `${f.name}: ${f.evidence}${f.remediation === null ? '' : `\nRemediation: ${f.remediation}`}`},
    locations: [
      {
        physicalLocation: {artifactLocation: {uri: encodeURI(f.resource)}},
        logicalLocations: [{name: f.name, fullyQualifiedName: f.resource, kind: 'resource'}],
      },
    ],
    partialFingerprints: {'awsinvFinding/v1': findingFingerprint(f.checkId, f.resource)},
    properties: {status: f.status, severity: f.severity, resourceType: f.resourceType, accountId: f.accountId, region: f.region},
  }))
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {driver: {name: 'awsinv', version: toolVersion(), semanticVersion: toolVersion(), rules}},
        // One category per account: uploads for different accounts do not close each other's alerts.
        automationDetails: {id: `awsinv-security/${result.snapshot.accountId}/${result.snapshot.name}`},
        results,
        properties: {snapshot: result.snapshot, filters: result.filters, summary: result.summary},
      },
    ],
  }
}

const checkColumns: Array<Column<CheckInfo>> = [
  {header: 'ID', value: (c) => c.id},
  {header: 'Title', value: (c) => c.title},
  {header: 'Severity', value: (c) => c.severity},
  {header: 'CIS v4.0.1', value: (c) => c.cis?.v4 ?? ''},
  {header: 'CIS v7.0.0', value: (c) => c.cis?.v7 ?? ''},
  {header: 'Resource types', value: (c) => c.resourceTypes.join(', ')},
]

/** The `security checks` listing; `json` is the same document `--json` prints. */
export function renderChecks(result: ChecksResult, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(result, null, 2)
  return renderRows(result.checks, checkColumns, format)
}
