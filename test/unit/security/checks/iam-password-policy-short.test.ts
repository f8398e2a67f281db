import {describe, expect, it} from 'vitest'

import {iamPasswordPolicyReuseAllowed} from '../../../../src/security/checks/iam-password-policy-reuse-allowed.js'
import {iamPasswordPolicyShort} from '../../../../src/security/checks/iam-password-policy-short.js'
import {STRICT_PASSWORD_POLICY} from '../../../support/account-settings.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const ARN = 'arn:aws:iam::123456789012:account-password-policy'
// GetAccountPasswordPolicy's answers from the emulator: the strict policy, and one set with only a minimum length of 8.
const strict = STRICT_PASSWORD_POLICY
const weak = {
  MinimumPasswordLength: 8,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: false,
  ExpirePasswords: false,
  MaxPasswordAge: 0,
  HardExpiry: false,
}
const policy = (PasswordPolicy: object | null) => collected('Account::IAM::PasswordPolicy', {PasswordPolicy})

describe('iam-password-policy-short', () => {
  it('passes a policy of 14 characters or more', async () => {
    expect(iamPasswordPolicyShort.evaluate(scanSnapshot({resources: [await policy(strict)]}))).toMatchObject([
      {status: 'PASS', resource: ARN, evidence: 'the password policy requires 16 characters'},
    ])
  })

  it('fails a short policy with a command that raises the length, and the reuse prevention the other check asks for, keeping every other setting', async () => {
    const [finding] = iamPasswordPolicyShort.evaluate(scanSnapshot({resources: [await policy(weak)]}))
    expect(finding).toMatchObject({status: 'FAIL', resource: ARN, evidence: 'the password policy requires 8 characters (fewer than 14)'})
    expect(finding?.remediation).toBe(
      'aws iam update-account-password-policy --minimum-password-length 14 --no-require-symbols --no-require-numbers --no-require-uppercase-characters --no-require-lowercase-characters --no-allow-users-to-change-password --password-reuse-prevention 24 --no-hard-expiry',
    )
  })

  it('fails an account with no password policy at all', async () => {
    const [finding] = iamPasswordPolicyShort.evaluate(scanSnapshot({resources: [await policy(null)]}))
    expect(finding).toMatchObject({status: 'FAIL', evidence: 'the account has no password policy: IAM accepts passwords of 8 characters'})
    expect(finding?.remediation).toBe('aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24')
    // Both password-policy checks give the same fix: neither undoes the other.
    const [reuse] = iamPasswordPolicyReuseAllowed.evaluate(scanSnapshot({resources: [await policy(null)]}))
    expect(reuse?.remediation).toBe(finding?.remediation)
    const [weakReuse] = iamPasswordPolicyReuseAllowed.evaluate(scanSnapshot({resources: [await policy({...weak, PasswordReusePrevention: 5})]}))
    const [weakLength] = iamPasswordPolicyShort.evaluate(scanSnapshot({resources: [await policy({...weak, PasswordReusePrevention: 5})]}))
    expect(weakReuse?.remediation).toBe(weakLength?.remediation)
    expect(weakLength?.remediation).toContain('--minimum-password-length 14 ')
    expect(weakLength?.remediation).toContain('--password-reuse-prevention 24')
  })

  it('is UNKNOWN when the policy was not collected', () => {
    const denied = scanSnapshot({cells: {'Account::IAM::PasswordPolicy': [{region: 'global', status: 'access_denied', error: 'iam:GetAccountPasswordPolicy denied'}]}})
    expect(verdicts(iamPasswordPolicyShort.evaluate(denied))).toEqual(['UNKNOWN 123456789012'])
    expect(iamPasswordPolicyShort.evaluate(denied)[0]?.evidence).toContain('access_denied (iam:GetAccountPasswordPolicy denied)')
    // Collected (through an aggregator) without a value: unknown, not "no policy".
    const empty = scanSnapshot({cells: {'Account::IAM::PasswordPolicy': [{region: 'global'}]}})
    expect(iamPasswordPolicyShort.evaluate(empty)).toMatchObject([{status: 'UNKNOWN', evidence: expect.stringContaining('holds no value')}])
  })
})
