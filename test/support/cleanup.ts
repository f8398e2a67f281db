import {type CleanupPlan, type Deleter, type DeleteStep, type IncludedResource, PLAN_FORMAT, type PlanItem, type PlanSelection, type ProtectionRules, type ResourceLink} from '../../src/cleanup/types.js'
import {type PlanInput, type StateInput, planCleanup} from '../../src/cleanup/plan.js'
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

/** The registry's specs, every one with a deleter (the test ones above, else a plain delete) except the types `without`, which have none. */
export function specsWithDeleters(without: readonly string[] = []): ResourceSpec[] {
  return specs.map((s) => {
    const {deleter: _real, ...bare} = s
    return without.includes(s.type) ? bare : {...bare, deleter: testDeleters[s.type] ?? plannedOnly({steps: (r) => [deleteStep(r)]})}
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

/** A cleanup of `current` against `baseline` as the administrator, every type with a test deleter, with overrides. */
export function planSandbox(baseline: readonly Resource[], current: readonly Resource[], overrides: Partial<PlanInput> = {}): CleanupPlan {
  return planCleanup({
    mode: 'cleanup',
    baseline: state('base', baseline),
    current: state('now', current),
    caller: ADMIN,
    rules: rules(),
    selection: everything,
    now: NOW,
    specs: specsWithDeleters(),
    ...overrides,
  })
}

/** A made-up ARN of a resource in the test account and region. */
export const arnOf = (type: string, id: string) => `arn:aws:${type.split('::')[1]!.toLowerCase()}:${REGION}:${ACCOUNT}:${id}`

/** A delete item of `type` with one `delete` step (or the given actions), waiting for `after`. */
export function item(
  type: string,
  id: string,
  options: {after?: string[]; actions?: string[]; tags?: Record<string, string>; includes?: IncludedResource[]; region?: string; uniqueId?: string} = {},
): PlanItem {
  const arn = arnOf(type, id)
  return {
    key: arn,
    kind: 'delete',
    arn,
    type,
    id,
    name: id,
    region: options.region ?? REGION,
    accountId: ACCOUNT,
    createdAt: '2026-12-05T10:00:00.000Z',
    uniqueId: options.uniqueId ?? null,
    tags: options.tags ?? {},
    why: {kind: 'created', explanation: 'not in baseline base'},
    steps: (options.actions ?? ['delete']).map((action) => ({action, description: `${action} ${id}`, params: {id}})),
    after: options.after ?? [],
    includes: options.includes ?? [],
  }
}

/**
 * The prepare item of `type` `id` (one `revoke` step, or the given actions) for the dependency cycle of the
 * delete items `cycle` (by default its own resource's), waiting for `after`.
 */
export function prepareItem(type: string, id: string, options: {after?: string[]; actions?: string[]; cycle?: string[]; tags?: Record<string, string>} = {}): PlanItem {
  const own = item(type, id, {actions: options.actions ?? ['revoke'], after: options.after, tags: options.tags})
  return {
    ...own,
    key: `${own.arn}#prepare`,
    kind: 'prepare',
    createdAt: null,
    why: {kind: 'prepare', explanation: 'removes its references, breaking a dependency cycle'},
    partOf: own.arn,
    cycle: options.cycle ?? [own.arn],
  }
}

/** A plan document around the given waves of items (hash and id are not checked by the executor). */
export function planOf(waves: PlanItem[][], overrides: Partial<CleanupPlan> = {}): CleanupPlan {
  return {
    format: PLAN_FORMAT,
    id: 'plan-0123456789ab',
    hash: '0123456789ab'.padEnd(64, '0'),
    mode: 'cleanup',
    accountId: ACCOUNT,
    caller: ADMIN,
    createdAt: NOW.toISOString(),
    baseline: {name: 'base', id: 1, capturedAt: NOW.toISOString()},
    current: {name: 'now', id: 2, capturedAt: NOW.toISOString()},
    selection: {types: null, regions: null},
    rules: rules(),
    waves: waves.map((items, index) => ({index, items})),
    protected: [],
    skipped: [],
    notComparable: [],
    summary: {deletions: 0, included: 0, preparations: 0, waves: waves.length, protected: 0, skipped: 0, notComparable: 0, byType: {}},
    ...overrides,
  }
}
