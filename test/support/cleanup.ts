import type {Deleter, DeleteStep, PlanSelection, ProtectionRules, ResourceLink} from '../../src/cleanup/types.js'
import type {StateInput} from '../../src/cleanup/plan.js'
import {emptyRules} from '../../src/cleanup/rules.js'
import type {CoverageCell} from '../../src/diff/snapshots.js'
import {specs} from '../../src/resources/registry.js'
import type {Resource, ResourceSpec} from '../../src/resources/types.js'
import {baselineItems, currentItems} from './cleanup-sandbox.js'
import {collected} from './scan.js'

export const ACCOUNT = '123456789012'
export const REGION = 'us-east-1'
export const NOW = new Date('2026-12-05T12:00:00.000Z')
/** The seeded user, as STS names it when awsinv runs with its access key. */
export const CALLER_USER = {arn: `arn:aws:iam::${ACCOUNT}:user/sbx-alice`, accountId: ACCOUNT}
/** Someone else: an administrator role session. */
export const ADMIN = {arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/jane`, accountId: ACCOUNT}
export const everything: PlanSelection = {types: null, regions: null}

/** The pure half of a deleter, for planning tests: `current` and `run` belong to the executor. */
function plannedOnly(parts: Pick<Deleter, 'steps'> & Partial<Pick<Deleter, 'releaseSteps' | 'includes'>>): Deleter {
  return {
    ...parts,
    current: () => Promise.reject(new Error('not used by the planner')),
    run: () => Promise.reject(new Error('not used by the planner')),
  }
}

function deleteStep(r: Resource): DeleteStep {
  return {action: 'delete', description: `Delete ${r.type} ${r.id}`, params: {id: r.id}}
}

type Rules = Array<{UserIdGroupPairs?: Array<{GroupId?: string}>}>

/** Test deleters in the shape the real ones will have: security groups release references, instances and NAT gateways take parts along. */
export const testDeleters: Readonly<Record<string, Deleter>> = {
  'AWS::EC2::SecurityGroup': plannedOnly({
    steps: (r) => [deleteStep(r)],
    releaseSteps(r, target) {
      const names = (list: unknown) => ((list ?? []) as Rules).filter((rule) => (rule.UserIdGroupPairs ?? []).some((p) => p.GroupId === target.id))
      const ingress = names(r.configuration.IpPermissions)
      const egress = names(r.configuration.IpPermissionsEgress)
      if (ingress.length + egress.length === 0) return []
      return [{action: 'revoke-security-group-rules', description: `Revoke the rules of ${r.id} that reference ${target.id}`, params: {groupId: r.id, referencedGroupId: target.id}}]
    },
  }),
  'AWS::EC2::Instance': plannedOnly({
    steps: (r) => [{action: 'terminate-instance', description: `Terminate ${r.id}`, params: {instanceId: r.id}}],
    includes(r) {
      const links: ResourceLink[] = []
      for (const m of (r.configuration.BlockDeviceMappings ?? []) as Array<{Ebs?: {VolumeId?: string; DeleteOnTermination?: boolean}}>) {
        if (m.Ebs?.DeleteOnTermination && m.Ebs.VolumeId) links.push({type: 'AWS::EC2::Volume', id: m.Ebs.VolumeId})
      }

      for (const n of (r.configuration.NetworkInterfaces ?? []) as Array<{NetworkInterfaceId?: string; Attachment?: {DeleteOnTermination?: boolean}}>) {
        if (n.Attachment?.DeleteOnTermination && n.NetworkInterfaceId) links.push({type: 'AWS::EC2::NetworkInterface', id: n.NetworkInterfaceId})
      }

      return links
    },
  }),
  'AWS::EC2::NatGateway': plannedOnly({
    steps: (r) => [deleteStep(r)],
    includes: (r) =>
      ((r.configuration.NatGatewayAddresses ?? []) as Array<{NetworkInterfaceId?: string}>)
        .filter((a) => a.NetworkInterfaceId)
        .map((a) => ({type: 'AWS::EC2::NetworkInterface', id: a.NetworkInterfaceId})),
  }),
}

/** The registry's specs, every one with a deleter (the test ones above, else a plain delete) but the types `without`, which have none. */
export function specsWithDeleters(without: readonly string[] = []): ResourceSpec[] {
  return specs.map((s) => {
    const {deleter: _real, ...spec} = s
    return without.includes(s.type) ? spec : {...spec, deleter: testDeleters[s.type] ?? plannedOnly({steps: (r) => [deleteStep(r)]})}
  })
}

/** Canonical resources from raw items, built by the specs themselves. */
export async function resourcesOf(items: Readonly<Record<string, readonly unknown[]>>): Promise<Resource[]> {
  const resources: Resource[] = []
  for (const [type, list] of Object.entries(items)) for (const item of list) resources.push(await collected(type, item, REGION))
  return resources
}

/** An `ok` cell for every registered type in us-east-1 (global types: `global`), with overrides. */
export function okCells(overrides: Readonly<Record<string, string>> = {}): CoverageCell[] {
  return specs.map((s) => ({accountId: ACCOUNT, region: s.scope === 'global' ? 'global' : REGION, resourceType: s.type, status: overrides[s.type] ?? 'ok'}))
}

export function state(name: string, resources: readonly Resource[], cells: readonly CoverageCell[] = okCells()): StateInput {
  return {ref: {name, id: null, capturedAt: NOW.toISOString()}, resources, cells}
}

export async function sandbox(): Promise<{baseline: Resource[]; current: Resource[]}> {
  return {baseline: await resourcesOf(baselineItems), current: await resourcesOf(currentItems)}
}

export function rules(overrides: Partial<ProtectionRules> = {}): ProtectionRules {
  return {...emptyRules(), ...overrides}
}
