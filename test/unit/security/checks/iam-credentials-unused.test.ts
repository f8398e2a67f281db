import {describe, expect, it} from 'vitest'

import {iamCredentialsUnused} from '../../../../src/security/checks/iam-credentials-unused.js'
import {collectedReport, rootReportRow} from '../../../support/account-settings.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {userItem} from '../../../support/security-fixtures.js'

/**
 * A report row in the emulator's layout (moto 5.2 writes `not_supported` for unused regions and services and for
 * password fields of users without a password). Capture time is 2026-06-01T12:00:00Z.
 */
function row(user: string, fields: {password?: [used: string, changed: string]; key1?: [rotated: string, used: string]; key2?: [rotated: string, used: string]}): string {
  const created = '2025-01-01T00:00:00+00:00'
  const password = fields.password ? ['true', ...fields.password] : ['false', 'not_supported', 'not_supported']
  const key = (k?: [string, string]) => (k ? ['true', k[0], k[1], 'not_supported', 'not_supported'] : ['false', 'N/A', 'N/A', 'not_supported', 'not_supported'])
  return [user, `arn:aws:iam::123456789012:user/${user}`, created, password[0], password[1], password[2], 'not_supported', 'false', ...key(fields.key1), ...key(fields.key2), 'false', 'N/A', 'false', 'N/A'].join(',')
}

// The root user's row as AWS documents it: judged by the root checks, not here.
const root = rootReportRow()

const user = (name: string) => `arn:aws:iam::123456789012:user/${name}`

describe('iam-credentials-unused', () => {
  it('fails passwords and active keys unused for 45 days or more, measured at capture time, naming each', async () => {
    const findings = iamCredentialsUnused.evaluate(
      scanSnapshot({
        resources: [
          await collectedReport(
            root,
            row('old-console', {password: ['2026-03-01T09:00:00+00:00', '2025-01-01T00:00:00+00:00']}),
            row('at-45-days', {key1: ['2025-06-01T00:00:00+00:00', '2026-04-17T12:00:00+00:00']}),
            row('never-used-key', {key2: ['2026-01-01T00:00:00+00:00', 'N/A']}),
            row('never-signed-in', {password: ['no_information', '2026-02-01T00:00:00+00:00']}),
            row('all-stale', {password: ['2026-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00'], key1: ['2025-01-01T00:00:00+00:00', 'N/A'], key2: ['2025-02-01T00:00:00+00:00', 'N/A']}),
          ),
        ],
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${user('all-stale')}`, `FAIL ${user('at-45-days')}`, `FAIL ${user('never-signed-in')}`, `FAIL ${user('never-used-key')}`, `FAIL ${user('old-console')}`])
    const byUser = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byUser['old-console']).toMatchObject({
      resourceType: 'AWS::IAM::User',
      region: 'global',
      evidence: 'old-console: password last used 2026-03-01T09:00:00+00:00 (92 days before capture)',
      remediation: 'aws iam delete-login-profile --user-name old-console',
    })
    expect(byUser['at-45-days']?.evidence).toBe('at-45-days: access key 1 last used 2026-04-17T12:00:00+00:00 (45 days before capture)')
    expect(byUser['never-used-key']?.evidence).toBe('never-used-key: access key 2 never used, set 2026-01-01T00:00:00+00:00 (151 days before capture)')
    expect(byUser['never-used-key']?.remediation).toBe(
      'aws iam update-access-key --user-name never-used-key --access-key-id <access-key-2-id> --status Inactive  # key ids: aws iam list-access-keys --user-name never-used-key',
    )
    // Every command before the one comment, which comes last; keys first, joined with &&, so that a key id
    // left as a placeholder stops the shell before the password is deleted.
    expect(byUser['all-stale']?.remediation).toBe(
      'aws iam update-access-key --user-name all-stale --access-key-id <access-key-1-id> --status Inactive && aws iam update-access-key --user-name all-stale --access-key-id <access-key-2-id> --status Inactive && aws iam delete-login-profile --user-name all-stale  # key ids: aws iam list-access-keys --user-name all-stale',
    )
    expect(byUser['never-signed-in']?.evidence).toBe('never-signed-in: password never used, set 2026-02-01T00:00:00+00:00 (120 days before capture)')
  })

  it('names the keys by their ids where the snapshot holds the user: the fix runs as pasted', async () => {
    const user = await collected(
      'AWS::IAM::User',
      userItem('both-keys', {
        AccessKeys: [
          {AccessKeyId: 'AKIAFIRST', Status: 'Active', CreateDate: new Date('2025-01-01T00:00:00Z')},
          {AccessKeyId: 'AKIASECOND', Status: 'Active', CreateDate: new Date('2025-02-01T00:00:00Z')},
        ],
      }),
    )
    const report = await collectedReport(root, row('both-keys', {key1: ['2025-01-01T00:00:00+00:00', 'N/A'], key2: ['2025-02-01T00:00:00+00:00', 'N/A']}))
    const [finding] = iamCredentialsUnused.evaluate(scanSnapshot({resources: [report, user]}))
    expect(finding?.remediation).toBe(
      'aws iam update-access-key --user-name both-keys --access-key-id AKIAFIRST --status Inactive && aws iam update-access-key --user-name both-keys --access-key-id AKIASECOND --status Inactive',
    )
  })

  it('passes recent use, fresh credentials and users without credentials, and leaves the root user to the root checks', async () => {
    const findings = iamCredentialsUnused.evaluate(
      scanSnapshot({
        resources: [
          await collectedReport(
            root,
            row('daily', {password: ['2026-05-31T08:00:00+00:00', '2025-01-01T00:00:00+00:00'], key1: ['2025-01-01T00:00:00+00:00', '2026-05-20T00:00:00+00:00']}),
            row('new-key', {key1: ['2026-05-20T00:00:00+00:00', 'N/A']}),
            row('no-credentials', {}),
          ),
        ],
      }),
    )
    expect(verdicts(findings)).toEqual([`PASS ${user('daily')}`, `PASS ${user('new-key')}`, `PASS ${user('no-credentials')}`])
    expect(findings.find((f) => f.name === 'daily')?.evidence).toBe(
      'daily: password last used 2026-05-31T08:00:00+00:00 (1 day before capture); access key 1 last used 2026-05-20T00:00:00+00:00 (12 days before capture)',
    )
    expect(findings.find((f) => f.name === 'no-credentials')?.evidence).toBe('no-credentials has no console password and no active access key')
  })

  it('says a fresh credential was never used rather than used recently, as the emulator reports new users', async () => {
    // The emulator's rows for a user given a console password and a key just now: neither used yet.
    const findings = iamCredentialsUnused.evaluate(
      scanSnapshot({
        resources: [
          await collectedReport(
            row('new-console', {password: ['no_information', '2026-05-30T12:00:00+00:00']}),
            row('new-key', {key1: ['2026-05-20T00:00:00+00:00', 'N/A']}),
          ),
        ],
      }),
    )
    expect(findings.map((f) => [f.status, f.evidence])).toEqual([
      ['PASS', 'new-console: password never used, set 2026-05-30T12:00:00+00:00 (2 days before capture)'],
      ['PASS', 'new-key: access key 1 never used, set 2026-05-20T00:00:00+00:00 (12 days before capture)'],
    ])
  })

  it('is UNKNOWN for an active credential the report dates neither by use nor by when it was set', async () => {
    const findings = iamCredentialsUnused.evaluate(scanSnapshot({resources: [await collectedReport(row('undated', {key1: ['N/A', 'N/A']}))]}))
    expect(findings.map((f) => [f.status, f.evidence])).toEqual([['UNKNOWN', 'undated: the report gives neither a last use nor a date set for access key 1']])
  })

  it('is UNKNOWN when the report was not collected', () => {
    const snapshot = scanSnapshot({cells: {'Account::IAM::CredentialReport': [{region: 'global', status: 'error', error: 'IAM did not finish generating the credential report within 120 s (state INPROGRESS); take the snapshot again later'}]}})
    expect(verdicts(iamCredentialsUnused.evaluate(snapshot))).toEqual(['UNKNOWN 123456789012'])
    expect(iamCredentialsUnused.evaluate(snapshot)[0]?.evidence).toContain('IAM did not finish generating the credential report')
  })
})
