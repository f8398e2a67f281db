import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {type PlanInput, isPlanIntact, planCleanup} from '../../../src/cleanup/plan.js'
import {buildProtection} from '../../../src/cleanup/protection.js'
import type {CleanupPlan, ProtectionRules} from '../../../src/cleanup/types.js'
import type {CoverageCell} from '../../../src/diff/snapshots.js'
import {specOf, specs as registered} from '../../../src/resources/registry.js'
import type {Relationship, RelationshipKind, Resource, ResourceSpec} from '../../../src/resources/types.js'
import {ACCOUNT, NOW, rules as noRules, specsWithDeleters, testDeleters} from '../../support/cleanup.js'

/**
 * Random resource graphs, states and rule sets, planned, then checked against the planner's promises:
 * nothing protected is planned, nothing that stays depends on what goes, dependents go in earlier
 * waves, the caller is never planned, uncollected cells never are, and the plan is the same whatever
 * order its inputs come in.
 */

const REGION = 'us-east-1'
const types = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::EIP',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Role',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::Policy',
  'AWS::S3::Bucket',
  'AWS::Lambda::Function',
] as const
const kinds: RelationshipKind[] = ['in', 'uses', 'attached-to', 'associated-with', 'references']
const statuses = ['ok', 'ok', 'ok', 'access_denied', 'throttled', 'missing'] as const

/** Mostly the plain value, sometimes one of the others: keeps most resources deletable, so plans are large. */
const mostly = <T>(usual: T, ...others: T[]) => fc.oneof({weight: 5, arbitrary: fc.constant(usual)}, {weight: 1, arbitrary: fc.constantFrom(...others)})

const node = fc.record({
  type: fc.constantFrom(...types),
  /** AWS's own kinds of resource: default VPC/subnet, VPC built-ins, service-linked, requester-managed. */
  special: mostly(false, true),
  tags: fc.oneof(
    {weight: 3, arbitrary: fc.constant<Record<string, string>>({})},
    {weight: 1, arbitrary: fc.dictionary(fc.constantFrom('keep', 'env', 'Name', 'aws:cloudformation:stack-name'), fc.constantFrom('yes', 'prod-1', 'dev', ''), {maxKeys: 2})},
  ),
  createdDaysAgo: fc.option(fc.integer({min: 0, max: 90}), {freq: 4}),
  inBaseline: mostly(false, true),
  replaced: fc.boolean(),
  deleteOnTermination: fc.boolean(),
})

const scenario = fc.record({
  mode: fc.constantFrom('cleanup' as const, 'purge' as const),
  nodes: fc.array(node, {minLength: 1, maxLength: 28, size: 'max'}),
  edges: fc.array(fc.tuple(fc.nat(), fc.nat(), mostly<RelationshipKind>('uses', ...kinds)), {maxLength: 80, size: 'max'}),
  /** Pairs of security groups referencing each other (indexes among the groups). */
  mutual: fc.array(fc.tuple(fc.nat(), fc.nat()), {maxLength: 3, size: 'max'}),
  baselineCells: fc.dictionary(fc.constantFrom(...types), fc.constantFrom(...statuses), {maxKeys: 2}),
  currentCells: fc.dictionary(fc.constantFrom(...types), fc.constantFrom(...statuses), {maxKeys: 2}),
  caller: fc.constantFrom('admin', 'user', 'role'),
  tagRules: mostly<Array<{key: string; value: string}>>([], [{key: 'keep', value: '*'}], [{key: 'env', value: 'prod*'}, {key: 'keep', value: 'yes'}]),
  typeRules: mostly<string[]>([], ['AWS::IAM::Policy'], ['AWS::EC2::Sub*', 'aws::s3::*']),
  nameRules: mostly<string[]>([], ['n1*'], ['n2']),
  ageDays: fc.oneof({weight: 5, arbitrary: fc.constant(null)}, {weight: 1, arbitrary: fc.integer({min: 0, max: 60})}),
  withoutDeleter: mostly<string[]>([], ['AWS::EC2::NetworkInterface'], ['AWS::IAM::Group', 'AWS::EC2::Volume']),
  sgRelease: mostly(true, false),
  selection: fc.constantFrom<PlanInput['selection']>({types: null, regions: null}, {types: ['AWS::EC2::*'], regions: null}, {types: null, regions: ['us-east-1']}),
  shuffle: fc.integer(),
})

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

const segments: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::SecurityGroup': 'sg',
  'AWS::EC2::NetworkInterface': 'eni',
  'AWS::EC2::Instance': 'i',
  'AWS::EC2::Volume': 'vol',
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::RouteTable': 'rtb',
  'AWS::EC2::NetworkAcl': 'acl',
  'AWS::EC2::EIP': 'eipalloc',
}

/** Where node `i` lives and how AWS names it. */
function shellOf(i: number, type: string): {type: string; id: string; name: string; arn: string; region: string} {
  const name = `n${i}`
  const id = segments[type] ? `${segments[type]}-${i.toString(16).padStart(8, '0')}` : name
  if (type.startsWith('AWS::IAM::')) return {type, id, name, region: 'global', arn: `arn:aws:iam::${ACCOUNT}:${type.split('::')[2]!.toLowerCase()}/${name}`}
  if (type === 'AWS::S3::Bucket') return {type, id, name, region: REGION, arn: `arn:aws:s3:::${name}`}
  if (type === 'AWS::Lambda::Function') return {type, id, name, region: REGION, arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`}
  return {type, id, name, region: REGION, arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:${segments[type]}/${id}`}
}

/** The configuration field that makes a node one of AWS's own (default VPC, VPC built-in, requester-managed, service-linked). */
const specialFields: Readonly<Record<string, (special: boolean) => Record<string, unknown>>> = {
  'AWS::EC2::VPC': (special) => ({IsDefault: special}),
  'AWS::EC2::Subnet': (special) => ({DefaultForAz: special}),
  'AWS::EC2::RouteTable': (special) => ({Associations: special ? [{Main: true}] : []}),
  'AWS::EC2::NetworkAcl': (special) => ({IsDefault: special}),
  'AWS::EC2::NetworkInterface': (special) => ({RequesterManaged: special}),
  'AWS::IAM::Role': (special) => ({Path: special ? '/aws-service-role/' : '/'}),
}

/** A canonical resource for node `i`, in the shapes the specs produce (only the fields the planner reads). */
function resourceOf(i: number, n: Scenario['nodes'][number], edges: Relationship[]): Resource {
  const shell = shellOf(i, n.type)
  const idsOf = (type: string) => edges.filter((e) => e.type === type).map((e) => e.id ?? '')
  const arnsOf = (type: string) => edges.filter((e) => e.type === type).map((e) => ({PolicyArn: e.arn, Arn: e.arn}))
  const configuration: Record<string, unknown> = {...specialFields[n.type]?.(n.special)}
  if (n.type === 'AWS::EC2::SecurityGroup') {
    configuration.GroupName = n.special ? 'default' : shell.name
    configuration.IpPermissions = idsOf(n.type).map((GroupId) => ({IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId}]}))
  }

  if (n.type === 'AWS::EC2::Instance') configuration.BlockDeviceMappings = idsOf('AWS::EC2::Volume').map((VolumeId) => ({Ebs: {VolumeId, DeleteOnTermination: n.deleteOnTermination}}))
  if (n.type === 'AWS::IAM::User') configuration.Groups = idsOf('AWS::IAM::Group').map((GroupName) => ({GroupName}))
  if (['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'].includes(n.type)) configuration.AttachedPolicies = arnsOf('AWS::IAM::Policy')
  if (n.type === 'AWS::IAM::Role') configuration.RoleId = `AROA${i}`
  if (n.type === 'AWS::IAM::InstanceProfile') configuration.Roles = arnsOf('AWS::IAM::Role')

  return {
    arn: shell.arn,
    type: n.type,
    id: shell.id,
    name: n.tags.Name || shell.name,
    region: shell.region,
    accountId: ACCOUNT,
    createdAt: n.createdDaysAgo === null ? null : new Date(NOW.getTime() - n.createdDaysAgo * 86_400_000 - 1000).toISOString(),
    tags: n.tags,
    configuration,
    source: 'api',
    relationships: edges,
  }
}

interface Built {
  input: PlanInput
  current: Resource[]
  callerArns: string[]
}

function build(s: Scenario): Built {
  const shells = s.nodes.map((n, i) => shellOf(i, n.type))

  // Edges follow the registry's dependsOn, so only security groups can form cycles, as in AWS.
  const edges = new Map<number, Relationship[]>(s.nodes.map((_, i) => [i, []]))
  for (const [a, b, kind] of s.edges) {
    const holder = a % s.nodes.length
    const allowed = specOf(shells[holder]!.type)?.dependsOn ?? []
    const choices = shells.map((t, i) => ({...t, i})).filter((t) => allowed.includes(t.type) && t.i !== holder)
    if (choices.length === 0) continue
    const target = choices[b % choices.length]!
    const list = edges.get(holder)!
    if (!list.some((e) => e.arn === target.arn && e.kind === kind)) list.push({type: target.type, arn: target.arn, id: target.id, kind})
  }

  const groups = shells.map((t, i) => ({...t, i})).filter((t) => t.type === 'AWS::EC2::SecurityGroup')
  for (const [a, b] of s.mutual) {
    const [x, y] = [groups[a % Math.max(groups.length, 1)], groups[b % Math.max(groups.length, 1)]]
    if (x === undefined || y === undefined || x === y) continue
    for (const [from, to] of [[x, y], [y, x]] as const) {
      const list = edges.get(from.i)!
      if (!list.some((e) => e.arn === to.arn && e.kind === 'uses')) list.push({type: to.type, arn: to.arn, id: to.id, kind: 'uses'})
    }
  }

  const current = s.nodes.map((n, i) => resourceOf(i, n, edges.get(i)!))
  const baseline = current.flatMap((r, i) => {
    const n = s.nodes[i]!
    if (!n.inBaseline) return []
    return [n.replaced && r.configuration.RoleId !== undefined ? {...r, configuration: {...r.configuration, RoleId: `${String(r.configuration.RoleId)}-old`}} : r]
  })
  // Every registered type is collected (ok unless the scenario says otherwise), as a real collection would be.
  const cells = (overrides: Record<string, string>): CoverageCell[] =>
    registered
      .filter((spec) => overrides[spec.type] !== 'missing')
      .map((spec) => ({accountId: ACCOUNT, region: spec.scope === 'global' ? 'global' : REGION, resourceType: spec.type, status: overrides[spec.type] ?? 'ok'}))

  const users = current.filter((r) => r.type === 'AWS::IAM::User')
  const roles = current.filter((r) => r.type === 'AWS::IAM::Role')
  const callerArn =
    s.caller === 'user' && users[0] ? users[0].arn : s.caller === 'role' && roles[0] ? `arn:aws:sts::${ACCOUNT}:assumed-role/${roles[0].id}/session` : `arn:aws:sts::${ACCOUNT}:assumed-role/admin/x`
  const callerArns = s.caller === 'user' && users[0] ? [users[0].arn] : s.caller === 'role' && roles[0] ? [roles[0].arn] : []

  const rules: ProtectionRules = noRules({
    tags: s.tagRules.map((t) => ({...t, source: 'r.yaml'})),
    types: s.typeRules.map((pattern) => ({pattern, source: 'r.yaml'})),
    names: s.nameRules.map((pattern) => ({pattern, source: 'r.yaml'})),
    ageDaysMinimum: s.ageDays === null ? null : {days: s.ageDays, source: 'r.yaml'},
  })
  const specs = specsWithDeleters(s.withoutDeleter).map((spec): ResourceSpec =>
    spec.type === 'AWS::EC2::SecurityGroup' && !s.sgRelease ? {...spec, deleter: {...testDeleters[spec.type]!, releaseSteps: undefined}} : spec,
  )
  const ref = (name: string) => ({name, id: null, capturedAt: NOW.toISOString()})
  const input: PlanInput = {
    mode: s.mode,
    current: {ref: ref('now'), resources: current, cells: cells(s.currentCells)},
    ...(s.mode === 'cleanup' ? {baseline: {ref: ref('base'), resources: baseline, cells: cells(s.baselineCells)}} : {}),
    caller: {arn: callerArn, accountId: ACCOUNT},
    rules,
    selection: s.selection,
    now: NOW,
    specs,
  }
  return {input, current, callerArns}
}

/** Every resource a plan deletes, mapped to the key of the item that deletes it (its own, or the one it goes with). */
function going(plan: CleanupPlan): Map<string, string> {
  const map = new Map<string, string>()
  for (const wave of plan.waves) {
    for (const item of wave.items) {
      if (item.kind !== 'delete') continue
      map.set(item.arn, item.key)
      for (const included of item.includes) map.set(included.arn, item.key)
    }
  }

  return map
}

function wavesByKey(plan: CleanupPlan): Map<string, number> {
  return new Map(plan.waves.flatMap((w) => w.items.map((i) => [i.key, w.index] as const)))
}

/** A deterministic shuffle (mulberry32). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  let state = seed >>> 0
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  const copy = [...list]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }

  return copy
}

const runs = {numRuns: 300}

describe('planCleanup on random resource graphs', () => {
  it('never plans a protected resource; what goes along with an item is protected only as AWS’s own part of it', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const {input, current} = build(s)
        const plan = planCleanup(input)
        const protection = buildProtection({rules: input.rules, caller: input.caller, now: input.now, current, specOf: (t) => input.specs!.find((x) => x.type === t)})
        const byArn = new Map(current.map((r) => [r.arn, r]))
        for (const [arn, owner] of going(plan)) {
          const reasons = protection.reasonsOf(byArn.get(arn)!)
          if (arn === owner) expect(reasons, arn).toEqual([])
          for (const reason of reasons) {
            expect(['not-deletable', 'requester-managed', 'created-with-vpc'], `${arn}: ${reason.explanation}`).toContain(reason.kind)
            if (reason.deletedWith !== undefined) expect(reason.deletedWith).toBe(owner)
          }
        }

        for (const p of plan.protected) expect(going(plan).has(p.arn)).toBe(false)
      }),
      runs,
    )
  })

  it('never plans the caller’s own identity', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const {input, callerArns} = build(s)
        const planned = going(planCleanup(input))
        for (const arn of callerArns) expect(planned.has(arn)).toBe(false)
      }),
      runs,
    )
  })

  it('leaves nothing that stays depending on what goes, and puts dependents in earlier waves', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const {input, current} = build(s)
        const plan = planCleanup(input)
        const planned = going(plan)
        const waves = wavesByKey(plan)
        const byArn = new Map(current.map((r) => [r.arn, r]))
        for (const holder of current) {
          for (const edge of holder.relationships) {
            const target = edge.arn === undefined ? undefined : byArn.get(edge.arn)
            if (target === undefined || edge.kind === 'references' || !planned.has(target.arn)) continue
            const holderItem = planned.get(holder.arn)
            if (holderItem === undefined) {
              // Only an association may outlive its target: AWS drops it with the target.
              expect(edge.kind, `${holder.arn} ${edge.kind} ${target.arn}, which goes while it stays`).toBe('associated-with')
              continue
            }

            const targetItem = planned.get(target.arn)!
            if (holderItem === targetItem) continue
            const absorbed = holderItem !== holder.arn || targetItem !== target.arn
            if (edge.kind === 'associated-with' && absorbed) continue
            const prepared = waves.get(`${holder.arn}#prepare`)
            const ordered = waves.get(holderItem)! < waves.get(targetItem)! || (prepared !== undefined && prepared < waves.get(targetItem)!)
            expect(ordered, `${holder.arn} ${edge.kind} ${target.arn}`).toBe(true)
          }
        }

        for (const wave of plan.waves) for (const item of wave.items) for (const key of item.after) expect(waves.get(key)).toBeLessThan(wave.index)
      }),
      runs,
    )
  })

  it('gives each preparation its whole cycle, and has it wait for whatever an item of the cycle waits for outside it', () => {
    let prepared = 0
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planCleanup(build(s).input)
        const byKey = new Map(plan.waves.flatMap((w) => w.items.map((i) => [i.key, i])))
        const waves = wavesByKey(plan)
        const preparations = [...byKey.values()].filter((i) => i.kind === 'prepare')
        prepared += preparations.length
        for (const prepare of preparations) {
          const cycle = prepare.cycle ?? []
          expect(cycle, prepare.key).toContain(prepare.partOf)
          const own = new Set([...cycle, ...preparations.filter((p) => p.cycle?.join() === cycle.join()).map((p) => p.key)])
          for (const key of cycle) {
            const member = byKey.get(key)
            expect(member?.kind, `${prepare.key}: cycle item ${key}`).toBe('delete')
            expect(waves.get(key)!, `${prepare.key} before ${key}`).toBeGreaterThan(waves.get(prepare.key)!)
            for (const before of member!.after) if (!own.has(before)) expect(prepare.after, `${prepare.key} waits for ${before}, which ${key} waits for`).toContain(before)
          }
        }
      }),
      runs,
    )
    // The scenarios do break cycles.
    expect(prepared).toBeGreaterThan(0)
  })

  it('never plans a resource of a cell not collected ok (in the baseline too, for a cleanup)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const {input, current} = build(s)
        const planned = going(planCleanup(input))
        const ok = (cells: readonly CoverageCell[] | undefined, r: Resource) => (cells ?? []).some((c) => c.resourceType === r.type && c.region === r.region && c.status === 'ok')
        for (const r of current.filter((c) => planned.has(c.arn))) {
          expect(ok(input.current.cells, r), r.arn).toBe(true)
          if (input.mode === 'cleanup') expect(ok(input.baseline?.cells, r), r.arn).toBe(true)
        }
      }),
      runs,
    )
  })

  it('accounts for every selected candidate exactly once: planned, taken along, protected or skipped', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const {input, current} = build(s)
        const plan = planCleanup(input)
        const seen = new Map<string, number>()
        const count = (arn: string) => seen.set(arn, (seen.get(arn) ?? 0) + 1)
        for (const wave of plan.waves) for (const item of wave.items) if (item.kind === 'delete') count(item.arn)
        for (const p of plan.protected) count(p.arn)
        for (const p of plan.skipped) count(p.arn)
        for (const [arn] of seen) expect(seen.get(arn), arn).toBe(1)
        const baselineArns = new Set((input.baseline?.resources ?? []).map((r) => r.arn))
        const inState = (r: Resource) => input.mode === 'purge' || !baselineArns.has(r.arn)
        const selected = current.filter((r) => inState(r) && (input.selection.types === null || r.type.startsWith('AWS::EC2::')) && (input.selection.regions === null || r.region === REGION))
        const includedArns = new Set(plan.waves.flatMap((w) => w.items.flatMap((i) => i.includes.map((x) => x.arn))))
        for (const r of selected) expect(seen.has(r.arn) || includedArns.has(r.arn), r.arn).toBe(true)
      }),
      runs,
    )
  })

  it('is the same plan, hash included, whatever order the inputs come in, and intact', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const {input} = build(s)
        const plan = planCleanup(input)
        expect(isPlanIntact(plan)).toBe(true)
        const reordered: PlanInput = {
          ...input,
          current: {...input.current, resources: shuffled(input.current.resources, s.shuffle), cells: shuffled(input.current.cells, s.shuffle + 1)},
          ...(input.baseline ? {baseline: {...input.baseline, resources: shuffled(input.baseline.resources, s.shuffle + 2), cells: shuffled(input.baseline.cells, s.shuffle + 3)}} : {}),
          specs: shuffled(input.specs!, s.shuffle + 4),
        }
        expect(planCleanup(reordered)).toEqual(plan)
      }),
      runs,
    )
  })
})
