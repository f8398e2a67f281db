import {adoptedHomeRegion, otherOwnerOf, trail} from '../resources/cloudtrail/trail.js'
import {internetGateway} from '../resources/ec2/internet-gateway.js'
import {instance} from '../resources/ec2/instance.js'
import {networkAcl} from '../resources/ec2/network-acl.js'
import {networkInterface} from '../resources/ec2/network-interface.js'
import {routeTable} from '../resources/ec2/route-table.js'
import {securityGroup} from '../resources/ec2/security-group.js'
import {subnet} from '../resources/ec2/subnet.js'
import {vpc} from '../resources/ec2/vpc.js'
import {group} from '../resources/iam/group.js'
import {instanceProfile} from '../resources/iam/instance-profile.js'
import {policy} from '../resources/iam/policy.js'
import {role} from '../resources/iam/role.js'
import {user} from '../resources/iam/user.js'
import type {Resource, ResourceSpec} from '../resources/types.js'
import {matchRules} from './rules.js'
import type {CallerIdentity, ProtectionReason, ProtectionRules} from './types.js'

/**
 * Tags AWS puts on resources that a service manages. Deleting such a resource behind the service's back
 * breaks it (a CloudFormation stack drifts, an Auto Scaling group replaces the instance): delete the
 * stack, group or fleet instead. Tags under `aws:` cannot be set by users, so these cannot be forged.
 */
export const managementTags: Readonly<Record<string, string>> = {
  'aws:cloudformation:stack-name': 'CloudFormation stack',
  'aws:cloudformation:stack-id': 'CloudFormation stack',
  'aws:autoscaling:groupName': 'Auto Scaling group',
  'aws:ec2spot:fleet-request-id': 'Spot Fleet request',
  'aws:ec2:fleet-id': 'EC2 Fleet',
  'aws:eks:cluster-name': 'EKS cluster',
  'aws:elasticmapreduce:job-flow-id': 'EMR cluster',
  'aws:servicecatalog:provisionedProductArn': 'Service Catalog provisioned product',
  'aws:backup:source-resource': 'AWS Backup recovery point',
  'aws:dlm:lifecycle-policy-id': 'Data Lifecycle Manager policy',
}

const awsManagedPolicyArn = /^arn:[^:]+:iam::aws:policy\//
const instanceIdPattern = /^i-[0-9a-f]{8,17}$/

/** The caller as the ARN says: an IAM user, a role session, the root user, or something else (federated user). */
export type CallerPrincipal =
  | {kind: 'user'; name: string}
  | {kind: 'role'; name: string; session?: string}
  | {kind: 'root'}
  | {kind: 'other'}

/** Reads a caller ARN (`…:user/path/name`, `…:assumed-role/role/session`, `…:role/path/name`, `…:root`). */
export function parseCallerArn(arn: string): CallerPrincipal {
  const resource = arn.split(':').slice(5).join(':')
  const parts = resource.split('/')
  if (resource === 'root') return {kind: 'root'}
  if (parts[0] === 'user' && parts.length >= 2) return {kind: 'user', name: parts.at(-1) ?? ''}
  if (parts[0] === 'assumed-role' && parts.length >= 2) return {kind: 'role', name: parts[1] ?? '', session: parts[2]}
  if (parts[0] === 'role' && parts.length >= 2) return {kind: 'role', name: parts.at(-1) ?? ''}
  return {kind: 'other'}
}

/**
 * Why a resource is the principal the credentials act as — their IAM user, their role, or the EC2 instance
 * their role session is named after — or undefined. It needs no collected state, so a saved plan can be
 * checked against whoever executes it, which need not be who made it.
 */
export function callerPrincipalReason(caller: CallerIdentity, resource: Pick<Resource, 'type' | 'id' | 'accountId'>): string | undefined {
  if (resource.accountId !== caller.accountId) return undefined
  const principal = parseCallerArn(caller.arn)
  if (principal.kind === 'user' && resource.type === user.type && resource.id === principal.name) return `the user ${principal.name} the credentials in use act as`
  if (principal.kind !== 'role') return undefined
  if (resource.type === role.type && resource.id === principal.name) return `the role ${principal.name} the credentials in use act as`
  const session = principal.session ?? ''
  if (resource.type === instance.type && instanceIdPattern.test(session) && resource.id === session) return `the instance awsinv runs on (the role session ${session} of the credentials in use)`
  return undefined
}

export interface ProtectionInput {
  rules: ProtectionRules
  caller: CallerIdentity
  /** Ages are measured at this time (the plan's). */
  now: Date
  /** Every current resource: the facts that span resources (default VPCs, the caller's groups and policies) come from here. */
  current: readonly Resource[]
  /** The spec of a type, to tell whether it has a deleter. */
  specOf(type: string): ResourceSpec | undefined
}

/** Decides what protects a resource. */
export interface Protection {
  /** Every reason that protects the resource, rules first; empty when nothing does. */
  reasonsOf(resource: Resource): ProtectionReason[]
}

/**
 * The protection in force: the rules, plus what is always protected — the caller's identity, AWS managed
 * and service-linked resources, requester-managed interfaces, default VPC resources, each VPC's built-in
 * resources, and every type without a deleter. Pure: everything comes from `input`.
 */
export function buildProtection(input: ProtectionInput): Protection {
  const identity = identityFacts(input.caller, input.current)
  const defaultVpcs = new Set(input.current.filter((r) => r.type === vpc.type && r.configuration.IsDefault === true).map((r) => r.arn))
  return {
    reasonsOf(resource) {
      const reasons = matchRules(input.rules, resource, input.now)
      const own = identity.get(resource.arn)
      if (own !== undefined && resource.accountId === input.caller.accountId) reasons.push({kind: 'caller-identity', explanation: own})
      reasons.push(...alwaysProtected(resource, defaultVpcs, input.specOf))
      return reasons
    },
  }
}

/**
 * What still protects a resource right before its deletion, from what can change after planning: the
 * rules against its current tags (null: unreadable, so tag rules protect it) and management tags. The
 * executor skips the item when this is not empty.
 */
export function recheckProtection(
  rules: ProtectionRules,
  resource: {type: string; id: string; name: string; createdAt: string | null},
  tags: Record<string, string> | null,
  now: Date,
): ProtectionReason[] {
  const reasons = matchRules(rules, {...resource, tags}, now)
  if (tags !== null) reasons.push(...managedReasons(tags))
  return reasons
}

/**
 * The always-protected kinds a resource's own state shows — AWS managed, service-linked, requester-managed,
 * the default VPC and its default subnets, a VPC's built-ins — for the executor's re-check of what it just
 * read (the configuration, or `{}` where the read returns none: IAM paths then come from the ARN): a plan
 * file edited by hand (and hashed again) still cannot make awsinv delete them. The planner never plans
 * such a resource, so for an item as planned this is empty.
 */
export function intrinsicProtection(resource: Resource, specOf: (type: string) => ResourceSpec | undefined): ProtectionReason[] {
  return alwaysProtected(resource, new Set(), specOf).filter((r) => r.kind !== 'not-deletable')
}

function managedReasons(tags: Record<string, string>): ProtectionReason[] {
  return Object.entries(managementTags)
    .filter(([key]) => Object.hasOwn(tags, key))
    .map(([key, manager]) => ({kind: 'aws-managed' as const, explanation: `managed by ${manager} ${tags[key]} (tag ${key}): delete it there instead`}))
}

/** The reasons that need no rule, in a fixed order. */
function alwaysProtected(resource: Resource, defaultVpcs: ReadonlySet<string>, specOf: (type: string) => ResourceSpec | undefined): ProtectionReason[] {
  const reasons: ProtectionReason[] = []
  const config = resource.configuration
  const path = typeof config.Path === 'string' ? config.Path : iamPathOf(resource.arn)

  if (resource.type === policy.type && awsManagedPolicyArn.test(resource.arn)) {
    reasons.push({kind: 'aws-managed', explanation: 'an AWS managed policy: AWS owns it'})
  }

  if (path.startsWith('/aws-reserved/')) reasons.push({kind: 'aws-managed', explanation: `managed by AWS (path ${path}, e.g. IAM Identity Center)`})
  if (config.KeyManager === 'AWS') reasons.push({kind: 'aws-managed', explanation: 'an AWS managed key: AWS owns it'})
  const trailOwner = resource.type === trail.type ? otherOwnerOf(resource) : undefined
  if (trailOwner !== undefined) {
    // An organization trail is listed in every member account under its management account's ARN; only
    // that account may change or delete it (deleting it there stops logging for the whole organization).
    const what = config.IsOrganizationTrail === true ? 'an organization trail of management account' : 'a trail of account'
    reasons.push({kind: 'aws-managed', explanation: `${what} ${trailOwner}: manage it there`})
  }

  const home = adoptedHomeRegion(resource)
  if (home !== undefined) {
    reasons.push({
      kind: 'outside-regions',
      explanation: `a multi-region trail homed in ${home}, a region not collected (it was seen through ${resource.region}, which it logs too): deleting it would stop its logging in every region; delete it with a run that covers ${home}`,
    })
  }

  reasons.push(...managedReasons(resource.tags))

  if (resource.type === role.type && (path.startsWith('/aws-service-role/') || resource.arn.includes(':role/aws-service-role/'))) {
    reasons.push({kind: 'service-linked', explanation: 'a service-linked role: it is deleted through the service that uses it'})
  }

  if (resource.type === 'AWS::SecretsManager::Secret' && typeof config.OwningService === 'string' && config.OwningService !== '') {
    // Secrets Manager refuses to delete it directly; its service deletes it with what owns it (an RDS master password with its database).
    reasons.push({kind: 'requester-managed', explanation: `managed by ${config.OwningService}: it goes with the resource that created it`})
  }

  if (resource.type === networkInterface.type && config.RequesterManaged === true) {
    const made = [config.InterfaceType, config.Description].filter((v) => typeof v === 'string' && v !== '').join(', ')
    reasons.push({kind: 'requester-managed', explanation: `created by AWS for a service (${made || 'requester-managed'}): it goes with the resource that created it`})
  }

  const vpcArn = vpcOf(resource, specOf)
  const ofVpc = vpcArn === undefined ? 'its VPC' : `${defaultVpcs.has(vpcArn) ? 'the default VPC ' : ''}${lastSegment(vpcArn)}`
  if (resource.type === vpc.type && config.IsDefault === true) reasons.push({kind: 'default-vpc', explanation: 'the default VPC'})
  if (resource.type === subnet.type && config.DefaultForAz === true) reasons.push({kind: 'default-vpc', explanation: `a default subnet of ${ofVpc}`})
  if (resource.type === internetGateway.type) {
    const attached = resource.relationships.filter((r) => r.type === vpc.type && r.arn !== undefined && defaultVpcs.has(r.arn))
    if (attached.length > 0) reasons.push({kind: 'default-vpc', explanation: `the internet gateway of the default VPC ${lastSegment(attached[0]?.arn ?? '')}`})
  }

  const builtIn =
    resource.type === securityGroup.type && config.GroupName === 'default'
      ? 'default security group'
      : resource.type === routeTable.type && Array.isArray(config.Associations) && config.Associations.some((a: {Main?: boolean}) => a.Main === true)
        ? 'main route table'
        : resource.type === networkAcl.type && config.IsDefault === true
          ? 'default network ACL'
          : undefined
  if (builtIn !== undefined) {
    reasons.push({
      kind: 'created-with-vpc',
      ...(vpcArn === undefined ? {} : {deletedWith: vpcArn}),
      explanation: `the ${builtIn} of ${ofVpc}: AWS deletes it only with its VPC`,
    })
  }

  if (specOf(resource.type)?.deleter === undefined) reasons.push({kind: 'not-deletable', explanation: `awsinv has no deleter for ${resource.type}`})
  return reasons
}

/** The ARN of the VPC a resource is in, from its relationships (or its spec's, if it carries none). */
function vpcOf(resource: Resource, specOf: (type: string) => ResourceSpec | undefined): string | undefined {
  const edges = resource.relationships.length > 0 ? resource.relationships : (specOf(resource.type)?.relationships?.(resource) ?? [])
  return edges.find((r) => r.type === vpc.type && r.kind === 'in')?.arn
}

/**
 * The path in an IAM ARN (`arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/Name` →
 * `/aws-reserved/sso.amazonaws.com/`), or '' for other ARNs: where the configuration was not read again.
 */
export function iamPathOf(arn: string): string {
  const parts = arn.split(':')
  if (parts[2] !== 'iam') return ''
  const segments = parts.slice(5).join(':').split('/')
  return segments.length <= 2 ? '/' : `/${segments.slice(1, -1).join('/')}/`
}

function lastSegment(arn: string): string {
  return arn.split('/').at(-1) ?? arn
}

/** ARNs of the caller's own identity and what it stands on, each with the explanation. */
function identityFacts(caller: CallerIdentity, current: readonly Resource[]): Map<string, string> {
  const facts = new Map<string, string>()
  const principal = parseCallerArn(caller.arn)
  const mine = (r: Resource) => r.accountId === caller.accountId
  const add = (arn: string, explanation: string) => {
    if (!facts.has(arn)) facts.set(arn, explanation)
  }

  const policyArns = (r: Resource) => ((r.configuration.AttachedPolicies ?? []) as Array<{PolicyArn?: string}>).map((p) => p.PolicyArn).filter((a): a is string => a !== undefined)
  const attached = new Map<string, string>()

  if (principal.kind === 'user') {
    for (const u of current.filter((r) => r.type === user.type && r.id === principal.name && mine(r))) {
      add(u.arn, `the caller's own user ${u.name}: awsinv runs as it (its access keys, login profile and MFA devices with it)`)
      for (const arn of policyArns(u)) attached.set(arn, `attached to the caller's user ${u.name}`)
      const groupNames = new Set(((u.configuration.Groups ?? []) as Array<{GroupName?: string}>).map((g) => g.GroupName))
      for (const g of current.filter((r) => r.type === group.type && groupNames.has(r.id) && mine(r))) {
        add(g.arn, `a group the caller's user ${u.name} is in: deleting it would change the caller's permissions`)
        for (const arn of policyArns(g)) if (!attached.has(arn)) attached.set(arn, `attached to group ${g.name}, which the caller's user ${u.name} is in`)
      }
    }
  }

  if (principal.kind === 'role') {
    for (const r of current.filter((c) => c.type === role.type && c.id === principal.name && mine(c))) {
      add(r.arn, `the caller's own role ${r.name}${principal.session ? ` (session ${principal.session})` : ''}: awsinv runs as it`)
      for (const arn of policyArns(r)) attached.set(arn, `attached to the caller's role ${r.name}`)
      const listed = new Set(((r.configuration.InstanceProfiles ?? []) as Array<{Arn?: string}>).map((p) => p.Arn))
      for (const p of current.filter((c) => c.type === instanceProfile.type && mine(c))) {
        const roles = (p.configuration.Roles ?? []) as Array<{Arn?: string; RoleName?: string}>
        if (listed.has(p.arn) || roles.some((x) => x.Arn === r.arn || x.RoleName === r.id)) add(p.arn, `the instance profile holding the caller's role ${r.name}`)
      }
    }

    // On EC2, an instance role's session is named after the instance: that instance runs awsinv.
    const session = principal.session ?? ''
    if (instanceIdPattern.test(session)) {
      for (const i of current.filter((c) => c.type === instance.type && c.id === session && mine(c))) add(i.arn, `the instance awsinv runs on (the caller's session ${session})`)
    }
  }

  for (const p of current.filter((c) => c.type === policy.type && attached.has(c.arn) && mine(c))) add(p.arn, attached.get(p.arn) ?? '')
  return facts
}
