import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {hashPlan} from '../../../src/cleanup/plan.js'
import {type PlanChecks, checkPlanExecutable, formatDuration, parseDuration, readPlanFile, writePlanFile} from '../../../src/cleanup/plan-file.js'
import type {CleanupPlan, PlanItem} from '../../../src/cleanup/types.js'
import {UserError} from '../../../src/errors.js'
import {specOf as registeredSpecOf, specs as registeredSpecs} from '../../../src/resources/registry.js'
import type {Resource} from '../../../src/resources/types.js'
import {ACCOUNT, ADMIN, CALLER_USER, NOW, planSandbox, rules, sandbox, specsWithDeleters} from '../../support/cleanup.js'

let dir: string
let plan: CleanupPlan
let baseline: Resource[]
let current: Resource[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awsinv-plan-file-'))
  ;({baseline, current} = await sandbox())
  plan = planSandbox(baseline, current)
})

afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Writes `text` to a fresh file and reads it as a plan; returns the error message, or 'ok'. */
function readBack(text: string): string {
  const file = join(dir, `plan-${Math.random().toString(16).slice(2)}.json`)
  writeFileSync(file, text)
  try {
    readPlanFile(file)
    return 'ok'
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return (error as Error).message.replaceAll(file, 'FILE')
  }
}

/** The plan with a change, re-hashed as awsinv would (so only the checks after the hash see it). */
function rehashed(change: (p: CleanupPlan) => void): CleanupPlan {
  const copy = structuredClone(plan)
  change(copy)
  const hash = hashPlan(copy)
  return {...copy, hash, id: `plan-${hash.slice(0, 12)}`}
}

describe('plan files', () => {
  it('round-trips a plan written with --out', () => {
    const file = writePlanFile(join(dir, 'out.json'), plan)
    expect(readPlanFile(file)).toEqual(plan)
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true)
  })

  it('refuses what is not a whole, unedited plan, in one line', () => {
    expect(readBack('{"format": "awsinv-cleanup-plan/1", ')).toBe('Plan file FILE is not JSON: save a plan with "awsinv cleanup preview SNAPSHOT --out FILE".')
    expect(readBack('{"format": "awsinv-cleanup-plan/0"}')).toBe('Plan file FILE is not an awsinv cleanup plan (format "awsinv-cleanup-plan/0"; expected "awsinv-cleanup-plan/1").')
    expect(readBack('[1, 2]')).toBe('Plan file FILE is not an awsinv cleanup plan (no plan format; expected "awsinv-cleanup-plan/1").')
    expect(readBack(JSON.stringify({...plan, waves: 'none'}))).toBe('Plan file FILE is malformed: "waves" is not a list.')
    const tampered = structuredClone(plan)
    tampered.waves[0]!.items[0]!.steps[0]!.params = {instanceId: 'i-0someoneelse'}
    expect(readBack(JSON.stringify(tampered))).toBe(
      `Plan file FILE was modified after it was made (its content does not match its hash ${plan.hash.slice(0, 12)}…): make a new plan with "awsinv cleanup preview".`,
    )
    // An item moved to the first wave while it waits for another: caught even when re-hashed.
    const early = rehashed((p) => p.waves[0]!.items.push(p.waves.at(-1)!.items[0]!))
    expect(readBack(JSON.stringify(early))).toMatch(/^Plan file FILE is malformed: item .* waits for an item not in an earlier wave\.$/)
    // An item emptied of its steps would be reported deleted, having done nothing.
    const emptied = rehashed((p) => (p.waves[0]!.items[0]!.steps = []))
    expect(readBack(JSON.stringify(emptied))).toBe(`Plan file FILE is malformed: item ${plan.waves[0]!.items[0]!.key} has no steps.`)
  })

  it('refuses a plan whose summary does not add up to its items', () => {
    for (const [key, value] of [['deletions', 1], ['included', 0], ['preparations', 0], ['waves', 1]] as const) {
      const forged = rehashed((p) => (p.summary[key] = value))
      expect(readBack(JSON.stringify(forged)), key).toBe(`Plan file FILE is malformed: its summary says ${value} ${key}, but its items make ${plan.summary[key]}.`)
    }
  })

  it('refuses a plan whose item lacks its unique id (an older build’s), or whose unique id was changed', () => {
    const withUniqueId = (p: CleanupPlan) => p.waves.flatMap((w) => w.items).find((i) => i.uniqueId !== null)!
    const key = withUniqueId(plan).key
    // Re-hashed, so that the shape check itself is what refuses it: accepted as null, it would delete what was recreated since.
    const lacking = rehashed((p) => delete (withUniqueId(p) as Partial<PlanItem>).uniqueId)
    expect(readBack(JSON.stringify(lacking))).toBe(`Plan file FILE is malformed: item ${key} has no "uniqueId" (a string, or null).`)
    const wrongType = rehashed((p) => ((withUniqueId(p) as unknown as {uniqueId: number}).uniqueId = 7))
    expect(readBack(JSON.stringify(wrongType))).toBe(`Plan file FILE is malformed: item ${key} has no "uniqueId" (a string, or null).`)

    const changed = structuredClone(plan)
    withUniqueId(changed).uniqueId = 'AROAOTHER0000000000001'
    expect(readBack(JSON.stringify(changed))).toMatch(/^Plan file FILE was modified after it was made/)
  })

  it('refuses a plan whose preparation does not name the whole cycle it breaks (an older build’s)', () => {
    const prepare = (p: CleanupPlan) => p.waves.flatMap((w) => w.items).find((i) => i.kind === 'prepare')!
    const key = prepare(plan).key
    const refusal = `Plan file FILE is malformed: prepare item ${key} has no "cycle" (the keys of the delete items of the cycle it breaks, its "partOf" among them).`
    expect(readBack(JSON.stringify(rehashed((p) => delete prepare(p).cycle)))).toBe(refusal)
    expect(readBack(JSON.stringify(rehashed((p) => (prepare(p).cycle = []))))).toBe(refusal)
    // Without its own resource, or naming what the plan does not delete (its own preparation, another resource).
    expect(readBack(JSON.stringify(rehashed((p) => (prepare(p).cycle = prepare(p).cycle!.filter((k) => k !== prepare(p).partOf)))))).toBe(refusal)
    expect(readBack(JSON.stringify(rehashed((p) => prepare(p).cycle!.push(key))))).toBe(refusal)
    expect(readBack(JSON.stringify(rehashed((p) => prepare(p).cycle!.push('arn:aws:ec2:us-east-1:123456789012:security-group/sg-0other'))))).toBe(refusal)
    expect(readBack(JSON.stringify(plan))).toBe('ok')
  })

  it('refuses regions of the current state that are not a list of names, and reads a plan without them', () => {
    expect(plan.current.regions).toEqual(['global', 'us-east-1'])
    for (const regions of ['us-east-1', [1], {}]) {
      const forged = rehashed((p) => ((p.current as {regions: unknown}).regions = regions))
      expect(readBack(JSON.stringify(forged)), JSON.stringify(regions)).toBe('Plan file FILE is malformed: "current.regions" is not a list of regions.')
    }

    expect(readBack(JSON.stringify(rehashed((p) => delete p.current.regions)))).toBe('ok')
  })

  it('says why a file cannot be read', () => {
    expect(() => readPlanFile(join(dir, 'missing.json'))).toThrow(`Cannot read plan file ${join(dir, 'missing.json')}: no such file.`)
    expect(() => readPlanFile(dir)).toThrow(`Cannot read plan file ${dir}: it is a directory.`)
    const locked = writePlanFile(join(dir, 'locked.json'), plan)
    chmodSync(locked, 0)
    // Root reads anything: the check only means something for other users.
    if (process.getuid?.() !== 0) expect(() => readPlanFile(locked)).toThrow(`Cannot read plan file ${locked}: permission denied.`)
  })
})

describe('checkPlanExecutable', () => {
  const checks = (overrides: Partial<PlanChecks> = {}): PlanChecks => ({
    caller: ADMIN,
    now: new Date(NOW.getTime() + 10 * 60_000),
    maxAgeMs: 3_600_000,
    specOf: (type) => specsWithDeleters().find((s) => s.type === type),
    ...overrides,
  })
  const refusal = (p: CleanupPlan, overrides: Partial<PlanChecks> = {}) => refusalWith(p, overrides)
  const refusalWith = (p: CleanupPlan, overrides: Partial<PlanChecks>) => {
    try {
      checkPlanExecutable(p, checks(overrides))
      return 'ok'
    } catch (error) {
      return (error as Error).message
    }
  }

  it('accepts a recent plan of the caller’s account', () => {
    expect(refusal(plan)).toBe('ok')
  })

  it('refuses a plan for another account', () => {
    expect(refusal(plan, {caller: {arn: 'arn:aws:iam::210987654321:user/ops', accountId: '210987654321'}})).toBe(`Plan ${plan.id} is for account ${ACCOUNT}, but the credentials in use are for account 210987654321: nothing was deleted.`)
  })

  it('refuses a stale plan, and one from the future', () => {
    expect(refusal(plan, {now: new Date(NOW.getTime() + 2 * 3_600_000 + 5 * 60_000)})).toBe(
      `Plan ${plan.id} was made 2h 5m ago (${NOW.toISOString()}), more than --max-plan-age 1h: the account may have changed since; make a new plan with "awsinv cleanup preview", or raise --max-plan-age.`,
    )
    expect(refusal(plan, {now: new Date(NOW.getTime() + 29 * 60_000), maxAgeMs: parseDuration('30m')})).toBe('ok')
    expect(refusal(plan, {now: new Date(NOW.getTime() - 3_600_000)})).toBe(`Plan ${plan.id} is dated ${NOW.toISOString()}, in the future: check this machine's clock, or make a new plan.`)
  })

  it('applies the account lists and deletion limit of the plan’s rules and of the rules given now', () => {
    const denied = rehashed((p) => (p.rules.accounts = {allow: null, deny: [ACCOUNT], source: 'r.yaml'}))
    expect(refusal(denied)).toBe(`Account ${ACCOUNT} is in accounts.deny of r.yaml: awsinv will not delete anything in it.`)
    const deletions = plan.summary.deletions + plan.summary.included
    expect(refusal(plan, {extraRules: rules({maxDeletions: {limit: 3, source: '.awsinv-cleanup.yaml'}})})).toBe(
      `Plan ${plan.id} deletes ${deletions} resources, more than max_deletions 3 (.awsinv-cleanup.yaml): make a narrower plan with --type or --region.`,
    )
    expect(refusal(plan, {extraRules: rules({accounts: {allow: ['111122223333'], deny: [], source: 'now.yaml'}})})).toMatch(/^Account 123456789012 is not in accounts\.allow of now\.yaml/)
  })

  it('refuses a plan that deletes the user or role executing it, or the instance it runs on, made by someone else', () => {
    const items = plan.waves.flatMap((w) => w.items)
    const instance = items.find((i) => i.type === 'AWS::EC2::Instance')!.id
    // The plan was made as ADMIN, so it plans the user sbx-alice, the role sbx-app-role and the instance.
    expect(items.filter((i) => ['AWS::IAM::User', 'AWS::IAM::Role'].includes(i.type)).map((i) => i.id).sort()).toEqual(['sbx-alice', 'sbx-app-role'])
    const tail = 'nothing was deleted; execute it with other credentials, or make a new plan with these (it protects them).'
    expect(refusal(plan, {caller: CALLER_USER})).toBe(`Plan ${plan.id} deletes AWS::IAM::User sbx-alice, the user sbx-alice the credentials in use act as: ${tail}`)
    expect(refusal(plan, {caller: {arn: `arn:aws:sts::${ACCOUNT}:assumed-role/sbx-app-role/ci`, accountId: ACCOUNT}})).toBe(
      `Plan ${plan.id} deletes AWS::IAM::Role sbx-app-role, the role sbx-app-role the credentials in use act as: ${tail}`,
    )
    expect(refusal(plan, {caller: {arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/${instance}`, accountId: ACCOUNT}})).toBe(
      `Plan ${plan.id} deletes AWS::EC2::Instance ${instance}, the instance awsinv runs on (the role session ${instance} of the credentials in use): ${tail}`,
    )
    // Another user, the root user, or a role the plan keeps: nothing of theirs is in it.
    for (const arn of [`arn:aws:iam::${ACCOUNT}:user/sbx-bob`, `arn:aws:iam::${ACCOUNT}:root`, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/i-0123456789abcdef0`]) {
      expect(refusal(plan, {caller: {arn, accountId: ACCOUNT}}), arn).toBe('ok')
    }
  })

  it('refuses, naming the item, a step whose params name another resource than the item (edited, and hashed again)', () => {
    // Made and checked with the real deleters of every type, whose steps name their resources by their own params.
    const real = planSandbox(baseline, current, {specs: registeredSpecs})
    const rehashed = (change: (p: CleanupPlan) => void) => {
      const copy = structuredClone(real)
      change(copy)
      const hash = hashPlan(copy)
      return {...copy, hash, id: `plan-${hash.slice(0, 12)}`}
    }
    const refusal = (p: CleanupPlan) => refusalWith(p, {specOf: registeredSpecOf})
    expect(refusal(real)).toBe('ok')
    const find = (p: CleanupPlan, type: string, kind: PlanItem['kind'] = 'delete') => p.waves.flatMap((w) => w.items).find((i) => i.type === type && i.kind === kind)!
    const subnet = find(real, 'AWS::EC2::Subnet')
    const other = rehashed((p) => (find(p, 'AWS::EC2::Subnet').steps[0]!.params.subnetId = 'subnet-0default0000000001'))
    const tail = 'so it would act on a resource other than the one it names: nothing was deleted; make a new plan with "awsinv cleanup preview".'
    expect(refusal(other)).toBe(`Plan ${other.id} item ${subnet.key}: step 1 (delete-subnet) names subnetId "subnet-0default0000000001", not the item's own "${subnet.id}", ${tail}`)

    // A preparation revoking the rules of another group; a user item whose steps lose its name; a final step naming nothing of it.
    const prepare = find(real, 'AWS::EC2::SecurityGroup', 'prepare')
    expect(refusal(rehashed((p) => (find(p, 'AWS::EC2::SecurityGroup', 'prepare').steps[0]!.params.groupId = 'sg-0other')))).toMatch(
      new RegExp(`item ${prepare.key.replaceAll('.', '\\.')}: step 1 \\(revoke-security-group-rules\\) names groupId "sg-0other"`),
    )
    const user = find(real, 'AWS::IAM::User')
    expect(refusal(rehashed((p) => (find(p, 'AWS::IAM::User').steps.at(-1)!.params = {userName: 'sbx-admin'})))).toMatch(new RegExp(`item ${user.key}: step ${user.steps.length} \\(delete-user\\) names userName "sbx-admin"`))
    expect(refusal(rehashed((p) => (find(p, 'AWS::EC2::Subnet').steps[0]!.params = {})))).toMatch(/step 1 \(delete-subnet\), its deletion, does not name subnet-/)

    // The id and steps of another resource under the item's ARN, key and name: the report would name one, and the other go.
    const victim = 'subnet-0default0000000001'
    const swapped = rehashed((p) => {
      const item = find(p, 'AWS::EC2::Subnet')
      item.id = victim
      item.steps[0]!.params.subnetId = victim
    })
    expect(refusal(swapped)).toBe(`Plan ${swapped.id} item ${subnet.key}: its id "${victim}" is not the resource its ARN ${subnet.arn} names, ${tail}`)
    // So for what an item takes along.
    const instance = find(real, 'AWS::EC2::Instance')
    expect(instance.includes.length).toBeGreaterThan(0)
    expect(refusal(rehashed((p) => (find(p, 'AWS::EC2::Instance').includes[0]!.id = 'vol-0kept')))).toMatch(
      new RegExp(`item ${instance.key}: its id "vol-0kept" is not the resource its ARN \\S+ names, so it would act on`),
    )
  })

  it('accepts a secret replica’s removal, which names its primary, and refuses one naming another secret or region', () => {
    const replica = {
      ...plan.waves[0]!.items[0]!,
      key: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`,
      arn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`,
      type: 'AWS::SecretsManager::Secret',
      id: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`,
      region: 'eu-west-1',
      includes: [],
      after: [],
      steps: [{action: 'remove-regions-from-replication', description: 'remove', params: {secretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`, primaryRegion: 'us-east-1', regions: ['eu-west-1']}}],
    } satisfies PlanItem
    const withReplica = (change: (i: PlanItem) => void) =>
      rehashed((p) => {
        const copy = structuredClone(replica)
        change(copy)
        p.waves[0]!.items.push(copy)
        p.summary.deletions++
      })
    const refusal = (p: CleanupPlan) => refusalWith(p, {specOf: registeredSpecOf})
    expect(refusal(withReplica(() => {}))).toBe('ok')
    expect(refusal(withReplica((i) => (i.steps[0]!.params.secretId = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod-XyZ`)))).toMatch(/step 1 \(remove-regions-from-replication\) acts on another resource/)
    expect(refusal(withReplica((i) => (i.steps[0]!.params.regions = ['eu-west-1', 'ap-south-1'])))).toMatch(/acts on another resource/)
  })

  it('counts the deletions from the items, not from the plan’s summary', () => {
    const forged = rehashed((p) => {
      p.summary.deletions = 1
      p.summary.included = 0
    })
    const deletions = plan.summary.deletions + plan.summary.included
    expect(refusal(forged, {extraRules: rules({maxDeletions: {limit: 1, source: 'r.yaml'}})})).toBe(
      `Plan ${forged.id} deletes ${deletions} resources, more than max_deletions 1 (r.yaml): make a narrower plan with --type or --region.`,
    )
  })

  it('refuses items of a type this awsinv cannot delete', () => {
    const instance = plan.waves.flatMap((w) => w.items).find((i) => i.type === 'AWS::EC2::Instance')!
    expect(refusal(plan, {specOf: (type) => specsWithDeleters(['AWS::EC2::Instance']).find((s) => s.type === type)})).toBe(
      `Plan ${plan.id} lists AWS::EC2::Instance ${instance.id}, which this version of awsinv cannot delete.`,
    )
  })
})

describe('durations', () => {
  it('reads a number and a unit', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('2h'), parseDuration('1.5h'), parseDuration('1d'), parseDuration(' 2H ')]).toEqual([
      90_000, 1_800_000, 7_200_000, 5_400_000, 86_400_000, 7_200_000,
    ])
    for (const bad of ['', '1', 'h', '-1h', '1w', '1h30m']) {
      expect(() => parseDuration(bad)).toThrow(`--max-plan-age "${bad}" is not a duration: use a number and a unit, e.g. 90s, 30m, 2h or 1d.`)
    }

    for (const zero of ['0m', '0s', '0.0h']) expect(() => parseDuration(zero)).toThrow(`--max-plan-age "${zero}" is no time at all: every plan would be too old. Give a duration longer than 0, e.g. 30m.`)
  })

  it('says a duration for people', () => {
    expect([12_000, 2_400_000, 3_600_000, 7_500_000, 3 * 86_400_000].map((ms) => formatDuration(ms))).toEqual(['12s', '40m', '1h', '2h 5m', '3d'])
  })
})
