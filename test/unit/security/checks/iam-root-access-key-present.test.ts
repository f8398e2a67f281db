import {describe, expect, it} from 'vitest'

import {iamRootAccessKeyPresent} from '../../../../src/security/checks/iam-root-access-key-present.js'
import {collectedReport, rootReportRow} from '../../../support/account-settings.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

// GetAccountSummary's map as the emulator returns it, reduced to the root flags.
const summary = (AccountAccessKeysPresent: number) => collected('Account::IAM::AccountSummary', {SummaryMap: {AccountMFAEnabled: 0, AccountAccessKeysPresent, Users: 2, UsersQuota: 5000}})

describe('iam-root-access-key-present', () => {
  it('passes an account whose root user has no key and fails one whose root user has a key, from the account summary', async () => {
    const clean = iamRootAccessKeyPresent.evaluate(scanSnapshot({resources: [await summary(0)]}))
    expect(clean).toMatchObject([{status: 'PASS', resource: 'arn:aws:iam::123456789012:account-summary', evidence: 'the root user has no access key (AccountAccessKeysPresent = 0)'}])

    const [finding] = iamRootAccessKeyPresent.evaluate(scanSnapshot({resources: [await summary(1)]}))
    expect(finding).toMatchObject({status: 'FAIL', resourceType: 'Account::IAM::AccountSummary', region: 'global', evidence: 'the root user has at least one access key (AccountAccessKeysPresent = 1)'})
    expect(finding?.remediation).toContain('aws iam delete-access-key --access-key-id <root-access-key-id>')
  })

  it('falls back to the credential report\'s root row when the account summary was not collected', async () => {
    const snapshot = scanSnapshot({
      resources: [await collectedReport(rootReportRow({activeKey2: true}))],
      cells: {'Account::IAM::AccountSummary': [{region: 'global', status: 'access_denied', error: 'iam:GetAccountSummary denied'}]},
    })
    expect(iamRootAccessKeyPresent.evaluate(snapshot)).toMatchObject([
      {status: 'FAIL', resource: 'arn:aws:iam::123456789012:credential-report', evidence: 'the root user has an active access key 2 (credential report)'},
    ])
  })

  it('is UNKNOWN when neither source was collected, or the report has no root row, saying why', async () => {
    const neither = scanSnapshot({
      cells: {
        'Account::IAM::AccountSummary': [{region: 'global', status: 'access_denied', error: 'denied'}],
        'Account::IAM::CredentialReport': [{region: 'global', status: 'error', error: 'IAM did not finish generating the credential report'}],
      },
    })
    expect(verdicts(iamRootAccessKeyPresent.evaluate(neither))).toEqual(['UNKNOWN 123456789012'])
    expect(iamRootAccessKeyPresent.evaluate(neither)[0]?.evidence).toBe(
      'Account::IAM::AccountSummary was not collected in 123456789012: access_denied (denied); Account::IAM::CredentialReport was not collected in 123456789012: error (IAM did not finish generating the credential report)',
    )

    // The emulator's report: users only, no root row.
    const noRoot = scanSnapshot({resources: [await collectedReport()], cells: {'Account::IAM::AccountSummary': []}})
    expect(iamRootAccessKeyPresent.evaluate(noRoot)).toMatchObject([{status: 'UNKNOWN', evidence: expect.stringContaining('the credential report has no root user row')}])

    expect(iamRootAccessKeyPresent.evaluate(scanSnapshot({cells: {'Account::IAM::AccountSummary': [], 'Account::IAM::CredentialReport': []}}))).toMatchObject([
      {status: 'UNKNOWN', resource: '123456789012', evidence: expect.stringContaining('was not collected in 123456789012')},
    ])
  })
})
