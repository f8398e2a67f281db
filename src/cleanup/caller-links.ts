import type {AwsClients} from '../aws/clients.js'
import {classifyError} from '../aws/errors.js'
import {collectPages, paginateItems} from '../aws/paginate.js'
import {parseCallerArn} from './protection.js'
import type {CallerIdentity} from './types.js'

/** The types whose resources the caller's identity stands on without being it: its groups, policies, instance profiles. */
export const CALLER_LINK_TYPES: ReadonlySet<string> = new Set(['AWS::IAM::Group', 'AWS::IAM::Policy', 'AWS::IAM::InstanceProfile'])

/** ARNs of what the caller's identity stands on now, each with the explanation; or why they could not be read. */
export type CallerLinks = {links: Map<string, string>} | {error: string}

/**
 * Reads from IAM, right before deleting, what the caller's identity stands on now: a user's groups and the
 * managed policies attached to it or to them, a role's managed policies and instance profiles. The plan
 * protected them as they were when it was made; these may have changed since. A caller IAM does not know
 * (the root user, a federated user, a user or role that no longer exists) stands on nothing.
 */
export async function readCallerLinks(clients: AwsClients, region: string, caller: CallerIdentity): Promise<CallerLinks> {
  const principal = parseCallerArn(caller.arn)
  const links = new Map<string, string>()
  const add = (arn: string | undefined, explanation: string) => {
    if (arn !== undefined && !links.has(arn)) links.set(arn, explanation)
  }

  try {
    const iam = await clients.get('iam', region)
    if (principal.kind === 'user') {
      const UserName = principal.name
      const attached = await collectPages(paginateItems((r) => iam.listAttachedUserPolicies(r), {UserName}, 'Marker', 'Marker', 'AttachedPolicies'))
      for (const p of attached) add(p.PolicyArn, `attached to the caller's user ${UserName} (now)`)
      const groups = await collectPages(paginateItems((r) => iam.listGroupsForUser(r), {UserName}, 'Marker', 'Marker', 'Groups'))
      for (const g of groups) {
        add(g.Arn, `a group the caller's user ${UserName} is in (now): deleting it would change the caller's permissions`)
        const ofGroup = await collectPages(paginateItems((r) => iam.listAttachedGroupPolicies(r), {GroupName: g.GroupName}, 'Marker', 'Marker', 'AttachedPolicies'))
        for (const p of ofGroup) add(p.PolicyArn, `attached to group ${g.GroupName ?? '?'}, which the caller's user ${UserName} is in (now)`)
      }
    }

    if (principal.kind === 'role') {
      const RoleName = principal.name
      const attached = await collectPages(paginateItems((r) => iam.listAttachedRolePolicies(r), {RoleName}, 'Marker', 'Marker', 'AttachedPolicies'))
      for (const p of attached) add(p.PolicyArn, `attached to the caller's role ${RoleName} (now)`)
      const profiles = await collectPages(paginateItems((r) => iam.listInstanceProfilesForRole(r), {RoleName}, 'Marker', 'Marker', 'InstanceProfiles'))
      for (const p of profiles) add(p.Arn, `the instance profile holding the caller's role ${RoleName} (now)`)
    }
  } catch (error) {
    const classified = classifyError(error)
    if (classified.kind === 'not_found') return {links}
    return {error: `${classified.code}: ${classified.message}`}
  }

  return {links}
}
