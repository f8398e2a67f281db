import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {CleanupResult} from '../../src/cleanup/run-plan.js'
import type {CleanupPlan} from '../../src/cleanup/types.js'
import {liveIds, seedCleanupScenario, seededWhere} from '../support/cleanup-scenario.js'
import {runCli} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import type {SeededIds} from '../support/seed.js'

/*
 * The cleanup the issue describes, end to end through the CLI on the emulator: a baseline sandbox, then
 * a dependency-rich set of new resources (test/support/cleanup-scenario.ts) and a second set protected
 * by a tag. One `cleanup execute` of the reviewed plan must remove every new resource; one `cleanup
 * purge` under a rules file must remove everything but the baseline and the protected set. Each outcome
 * is checked by asking the emulator what exists.
 *
 * The emulator checks few dependencies (an internet gateway detaches while its VPC has public
 * addresses, a subnet deletes with interfaces in it): the order AWS needs is asserted on the plan here,
 * and in the planner's unit tests.
 */
const REGION = 'us-east-1'

describe('cleanup of a dependency-rich sandbox in one run', () => {
  let emulator: Emulator
  let storage: string
  let work: string
  let baseline: SeededIds
  let kept: SeededIds
  let created: SeededIds
  const cli = (args: string[], cwd?: string) => runCli([...args, '--storage-path', storage, '--endpoint-url', emulator.url, '--max-attempts', '2'], cwd ? {cwd} : {})
  const live = () => liveIds(emulator.url, REGION)
  const items = (plan: CleanupPlan) => plan.waves.flatMap((w) => w.items)
  /** The items of a run not deleted or already gone, with why: none, when the run did its whole plan. */
  const unsettled = (execution: CleanupResult['execution']) =>
    (execution?.items ?? []).filter((i) => !['deleted', 'prepared', 'gone'].includes(i.result)).map((i) => `${i.type} ${i.id}: ${i.result}: ${i.reason}`)
  const waveOf = (plan: CleanupPlan, type: string, id: string) => plan.waves.findIndex((w) => w.items.some((i) => i.kind === 'delete' && i.type === type && i.id === id))

  beforeAll(async () => {
    emulator = await startEmulator()
    storage = mkdtempSync(join(tmpdir(), 'awsinv-scenario-'))
    work = mkdtempSync(join(tmpdir(), 'awsinv-scenario-work-'))
    baseline = await seedCleanupScenario(emulator.url, REGION, {prefix: 'base'})
    const snapshot = await cli(['snapshot', 'create', 'base', '--regions', REGION, '--json'])
    expect(snapshot.code, snapshot.stderr).toBe(0)
    created = await seedCleanupScenario(emulator.url, REGION, {prefix: 'new', tags: {env: 'sbx'}})
    kept = await seedCleanupScenario(emulator.url, REGION, {prefix: 'keep', tags: {keep: 'release-42'}})
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  it('seeds what the scenario needs, all of it there before the cleanup', async () => {
    const now = await live()
    for (const seeded of [baseline, created, kept]) expect(seededWhere(seeded, now, false)).toEqual([])
    expect(Object.values(created).flat()).toHaveLength(Object.values(baseline).flat().length)
    expect(created['AWS::SQS::Queue']).toHaveLength(2)
    expect(created['AWS::EC2::SecurityGroup']).toHaveLength(2)
  })

  let plan: CleanupPlan
  let keptNatInterfaces: string[] = []
  it('previews a plan of exactly the new resources, in the order AWS needs, and saves it', async () => {
    const planFile = join(work, 'plan.json')
    const preview = await cli(['cleanup', 'preview', 'base', '--protect-tag', 'keep=*', '--out', planFile, '--json'])
    expect(preview.code, preview.stderr).toBe(0)
    plan = (JSON.parse(preview.stdout) as CleanupResult).plan
    // Skipped: only what the kept set uses (its instance's root volume and interface, its user's group).
    const createdIds = new Set(Object.values(created).flat())
    expect(plan.skipped.filter((s) => s.reason.kind !== 'in-use' || createdIds.has(s.id))).toEqual([])

    // Every seeded new resource is a delete item or goes along with one; nothing of the baseline or the kept set is.
    const planned = new Set(items(plan).flatMap((i) => [`${i.type} ${i.id}`, ...i.includes.map((inc) => `${inc.type} ${inc.id}`)]))
    expect(Object.entries(created).flatMap(([type, ids]) => ids.map((id) => `${type} ${id}`)).filter((r) => !planned.has(r))).toEqual([])
    for (const other of [baseline, kept]) expect(Object.entries(other).flatMap(([type, ids]) => ids.map((id) => `${type} ${id}`)).filter((r) => planned.has(r))).toEqual([])
    expect(plan.protected.some((p) => p.reasons.some((r) => r.rule === 'keep=*'))).toBe(true)
    // The kept NAT gateway's interface stays with it, although the emulator does not mark it requester-managed.
    const keptNat = kept['AWS::EC2::NatGateway']![0]!
    keptNatInterfaces = plan.skipped.filter((s) => s.type === 'AWS::EC2::NetworkInterface' && s.reason.blockedBy?.some((arn) => arn.endsWith(`/${keptNat}`))).map((s) => s.id)
    expect(keptNatInterfaces).toHaveLength(1)

    // What AWS refuses out of order: each pair's first comes in an earlier wave.
    const id = (type: string) => created[type]![0]!
    const [web, db] = created['AWS::EC2::SecurityGroup']!
    const before: Array<[string, string, string, string]> = [
      ['AWS::EC2::EIP', created['AWS::EC2::EIP']![0]!, 'AWS::EC2::Instance', id('AWS::EC2::Instance')],
      ['AWS::EC2::Instance', id('AWS::EC2::Instance'), 'AWS::EC2::InternetGateway', id('AWS::EC2::InternetGateway')],
      ['AWS::EC2::NatGateway', id('AWS::EC2::NatGateway'), 'AWS::EC2::InternetGateway', id('AWS::EC2::InternetGateway')],
      ['AWS::EC2::Instance', id('AWS::EC2::Instance'), 'AWS::EC2::Volume', id('AWS::EC2::Volume')],
      ['AWS::EC2::Instance', id('AWS::EC2::Instance'), 'AWS::EC2::SecurityGroup', web!],
      ['AWS::EC2::NetworkInterface', id('AWS::EC2::NetworkInterface'), 'AWS::EC2::SecurityGroup', db!],
      ['AWS::EC2::RouteTable', id('AWS::EC2::RouteTable'), 'AWS::EC2::InternetGateway', id('AWS::EC2::InternetGateway')],
      ['AWS::EC2::InternetGateway', id('AWS::EC2::InternetGateway'), 'AWS::EC2::VPC', id('AWS::EC2::VPC')],
      ['AWS::EC2::Subnet', id('AWS::EC2::Subnet'), 'AWS::EC2::VPC', id('AWS::EC2::VPC')],
      ['AWS::EC2::Instance', id('AWS::EC2::Instance'), 'AWS::IAM::InstanceProfile', 'new-app-profile'],
      ['AWS::IAM::InstanceProfile', 'new-app-profile', 'AWS::IAM::Role', 'new-app-role'],
      ['AWS::IAM::Role', 'new-app-role', 'AWS::IAM::Policy', id('AWS::IAM::Policy')],
      ['AWS::EC2::FlowLog', id('AWS::EC2::FlowLog'), 'AWS::S3::Bucket', id('AWS::S3::Bucket')],
    ]
    for (const [type1, id1, type2, id2] of before) {
      const first = waveOf(plan, type1, id1)
      expect(first, `${type1} ${id1} is planned`).toBeGreaterThanOrEqual(0)
      expect(first, `${id1} before ${id2}`).toBeLessThan(waveOf(plan, type2, id2))
    }

    // The security groups' mutual references are revoked first, by prepare items.
    expect(items(plan).filter((i) => i.kind === 'prepare').map((i) => i.id).sort()).toEqual([web, db].sort())
    const bucket = items(plan).find((i) => i.type === 'AWS::S3::Bucket')!
    expect(bucket.steps.map((s) => s.action)).toEqual(['empty-bucket', 'delete-bucket'])
    const role = items(plan).find((i) => i.type === 'AWS::IAM::Role')!
    expect(role.steps.map((s) => s.action)).toEqual(['detach-role-policy', 'delete-role-policy', 'delete-role'])
  })

  it('deletes every new resource in one run of the saved plan, and nothing else', async () => {
    const execute = await cli(['cleanup', 'execute', '--plan', join(work, 'plan.json'), '--confirm', '--yes', '--json'])
    const {execution} = JSON.parse(execute.stdout) as CleanupResult
    expect(unsettled(execution)).toEqual([])
    expect(execute.code, execute.stderr).toBe(0)
    expect(execution).toMatchObject({status: 'succeeded', exitCode: 0, summary: {failed: 0, skipped: 0, interrupted: 0, notAttempted: 0}})
    // The security groups' preparations are counted as such, not as deletions.
    const preparations = items(plan).filter((i) => i.kind === 'prepare').length
    expect(preparations).toBeGreaterThan(0)
    expect(execution!.summary.prepared).toBe(preparations)
    expect(execution!.items.filter((i) => i.kind === 'prepare').map((i) => i.result)).toEqual(Array.from({length: preparations}, () => 'prepared'))
    expect(execution!.summary.deleted + execution!.summary.gone).toBe(execution!.summary.items - preparations)

    const now = await live()
    expect(seededWhere(created, now, true)).toEqual([])
    expect(seededWhere(baseline, now, false)).toEqual([])
    expect(seededWhere(kept, now, false)).toEqual([])
    expect(seededWhere({'AWS::EC2::NetworkInterface': keptNatInterfaces}, now, false)).toEqual([])
  })

  it('then finds nothing to clean up but what the emulator failed to delete along with a NAT gateway', async () => {
    const again = await cli(['cleanup', 'preview', 'base', '--protect-tag', 'keep=*', '--no-save', '--json'])
    expect(again.code, again.stderr).toBe(0)
    const {plan: after} = JSON.parse(again.stdout) as CleanupResult
    // AWS deletes a NAT gateway's interface with it; the emulator keeps it (a detached, untagged interface).
    const natInterfaces = items(plan)
      .filter((i) => i.type === 'AWS::EC2::NatGateway')
      .flatMap((i) => i.includes.map((inc) => inc.id))
    expect(natInterfaces).toHaveLength(1)
    expect(items(after).map((i) => `${i.type} ${i.id}`)).toEqual(natInterfaces.map((id) => `AWS::EC2::NetworkInterface ${id}`))
  })

  it('purges everything but the baseline and the protected set in one run, under a rules file', async () => {
    const purged = await seedCleanupScenario(emulator.url, REGION, {prefix: 'scratch'})
    writeFileSync(join(work, '.awsinv-cleanup.yaml'), 'protection:\n  tags:\n    - key: keep\n      value: "release-*"\n  names: ["base-*", "base"]\n')

    const preview = await cli(['cleanup', 'purge', '--preview', '--region', REGION, '--region', 'global', '--json'], work)
    expect(preview.code, preview.stderr).toBe(0)
    const {plan: purgePlan} = JSON.parse(preview.stdout) as CleanupResult
    const planned = new Set(items(purgePlan).flatMap((i) => [i.id, ...i.includes.map((inc) => inc.id)]))
    expect(Object.values(purged).flat().filter((id) => !planned.has(id))).toEqual([])

    const purge = await cli(['cleanup', 'purge', '--confirm', '--yes', '--region', REGION, '--region', 'global', '--json'], work)
    const {execution} = JSON.parse(purge.stdout) as CleanupResult
    expect(unsettled(execution)).toEqual([])
    expect(purge.code, purge.stderr).toBe(0)
    expect(execution).toMatchObject({mode: 'purge', status: 'succeeded', summary: {failed: 0}})

    const now = await live()
    expect(seededWhere(purged, now, true)).toEqual([])
    expect(seededWhere(baseline, now, false)).toEqual([])
    expect(seededWhere(kept, now, false)).toEqual([])
  })
})
