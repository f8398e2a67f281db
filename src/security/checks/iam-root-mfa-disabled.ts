import {fail, pass} from '../evaluate.js'
import {ACCOUNT_SUMMARY, CREDENTIAL_REPORT, judgeRootUser, reportFlag} from '../account-settings.js'
import type {Check} from '../types.js'

// The root user's MFA device is assigned while signed in as root, in the console; the CLI can only confirm it.
const remedy = 'aws iam get-account-summary --query SummaryMap.AccountMFAEnabled  # 1 once an MFA device is assigned to the root user (console, signed in as root: Security credentials, Assign MFA device)'

export const iamRootMfaDisabled: Check = {
  id: 'iam-root-mfa-disabled',
  title: 'The root user signs in with MFA',
  severity: 'critical',
  cis: {v4: '1.5', v7: '2.5'},
  resourceTypes: [ACCOUNT_SUMMARY, CREDENTIAL_REPORT],
  risk: 'Without MFA, the root user\'s password alone opens the whole account, including closing it and changing its billing and contact details.',
  remediation: {
    text: 'Sign in as the root user and assign an MFA device (preferably a hardware key) on the Security credentials page.',
    cli: remedy,
  },

  evaluate(snapshot) {
    return judgeRootUser(snapshot, {
      summary(map) {
        const enabled = map.AccountMFAEnabled
        if (enabled === 1) return pass('the root user has MFA (AccountMFAEnabled = 1)')
        if (enabled === 0) return fail('the root user has no MFA device (AccountMFAEnabled = 0)', remedy)
        return undefined
      },
      reportRow(row) {
        const mfa = reportFlag(row.mfa_active)
        if (mfa === undefined) return undefined
        return mfa ? pass('the root user has MFA (credential report)') : fail('the root user has no MFA device (credential report mfa_active = false)', remedy)
      },
    })
  },
}
