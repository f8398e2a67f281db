import type {UserItem} from '../../resources/iam/user.js'
import {ageInDays, fail, pass, perResource, unknown} from '../evaluate.js'
import {activeKeys, describeKey} from '../iam.js'
import type {Check} from '../types.js'

/** Days an active key may live (CIS: created 90 days ago or less). */
const maxAgeDays = 90

export const iamAccessKeyNotRotated: Check = {
  id: 'iam-access-key-not-rotated',
  title: `Active IAM access keys are rotated every ${maxAgeDays} days or less`,
  severity: 'medium',
  cis: {v4: '1.14', v7: '2.12'},
  resourceTypes: ['AWS::IAM::User'],
  risk: 'The longer a key lives, the more places it has been copied to (laptops, CI variables, scripts) and the longer a leaked copy keeps working.',
  remediation: {
    text: 'Create a new key, move every caller to it, then deactivate the old key and delete it once nothing uses it.',
    cli: 'aws iam create-access-key --user-name <user> && aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::IAM::User', (resource) => {
      const active = activeKeys(resource)
      if (active.length === 0) return pass('no active access keys')
      const stale = active.filter((k) => (ageInDays(k.CreateDate === undefined ? undefined : String(k.CreateDate), snapshot) ?? 0) > maxAgeDays)
      const undated = active.filter((k) => ageInDays(k.CreateDate === undefined ? undefined : String(k.CreateDate), snapshot) === undefined)
      if (stale.length === 0) {
        if (undated.length > 0) return unknown(`creation date not recorded for active key ${undated.map((k) => k.AccessKeyId).join(', ')}`)
        return pass(`active keys at most ${maxAgeDays} days old: ${active.map((k) => describeKey(k, snapshot)).join(', ')}`)
      }

      // A user holds at most two keys: a replacement can only be created while a slot is free.
      const keyCount = ((resource.configuration as Partial<UserItem>).AccessKeys ?? []).length
      const deactivate = stale.map((k) => `aws iam update-access-key --user-name ${resource.id} --access-key-id ${k.AccessKeyId ?? '<key-id>'} --status Inactive`)
      const commands = keyCount < 2 ? [`aws iam create-access-key --user-name ${resource.id}`, ...deactivate] : deactivate
      return fail(
        `user ${resource.id} has active access key${stale.length > 1 ? 's' : ''} older than ${maxAgeDays} days at capture: ${stale.map((k) => describeKey(k, snapshot)).join(', ')}`,
        commands.join(' && '),
      )
    })
  },
}
