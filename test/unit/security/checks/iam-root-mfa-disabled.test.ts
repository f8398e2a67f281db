import {describe, expect, it} from 'vitest'

import {parseReport} from '../../../../src/resources/iam/credential-report.js'
import {iamRootMfaDisabled} from '../../../../src/security/checks/iam-root-mfa-disabled.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const header =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'
// The root user's row as AWS documents it (the emulator's report has none).
const rootRow = (mfa: boolean) =>
  `<root_account>,arn:aws:iam::123456789012:root,2014-10-17T16:59:37+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,${mfa},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`

const summary = (AccountMFAEnabled: number) => collected('Account::IAM::AccountSummary', {SummaryMap: {AccountMFAEnabled, AccountAccessKeysPresent: 0, Users: 2}})
const report = (...rows: string[]) => collected('Account::IAM::CredentialReport', {GeneratedTime: '2026-06-01T11:00:00.000Z', Users: parseReport([header, ...rows].join('\n'))})

describe('iam-root-mfa-disabled', () => {
  it('passes a root user with MFA and fails one without, from the account summary (the emulator says 0)', async () => {
    expect(iamRootMfaDisabled.evaluate(scanSnapshot({resources: [await summary(1)]}))).toMatchObject([{status: 'PASS', evidence: 'the root user has MFA (AccountMFAEnabled = 1)'}])
    const [finding] = iamRootMfaDisabled.evaluate(scanSnapshot({resources: [await summary(0)]}))
    expect(finding).toMatchObject({status: 'FAIL', resource: 'arn:aws:iam::123456789012:account-summary', evidence: 'the root user has no MFA device (AccountMFAEnabled = 0)'})
    expect(finding?.remediation).toContain('AccountMFAEnabled')
  })

  it('prefers the account summary, and reads the credential report\'s root row when the summary is missing', async () => {
    const both = scanSnapshot({resources: [await summary(1), await report(rootRow(false))]})
    expect(verdicts(iamRootMfaDisabled.evaluate(both))).toEqual(['PASS arn:aws:iam::123456789012:account-summary'])

    const reportOnly = scanSnapshot({resources: [await report(rootRow(false))], cells: {'Account::IAM::AccountSummary': [{region: 'global', status: 'throttled', error: 'Rate exceeded'}]}})
    expect(iamRootMfaDisabled.evaluate(reportOnly)).toMatchObject([
      {status: 'FAIL', resource: 'arn:aws:iam::123456789012:credential-report', evidence: 'the root user has no MFA device (credential report mfa_active = false)'},
    ])
    const withMfa = scanSnapshot({resources: [await report(rootRow(true))], cells: {'Account::IAM::AccountSummary': []}})
    expect(verdicts(iamRootMfaDisabled.evaluate(withMfa))).toEqual(['PASS arn:aws:iam::123456789012:credential-report'])
  })

  it('is UNKNOWN when neither source says', async () => {
    const gap = scanSnapshot({
      cells: {'Account::IAM::AccountSummary': [{region: 'global', status: 'access_denied', error: 'denied'}], 'Account::IAM::CredentialReport': []},
    })
    expect(iamRootMfaDisabled.evaluate(gap)).toMatchObject([
      {status: 'UNKNOWN', resource: '123456789012', evidence: expect.stringMatching(/^Account::IAM::AccountSummary was not collected in 123456789012: access_denied/)},
    ])
  })
})
