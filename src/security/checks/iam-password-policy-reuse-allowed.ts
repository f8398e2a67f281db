import type {PasswordPolicy} from '@aws-sdk/client-iam'

import {fail, pass} from '../evaluate.js'
import {PASSWORD_REUSE_PREVENTION, passwordPolicyCommand, perSetting} from '../account-settings.js'
import type {Check} from '../types.js'

const remembered = PASSWORD_REUSE_PREVENTION

export const iamPasswordPolicyReuseAllowed: Check = {
  id: 'iam-password-policy-reuse-allowed',
  title: `The IAM password policy prevents reusing any of the last ${remembered} passwords`,
  severity: 'medium',
  cis: {v4: '1.9', v7: '2.9'},
  resourceTypes: ['Account::IAM::PasswordPolicy'],
  risk: 'Users who may reuse old passwords cycle back to ones that may already be known or leaked.',
  remediation: {
    text: `Set the account password policy's password reuse prevention to ${remembered}. update-account-password-policy resets every setting it is not given, so restate the others.`,
    cli: `aws iam update-account-password-policy --password-reuse-prevention ${remembered} <the policy's other settings>`,
  },

  evaluate(snapshot) {
    return perSetting(snapshot, 'Account::IAM::PasswordPolicy', (setting) => {
      const policy = setting.configuration.PasswordPolicy as PasswordPolicy | null | undefined
      const fix = passwordPolicyCommand(policy)
      if (!policy) return fail('the account has no password policy: any earlier password may be reused', fix)
      const reuse = policy.PasswordReusePrevention
      if (reuse === undefined || reuse < remembered) {
        return fail(reuse === undefined ? 'the password policy does not prevent password reuse' : `the password policy remembers only the last ${reuse} passwords (fewer than ${remembered})`, fix)
      }

      return pass(`the password policy prevents reusing the last ${reuse} passwords`)
    })
  },
}
