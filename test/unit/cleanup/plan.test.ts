import {beforeAll, describe, expect, it} from 'vitest'

import {type PlanInput, hashPlan, isPlanIntact} from '../../../src/cleanup/plan.js'
import {type CleanupPlan, PLAN_FORMAT, type PlanItem} from '../../../src/cleanup/types.js'
import {UserError} from '../../../src/errors.js'
import {specs} from '../../../src/resources/registry.js'
import type {Resource} from '../../../src/resources/types.js'
import {ACCOUNT, ADMIN, CALLER_USER, NOW, okCells, planSandbox, resourcesOf, rules, sandbox, specsWithDeleters, state, testDeleters} from '../../support/cleanup.js'
import {baselineItems, currentItems} from '../../support/cleanup-sandbox.js'
import {CAPTURED_KEY_ARN, capturedKey} from '../../support/rds-efs-kms-items.js'
import {collected} from '../../support/scan.js'
import {audit, managementAccount, organizationTrail} from '../../support/trail-items.js'

let baseline: Resource[]
let current: Resource[]

beforeAll(async () => {
  ;({baseline, current} = await sandbox())
})

const arnOf = (type: string, id: string) => {
  const r = current.find((c) => c.type === type && c.id === id)
  if (r === undefined) throw new Error(`no ${type} ${id}`)
  return r.arn
}

/** A cleanup of the sandbox against the account's defaults, as the administrator, with overrides. */
function plan(overrides: Partial<PlanInput> = {}): CleanupPlan {
  return planSandbox(baseline, current, overrides)
}

/** Each wave as `type id` lines (`prepare …` for prepare items), to read a plan at a glance. */
function layout(p: CleanupPlan): string[][] {
  return p.waves.map((w) => w.items.map((i) => `${i.kind === 'prepare' ? 'prepare ' : ''}${i.type} ${i.id}`))
}

const items = (p: CleanupPlan): PlanItem[] => p.waves.flatMap((w) => w.items)
const waveOf = (p: CleanupPlan, key: string) => p.waves.findIndex((w) => w.items.some((i) => i.key === key))
const skipOf = (p: CleanupPlan, type: string, id: string) => p.skipped.find((s) => s.type === type && s.id === id)?.reason
const plannedIds = (p: CleanupPlan) => items(p).filter((i) => i.kind === 'delete').map((i) => i.id)

/** A copy of the captured current items with some replaced. */
async function currentWith(change: (items: Record<string, Array<Record<string, unknown>>>) => void): Promise<Resource[]> {
  const copy = structuredClone(currentItems) as Record<string, Array<Record<string, unknown>>>
  change(copy)
  return resourcesOf(copy)
}

const sandboxVpc = 'vpc-dc42b0dc0748f95d0'
const webSg = 'sg-3c7d7a1920099e6ab'
const dbSg = 'sg-899874093ef4225cd'
const instanceId = 'i-766e2671bc588d6ff'
const rootVolume = 'vol-e3617c7a333912afa'
const natEni = 'eni-d684a13bfaf811401'

describe('the sandbox scenario: everything created since the baseline, in dependency order', () => {
  it('plans every seeded resource in waves, dependents first, and nothing of the baseline', () => {
    const p = plan()
    expect(layout(p)).toEqual([
      [
        'AWS::EC2::EIP eipalloc-40ea8c4d74bcc6f8f',
        'AWS::EC2::FlowLog fl-790088a9d64f0df87',
        'AWS::EC2::LaunchTemplate lt-e0d422822a3c350b7',
        'AWS::EC2::NatGateway nat-cc4d4f34e2687783a',
        'AWS::EC2::NetworkAcl acl-0e5780b88083186d0',
        'AWS::EC2::NetworkInterface eni-31bd44267c9bef3c4',
        'AWS::EC2::Snapshot snap-e787cc778bfcb7832',
        'AWS::EC2::VPCEndpoint vpce-82de55a1d7cd280ec',
        'AWS::IAM::User sbx-alice',
        'AWS::Lambda::Function sbx-fn-us-east-1',
      ],
      [
        'AWS::EC2::EIP eipalloc-1737e734faecbc6e9',
        `AWS::EC2::Instance ${instanceId}`,
        'AWS::EC2::RouteTable rtb-498dc43707080f720',
        'AWS::IAM::Group sbx-devs',
        'AWS::S3::Bucket sbx-bucket-us-east-1',
      ],
      [
        'AWS::EC2::InternetGateway igw-bc25918f720341221',
        'AWS::EC2::KeyPair key-08c7330398f9f3cd9',
        'AWS::EC2::NetworkInterface eni-cae5c8f9d79a80aba',
        'AWS::EC2::Volume vol-5077977f709f9f2b2',
        'AWS::IAM::InstanceProfile sbx-app-profile',
      ],
      // The groups' preparations wait for what uses either group (the instance, its interface): only then
      // can the executor tell that both groups will go.
      [`prepare AWS::EC2::SecurityGroup ${webSg}`, `prepare AWS::EC2::SecurityGroup ${dbSg}`, 'AWS::EC2::Subnet subnet-69a648a085f465748', 'AWS::IAM::Role sbx-app-role'],
      [`AWS::EC2::SecurityGroup ${webSg}`, `AWS::EC2::SecurityGroup ${dbSg}`, 'AWS::IAM::Policy arn:aws:iam::123456789012:policy/sbx-read'],
      [`AWS::EC2::VPC ${sandboxVpc}`],
    ])
    const baselineArns = new Set(baseline.map((r) => r.arn))
    expect(items(p).filter((i) => baselineArns.has(i.arn))).toEqual([])
    expect(p.protected).toEqual([])
    expect(p.skipped).toEqual([])
    expect(p.notComparable).toEqual([])
  })

  it('orders each dependency the issue names: what uses a resource goes in an earlier wave', () => {
    const p = plan()
    const pairs: Array<[string, string, string, string]> = [
      ['AWS::EC2::Instance', instanceId, 'AWS::EC2::Subnet', 'subnet-69a648a085f465748'],
      ['AWS::EC2::Instance', instanceId, 'AWS::EC2::SecurityGroup', webSg],
      ['AWS::EC2::Instance', instanceId, 'AWS::EC2::NetworkInterface', 'eni-cae5c8f9d79a80aba'],
      ['AWS::EC2::Instance', instanceId, 'AWS::EC2::Volume', 'vol-5077977f709f9f2b2'],
      ['AWS::EC2::Instance', instanceId, 'AWS::IAM::InstanceProfile', 'sbx-app-profile'],
      ['AWS::EC2::Subnet', 'subnet-69a648a085f465748', 'AWS::EC2::VPC', sandboxVpc],
      ['AWS::EC2::InternetGateway', 'igw-bc25918f720341221', 'AWS::EC2::VPC', sandboxVpc],
      ['AWS::EC2::RouteTable', 'rtb-498dc43707080f720', 'AWS::EC2::InternetGateway', 'igw-bc25918f720341221'],
      ['AWS::EC2::RouteTable', 'rtb-498dc43707080f720', 'AWS::EC2::Subnet', 'subnet-69a648a085f465748'],
      ['AWS::EC2::NatGateway', 'nat-cc4d4f34e2687783a', 'AWS::EC2::EIP', 'eipalloc-1737e734faecbc6e9'],
      ['AWS::EC2::NatGateway', 'nat-cc4d4f34e2687783a', 'AWS::EC2::Subnet', 'subnet-69a648a085f465748'],
      ['AWS::EC2::EIP', 'eipalloc-40ea8c4d74bcc6f8f', 'AWS::EC2::Instance', instanceId],
      ['AWS::EC2::NetworkInterface', 'eni-31bd44267c9bef3c4', 'AWS::EC2::SecurityGroup', dbSg],
      ['AWS::IAM::InstanceProfile', 'sbx-app-profile', 'AWS::IAM::Role', 'sbx-app-role'],
      ['AWS::IAM::Role', 'sbx-app-role', 'AWS::IAM::Policy', 'arn:aws:iam::123456789012:policy/sbx-read'],
      ['AWS::IAM::User', 'sbx-alice', 'AWS::IAM::Group', 'sbx-devs'],
      ['AWS::IAM::Group', 'sbx-devs', 'AWS::IAM::Policy', 'arn:aws:iam::123456789012:policy/sbx-read'],
      ['AWS::Lambda::Function', 'sbx-fn-us-east-1', 'AWS::IAM::Role', 'sbx-app-role'],
      ['AWS::EC2::FlowLog', 'fl-790088a9d64f0df87', 'AWS::S3::Bucket', 'sbx-bucket-us-east-1'],
    ]
    for (const [type1, id1, type2, id2] of pairs) {
      expect(waveOf(p, arnOf(type1, id1)), `${id1} before ${id2}`).toBeLessThan(waveOf(p, arnOf(type2, id2)))
    }
  })

  it('breaks the two security groups’ mutual references with prepare items before either is deleted', () => {
    const p = plan()
    const prepares = items(p).filter((i) => i.kind === 'prepare')
    expect(prepares).toEqual([
      {
        arn: arnOf('AWS::EC2::SecurityGroup', webSg),
        type: 'AWS::EC2::SecurityGroup',
        id: webSg,
        name: 'sbx-web',
        region: 'us-east-1',
        accountId: ACCOUNT,
        key: `${arnOf('AWS::EC2::SecurityGroup', webSg)}#prepare`,
        kind: 'prepare',
        createdAt: null,
        uniqueId: null,
        tags: {Name: 'sbx-web', env: 'dev', owner: 'team-a'},
        why: {kind: 'prepare', explanation: `removes its references to ${dbSg}, breaking a dependency cycle`},
        steps: [{action: 'revoke-security-group-rules', description: `Revoke the rules of ${webSg} that reference ${dbSg}`, params: {groupId: webSg, referencedGroupId: dbSg}}],
        // What uses either group of the cycle: the instance, the interfaces, the function.
        after: [
          arnOf('AWS::EC2::Instance', instanceId),
          arnOf('AWS::EC2::NetworkInterface', 'eni-31bd44267c9bef3c4'),
          arnOf('AWS::EC2::NetworkInterface', 'eni-cae5c8f9d79a80aba'),
          arnOf('AWS::Lambda::Function', 'sbx-fn-us-east-1'),
        ],
        partOf: arnOf('AWS::EC2::SecurityGroup', webSg),
        cycle: [arnOf('AWS::EC2::SecurityGroup', webSg), arnOf('AWS::EC2::SecurityGroup', dbSg)],
        includes: [],
      },
      expect.objectContaining({id: dbSg, kind: 'prepare', steps: [expect.objectContaining({params: {groupId: dbSg, referencedGroupId: webSg}})], cycle: prepares[0]!.cycle, after: prepares[0]!.after}),
    ])

    for (const sg of [webSg, dbSg]) {
      const item = items(p).find((i) => i.key === arnOf('AWS::EC2::SecurityGroup', sg))!
      expect(item.after).toEqual(expect.arrayContaining(prepares.map((x) => x.key)))
    }
  })

  it('clears a rule of the VPC’s default security group that names a group being deleted, as a prepare item of the VPC', async () => {
    const edited = await currentWith((i) => {
      const builtIn = i['AWS::EC2::SecurityGroup']!.find((g) => g.GroupId === 'sg-e1c535ef4d15866de')!
      builtIn.IpPermissions = [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{UserId: ACCOUNT, GroupId: dbSg}], IpRanges: [], Ipv6Ranges: [], PrefixListIds: []}]
    })
    const p = plan({current: state('now', edited)})
    const builtInArn = arnOf('AWS::EC2::SecurityGroup', 'sg-e1c535ef4d15866de')
    const prepare = items(p).find((i) => i.key === `${builtInArn}#prepare`)!
    expect(prepare).toMatchObject({
      kind: 'prepare',
      id: 'sg-e1c535ef4d15866de',
      partOf: arnOf('AWS::EC2::VPC', sandboxVpc),
      steps: [{action: 'revoke-security-group-rules', params: {groupId: 'sg-e1c535ef4d15866de', referencedGroupId: dbSg}}],
    })
    expect(waveOf(p, prepare.key)).toBeLessThan(waveOf(p, arnOf('AWS::EC2::SecurityGroup', dbSg)))
    expect(items(p).find((i) => i.id === sandboxVpc)?.includes.map((i) => i.id)).toContain('sg-e1c535ef4d15866de')

    // Without a way to clear the rule, the group it names and the VPC stay.
    const specs = specsWithDeleters().map((s) => (s.type === 'AWS::EC2::SecurityGroup' ? {...s, deleter: {...testDeleters[s.type]!, releaseSteps: undefined}} : s))
    const stuck = plan({current: state('now', edited), specs})
    expect(skipOf(stuck, 'AWS::EC2::VPC', sandboxVpc)?.kind).toBe('cycle')
    expect(skipOf(stuck, 'AWS::EC2::SecurityGroup', dbSg)?.kind).toBe('cycle')
  })

  it('folds what AWS deletes together into one item: VPC built-ins, the instance’s root volume, the NAT gateway’s interface', () => {
    const p = plan()
    const item = (type: string, id: string) => items(p).find((i) => i.key === arnOf(type, id))!
    expect(item('AWS::EC2::VPC', sandboxVpc).includes.map((i) => [i.id, i.explanation])).toEqual([
      ['acl-ae2da0423528cdba1', `the default network ACL of ${sandboxVpc}: AWS deletes it only with its VPC`],
      ['rtb-df0ac774e8a09946f', `the main route table of ${sandboxVpc}: AWS deletes it only with its VPC`],
      ['sg-e1c535ef4d15866de', `the default security group of ${sandboxVpc}: AWS deletes it only with its VPC`],
    ])
    expect(item('AWS::EC2::Instance', instanceId).includes.map((i) => [i.id, i.explanation])).toEqual([[rootVolume, `deleted by AWS with AWS::EC2::Instance sbx-app (${instanceId})`]])
    expect(item('AWS::EC2::NatGateway', 'nat-cc4d4f34e2687783a').includes.map((i) => i.id)).toEqual([natEni])
    expect(p.summary).toMatchObject({deletions: 26, included: 5, preparations: 2, waves: 6, protected: 0, skipped: 0, notComparable: 0})
    expect(Object.keys(p.summary.byType)).toEqual([...Object.keys(p.summary.byType)].sort())
  })

  it('says why each item is selected, and gives the steps of its type’s deleter', () => {
    const p = plan()
    const instance = items(p).find((i) => i.id === instanceId)!
    expect(instance.why).toEqual({kind: 'created', explanation: 'not in baseline base'})
    expect(instance.steps).toEqual([{action: 'terminate-instance', description: `Terminate ${instanceId}`, params: {instanceId}}])
    expect(instance.tags).toEqual({Name: 'sbx-app', env: 'dev', owner: 'team-a'})
  })

  it('carries the unique id of each delete item whose type has one, as collected, and null otherwise', () => {
    const p = plan()
    const uniqueIds = Object.fromEntries(items(p).filter((i) => i.uniqueId !== null).map((i) => [`${i.type} ${i.id}`, i.uniqueId]))
    expect(uniqueIds).toEqual({
      'AWS::EC2::KeyPair key-08c7330398f9f3cd9': 'key-08c7330398f9f3cd9',
      'AWS::IAM::Group sbx-devs': '9yim6hurm5siphjwaipo',
      'AWS::IAM::InstanceProfile sbx-app-profile': '40srbwmgkt0n7vr07l9q',
      'AWS::IAM::Policy arn:aws:iam::123456789012:policy/sbx-read': 'ATQRY03TR8M7VRPPZ603S',
      'AWS::IAM::Role sbx-app-role': 'AROARZPUZDIKMOLXFZ2QZ',
      'AWS::IAM::User sbx-alice': 'r8zcq33ih17izirq1br3',
    })
    // Prepare items act on references, not on the resource's identity.
    expect(items(p).filter((i) => i.kind === 'prepare').map((i) => i.uniqueId)).toEqual([null, null])
  })

  it('lists in `after` exactly what must be finished first, all in earlier waves', () => {
    const p = plan()
    const waveByKey = new Map(items(p).map((i) => [i.key, waveOf(p, i.key)]))
    for (const item of items(p)) for (const key of item.after) expect(waveByKey.get(key)).toBeLessThan(waveByKey.get(item.key)!)
    expect(items(p).find((i) => i.id === 'igw-bc25918f720341221')?.after).toEqual([arnOf('AWS::EC2::RouteTable', 'rtb-498dc43707080f720')])
  })
})

describe('the caller identity', () => {
  it('is never planned, nor what it stands on; what merely uses it still goes', () => {
    const p = plan({caller: CALLER_USER})
    expect(p.protected.map((r) => [r.type, r.id, r.reasons.map((x) => x.kind)])).toEqual([
      ['AWS::IAM::Group', 'sbx-devs', ['caller-identity']],
      ['AWS::IAM::Policy', 'arn:aws:iam::123456789012:policy/sbx-read', ['caller-identity']],
      ['AWS::IAM::User', 'sbx-alice', ['caller-identity']],
    ])
    // The role has the same policy attached: deleting the role detaches it, the policy stays.
    expect(plannedIds(p)).toContain('sbx-app-role')
    expect(plannedIds(p)).not.toContain('sbx-alice')
  })
})

describe('candidates', () => {
  it('never takes a type the baseline did not collect, nor one it failed to', () => {
    const cells = okCells().filter((c) => c.resourceType !== 'AWS::S3::Bucket')
    const p = plan({baseline: state('base', baseline, cells.map((c) => (c.resourceType === 'AWS::IAM::User' ? {...c, status: 'access_denied'} : c)))})
    expect(plannedIds(p)).not.toContain('sbx-bucket-us-east-1')
    expect(plannedIds(p)).not.toContain('sbx-alice')
    expect(skipOf(p, 'AWS::S3::Bucket', 'sbx-bucket-us-east-1')).toEqual({
      kind: 'not-comparable',
      explanation: 'AWS::S3::Bucket in us-east-1 was not collected ok in both the baseline and the current state: whether it may be deleted is unknown',
    })
    expect(p.notComparable).toEqual([
      {accountId: ACCOUNT, region: 'global', resourceType: 'AWS::IAM::User', baseline: 'access_denied', current: 'ok', reason: 'access_denied in the baseline'},
      {accountId: ACCOUNT, region: 'us-east-1', resourceType: 'AWS::S3::Bucket', baseline: 'missing', current: 'ok', reason: 'not collected in the baseline'},
    ])
    // The user stays, so the group it is in stays too.
    expect(skipOf(p, 'AWS::IAM::Group', 'sbx-devs')?.kind).toBe('in-use')
  })

  it('never takes a resource of a cell the current state failed to collect, nor what that type may depend on', () => {
    const p = plan({current: state('now', current, okCells({'AWS::EC2::SecurityGroup': 'throttled'}))})
    expect(skipOf(p, 'AWS::EC2::SecurityGroup', webSg)?.kind).toBe('not-comparable')
    expect(p.notComparable).toEqual([
      {accountId: ACCOUNT, region: 'us-east-1', resourceType: 'AWS::EC2::SecurityGroup', baseline: 'ok', current: 'throttled', reason: 'throttled in the current state'},
    ])
    expect(skipOf(p, 'AWS::EC2::VPC', sandboxVpc)).toEqual({
      kind: 'dependents-not-collected',
      explanation: 'AWS::EC2::SecurityGroup was throttled in us-east-1: whether something uses it is unknown',
    })
    expect(plannedIds(p)).toContain(instanceId)
  })

  it('with the tag filters of the baseline, plans only what they select, and what they leave out keeps what it uses', () => {
    const teamA = new Set([arnOf('AWS::EC2::Subnet', 'subnet-69a648a085f465748'), arnOf('AWS::IAM::Role', 'sbx-app-role'), arnOf('AWS::EC2::LaunchTemplate', 'lt-e0d422822a3c350b7'), arnOf('AWS::EC2::VPC', sandboxVpc)])
    const tagged = current.map((r) => (teamA.has(r.arn) ? {...r, tags: {...r.tags, team: 'a'}} : r))
    const p = plan({current: state('now', tagged), tagFilters: {snapshot: 'base', includeTags: {team: 'a'}, excludeTags: {}}})
    // Only team=a resources (and types that carry no tags) are candidates; the untagged instance and function stay.
    for (const i of items(p).filter((x) => x.kind === 'delete')) expect(i.tags.team === 'a' || i.type === 'AWS::IAM::Group', i.key).toBe(true)
    expect(plannedIds(p)).toContain('lt-e0d422822a3c350b7')
    expect(skipOf(p, 'AWS::EC2::Subnet', 'subnet-69a648a085f465748')).toMatchObject({
      kind: 'in-use',
      explanation: expect.stringMatching(/ and stays: left out by the tag filters of snapshot base \(include team=a\)$/),
    })
    expect(skipOf(p, 'AWS::IAM::Role', 'sbx-app-role')).toMatchObject({kind: 'in-use', explanation: expect.stringContaining('left out by the tag filters of snapshot base (include team=a)')})
    expect(skipOf(p, 'AWS::EC2::VPC', sandboxVpc)?.kind).toBe('in-use')
    // What the filters leave out is not listed: it was never a candidate.
    expect([...p.skipped, ...p.protected].some((r) => r.id === instanceId)).toBe(false)
  })

  it('skips what an uncollected dependent type could be using', () => {
    const p = plan({current: state('now', current, okCells({'AWS::Lambda::Function': 'throttled'}))})
    expect(skipOf(p, 'AWS::IAM::Role', 'sbx-app-role')).toEqual({
      kind: 'dependents-not-collected',
      explanation: 'AWS::Lambda::Function was throttled in us-east-1: whether something uses it is unknown',
    })
    expect(skipOf(p, 'AWS::EC2::Subnet', 'subnet-69a648a085f465748')?.kind).toBe('dependents-not-collected')
    const missing = plan({current: state('now', current, okCells().filter((c) => c.resourceType !== 'AWS::IAM::InstanceProfile'))})
    expect(skipOf(missing, 'AWS::IAM::Role', 'sbx-app-role')?.explanation).toBe('AWS::IAM::InstanceProfile was not collected: whether something uses it is unknown')
  })

  it('takes a resource replaced under a baseline ARN (new unique id), not one that is the same', async () => {
    const leftOut = new Set([instanceId, rootVolume, 'sbx-app-profile', 'sbx-fn-us-east-1'])
    const older = (await resourcesOf(currentItems)).filter((r) => !leftOut.has(r.id))
    const oldRole = older.find((r) => r.type === 'AWS::IAM::Role')!
    const replacedBaseline = older.map((r) => (r === oldRole ? {...r, configuration: {...r.configuration, RoleId: 'AROAOLDROLE'}} : r))

    const p = plan({baseline: state('base', replacedBaseline)})
    expect(layout(p)).toEqual([
      [`AWS::EC2::Instance ${instanceId}`, 'AWS::Lambda::Function sbx-fn-us-east-1'],
      ['AWS::IAM::InstanceProfile sbx-app-profile'],
      ['AWS::IAM::Role sbx-app-role'],
    ])
    expect(items(p).find((i) => i.id === 'sbx-app-role')?.why).toEqual({kind: 'replaced', explanation: 'replaced since baseline base: RoleId AROAOLDROLE → AROARZPUZDIKMOLXFZ2QZ'})

    const same = plan({baseline: state('base', older)})
    expect(plannedIds(same)).toEqual([instanceId, 'sbx-fn-us-east-1', 'sbx-app-profile'])
  })

  it('skips resources of other accounts', async () => {
    const foreign = {...current.find((r) => r.type === 'AWS::S3::Bucket')!, arn: 'arn:aws:s3:::theirs', id: 'theirs', name: 'theirs', accountId: '999999999999'}
    const p = plan({current: state('now', [...current, foreign])})
    expect(skipOf(p, 'AWS::S3::Bucket', 'theirs')).toEqual({kind: 'other-account', explanation: `in account 999999999999, not the caller's account ${ACCOUNT}`})
  })

  it('ignores account settings', () => {
    const setting: Resource = {...current[0]!, arn: `arn:aws:iam::${ACCOUNT}:account-password-policy`, type: 'Account::IAM::PasswordPolicy', id: ACCOUNT}
    expect(plan({current: state('now', [...current, setting])})).toEqual(plan())
  })

  it('needs a baseline for a cleanup', () => {
    expect(() => plan({baseline: undefined})).toThrow('planCleanup: a cleanup needs a baseline')
  })
})

describe('what stays blocks what it depends on', () => {
  it('keeps what a protected resource uses or is in, transitively, and says why', () => {
    const p = plan({rules: rules({tags: [{key: 'Name', value: 'sbx-web', source: '--protect-tag'}]})})
    expect(p.protected.map((r) => [r.id, r.reasons.map((x) => x.kind)])).toEqual([
      // The VPC stays, so its built-ins are listed as protected rather than going with it.
      ['acl-ae2da0423528cdba1', ['created-with-vpc']],
      ['rtb-df0ac774e8a09946f', ['created-with-vpc']],
      [webSg, ['tag-rule']],
      ['sg-e1c535ef4d15866de', ['created-with-vpc']],
    ])
    expect(p.protected.find((r) => r.id === webSg)?.reasons).toEqual([
      {kind: 'tag-rule', rule: 'Name=sbx-web', source: '--protect-tag', explanation: 'tagged Name=sbx-web, matching Name=sbx-web (--protect-tag)'},
    ])
    expect(skipOf(p, 'AWS::EC2::SecurityGroup', dbSg)).toEqual({
      kind: 'in-use',
      explanation: `AWS::EC2::SecurityGroup sbx-web (${webSg}) uses it and stays: protected: tagged Name=sbx-web, matching Name=sbx-web (--protect-tag)`,
      blockedBy: [arnOf('AWS::EC2::SecurityGroup', webSg)],
    })
    expect(skipOf(p, 'AWS::EC2::VPC', sandboxVpc)?.kind).toBe('in-use')
    // No cycle is left to break; what uses the protected group still goes.
    expect(items(p).filter((i) => i.kind === 'prepare')).toEqual([])
    expect(plannedIds(p)).toEqual(expect.arrayContaining([instanceId, 'subnet-69a648a085f465748', 'eni-31bd44267c9bef3c4']))
  })

  it('does not delete an instance whose DeleteOnTermination volume must stay', async () => {
    const tagged = await currentWith((i) => {
      const root = i['AWS::EC2::Volume']!.find((v) => v.VolumeId === rootVolume)!
      root.Tags = [{Key: 'keep', Value: 'yes'}]
    })
    const p = plan({current: state('now', tagged), rules: rules({tags: [{key: 'keep', value: 'yes', source: '--protect-tag'}]})})
    expect(skipOf(p, 'AWS::EC2::Instance', instanceId)).toEqual({
      kind: 'deletes-kept',
      explanation: `deleting it would also delete AWS::EC2::Volume ${rootVolume}, which is protected: tagged keep=yes, matching keep=yes (--protect-tag)`,
      blockedBy: [arnOf('AWS::EC2::Volume', rootVolume)],
    })
    expect(skipOf(p, 'AWS::EC2::Subnet', 'subnet-69a648a085f465748')?.explanation).toMatch(/^AWS::EC2::Instance sbx-app \(i-766e2671bc588d6ff\) is in it and stays: skipped \(deletes-kept\)$/)
    expect(skipOf(p, 'AWS::IAM::InstanceProfile', 'sbx-app-profile')?.kind).toBe('in-use')
    // An address on the instance does not hold it: it is disassociated and released.
    expect(plannedIds(p)).toContain('eipalloc-40ea8c4d74bcc6f8f')
  })

  it('does not delete an instance taking along a volume of the baseline', async () => {
    const withRoot = [...baseline, current.find((r) => r.id === rootVolume)!]
    const p = plan({baseline: state('base', withRoot)})
    expect(skipOf(p, 'AWS::EC2::Instance', instanceId)?.explanation).toBe(`deleting it would also delete AWS::EC2::Volume ${rootVolume}, which stays: in baseline base`)
  })

  it('does not delete what takes along a resource that was not collected', () => {
    const p = plan({current: state('now', current.filter((r) => r.id !== rootVolume))})
    expect(skipOf(p, 'AWS::EC2::Instance', instanceId)?.explanation).toBe(`deleting it would also delete AWS::EC2::Volume ${rootVolume} was not collected: whether it must stay is unknown`)
  })

  it('deletes a subnet added to the default VPC although the default network ACL, which stays, is associated with it', async () => {
    const defaultVpc = 'vpc-b2563ce2f77780e69'
    const base = structuredClone(baselineItems) as Record<string, Array<Record<string, unknown>>>
    const subnetItem = {...structuredClone(currentItems['AWS::EC2::Subnet']!.find((s) => (s as {VpcId: string}).VpcId === sandboxVpc) as object), VpcId: defaultVpc, Tags: []}
    const now = structuredClone(base)
    now['AWS::EC2::Subnet']!.push(subnetItem)
    const acl = now['AWS::EC2::NetworkAcl']![0]!
    acl.Associations = [...(acl.Associations as object[]), {NetworkAclAssociationId: 'aclassoc-new', NetworkAclId: acl.NetworkAclId, SubnetId: 'subnet-69a648a085f465748'}]
    const p = plan({baseline: state('base', await resourcesOf(base)), current: state('now', await resourcesOf(now))})
    expect(layout(p)).toEqual([['AWS::EC2::Subnet subnet-69a648a085f465748']])
  })

  it('keeps both groups of a cycle no deleter can break, and what they are in', () => {
    const specs = specsWithDeleters().map((s) => (s.type === 'AWS::EC2::SecurityGroup' ? {...s, deleter: {...testDeleters[s.type]!, releaseSteps: undefined}} : s))
    const p = plan({specs})
    expect(skipOf(p, 'AWS::EC2::SecurityGroup', webSg)).toEqual({
      kind: 'cycle',
      explanation: `in a dependency cycle with ${arnOf('AWS::EC2::SecurityGroup', dbSg)} that no deleter can break`,
      blockedBy: [arnOf('AWS::EC2::SecurityGroup', dbSg)],
    })
    expect(skipOf(p, 'AWS::EC2::SecurityGroup', dbSg)?.kind).toBe('cycle')
    expect(skipOf(p, 'AWS::EC2::VPC', sandboxVpc)?.kind).toBe('in-use')
  })

  it('protects a type without a deleter; a NAT gateway still takes its interface along', () => {
    const p = plan({specs: specsWithDeleters(['AWS::EC2::NetworkInterface'])})
    expect(p.protected.filter((r) => r.type === 'AWS::EC2::NetworkInterface').map((r) => [r.id, r.reasons.map((x) => x.kind)])).toEqual([
      ['eni-31bd44267c9bef3c4', ['not-deletable']],
      ['eni-cae5c8f9d79a80aba', ['not-deletable']],
    ])
    expect(items(p).find((i) => i.type === 'AWS::EC2::NatGateway')?.includes.map((i) => i.id)).toEqual([natEni])
    expect(skipOf(p, 'AWS::EC2::Subnet', 'subnet-69a648a085f465748')?.kind).toBe('in-use')
  })

  it('folds a requester-managed interface into the NAT gateway that made it, and keeps it when the gateway stays', async () => {
    const managed = await currentWith((i) => {
      const eni = i['AWS::EC2::NetworkInterface']!.find((n) => n.NetworkInterfaceId === natEni)!
      Object.assign(eni, {RequesterManaged: true, InterfaceType: 'nat_gateway'})
    })
    const p = plan({current: state('now', managed)})
    expect(items(p).find((i) => i.type === 'AWS::EC2::NatGateway')?.includes.map((i) => i.id)).toEqual([natEni])

    const kept = plan({current: state('now', managed), rules: rules({names: [{pattern: 'sbx-nat', source: 'r.yaml'}]})})
    expect(kept.protected.map((r) => [r.id, r.reasons.map((x) => x.kind)])).toEqual([
      ['nat-cc4d4f34e2687783a', ['name-rule']],
      ['acl-ae2da0423528cdba1', ['created-with-vpc']],
      [natEni, ['requester-managed']],
      ['rtb-df0ac774e8a09946f', ['created-with-vpc']],
      ['sg-e1c535ef4d15866de', ['created-with-vpc']],
    ])
    expect(skipOf(kept, 'AWS::EC2::Subnet', 'subnet-69a648a085f465748')?.kind).toBe('in-use')
    expect(skipOf(kept, 'AWS::EC2::EIP', 'eipalloc-1737e734faecbc6e9')?.kind).toBe('in-use')
  })

  it('keeps the interface of a NAT gateway that stays even when AWS does not mark it requester-managed', () => {
    // As the emulator collects it: no RequesterManaged, no InterfaceType. Its gateway deletes it, so it goes only with the gateway.
    const kept = plan({rules: rules({names: [{pattern: 'sbx-nat', source: 'r.yaml'}]})})
    expect(items(kept).map((i) => i.id)).not.toContain(natEni)
    expect(skipOf(kept, 'AWS::EC2::NetworkInterface', natEni)).toEqual({
      kind: 'in-use',
      explanation: expect.stringMatching(/^AWS::EC2::NatGateway .*nat-cc4d4f34e2687783a.* and stays: protected: /),
      blockedBy: [expect.stringContaining('natgateway/nat-cc4d4f34e2687783a')],
    })
  })
})

describe('selection', () => {
  it('plans only the selected types; unselected resources stay and can block', () => {
    const buckets = plan({selection: {types: ['AWS::S3::*', 'AWS::EC2::FlowLog'], regions: null}})
    expect(layout(buckets)).toEqual([['AWS::EC2::FlowLog fl-790088a9d64f0df87'], ['AWS::S3::Bucket sbx-bucket-us-east-1']])
    // Without its flow log, the bucket the flow log delivers to stays.
    const alone = plan({selection: {types: ['AWS::S3::*'], regions: null}})
    expect(items(alone)).toEqual([])
    expect(skipOf(alone, 'AWS::S3::Bucket', 'sbx-bucket-us-east-1')?.explanation).toMatch(/^AWS::EC2::FlowLog .* uses it and stays: not selected by --type\/--region$/)
    const groups = plan({selection: {types: ['AWS::EC2::SecurityGroup'], regions: null}})
    expect(items(groups)).toEqual([])
    expect(skipOf(groups, 'AWS::EC2::SecurityGroup', webSg)?.explanation).toMatch(/and stays: not selected by --type\/--region$/)
    expect(groups.skipped.every((s) => s.type === 'AWS::EC2::SecurityGroup')).toBe(true)
  })

  it('plans global types only when "global" is among the regions', () => {
    expect(items(plan({selection: {types: null, regions: ['us-east-1']}})).filter((i) => i.region === 'global')).toEqual([])
    expect(items(plan({selection: {types: null, regions: ['global']}})).every((i) => i.region === 'global')).toBe(true)
    expect(items(plan({selection: {types: null, regions: ['eu-west-1']}}))).toEqual([])
  })
})

describe('purge', () => {
  it('plans everything current except what is protected; the default VPC and its built-ins stay', () => {
    const p = plan({mode: 'purge', baseline: undefined})
    expect(p.baseline).toBeNull()
    expect(items(p).find((i) => i.id === instanceId)?.why).toEqual({kind: 'purge', explanation: 'in the current state'})
    const protectedKinds = new Map(p.protected.map((r) => [r.id, r.reasons.map((x) => x.kind)]))
    expect(protectedKinds.get('vpc-b2563ce2f77780e69')).toEqual(['default-vpc'])
    expect(protectedKinds.get('subnet-0ed7c012834588c3f')).toEqual(['default-vpc'])
    expect(protectedKinds.get('sg-f46be58d23aa0b33c')).toEqual(['created-with-vpc'])
    expect(protectedKinds.get('rtb-6952d7c59ebb8950c')).toEqual(['created-with-vpc'])
    expect(protectedKinds.get('acl-3193037432d637cc4')).toEqual(['created-with-vpc'])
    expect(p.protected).toHaveLength(1 + 6 + 3)
    expect(new Set(plannedIds(p))).toEqual(new Set(plannedIds(plan())))
  })

  it('keeps a KMS key an account setting uses (the region\'s default EBS key); an unused key goes', async () => {
    const used = await collected('AWS::KMS::Key', capturedKey())
    const unused = await collected('AWS::KMS::Key', capturedKey({KeyId: '0b3f5a4e-1111-2222-3333-444455556666', Arn: 'arn:aws:kms:us-east-1:123456789012:key/0b3f5a4e-1111-2222-3333-444455556666', Aliases: []}))
    const setting = await collected('Account::EC2::EbsEncryptionByDefault', {EbsEncryptionByDefault: true, KmsKeyId: CAPTURED_KEY_ARN})
    const p = plan({mode: 'purge', baseline: undefined, current: state('now', [...current, used, unused, setting])})
    expect(plannedIds(p)).toContain(unused.id)
    expect(plannedIds(p)).not.toContain(used.id)
    expect(skipOf(p, 'AWS::KMS::Key', used.id)).toMatchObject({
      kind: 'in-use',
      explanation: expect.stringMatching(/^Account::EC2::EbsEncryptionByDefault .* uses it and stays: an account setting, which awsinv never changes$/),
    })
  })

  it('skips a KMS key whose deletion is already scheduled instead of planning it again', async () => {
    const pending = await collected('AWS::KMS::Key', capturedKey({KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-12-12T07:00:00.000Z'), Aliases: []}))
    const live = await collected('AWS::KMS::Key', capturedKey({KeyId: '0b3f5a4e-1111-2222-3333-444455556666', Arn: 'arn:aws:kms:us-east-1:123456789012:key/0b3f5a4e-1111-2222-3333-444455556666', Aliases: []}))
    const realKms = specs.find((s) => s.type === 'AWS::KMS::Key')!.deleter!
    const withRealKms = specsWithDeleters().map((s) => (s.type === 'AWS::KMS::Key' ? {...s, deleter: {...s.deleter!, deletionUnderWay: realKms.deletionUnderWay}} : s))
    for (const mode of ['cleanup', 'purge'] as const) {
      const p = plan({mode, ...(mode === 'purge' ? {baseline: undefined} : {}), current: state('now', [...current, pending, live]), specs: withRealKms})
      expect(plannedIds(p)).toContain(live.id)
      expect(plannedIds(p)).not.toContain(pending.id)
      expect(skipOf(p, 'AWS::KMS::Key', pending.id)).toEqual({
        kind: 'deletion-scheduled',
        explanation: 'its deletion is already scheduled for 2026-12-12T07:00:00.000Z (key state PendingDeletion): nothing is left to do',
      })
    }
  })

  it('purges only what a snapshot lists with --from-snapshot', () => {
    const listed = current.filter((r) => r.type === 'AWS::S3::Bucket' || r.type === 'AWS::EC2::FlowLog' || r.type === 'AWS::EC2::VPC')
    const p = plan({mode: 'purge', baseline: state('listed', listed)})
    expect(layout(p)).toEqual([['AWS::EC2::FlowLog fl-790088a9d64f0df87'], ['AWS::S3::Bucket sbx-bucket-us-east-1']])
    expect(items(p)[1]?.why).toEqual({kind: 'purge', explanation: 'listed in snapshot listed'})
    expect(skipOf(p, 'AWS::EC2::VPC', sandboxVpc)?.explanation).toMatch(/stays: not in snapshot listed$/)
  })

  it('never plans an organization trail seen from a member account; the account’s own trail goes', async () => {
    const withTrails = [...current, await collected('AWS::CloudTrail::Trail', organizationTrail), await collected('AWS::CloudTrail::Trail', audit)]
    const p = plan({mode: 'purge', baseline: undefined, current: state('now', withTrails)})
    expect(plannedIds(p)).toContain('audit')
    expect(plannedIds(p)).not.toContain(organizationTrail.Name)
    expect(p.protected.find((r) => r.id === organizationTrail.Name)?.reasons).toEqual([
      {kind: 'aws-managed', explanation: `an organization trail of management account ${managementAccount}: manage it there`},
    ])
  })

  it('purges nothing the snapshot lists that was replaced since, and says so', () => {
    const role = current.find((r) => r.type === 'AWS::IAM::Role')!
    const p = plan({mode: 'purge', baseline: state('listed', [{...role, configuration: {...role.configuration, RoleId: 'AROAOLD'}}])})
    expect(items(p)).toEqual([])
    expect(p.skipped.find((s) => s.arn === role.arn)?.reason).toEqual({
      kind: 'replaced',
      explanation: `replaced since snapshot listed (RoleId AROAOLD → ${String(role.configuration.RoleId)}): the snapshot lists the resource deleted since, not this one`,
    })
  })
})

describe('safety limits', () => {
  it('refuses a plan larger than max_deletions, counting what goes along', () => {
    const total = plan().summary.deletions + plan().summary.included
    expect(total).toBe(31)
    expect(() => plan({rules: rules({maxDeletions: {limit: total, source: 'r.yaml'}})})).not.toThrow()
    const error = (() => {
      try {
        plan({rules: rules({maxDeletions: {limit: total - 1, source: 'r.yaml'}})})
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe('The plan would delete 31 resources, more than max_deletions 30 (r.yaml): narrow it with --type or --region, or raise the limit.')
    const one = {types: ['AWS::EC2::FlowLog'], regions: null}
    const single = plan({selection: one}).summary
    expect(single.deletions + single.included).toBe(1)
    expect(() => plan({selection: one, rules: rules({maxDeletions: {limit: 0, source: 'r.yaml'}})})).toThrow(
      'The plan would delete 1 resource, more than max_deletions 0 (r.yaml): narrow it with --type or --region, or raise the limit.',
    )
  })

  it('refuses an account the rules deny or do not allow', () => {
    expect(() => plan({rules: rules({accounts: {allow: null, deny: [ACCOUNT], source: 'r.yaml'}})})).toThrow(UserError)
    expect(() => plan({rules: rules({accounts: {allow: ['111111111111'], deny: [], source: 'r.yaml'}})})).toThrow(/not in accounts\.allow/)
  })
})

describe('the plan document', () => {
  it('carries its identity, inputs and rules', () => {
    const r = rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}]})
    const p = plan({rules: r, selection: {types: ['AWS::EC2::*'], regions: ['us-east-1']}})
    expect(p).toMatchObject({
      format: PLAN_FORMAT,
      mode: 'cleanup',
      accountId: ACCOUNT,
      caller: ADMIN,
      createdAt: NOW.toISOString(),
      baseline: {name: 'base', id: null, capturedAt: NOW.toISOString()},
      // The regions the current state was collected in, whatever --region selects among them.
      current: {name: 'now', id: null, capturedAt: NOW.toISOString(), regions: ['global', 'us-east-1']},
      selection: {types: ['AWS::EC2::*'], regions: ['us-east-1']},
      rules: r,
    })
    expect(p.baseline).not.toHaveProperty('regions')
    expect(p.id).toBe(`plan-${p.hash.slice(0, 12)}`)
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('lists the regions of the current state in the caller’s account only, from its coverage', () => {
    const elsewhere = [
      {accountId: ACCOUNT, region: 'eu-west-1', resourceType: 'AWS::SQS::Queue', status: 'access_denied'},
      {accountId: '210987654321', region: 'ap-south-1', resourceType: 'AWS::SQS::Queue', status: 'ok'},
    ]
    expect(plan({current: state('now', current, [...okCells(), ...elsewhere])}).current.regions).toEqual(['eu-west-1', 'global', 'us-east-1'])
  })

  it('hashes its content: intact as made and after a JSON round trip, not once changed', () => {
    const p = plan()
    expect(isPlanIntact(p)).toBe(true)
    expect(hashPlan(p)).toBe(p.hash)
    const copy = JSON.parse(JSON.stringify(p)) as CleanupPlan
    expect(isPlanIntact(copy)).toBe(true)
    copy.waves[0]!.items[0]!.id = 'eipalloc-other'
    expect(isPlanIntact(copy)).toBe(false)
    const recreated = JSON.parse(JSON.stringify(p)) as CleanupPlan
    items(recreated).find((i) => i.uniqueId !== null)!.uniqueId = 'AROAOTHER0000000000001'
    expect(isPlanIntact(recreated)).toBe(false)
    expect(isPlanIntact({...p, id: 'plan-000000000000'})).toBe(false)
  })

  it('is the same, hash included, whatever order the inputs come in', () => {
    const reversed = plan({baseline: state('base', [...baseline].reverse(), okCells().reverse()), current: state('now', [...current].reverse(), okCells().reverse())})
    expect(reversed).toEqual(plan())
  })

  it('changes its hash with the time it was made', () => {
    expect(plan({now: new Date(NOW.getTime() + 1000)}).hash).not.toBe(plan().hash)
  })
})

describe('fixtures', () => {
  it('build resources with the specs’ own relationships', async () => {
    const eni = await collected('AWS::EC2::NetworkInterface', currentItems['AWS::EC2::NetworkInterface']![1], 'us-east-1')
    expect(eni.relationships.map((r) => r.kind)).toEqual(['in', 'in', 'uses'])
  })
})
