import type {Resource} from '../resources/types.js'
import type {Finding, ScanCell, ScanSnapshot, Severity} from './types.js'

/** A check's judgement of one resource or cell; the helpers below add where it applies. */
export type Verdict =
  | {status: 'PASS'; evidence: string}
  | {status: 'FAIL'; evidence: string; remediation: string; severity?: Severity}
  | {status: 'UNKNOWN'; evidence: string}

export const pass = (evidence: string): Verdict => ({status: 'PASS', evidence})

export const fail = (evidence: string, remediation: string, severity?: Severity): Verdict =>
  severity === undefined ? {status: 'FAIL', evidence, remediation} : {status: 'FAIL', evidence, remediation, severity}

export const unknown = (evidence: string): Verdict => ({status: 'UNKNOWN', evidence})

/** `<account>` for a global cell, `<account>/<region>` for a regional one. */
export function cellLocator(accountId: string, region: string): string {
  return region === 'global' ? accountId : `${accountId}/${region}`
}

/** Why a type's data is missing from a cell, or undefined when the cell was collected. */
export function missingData(snapshot: ScanSnapshot, type: string, accountId: string, region: string): string | undefined {
  const cell = snapshot.cells(type).find((c) => c.accountId === accountId && c.region === region)
  if (cell === undefined) return `${type} was not collected in ${cellLocator(accountId, region)}`
  if (cell.status === 'ok') return undefined
  return `${type} was not collected in ${cellLocator(accountId, region)}: ${cell.status}${cell.error ? ` (${cell.error})` : ''}`
}

/**
 * Judges every resource of `type` in the cells that were collected — those `include` accepts, when given —
 * and gives one UNKNOWN per cell that was not (or per account when the type was not part of the snapshot
 * at all): a coverage gap is never a PASS.
 */
export function perResource(snapshot: ScanSnapshot, type: string, judge: (resource: Resource) => Verdict, include?: (resource: Resource) => boolean): Finding[] {
  return perCell(snapshot, type, (cell, resources) => (include ? resources.filter(include) : resources).map((r) => ({resource: r, verdict: judge(r)})))
}

/** A verdict on a whole cell (a regional or account-wide setting), or on some of its resources. */
export interface CellVerdict {
  /** The resource judged; absent for a verdict about the cell itself. */
  resource?: Resource
  verdict: Verdict
}

/**
 * Judges each collected cell of `type` with the resources found in it (an account-level setting is
 * judged once per cell; an empty cell can still FAIL, e.g. "no trail in this account"). Cells that were
 * not collected give UNKNOWN, as in `perResource`.
 */
export function perCell(snapshot: ScanSnapshot, type: string, judge: (cell: ScanCell, resources: readonly Resource[]) => CellVerdict | CellVerdict[]): Finding[] {
  const cells = snapshot.cells(type)
  if (cells.length === 0) {
    return snapshot.accounts.map((accountId) => cellFinding(type, accountId, 'global', unknown(`${type} was not collected in this snapshot`)))
  }

  const byCell = new Map<string, Resource[]>()
  for (const r of snapshot.resources(type)) {
    const key = `${r.accountId}/${r.region}`
    const list = byCell.get(key)
    if (list) list.push(r)
    else byCell.set(key, [r])
  }

  const findings: Finding[] = []
  for (const cell of cells) {
    const gap = missingData(snapshot, type, cell.accountId, cell.region)
    if (gap !== undefined) {
      findings.push(cellFinding(type, cell.accountId, cell.region, unknown(gap)))
      continue
    }

    const judged = judge(cell, byCell.get(`${cell.accountId}/${cell.region}`) ?? [])
    for (const {resource, verdict} of Array.isArray(judged) ? judged : [judged]) {
      findings.push(resource === undefined ? cellFinding(type, cell.accountId, cell.region, verdict) : resourceFinding(resource, verdict))
    }
  }

  return findings
}

/** A finding about one resource. */
export function resourceFinding(resource: Resource, verdict: Verdict): Finding {
  return {...verdict, resource: resource.arn, resourceType: resource.type, name: resource.name, accountId: resource.accountId, region: resource.region}
}

/** A finding about a whole (account, region) cell of a type. */
export function cellFinding(type: string, accountId: string, region: string, verdict: Verdict): Finding {
  const locator = cellLocator(accountId, region)
  return {...verdict, resource: locator, resourceType: type, name: locator, accountId, region}
}

const DAY_MS = 86_400_000

/** Whole days from `iso` to the snapshot's capture time, or undefined when the date is missing or invalid. */
export function ageInDays(iso: string | null | undefined, snapshot: Pick<ScanSnapshot, 'capturedAt'>): number | undefined {
  if (iso === null || iso === undefined || iso === '') return undefined
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return undefined
  return Math.floor((snapshot.capturedAt.getTime() - time) / DAY_MS)
}
