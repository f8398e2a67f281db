import type {Resource} from '../resources/types.js'
import type {CoverageStatus} from '../store/schema.js'

/** Severities, least severe first (the order `--severity` and `--fail-on` compare by). */
export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof severities)[number]

/** PASS and FAIL are verdicts on collected data; UNKNOWN means the data was not collected. */
export type FindingStatus = 'PASS' | 'FAIL' | 'UNKNOWN'

/** CIS AWS Foundations Benchmark control ids. */
export interface CisControls {
  /** The control id in v4.0.1 (`1.4`). */
  v4: string
  /** The control id in v7.0.0 (`2.4`), where the control exists there. */
  v7?: string
}

/** What a check is, as data: shown by `security checks` and attached to every finding. */
export interface CheckMeta {
  /** `<service>-<resource>-<condition>`, the check's file name. */
  id: string
  /** What a PASS means, e.g. "No security group allows SSH from 0.0.0.0/0". */
  title: string
  severity: Severity
  /** CIS controls this check implements; absent for checks that are good practice outside CIS. */
  cis?: CisControls
  /** Spec types the check reads (including `Account::` settings). */
  resourceTypes: readonly string[]
  /**
   * Types whose resources, where they exist, satisfy the check (a qualifying trail, a support role): its
   * FAIL says none was found. A snapshot taken with tag filters may have left them out, so there such a
   * FAIL is UNKNOWN.
   */
  satisfiedBy?: readonly string[]
  /** Why a FAIL matters. */
  risk: string
  /** How to fix a FAIL in prose, and the AWS CLI command with `<placeholders>`. */
  remediation: {text: string; cli: string}
}

/** One collection cell of a type: whether its data is in the snapshot. */
export interface ScanCell {
  accountId: string
  /** Region, or `global` for global types. */
  region: string
  status: CoverageStatus
  /** Why a cell that is not `ok` was not collected. */
  error: string | null
}

/** The stored snapshot as checks see it. Checks never call AWS. */
export interface ScanSnapshot {
  name: string
  /** When the snapshot was captured (its start): ages are measured from here, never from now. */
  capturedAt: Date
  /** Account the snapshot was taken in. */
  accountId: string
  /** Every account whose resources the snapshot holds. */
  accounts: readonly string[]
  /** Regions collected. */
  regions: readonly string[]
  /** The tag filters the snapshot was taken with: resources they left out are not in it. */
  tagFilters: {includeTags: Readonly<Record<string, string>>; excludeTags: Readonly<Record<string, string>>}
  /** The snapshot's resources of a type, every region, in region then ARN order. */
  resources(type: string): readonly Resource[]
  /** The type's coverage cells; empty when the type was not part of the snapshot. */
  cells(type: string): readonly ScanCell[]
}

/** A check's verdict on one resource, or on one account/region as a whole. */
export interface Finding {
  status: FindingStatus
  /**
   * The evaluated resource's ARN. For a verdict about a whole account or region (a missing setting, a
   * cell that was not collected) the locator `<account>` or `<account>/<region>`.
   */
  resource: string
  /** Spec type of what was evaluated. */
  resourceType: string
  /** Human name (the resource's name, or the locator). */
  name: string
  accountId: string
  /** Region, or `global`. */
  region: string
  /**
   * What was seen, specific enough to act on: the offending rule, the key and its age at capture time,
   * the setting's value; for UNKNOWN, which data is missing and why.
   */
  evidence: string
  /** For FAIL: the exact command that fixes this resource (the check's CLI template, filled in). */
  remediation?: string
  /** Where this finding is more (or less) severe than the check's default, e.g. every port open. */
  severity?: Severity
}

/** A check: metadata as data and a pure evaluation of a stored snapshot. */
export interface Check extends CheckMeta {
  /** A finding for every resource (or account/region) the check looked at: PASS, FAIL or UNKNOWN. */
  evaluate(snapshot: ScanSnapshot): Finding[]
}
