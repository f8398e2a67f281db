import {describe, expect, it} from 'vitest'

import {iamPasswordPolicyReuseAllowed} from '../../../../src/security/checks/iam-password-policy-reuse-allowed.js'
import {STRICT_PASSWORD_POLICY} from '../../../support/account-settings.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

// GetAccountPasswordPolicy's answers from the emulator.
const strict = STRICT_PASSWORD_POLICY
const policy = (PasswordPolicy: object | null) => collected('Account::IAM::PasswordPolicy', {PasswordPolicy})

describe('iam-password-policy-reuse-allowed', () => {
  it('passes a policy remembering 24 passwords', async () => {
    expect(iamPasswordPolicyReuseAllowed.evaluate(scanSnapshot({resources: [await policy(strict)]}))).toMatchObject([
      {status: 'PASS', evidence: 'the password policy prevents reusing the last 24 passwords'},
    ])
  })

  it('fails a policy remembering fewer, or none, with a command keeping the other settings', async () => {
    const [fewer] = iamPasswordPolicyReuseAllowed.evaluate(scanSnapshot({resources: [await policy({...strict, PasswordReusePrevention: 5})]}))
    expect(fewer).toMatchObject({status: 'FAIL', evidence: 'the password policy remembers only the last 5 passwords (fewer than 24)'})
    expect(fewer?.remediation).toBe(
      'aws iam update-account-password-policy --minimum-password-length 16 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password --max-password-age 90 --password-reuse-prevention 24 --no-hard-expiry',
    )
    const {PasswordReusePrevention: _ignored, ...withoutReuse} = strict
    expect(iamPasswordPolicyReuseAllowed.evaluate(scanSnapshot({resources: [await policy(withoutReuse)]}))).toMatchObject([
      {status: 'FAIL', evidence: 'the password policy does not prevent password reuse'},
    ])
  })

  it('fails an account with no password policy', async () => {
    expect(iamPasswordPolicyReuseAllowed.evaluate(scanSnapshot({resources: [await policy(null)]}))).toMatchObject([
      {status: 'FAIL', evidence: 'the account has no password policy: any earlier password may be reused', remediation: 'aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24'},
    ])
  })

  it('is UNKNOWN when the policy was not collected', () => {
    const snapshot = scanSnapshot({cells: {'Account::IAM::PasswordPolicy': [{region: 'global', status: 'throttled', error: 'Rate exceeded'}]}})
    expect(verdicts(iamPasswordPolicyReuseAllowed.evaluate(snapshot))).toEqual(['UNKNOWN 123456789012'])
  })
})
