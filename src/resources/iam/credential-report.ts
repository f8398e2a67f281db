import {setTimeout as delay} from 'node:timers/promises'

import type {IAM} from '@aws-sdk/client-iam'

import {classifyError} from '../../aws/errors.js'
import {accountSettingResource, accountSettingTraits} from '../account-setting.js'
import {isoDate, orderSets} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

/**
 * One row of the report: the CSV's columns (`user`, `arn`, `user_creation_time`, `password_enabled`,
 * `password_last_used`, `mfa_active`, `access_key_1_active`, `access_key_1_last_rotated`,
 * `access_key_1_last_used_date`, …, `cert_2_last_rotated`) with every value exactly as IAM writes it:
 * `true`/`false`, ISO dates, and the report's own markers `N/A` (does not apply, e.g. a key never used),
 * `no_information` (a password never used since IAM began tracking) and `not_supported` (the root user's
 * password fields). The markers are kept rather than turned into null so AWS's documentation of the report
 * applies as it is and `no_information` stays distinct from `N/A`.
 */
export type CredentialReportRow = Record<string, string>

/** The account's IAM credential report, generated and read by GenerateCredentialReport + GetCredentialReport. */
export interface CredentialReportItem {
  /** When IAM generated the report (IAM reuses a report up to four hours old). */
  GeneratedTime: string | null
  /** One row per IAM user; in real AWS the root user's row (`<root_account>`) comes first. */
  Users: CredentialReportRow[]
}

/** How long to wait for IAM to finish generating a report, polling with a doubling delay. */
export interface ReportWait {
  timeoutMs: number
  firstDelayMs: number
  maxDelayMs: number
}

// IAM usually finishes within seconds; a very large account may take longer.
export const defaultReportWait: ReportWait = {timeoutMs: 120_000, firstDelayMs: 500, maxDelayMs: 4000}

/** Thrown when IAM has not finished the report within the wait: the cell is recorded as an error saying so. */
export class CredentialReportTimeout extends Error {
  constructor(state: string, timeoutMs: number) {
    super(`IAM did not finish generating the credential report within ${Math.ceil(timeoutMs / 1000)} s (state ${state}); take the snapshot again later`)
    this.name = 'CredentialReportTimeout'
  }
}

// GetCredentialReport's answers while a report is being (re)generated: keep waiting.
const notReadyCodes = new Set([
  'ReportInProgress',
  'ReportNotPresent',
  'ReportExpired',
  'CredentialReportNotReadyException',
  'CredentialReportNotPresentException',
  'CredentialReportExpiredException',
])

export const credentialReport: ResourceSpec<CredentialReportItem> = {
  type: 'Account::IAM::CredentialReport',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetCredentialReport.html',
  ...accountSettingTraits,

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    yield [await readCredentialReport(iam, ctx.signal)]
  },

  toResource(item, ctx) {
    return accountSettingResource(ctx, credentialReport, 'credential-report', {
      GeneratedTime: item.GeneratedTime,
      Users: orderSets({Users: item.Users}, credentialReport.sets).Users,
    })
  },

  sets: {Users: 'arn'},
  // Sign-ins and key use move these without anyone changing a credential; a new report is generated every few hours.
  volatile: [
    'GeneratedTime',
    'Users.*.password_last_used',
    ...[1, 2].flatMap((key) => ['date', 'region', 'service'].map((field) => `Users.*.access_key_${key}_last_used_${field}`)),
  ],
  securityFields: ['Users'],
}

/**
 * Asks IAM for a fresh report (GenerateCredentialReport) until it is COMPLETE, waiting with a doubling delay
 * up to `wait.timeoutMs` and stopping at once when `signal` aborts, then reads and parses it.
 */
export async function readCredentialReport(iam: IAM, signal: AbortSignal, wait: ReportWait = defaultReportWait): Promise<CredentialReportItem> {
  const deadline = Date.now() + wait.timeoutMs
  let pause = wait.firstDelayMs
  for (;;) {
    signal.throwIfAborted()
    const {State: state = 'UNKNOWN'} = await iam.generateCredentialReport({}, {abortSignal: signal})
    if (state === 'COMPLETE') {
      try {
        const report = await iam.getCredentialReport({}, {abortSignal: signal})
        if (report.ReportFormat !== undefined && report.ReportFormat !== 'text/csv') throw new Error(`unexpected credential report format ${report.ReportFormat}`)
        return {GeneratedTime: isoDate(report.GeneratedTime), Users: parseReport(Buffer.from(report.Content ?? new Uint8Array()).toString('utf8'))}
      } catch (error) {
        // A report replaced between the two calls: generate again.
        if (!notReadyCodes.has(classifyError(error).code)) throw error
      }
    }

    if (Date.now() + pause > deadline) throw new CredentialReportTimeout(state, wait.timeoutMs)
    await delay(pause, undefined, {signal})
    pause = Math.min(wait.maxDelayMs, pause * 2)
  }
}

/** The report's CSV as one object per row, keyed by the header's column names. */
export function parseReport(csv: string): CredentialReportRow[] {
  const [header, ...records] = parseCsvRecords(csv)
  if (header === undefined) return []
  return records.map((fields) => Object.fromEntries(header.map((column, i) => [column, fields[i] ?? ''])))
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks), LF or CRLF line ends; blank lines skipped. */
function parseCsvRecords(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  const endRecord = () => {
    record.push(field)
    if (record.length > 1 || record[0] !== '') records.push(record)
    record = []
    field = ''
  }

  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n') endRecord()
    else if (ch !== '\r') field += ch
  }

  if (field !== '' || record.length > 0) endRecord()
  return records
}
