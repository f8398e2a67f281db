import type {UserItem} from '../../resources/iam/user.js'
import type {Resource} from '../../resources/types.js'
import {ageInDays, fail, pass, perResource, unknown} from '../evaluate.js'
import {type StoredAccessKey, activeKeys, describeKey} from '../iam.js'
import type {Check} from '../types.js'

/** Days an active key may live (CIS: created 90 days ago or less). */
const maxAgeDays = 90

/**
 * The commands that rotate the stale keys without cutting their callers off: a new key first where a slot
 * is free (a user holds two keys at most; an inactive one can go), the stale ones deactivated only once
 * their callers have moved, which the comment at the end asks for.
 */
function rotation(user: Resource, active: readonly StoredAccessKey[], stale: readonly StoredAccessKey[]): string {
  const keys = (user.configuration as Partial<UserItem>).AccessKeys ?? []
  const id = (k: StoredAccessKey) => k.AccessKeyId ?? '<key-id>'
  const deactivate = (k: StoredAccessKey) => `aws iam update-access-key --user-name ${user.id} --access-key-id ${id(k)} --status Inactive`
  const create = `aws iam create-access-key --user-name ${user.id}`
  // Oldest first. Only where both keys are active and stale is there a second one.
  const [older, newer] = stale as [StoredAccessKey, StoredAccessKey?]
  const thenDeactivate = `  # move every caller to the new key, then deactivate ${id(older)}: ${deactivate(older)}`
  if (keys.length < 2) return `${create}${thenDeactivate}`
  const inactive = keys.find((k) => k.Status !== 'Active')
  if (inactive !== undefined) return `aws iam delete-access-key --user-name ${user.id} --access-key-id ${id(inactive)} && ${create}${thenDeactivate}`
  const fresh = active.find((k) => !stale.includes(k))
  if (fresh !== undefined) return `${deactivate(older)}  # once its callers use ${id(fresh)}`
  // Both keys active and stale: the older one goes first, its callers moved to the other.
  return `${deactivate(older)}  # once its callers use ${id(newer!)}; then delete it, create a new key, move every caller to the new key and deactivate ${id(newer!)}`
}

export const iamAccessKeyNotRotated: Check = {
  id: 'iam-access-key-not-rotated',
  title: `Active IAM access keys are rotated every ${maxAgeDays} days or less`,
  severity: 'medium',
  cis: {v4: '1.14', v7: '2.12'},
  resourceTypes: ['AWS::IAM::User'],
  risk: 'The longer a key lives, the more places it has been copied to (laptops, CI variables, scripts) and the longer a leaked copy keeps working.',
  remediation: {
    text: 'Create a new key, move every caller to it, then deactivate the old key and delete it once nothing uses it.',
    cli: 'aws iam create-access-key --user-name <user>  # move every caller to the new key, then: aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive',
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

      return fail(
        `user ${resource.id} has active access key${stale.length > 1 ? 's' : ''} older than ${maxAgeDays} days at capture: ${stale.map((k) => describeKey(k, snapshot)).join(', ')}`,
        rotation(resource, active, stale),
      )
    })
  },
}
