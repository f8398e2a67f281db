import type {PasswordPolicy} from '@aws-sdk/client-iam'

import {fail, pass} from '../evaluate.js'
import {MINIMUM_PASSWORD_LENGTH, passwordPolicyCommand, perSetting} from '../account-settings.js'
import type {Check} from '../types.js'

const minimum = MINIMUM_PASSWORD_LENGTH

export const iamPasswordPolicyShort: Check = {
  id: 'iam-password-policy-short',
  title: `The IAM password policy requires at least ${minimum} characters`,
  severity: 'medium',
  cis: {v4: '1.8', v7: '2.8'},
  resourceTypes: ['Account::IAM::PasswordPolicy'],
  risk: 'Short passwords are guessed or cracked quickly; without a policy IAM accepts passwords of 8 characters.',
  remediation: {
    text: `Set the account password policy's minimum length to ${minimum} or more. update-account-password-policy resets every setting it is not given, so restate the others.`,
    cli: `aws iam update-account-password-policy --minimum-password-length ${minimum} <the policy's other settings>`,
  },

  evaluate(snapshot) {
    return perSetting(snapshot, 'Account::IAM::PasswordPolicy', (setting) => {
      const policy = setting.configuration.PasswordPolicy as PasswordPolicy | null | undefined
      const fix = passwordPolicyCommand(policy)
      if (!policy) return fail('the account has no password policy: IAM accepts passwords of 8 characters', fix)
      const length = policy.MinimumPasswordLength
      if (length === undefined || length < minimum) return fail(`the password policy requires ${length ?? 'an unspecified number of'} characters (fewer than ${minimum})`, fix)
      return pass(`the password policy requires ${length} characters`)
    })
  },
}
