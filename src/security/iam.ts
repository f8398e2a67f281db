import type {AttachedPolicy} from '@aws-sdk/client-iam'

import type {UserItem} from '../resources/iam/user.js'
import type {Resource} from '../resources/types.js'
import {ageInDays} from './evaluate.js'
import type {ScanSnapshot} from './types.js'
import {counted} from '../words.js'

/** An access key as stored on a user (dates as ISO strings). */
export type StoredAccessKey = UserItem['AccessKeys'][number]

/** The user's access keys whose status is Active, oldest first (undated keys last). */
export function activeKeys(user: Resource): StoredAccessKey[] {
  const keys = ((user.configuration as Partial<UserItem>).AccessKeys ?? []).filter((k) => k.Status === 'Active')
  const time = (k: StoredAccessKey) => (k.CreateDate === undefined ? Number.POSITIVE_INFINITY : Date.parse(String(k.CreateDate)))
  return keys.sort((a, b) => time(a) - time(b))
}

/** `AKIA… (created 2026-01-01, 151 days old)`: the key and its age at the snapshot's capture time. */
export function describeKey(key: StoredAccessKey, snapshot: Pick<ScanSnapshot, 'capturedAt'>): string {
  const created = key.CreateDate === undefined ? undefined : String(key.CreateDate)
  const age = ageInDays(created, snapshot)
  return `${key.AccessKeyId ?? '?'} (${created === undefined || age === undefined ? 'creation date unknown' : `created ${created.slice(0, 10)}, ${counted(age, 'day')} old`})`
}

/** The ARNs of the managed policies attached to a user, group or role. */
export function attachedPolicyArns(entity: Resource): string[] {
  return ((entity.configuration.AttachedPolicies ?? []) as AttachedPolicy[]).map((p) => p.PolicyArn).filter((arn): arn is string => arn !== undefined)
}

/** `user`, `group` or `role`: the word IAM's CLI uses for the entity's type (`detach-user-policy`, `--user-name`). */
export function entityKind(entity: Resource): 'user' | 'group' | 'role' {
  return entity.type === 'AWS::IAM::User' ? 'user' : entity.type === 'AWS::IAM::Group' ? 'group' : 'role'
}

/** The users, groups and roles of the snapshot, in that order. */
export function iamEntities(snapshot: ScanSnapshot): Resource[] {
  return ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'].flatMap((type) => [...snapshot.resources(type)])
}
