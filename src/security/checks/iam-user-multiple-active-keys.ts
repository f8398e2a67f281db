import {fail, pass, perResource} from '../evaluate.js'
import {activeKeys, describeKey} from '../iam.js'
import type {Check} from '../types.js'

export const iamUserMultipleActiveKeys: Check = {
  id: 'iam-user-multiple-active-keys',
  title: 'No IAM user has more than one active access key',
  severity: 'low',
  // v4.0.1 only: v7.0.0 has no such control (its 2.11, unused credentials, is followed by 2.12, key rotation).
  cis: {v4: '1.13'},
  resourceTypes: ['AWS::IAM::User'],
  risk: 'A second active key is usually a rotation left half done: the old key keeps working wherever it was copied, doubling what can leak and what must be tracked.',
  remediation: {
    text: 'Move every caller to the newest key, then deactivate (and later delete) the older one.',
    cli: 'aws iam update-access-key --user-name <user> --access-key-id <older-key-id> --status Inactive',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::IAM::User', (resource) => {
      const active = activeKeys(resource)
      if (active.length <= 1) return pass(`${active.length === 0 ? 'no' : 'one'} active access key`)
      // Oldest first: every key but the newest is the one to retire.
      const older = active.slice(0, -1)
      const newest = active.at(-1)?.AccessKeyId ?? 'the newest key'
      return fail(
        `user ${resource.id} has ${active.length} active access keys: ${active.map((k) => describeKey(k, snapshot)).join(', ')}`,
        `${older.map((k) => `aws iam update-access-key --user-name ${resource.id} --access-key-id ${k.AccessKeyId ?? '<key-id>'} --status Inactive`).join(' && ')}  # once its callers use ${newest}`,
      )
    })
  },
}
