import type {CredentialReportRow} from '../../resources/iam/credential-report.js'
import type {Resource} from '../../resources/types.js'
import {type CellVerdict, type Verdict, ageInDays, fail, pass, perCell, unknown} from '../evaluate.js'
import {CREDENTIAL_REPORT, ROOT_ROW_USER, reportFlag, reportRows} from '../account-settings.js'
import type {Check, ScanSnapshot} from '../types.js'
import {counted} from '../../words.js'

const days = 45

/** One credential of a user and how long it has gone unused at capture time. */
interface Unused {
  /** e.g. `password`, `access key 1`. */
  credential: string
  /** What the report says, for the evidence. */
  detail: string
  /** The command that disables it. */
  fix: string
}

export const iamCredentialsUnused: Check = {
  id: 'iam-credentials-unused',
  title: `IAM users have no password or active access key unused for ${days} days or more`,
  severity: 'medium',
  cis: {v4: '1.12', v7: '2.11'},
  resourceTypes: [CREDENTIAL_REPORT],
  risk: 'Credentials nobody uses are nobody\'s to watch: a leaked password or key of a forgotten user can be used for a long time before anyone notices.',
  remediation: {
    text: `Remove the console password, and deactivate (then delete) access keys, that have not been used for ${days} days.`,
    cli: 'aws iam update-access-key --user-name <user> --access-key-id <access-key-id> --status Inactive && aws iam delete-login-profile --user-name <user>',
  },

  evaluate(snapshot) {
    return perCell(snapshot, CREDENTIAL_REPORT, (cell, resources) => {
      const [report] = resources
      if (report === undefined) return {verdict: unknown(`${CREDENTIAL_REPORT} was collected for ${cell.accountId} but holds no report`)}
      // The root user's credentials are judged by the root checks.
      return reportRows(report)
        .filter((row) => row.user !== ROOT_ROW_USER)
        .map((row): CellVerdict => ({resource: reportedUser(report, row), verdict: judgeUser(row, snapshot)}))
    })
  },
}

/** The IAM user a report row is about, as the finding's subject: its ARN and name, in the report's account. */
function reportedUser(report: Resource, row: CredentialReportRow): Resource {
  const user = row.user ?? ''
  return {...report, arn: row.arn || report.arn, type: 'AWS::IAM::User', id: user, name: user, configuration: row, relationships: []}
}

function judgeUser(row: CredentialReportRow, snapshot: ScanSnapshot): Verdict {
  const user = row.user ?? ''
  const unused: Unused[] = []
  const seen: string[] = []
  const undated: string[] = []

  const judge = (credential: string, lastUsed: string | undefined, created: string | undefined, fix: string) => {
    const use = usage(lastUsed, created, snapshot)
    if (use === undefined) undated.push(credential)
    else if (use.stale) unused.push({credential, detail: use.detail, fix})
    else seen.push(`${credential} ${use.detail}`)
  }

  if (reportFlag(row.password_enabled) === true) judge('password', row.password_last_used, row.password_last_changed, `aws iam delete-login-profile --user-name ${user}`)
  const keyIds = accessKeyIds(snapshot, row)
  for (const n of [1, 2]) {
    if (reportFlag(row[`access_key_${n}_active`]) !== true) continue
    judge(
      `access key ${n}`,
      row[`access_key_${n}_last_used_date`],
      row[`access_key_${n}_last_rotated`],
      `aws iam update-access-key --user-name ${user} --access-key-id ${keyIds[n - 1] ?? `<access-key-${n}-id>`} --status Inactive`,
    )
  }

  if (unused.length > 0) {
    // Keys first, the password last, joined with &&: a key id left as a placeholder stops the shell before
    // anything runs, rather than after the password is gone. One comment, last, so that it hides no command.
    const placeholder = unused.some((u) => u.fix.includes('<access-key-'))
    const ids = placeholder ? `  # key ids: aws iam list-access-keys --user-name ${user}` : ''
    const fixes = [...unused.filter((u) => u.credential !== 'password'), ...unused.filter((u) => u.credential === 'password')].map((u) => u.fix)
    return fail(`${user}: ${unused.map((u) => `${u.credential} ${u.detail}`).join('; ')}`, `${fixes.join(' && ')}${ids}`)
  }

  if (undated.length > 0) return unknown(`${user}: the report gives neither a last use nor a date set for ${undated.join(', ')}`)
  if (seen.length === 0) return pass(`${user} has no console password and no active access key`)
  return pass(`${user}: ${seen.join('; ')}`)
}

/**
 * The ids of the user's access keys 1 and 2 as the report numbers them, from the snapshot's IAM user (its
 * keys' creation times are the report's `access_key_N_last_rotated`); undefined where it cannot tell.
 */
function accessKeyIds(snapshot: ScanSnapshot, row: CredentialReportRow): Array<string | undefined> {
  const user = snapshot.resources('AWS::IAM::User').find((r) => r.arn === row.arn || r.id === row.user)
  const keys = ((user?.configuration.AccessKeys ?? []) as Array<{AccessKeyId?: string; CreateDate?: unknown}>).filter((k) => k.AccessKeyId !== undefined && k.CreateDate !== undefined)
  const second = (value: unknown) => Math.floor(Date.parse(String(value)) / 1000)
  return [1, 2].map((n) => {
    const rotated = row[`access_key_${n}_last_rotated`]
    if (rotated === undefined || Number.isNaN(Date.parse(rotated))) return undefined
    const matching = keys.filter((k) => second(k.CreateDate) === second(rotated))
    return matching.length === 1 ? matching[0]!.AccessKeyId : undefined
  })
}

/**
 * How long a credential has gone unused at capture time: since its last use, or, never used (`N/A`,
 * `no_information`), since it was set; stale at `days` or more. Undefined when the report dates neither.
 */
function usage(lastUsed: string | undefined, created: string | undefined, snapshot: ScanSnapshot): {detail: string; stale: boolean} | undefined {
  const usedAge = ageInDays(lastUsed, snapshot)
  if (usedAge !== undefined) return {detail: `last used ${lastUsed} (${counted(usedAge, 'day')} before capture)`, stale: usedAge >= days}
  const createdAge = ageInDays(created, snapshot)
  if (createdAge !== undefined) return {detail: `never used, set ${created} (${counted(createdAge, 'day')} before capture)`, stale: createdAge >= days}
  return undefined
}
