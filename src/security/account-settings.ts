import type {PasswordPolicy} from '@aws-sdk/client-iam'

import type {CredentialReportRow} from '../resources/iam/credential-report.js'
import type {Resource} from '../resources/types.js'
import {type Verdict, cellFinding, cellLocator, missingData, perCell, resourceFinding, unknown} from './evaluate.js'
import type {Finding, ScanSnapshot} from './types.js'

export const ACCOUNT_SUMMARY = 'Account::IAM::AccountSummary'
export const CREDENTIAL_REPORT = 'Account::IAM::CredentialReport'

/** The user name the credential report gives the root user's row. */
export const ROOT_ROW_USER = '<root_account>'

/**
 * Judges an account setting once per collected cell (once per account for a global one). Each cell holds
 * exactly one setting resource; a collected cell without one (an AWS Config aggregator that holds no item of
 * another account's setting) cannot be judged: UNKNOWN, as a cell that was not collected.
 */
export function perSetting(snapshot: ScanSnapshot, type: string, judge: (setting: Resource) => Verdict): Finding[] {
  return perCell(snapshot, type, (cell, resources) => {
    const [setting] = resources
    if (setting === undefined) return {verdict: unknown(`${type} was collected in ${cellLocator(cell.accountId, cell.region)} but holds no value (no AWS Config item of the setting)`)}
    return {resource: setting, verdict: judge(setting)}
  })
}

/** The setting resource of a cell when the cell was collected, else undefined. */
export function collectedSetting(snapshot: ScanSnapshot, type: string, accountId: string, region: string): Resource | undefined {
  if (missingData(snapshot, type, accountId, region) !== undefined) return undefined
  return snapshot.resources(type).find((r) => r.accountId === accountId && r.region === region)
}

/** The rows of a collected credential report. */
export function reportRows(report: Resource): CredentialReportRow[] {
  const rows = report.configuration.Users
  return Array.isArray(rows) ? (rows as CredentialReportRow[]) : []
}

/** How a check about the root user judges each source; undefined when the source does not say. */
export interface RootJudge {
  /** From GetAccountSummary's map (`AccountMFAEnabled`, `AccountAccessKeysPresent`). */
  summary(map: Record<string, unknown>): Verdict | undefined
  /** From the credential report's root row. */
  reportRow(row: CredentialReportRow): Verdict | undefined
}

/**
 * One verdict on the root user of every account: from the account summary where it was collected, else from
 * the credential report's root row, else UNKNOWN saying why neither could be read.
 */
export function judgeRootUser(snapshot: ScanSnapshot, judge: RootJudge): Finding[] {
  const cells = [...snapshot.cells(ACCOUNT_SUMMARY), ...snapshot.cells(CREDENTIAL_REPORT)]
  const accounts = cells.length > 0 ? [...new Set(cells.map((c) => c.accountId))].sort() : snapshot.accounts
  return accounts.map((accountId) => {
    const summary = collectedSetting(snapshot, ACCOUNT_SUMMARY, accountId, 'global')
    const summaryMap = summary?.configuration.SummaryMap as Record<string, unknown> | undefined
    const fromSummary = summaryMap && judge.summary(summaryMap)
    if (summary && fromSummary) return resourceFinding(summary, fromSummary)

    const report = collectedSetting(snapshot, CREDENTIAL_REPORT, accountId, 'global')
    const root = report && reportRows(report).find((row) => row.user === ROOT_ROW_USER)
    const fromReport = root && judge.reportRow(root)
    if (report && fromReport) return resourceFinding(report, fromReport)

    const why = [
      missingData(snapshot, ACCOUNT_SUMMARY, accountId, 'global') ?? 'the account summary does not say',
      missingData(snapshot, CREDENTIAL_REPORT, accountId, 'global') ?? 'the credential report has no root user row',
    ]
    return cellFinding(ACCOUNT_SUMMARY, accountId, 'global', unknown(why.join('; ')))
  })
}

/** A credential report value `true`/`false` as a boolean; undefined for `not_supported`, `N/A` and the like. */
export function reportFlag(value: string | undefined): boolean | undefined {
  if (value === 'true') return true
  if (value === 'false') return false
  return undefined
}

/** The least password length the CIS benchmark accepts (1.8). */
export const MINIMUM_PASSWORD_LENGTH = 14

/** The password reuse prevention the CIS benchmark asks for (1.9): the most IAM remembers. */
export const PASSWORD_REUSE_PREVENTION = 24

/**
 * `aws iam update-account-password-policy` that keeps every setting of `current` and raises the length and
 * reuse prevention to what the checks ask: the call resets whatever it is not given to IAM's defaults, so a
 * fix for one setting restates the others — and the fix of one check must not undo the other's.
 */
export function passwordPolicyCommand(current: PasswordPolicy | null | undefined): string {
  const policy: PasswordPolicy = {
    ...current,
    MinimumPasswordLength: Math.max(MINIMUM_PASSWORD_LENGTH, current?.MinimumPasswordLength ?? 0),
    PasswordReusePrevention: Math.max(PASSWORD_REUSE_PREVENTION, current?.PasswordReusePrevention ?? 0),
  }
  const args: string[] = []
  const flag = (name: string, value: boolean | undefined) => {
    if (value !== undefined) args.push(value ? `--${name}` : `--no-${name}`)
  }

  if (policy.MinimumPasswordLength !== undefined) args.push(`--minimum-password-length ${policy.MinimumPasswordLength}`)
  flag('require-symbols', policy.RequireSymbols)
  flag('require-numbers', policy.RequireNumbers)
  flag('require-uppercase-characters', policy.RequireUppercaseCharacters)
  flag('require-lowercase-characters', policy.RequireLowercaseCharacters)
  flag('allow-users-to-change-password', policy.AllowUsersToChangePassword)
  // IAM answers MaxPasswordAge 0 for passwords that never expire; the call only takes 1 to 1095.
  if (policy.ExpirePasswords !== false && (policy.MaxPasswordAge ?? 0) > 0) args.push(`--max-password-age ${policy.MaxPasswordAge}`)
  if (policy.PasswordReusePrevention !== undefined) args.push(`--password-reuse-prevention ${policy.PasswordReusePrevention}`)
  flag('hard-expiry', policy.HardExpiry)
  return ['aws iam update-account-password-policy', ...args].join(' ')
}
