import type {ResourceSpec} from '../resources/types.js'
import {type PathSegment, fieldPattern} from './path.js'

/** What kind of drift a change is: users filter on it, and CI gates usually care about `security`. */
export const driftCategories = ['tags', 'security', 'configuration', 'state'] as const
export type DriftCategory = (typeof driftCategories)[number]

// Runtime state most types report under these top-level names.
const stateNames = /^(State|Status|StateReason|StateTransitionReason|StateMessage|StatusMessage|StatusReason|LastUpdateStatus\w*)$/

// Field names that carry network exposure, public access, encryption, identity or permissions.
const securityNames =
  /polic(y|ies)|permission|principal|assumerole|publicaccess|encrypt|kms|acl$|grant|^(IpRanges|Ipv6Ranges|PrefixListIds|UserIdGroupPairs|Entries|Groups|SecurityGroups|SecurityGroupIds|IamInstanceProfile|Role|MFADelete|MetadataOptions|AccessKeys|MFADevices|LoginProfile|SigningCertificates|SSHPublicKeys|PasswordResetRequired|PublicIp|AssignPublicIp|MapPublicIpOnLaunch)$/i

// The normalizer keys every policy document's statements (see `canonicalPolicy`), so a path through a
// `Statement` lies inside a policy document, whatever the field holding it is called (an IAM policy's
// `Document`, a topic's `DataProtectionPolicy`).
const policyStatement = 'Statement'

/** What a spec says about the categories of its fields. */
type CategoryRules = Pick<ResourceSpec, 'stateFields' | 'securityFields' | 'configurationFields'>

/**
 * The category of a change at `segments`: `Tags` is tags; the spec's state fields, then its security
 * fields, then its configuration fields; then state and security by name (policy documents, rules, public
 * access, encryption…); else configuration.
 */
export function categorize(segments: readonly PathSegment[], rules: CategoryRules = {}): DriftCategory {
  const pattern = fieldPattern(segments)
  if (pattern[0] === 'Tags') return 'tags'
  if (rules.stateFields?.some((p) => pathStartsWith(pattern, p))) return 'state'
  if (rules.securityFields?.some((p) => pathStartsWith(pattern, p))) return 'security'
  if (rules.configurationFields?.some((p) => pathStartsWith(pattern, p))) return 'configuration'
  if (stateNames.test(pattern[0] ?? '')) return 'state'
  if (pattern.includes(policyStatement) || pattern.some((name) => securityNames.test(name))) return 'security'
  return 'configuration'
}

/** Whether a field path lies at or under a spec path (dot-separated, `*` for any element). */
export function pathStartsWith(pattern: readonly string[], specPath: string): boolean {
  const parts = specPath.split('.')
  return parts.length <= pattern.length && parts.every((part, i) => part === '*' || part === pattern[i])
}

// Types whose very existence is a security matter: a new role or an opened group is not just configuration.
const securityTypes = /^AWS::(IAM::|KMS::|EC2::(SecurityGroup|NetworkAcl)$|S3::AccountPublicAccessBlock$)/

/** The category of a resource added, removed or replaced as a whole. */
export function resourceCategory(type: string): DriftCategory {
  return securityTypes.test(type) ? 'security' : 'configuration'
}
