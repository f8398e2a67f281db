import {fail, pass} from '../evaluate.js'
import {ACCOUNT_SUMMARY, CREDENTIAL_REPORT, judgeRootUser, reportFlag} from '../account-settings.js'
import type {Check} from '../types.js'

const remedy = 'aws iam delete-access-key --access-key-id <root-access-key-id>  # with the root user\'s own credentials; list them with aws iam list-access-keys'

export const iamRootAccessKeyPresent: Check = {
  id: 'iam-root-access-key-present',
  title: 'The root user has no access keys',
  severity: 'critical',
  cis: {v4: '1.4', v7: '2.4'},
  resourceTypes: [ACCOUNT_SUMMARY, CREDENTIAL_REPORT],
  risk: 'A root access key gives unrestricted, unconditional access to the whole account and every resource in it; if it leaks, no IAM policy can limit what is done with it.',
  remediation: {
    text: 'Sign in as the root user, delete its access keys (Security credentials page), and use IAM roles or users with least privilege for programmatic access.',
    cli: remedy,
  },

  evaluate(snapshot) {
    return judgeRootUser(snapshot, {
      summary(map) {
        const present = map.AccountAccessKeysPresent
        if (present === 1) return fail('the root user has at least one access key (AccountAccessKeysPresent = 1)', remedy)
        if (present === 0) return pass('the root user has no access key (AccountAccessKeysPresent = 0)')
        return undefined
      },
      reportRow(row) {
        const keys = [1, 2].map((n) => reportFlag(row[`access_key_${n}_active`]))
        if (keys.includes(undefined)) return undefined
        const active = keys.flatMap((on, i) => (on ? [`access key ${i + 1}`] : []))
        if (active.length > 0) return fail(`the root user has an active ${active.join(' and ')} (credential report)`, remedy)
        return pass('the root user has no active access key (credential report)')
      },
    })
  },
}
