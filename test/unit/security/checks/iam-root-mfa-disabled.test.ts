import {describe, expect, it} from 'vitest'

import {iamRootMfaDisabled} from '../../../../src/security/checks/iam-root-mfa-disabled.js'
import {collectedReport, rootReportRow} from '../../../support/account-settings.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const summary = (AccountMFAEnabled: number) => collected('Account::IAM::AccountSummary', {SummaryMap: {AccountMFAEnabled, AccountAccessKeysPresent: 0, Users: 2}})

describe('iam-root-mfa-disabled', () => {
  it('passes a root user with MFA and fails one without, from the account summary (the emulator says 0)', async () => {
    expect(iamRootMfaDisabled.evaluate(scanSnapshot({resources: [await summary(1)]}))).toMatchObject([{status: 'PASS', evidence: 'the root user has MFA (AccountMFAEnabled = 1)'}])
    const [finding] = iamRootMfaDisabled.evaluate(scanSnapshot({resources: [await summary(0)]}))
    expect(finding).toMatchObject({status: 'FAIL', resource: 'arn:aws:iam::123456789012:account-summary', evidence: 'the root user has no MFA device (AccountMFAEnabled = 0)'})
    expect(finding?.remediation).toContain('AccountMFAEnabled')
  })

  it('prefers the account summary, and reads the credential report\'s root row when the summary is missing', async () => {
    const both = scanSnapshot({resources: [await summary(1), await collectedReport(rootReportRow({mfa: false}))]})
    expect(verdicts(iamRootMfaDisabled.evaluate(both))).toEqual(['PASS arn:aws:iam::123456789012:account-summary'])

    const reportOnly = scanSnapshot({resources: [await collectedReport(rootReportRow({mfa: false}))], cells: {'Account::IAM::AccountSummary': [{region: 'global', status: 'throttled', error: 'Rate exceeded'}]}})
    expect(iamRootMfaDisabled.evaluate(reportOnly)).toMatchObject([
      {status: 'FAIL', resource: 'arn:aws:iam::123456789012:credential-report', evidence: 'the root user has no MFA device (credential report mfa_active = false)'},
    ])
    const withMfa = scanSnapshot({resources: [await collectedReport(rootReportRow({mfa: true}))], cells: {'Account::IAM::AccountSummary': []}})
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
