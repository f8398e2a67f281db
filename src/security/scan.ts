import {describeTagFilters, matchesTagFilters} from '../collect/filters.js'
import {UserError} from '../errors.js'
import {specOf} from '../resources/registry.js'
import type {Store} from '../store/database.js'
import {DEFAULT_INVENTORY} from '../store/inventories.js'
import {loadScanSnapshot} from '../store/scan-snapshot.js'
import {type Snapshot, namedOrActiveSnapshot, requireSnapshot} from '../store/snapshots.js'
import {checks as catalogue} from './catalogue.js'
import {type Check, type CisControls, type Finding, type FindingStatus, type ScanSnapshot, type Severity, severities} from './types.js'
import {closestWords} from '../suggest.js'

/** Which findings `--status` shows. */
export const statusFilters = ['fail', 'unknown', 'pass', 'all'] as const
export type StatusFilter = (typeof statusFilters)[number]

/** Which checks run and which of their findings are reported. */
export interface ScanOptions {
  /** Check ids to run (all when absent). */
  checks?: readonly string[]
  /** Only checks that implement a CIS control. */
  cisOnly?: boolean
  /** Least severe finding shown (all when absent). */
  severity?: Severity
  /** Findings of this status are shown (default `fail`). */
  status?: StatusFilter
  /** The result says `failed` when a shown FAIL is at least this severe (what `--fail-on` exits 2 on). */
  failOn?: Severity
}

/** A check as the scan reports it: its metadata and how its findings came out. */
export interface CheckSummary {
  id: string
  title: string
  /** The check's default severity (single findings may be more severe). */
  severity: Severity
  /** CIS controls it implements, or null outside CIS. */
  cis: CisControls | null
  resourceTypes: string[]
  risk: string
  remediation: {text: string; cli: string}
  /** Its findings of each status, whatever the filters show. */
  pass: number
  fail: number
  unknown: number
}

/** One finding with its check's metadata attached. */
export interface ScanFinding extends Omit<Finding, 'severity' | 'remediation'> {
  checkId: string
  /** The check's title: what a PASS means. */
  title: string
  /** The finding's own severity where the check set one, else the check's. */
  severity: Severity
  /** The check's CIS controls, or null outside CIS. */
  cis: CisControls | null
  /** For FAIL: the command that fixes this resource; null otherwise. */
  remediation: string | null
}

/** A scanned snapshot. */
export interface ScannedSnapshot {
  name: string
  /** When it was captured (its start): the time every age is measured at. */
  capturedAt: string
  accountId: string
  accounts: string[]
  regions: string[]
  /** The tag filters it was taken with: the resources outside them are not in it, nor judged. */
  tagFilters: {includeTags: Record<string, string>; excludeTags: Record<string, string>}
}

export interface ScanSummary {
  /** Checks run. */
  checks: number
  /** Findings of every check run, whatever the filters show: the three counts below add up to it. */
  evaluated: number
  pass: number
  fail: number
  /** Findings on data the snapshot did not collect: neither a PASS nor a FAIL. */
  unknown: number
  /** FAIL findings of every check run, per severity. */
  failBySeverity: Record<Severity, number>
  /** Findings listed in `findings`, after the filters. */
  shown: number
}

/** Everything `security scan` reports; `--json` prints it. */
export interface ScanResult {
  snapshot: ScannedSnapshot
  /** With `--since`: the earlier snapshot, and how many FAIL findings already failed there (left out). */
  /**
   * With `--since`: the earlier snapshot, how many FAIL findings already failed there (left out), and how
   * many shown FAILs are about data it did not collect (a region or type it left out): new by default.
   */
  since: (ScannedSnapshot & {alreadyFailing: number; notCollectedThere: number}) | null
  filters: {severity: Severity | null; checks: string[] | null; cisOnly: boolean; status: StatusFilter; since: string | null}
  summary: ScanSummary
  /** With `--fail-on`: the threshold, how many shown FAIL findings reach it, and whether any does. */
  failOn: {severity: Severity; count: number; failed: boolean} | null
  checks: CheckSummary[]
  /** Shown findings, most severe first, then by check and resource. */
  findings: ScanFinding[]
}

/** Rank of a severity: higher is more severe. */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity)
}

/** A `--severity` / `--fail-on` value (any case), or a UserError naming the choices. */
export function parseSeverity(value: string, flag: string): Severity {
  const severity = value.trim().toLowerCase()
  if (!(severities as readonly string[]).includes(severity)) throw new UserError(`Unknown severity "${value}" for ${flag}: use ${severities.join(', ')}.`)
  return severity as Severity
}

function parseStatus(value: string): StatusFilter {
  if (!(statusFilters as readonly string[]).includes(value)) throw new UserError(`Unknown status "${value}" for --status: use ${statusFilters.join(', ')}.`)
  return value as StatusFilter
}

/**
 * The checks of `catalogue` that `ids` (all when absent) and `cisOnly` select, in catalogue order. An id
 * that is not in the catalogue is a UserError saying where the ids are listed.
 */
export function selectChecks(options: Pick<ScanOptions, 'checks' | 'cisOnly'>, from: readonly Check[] = catalogue): Check[] {
  const known = new Set(from.map((c) => c.id))
  const unknownIds = (options.checks ?? []).filter((id) => !known.has(id))
  if (unknownIds.length > 0) {
    const meant = unknownIds.flatMap((id) => closestWords(id, known, 1))
    const hint = meant.length > 0 ? ` Did you mean ${meant.map((id) => `"${id}"`).join(', ')}?` : ''
    throw new UserError(`Unknown check ${unknownIds.map((id) => `"${id}"`).join(', ')}.${hint} Run "awsinv security checks" to see the check ids.`)
  }

  const wanted = options.checks && options.checks.length > 0 ? new Set(options.checks) : undefined
  return from.filter((c) => (!wanted || wanted.has(c.id)) && (!options.cisOnly || c.cis !== undefined))
}

const statusOrder: Record<FindingStatus, number> = {FAIL: 0, UNKNOWN: 1, PASS: 2}

/**
 * A check's findings on a snapshot. Where the snapshot was taken with tag filters, a FAIL that says nothing
 * satisfying the check was found (a check with `satisfiedBy`) is UNKNOWN: the filters may have left it out.
 */
export function judge(check: Check, snapshot: ScanSnapshot): Finding[] {
  const findings = mergeUnknowns(check.evaluate(snapshot))
  const filters = describeTagFilters(snapshot.tagFilters)
  if (check.satisfiedBy === undefined || filters === undefined) return findings
  const what = check.satisfiedBy.join(' or ')
  return findings.map((f) =>
    f.status !== 'FAIL'
      ? f
      : {
          ...f,
          status: 'UNKNOWN',
          evidence: `${f.evidence}; but snapshot "${snapshot.name}" was taken with tag filters (${filters}), which may have left out the ${what} that would satisfy the check`,
          remediation: undefined,
        },
  )
}

/**
 * One UNKNOWN per resource: a check reading two types that were both not collected (RDS instances and
 * clusters) says so once for the account or region, not twice under the same name and fingerprint.
 */
function mergeUnknowns(findings: Finding[]): Finding[] {
  const first = new Map<string, Finding>()
  const merged: Finding[] = []
  for (const f of findings) {
    const earlier = f.status === 'UNKNOWN' ? first.get(f.resource) : undefined
    if (earlier === undefined) {
      if (f.status === 'UNKNOWN') first.set(f.resource, f)
      merged.push(f)
      continue
    }

    const index = merged.indexOf(earlier)
    const together: Finding = {...earlier, resourceType: `${earlier.resourceType}, ${f.resourceType}`, evidence: `${earlier.evidence}; ${f.evidence}`}
    merged[index] = together
    first.set(f.resource, together)
  }

  return merged
}

/** Whether a finding of `status` is shown by `filter`. */
function shows(filter: StatusFilter, status: FindingStatus): boolean {
  return filter === 'all' || filter.toUpperCase() === status
}

const findingKey = (checkId: string, resource: string) => `${checkId}\u0000${resource}`

/**
 * Runs the selected checks over `snapshot` (pure: checks read the snapshot only) and reports their
 * findings through the filters. With `since`, only FAIL findings that did not FAIL there (same check,
 * same resource) are shown; the caller makes sure `since` is an earlier snapshot of the same account.
 */
export function runScan(snapshot: ScanSnapshot, options: ScanOptions & {since?: ScanSnapshot} = {}, from: readonly Check[] = catalogue): ScanResult {
  const selected = selectChecks(options, from)
  if (selected.length === 0) throw new UserError('No check matches --check and --cis-only together. Run "awsinv security checks --cis-only" to see the CIS checks.')
  const status = options.status ?? 'fail'
  if (options.since && status !== 'fail') throw new UserError(`--since lists new FAIL findings only; it cannot be combined with --status ${status}.`)

  const all: ScanFinding[] = []
  const summaries: CheckSummary[] = []
  for (const check of selected) {
    const findings = judge(check, snapshot).map((f): ScanFinding => ({
      checkId: check.id,
      title: check.title,
      severity: f.severity ?? check.severity,
      cis: check.cis ?? null,
      status: f.status,
      resource: f.resource,
      resourceType: f.resourceType,
      name: f.name,
      accountId: f.accountId,
      region: f.region,
      evidence: f.evidence,
      remediation: f.status === 'FAIL' ? (f.remediation ?? null) : null,
    }))
    all.push(...findings)
    const count = (s: FindingStatus) => findings.filter((f) => f.status === s).length
    summaries.push({
      id: check.id,
      title: check.title,
      severity: check.severity,
      cis: check.cis ?? null,
      resourceTypes: [...check.resourceTypes],
      risk: check.risk,
      remediation: {...check.remediation},
      pass: count('PASS'),
      fail: count('FAIL'),
      unknown: count('UNKNOWN'),
    })
  }

  // The severity each finding failed with in the earlier snapshot: one failing worse now (an open port now
  // open to all traffic) is new, so --fail-on sees it.
  const failedBefore = new Map<string, number>()
  if (options.since) {
    for (const check of selected) {
      for (const f of judge(check, options.since)) {
        if (f.status !== 'FAIL') continue
        const key = findingKey(check.id, f.resource)
        failedBefore.set(key, Math.max(failedBefore.get(key) ?? -1, severityRank(f.severity ?? check.severity)))
      }
    }
  }

  const wasFailing = (f: ScanFinding) => (failedBefore.get(findingKey(f.checkId, f.resource)) ?? -1) >= severityRank(f.severity)
  const minimum = options.severity === undefined ? 0 : severityRank(options.severity)
  const fails = all.filter((f) => f.status === 'FAIL')
  const alreadyFailing = fails.filter((f) => wasFailing(f)).length
  const findings = all
    .filter((f) => shows(status, f.status) && severityRank(f.severity) >= minimum && !wasFailing(f))
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        statusOrder[a.status] - statusOrder[b.status] ||
        compareText(a.checkId, b.checkId) ||
        compareText(a.resource, b.resource),
    )

  // A FAIL about data the earlier snapshot did not collect cannot have failed there: new, and said so. So for
  // a resource its tag filters leave out (judged by its tags now): it was not looked at there either.
  const earlier = options.since
  const tagsByType = new Map<string, Map<string, Readonly<Record<string, string>>>>()
  const tagsOf = (f: ScanFinding) => {
    let byArn = tagsByType.get(f.resourceType)
    if (byArn === undefined) {
      byArn = new Map(snapshot.resources(f.resourceType).map((r) => [r.arn, r.tags]))
      tagsByType.set(f.resourceType, byArn)
    }

    return byArn.get(f.resource)
  }

  const filteredOutThere = (f: ScanFinding) => {
    if (!earlier || specOf(f.resourceType)?.untagged) return false
    const {includeTags, excludeTags} = earlier.tagFilters
    const tags = tagsOf(f)
    return tags !== undefined && !matchesTagFilters(tags, includeTags, excludeTags)
  }

  const collectedThere = (f: ScanFinding) => {
    const cells = earlier?.cells(f.resourceType).filter((c) => c.accountId === f.accountId && c.status === 'ok') ?? []
    return (f.region === 'global' ? cells.length > 0 : cells.some((c) => c.region === f.region)) && !filteredOutThere(f)
  }

  const notCollectedThere = earlier ? findings.filter((f) => f.status === 'FAIL' && !collectedThere(f)).length : 0
  const failOn = options.failOn
  const reaching = failOn === undefined ? 0 : findings.filter((f) => f.status === 'FAIL' && severityRank(f.severity) >= severityRank(failOn)).length
  return {
    snapshot: scanned(snapshot),
    since: options.since ? {...scanned(options.since), alreadyFailing, notCollectedThere} : null,
    filters: {
      severity: options.severity ?? null,
      checks: options.checks && options.checks.length > 0 ? [...options.checks] : null,
      cisOnly: options.cisOnly ?? false,
      status,
      since: options.since?.name ?? null,
    },
    summary: {
      checks: selected.length,
      evaluated: all.length,
      pass: all.filter((f) => f.status === 'PASS').length,
      fail: fails.length,
      unknown: all.filter((f) => f.status === 'UNKNOWN').length,
      failBySeverity: Object.fromEntries(severities.map((s) => [s, fails.filter((f) => f.severity === s).length])) as Record<Severity, number>,
      shown: findings.length,
    },
    failOn: failOn === undefined ? null : {severity: failOn, count: reaching, failed: reaching > 0},
    checks: summaries,
    findings,
  }
}

function scanned(snapshot: ScanSnapshot): ScannedSnapshot {
  return {
    name: snapshot.name,
    capturedAt: snapshot.capturedAt.toISOString(),
    accountId: snapshot.accountId,
    accounts: [...snapshot.accounts],
    regions: [...snapshot.regions],
    tagFilters: {includeTags: {...snapshot.tagFilters.includeTags}, excludeTags: {...snapshot.tagFilters.excludeTags}},
  }
}

/** What `security scan` is asked, as its flags give it (severities still text). */
export interface ScanRequest {
  /** Snapshot name; default: the active snapshot of `inventory`. */
  snapshot?: string
  inventory?: string
  /** Earlier snapshot whose FAIL findings are left out. */
  since?: string
  checks?: readonly string[]
  cisOnly?: boolean
  severity?: string
  status?: string
  failOn?: string
}

/**
 * Scans a stored snapshot: checks the request (check ids, severities, status) before the store is even opened,
 * so bad input never reaches it, then resolves the snapshot (named, else the inventory's active one) and the
 * `--since` snapshot, refuses what cannot be scanned or compared, and runs the checks over what was stored.
 */
export function scanStoredSnapshot(request: ScanRequest, openStore: () => Store, from: readonly Check[] = catalogue): ScanResult {
  const options: ScanOptions = {
    // Check ids are lower case: EC2-Volume-Unencrypted is ec2-volume-unencrypted.
    checks: request.checks && [...new Set(request.checks.flatMap((c) => c.split(',')).map((c) => c.trim().toLowerCase()).filter(Boolean))],
    cisOnly: request.cisOnly,
    severity: request.severity === undefined ? undefined : parseSeverity(request.severity, '--severity'),
    status: request.status === undefined ? undefined : parseStatus(request.status),
    failOn: request.failOn === undefined ? undefined : parseSeverity(request.failOn, '--fail-on'),
  }
  if (options.checks?.length === 0) throw new UserError('--check needs a check id. Run "awsinv security checks" to see the check ids.')
  selectChecks(options, from)
  const store = openStore()
  const snapshot = namedOrActiveSnapshot(store, request.snapshot, request.inventory ?? DEFAULT_INVENTORY)
  checkScannable(snapshot)
  const since = request.since === undefined ? undefined : requireSnapshot(store, request.since)
  if (since) checkBaseline(since, snapshot)
  return runScan(loadScanSnapshot(store, snapshot), {...options, since: since && loadScanSnapshot(store, since)}, from)
}

/** Refuses a snapshot still being written, or one that failed and holds nothing. */
function checkScannable(s: Snapshot): void {
  if (s.status === 'running') throw new UserError(`Snapshot "${s.name}" is still being collected; wait for it to finish.`)
  if (s.status === 'failed') throw new UserError(`Snapshot "${s.name}" failed and holds no data to scan.`)
}

/** Refuses a `--since` snapshot that is the scanned one, later than it, or of another account. */
function checkBaseline(since: Snapshot, scanned: Snapshot): void {
  checkScannable(since)
  if (since.id === scanned.id) throw new UserError(`--since "${since.name}" is the scanned snapshot itself: name an earlier snapshot.`)
  if (since.accountId !== scanned.accountId) {
    throw new UserError(`--since "${since.name}" is of account ${since.accountId}, but "${scanned.name}" is of account ${scanned.accountId}: name a snapshot of the same account.`)
  }

  if (since.startedAt > scanned.startedAt) {
    throw new UserError(`--since "${since.name}" (${since.startedAt}) started after "${scanned.name}" (${scanned.startedAt}): name an earlier snapshot.`)
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A catalogue entry as `security checks` lists it. */
export interface CheckInfo {
  id: string
  title: string
  severity: Severity
  cis: CisControls | null
  resourceTypes: string[]
}

/** What `security checks` reports. */
export interface ChecksResult {
  checks: CheckInfo[]
}

/** The catalogue in its order (CIS sections), optionally only CIS checks and checks of at least `severity`. */
export function listChecks(request: {severity?: string; cisOnly?: boolean}, from: readonly Check[] = catalogue): ChecksResult {
  const minimum = request.severity === undefined ? 0 : severityRank(parseSeverity(request.severity, '--severity'))
  const listed = from.filter((c) => severityRank(c.severity) >= minimum && (!request.cisOnly || c.cis !== undefined))
  return {checks: listed.map((c) => ({id: c.id, title: c.title, severity: c.severity, cis: c.cis ?? null, resourceTypes: [...c.resourceTypes]}))}
}
