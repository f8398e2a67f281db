import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DeltaResult} from '../../src/diff/delta.js'
import type {DriftReport, ResourceDrift} from '../../src/diff/snapshots.js'
import type {ResourceHistory} from '../../src/query/history.js'
import {runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {EMULATOR_GAP} from '../support/emulator-gaps.js'
import {type SeededIds, emulatorClients, seedSandbox} from '../support/seed.js'

/**
 * Drift end to end: a seeded sandbox, a baseline, then a scripted set of changes (create, delete,
 * retag, open a port, change a bucket policy, replace a role under the same name, stop an instance).
 * `delta` must report exactly those and nothing else.
 */
const REGION = 'us-east-1'
const trustPolicy = (service: string) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]})

describe('delta and query diff', () => {
  let emulator: Emulator
  let seeded: SeededIds
  let storage: string
  let bucket: string
  let newVolume: string
  const base = () => ['--storage-path', storage, '--endpoint-url', emulator.url]

  beforeAll(async () => {
    emulator = await startEmulator()
    seeded = await seedSandbox(emulator.url, REGION, {prefix: 'd', global: true})
    bucket = seeded['AWS::S3::Bucket']![0]!
    const {iam} = emulatorClients(emulator.url, REGION)
    await iam.createRole({RoleName: 'd-replaced-role', AssumeRolePolicyDocument: trustPolicy('ec2.amazonaws.com')})
    iam.destroy()
    storage = mkdtempSync(join(tmpdir(), 'awsinv-drift-'))
    await runCliJson(['snapshot', 'create', 'baseline', ...base(), '--regions', REGION, '--no-config'])
    await runCliJson(['snapshot', 'create', 'baseline-again', ...base(), '--regions', REGION, '--no-config', '--no-set-active'])

    const {ec2, s3} = emulatorClients(emulator.url, REGION)
    const again = emulatorClients(emulator.url, REGION).iam
    newVolume = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 2})).VolumeId!
    await ec2.deleteLaunchTemplate({LaunchTemplateId: seeded['AWS::EC2::LaunchTemplate']![0]})
    await ec2.createTags({Resources: [seeded['AWS::EC2::VPC']![0]!], Tags: [{Key: 'env', Value: 'prod'}]})
    await ec2.authorizeSecurityGroupIngress({
      GroupId: seeded['AWS::EC2::SecurityGroup']![0],
      IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]}],
    })
    await s3.putBucketPolicy({
      Bucket: bucket,
      Policy: JSON.stringify({Version: '2012-10-17', Statement: [{Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`}]}),
    })
    await again.deleteRole({RoleName: 'd-replaced-role'})
    await again.createRole({RoleName: 'd-replaced-role', AssumeRolePolicyDocument: trustPolicy('ec2.amazonaws.com')})
    await ec2.stopInstances({InstanceIds: [seeded['AWS::EC2::Instance']![0]!]})
    for (const c of [ec2, s3, again]) c.destroy()
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  const emulatorGapCell = {accountId: '123456789012', region: REGION, resourceType: EMULATOR_GAP.type, before: EMULATOR_GAP.status, after: EMULATOR_GAP.status, reason: expect.any(String)}

  const byChange = (resources: ResourceDrift[]) =>
    Object.fromEntries(['added', 'removed', 'replaced', 'modified'].map((c) => [c, resources.filter((r) => r.change === c).map((r) => `${r.type} ${r.id}`).sort()]))

  it('reports exactly the scripted changes, field by field, and saves the current state', async () => {
    const result = await runCliJson<DeltaResult>(['delta', '--snapshot', 'baseline', '--save-as', 'now', ...base()])
    expect(result.saved).toBe('now')
    expect(result.drift).toBe(true)
    expect(byChange(result.resources)).toEqual({
      added: [`AWS::EC2::Volume ${newVolume}`],
      removed: [`AWS::EC2::LaunchTemplate ${seeded['AWS::EC2::LaunchTemplate']![0]}`],
      replaced: ['AWS::IAM::Role d-replaced-role'],
      modified: [
        `AWS::EC2::Instance ${seeded['AWS::EC2::Instance']![0]}`,
        `AWS::EC2::SecurityGroup ${seeded['AWS::EC2::SecurityGroup']![0]}`,
        `AWS::EC2::VPC ${seeded['AWS::EC2::VPC']![0]}`,
        `AWS::S3::Bucket ${bucket}`,
      ].sort(),
    })
    const modified = (type: string) => result.resources.find((r) => r.type === type && r.change === 'modified')!
    expect(modified('AWS::EC2::VPC').changes).toEqual([
      {path: 'Tags[env]', segments: [{field: 'Tags'}, {key: 'env'}], kind: 'changed', category: 'tags', before: 'dev', after: 'prod'},
    ])
    expect(modified('AWS::EC2::SecurityGroup')).toMatchObject({
      categories: ['security'],
      changes: [{path: 'IpPermissions[tcp:22]', kind: 'added', category: 'security', after: expect.objectContaining({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]})}],
    })
    const bucketChanges = modified('AWS::S3::Bucket').changes!
    expect(bucketChanges.length).toBeGreaterThan(0)
    expect(bucketChanges.every((c) => c.path.startsWith('Policy.') && c.category === 'security')).toBe(true)
    expect(bucketChanges).toContainEqual(expect.objectContaining({path: 'Policy.Statement[Public]', kind: 'added'}))
    const instance = modified('AWS::EC2::Instance')
    expect(instance.categories).toEqual(['state'])
    expect(instance.changes).toContainEqual(expect.objectContaining({path: 'State.Name', kind: 'changed', before: 'running', after: 'stopped'}))
    expect(result.resources.find((r) => r.change === 'replaced')?.reason).toMatch(/^RoleId /)
    // The one cell neither snapshot collected: the emulator has no Access Analyzer.
    expect(result.summary).toMatchObject({added: 1, removed: 1, replaced: 1, modified: 4, notComparable: 1, byCategory: {tags: 1, security: 3, state: 1}})
    expect(result.notComparable).toEqual([emulatorGapCell])
    expect(result.summary.unchanged).toBeGreaterThan(10)
  })

  it('query history calls the recreated role replaced, as delta did, with the reason', async () => {
    const history = await runCliJson<ResourceHistory>(['query', 'history', 'arn:aws:iam::123456789012:role/d-replaced-role', ...base()])
    const now = history.entries.find((e) => e.snapshot === 'now')
    expect(now).toMatchObject({event: 'replaced', reason: expect.stringMatching(/^RoleId \S+ → \S+$/)})
  })

  it('reports no drift between two snapshots of an unchanged account', async () => {
    const report = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'baseline-again', ...base()])
    expect(report.drift).toBe(false)
    expect(report.resources).toEqual([])
    expect(report.summary).toMatchObject({added: 0, removed: 0, replaced: 0, modified: 0, notComparable: 1})
    expect(report.notComparable).toEqual([emulatorGapCell])
    const text = await runCli(['query', 'diff', 'baseline', 'baseline-again', '--exit-code', ...base()])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('No drift.')
  })

  it('query diff between stored snapshots gives what delta gave, with the CI exit code and outputs', async () => {
    const json = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'now', ...base()])
    expect(json.summary).toMatchObject({added: 1, removed: 1, replaced: 1, modified: 4})

    const people = await runCli(['query', 'diff', 'baseline', 'now', '--show-diff', '--exit-code', ...base()])
    expect(people.code).toBe(2)
    expect(people.stdout).toMatch(/^\+ AWS::EC2::Volume {2}us-east-1 {2}vol-/m)
    expect(people.stdout).toMatch(/^- AWS::EC2::LaunchTemplate/m)
    expect(people.stdout).toMatch(/^± AWS::IAM::Role {2}global {2}d-replaced-role {2}\(RoleId /m)
    expect(people.stdout).toContain('    ~ Tags[env]: "dev" → "prod"')
    expect(people.stdout).toContain('    + IpPermissions[tcp:22]: {')
    expect(people.stdout).not.toContain('\u001B[')

    const md = mkdtempSync(join(tmpdir(), 'awsinv-drift-md-'))
    const markdown = await runCli(['query', 'diff', 'baseline', 'now', '--format', 'md', '--show-diff', '--export', join(md, 'drift.csv'), ...base()])
    expect(markdown.code).toBe(0)
    expect(markdown.stdout).toContain('| Added | Removed | Replaced | Modified | Unchanged | Not comparable |')
    expect(markdown.stdout).toContain('```diff')
    const csv = readFileSync(join(md, 'drift.csv'), 'utf8').split('\r\n')
    expect(csv[0]).toBe('change,type,region,account_id,arn,id,name,category,path,field_change,before,after,reason')
    expect(csv).toContainEqual(expect.stringMatching(/^modified,AWS::EC2::VPC,.*,tags,Tags\[env\],changed,"""dev""","""prod""",$/))
    expect(csv).toContainEqual(expect.stringMatching(/^replaced,AWS::IAM::Role,global,.*,d-replaced-role,security,,,,,RoleId \S+ → \S+$/))
  })

  it('filters by category, type and region', async () => {
    const security = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'now', '--category', 'security', ...base()])
    expect(byChange(security.resources)).toEqual({
      added: [],
      removed: [],
      replaced: ['AWS::IAM::Role d-replaced-role'],
      modified: [`AWS::EC2::SecurityGroup ${seeded['AWS::EC2::SecurityGroup']![0]}`, `AWS::S3::Bucket ${bucket}`].sort(),
    })
    const state = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'now', '--category', 'state', '--resource-type', 'ec2', ...base()])
    expect(state.resources.map((r) => r.type)).toEqual(['AWS::EC2::Instance'])
    // `global` alone: the global types only, stored or collected now.
    const global = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'now', '--region', 'global', ...base()])
    expect(global.resources.map((r) => r.region)).toEqual(global.resources.map(() => 'global'))
    expect(byChange(global.resources).replaced).toEqual(['AWS::IAM::Role d-replaced-role'])
    const live = await runCliJson<DriftReport>(['delta', '--snapshot', 'baseline', '--region', 'global', '--no-save', ...base()])
    expect(live.resources.map((r) => `${r.change} ${r.type} ${r.id}`)).toEqual(global.resources.map((r) => `${r.change} ${r.type} ${r.id}`))
    expect(live.notComparable).toEqual([])
    expect(live.filters.regions).toEqual(['global'])
  })

  it('applies ignore rules, including negation, from the working directory or --ignore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsinv-ignore-'))
    writeFileSync(
      join(dir, '.awsinv-ignore.yaml'),
      ['ignore:', '  - type: "AWS::EC2::*"', '  - type: "!AWS::EC2::SecurityGroup"', '  - path: "Policy.Statement[*]"', '  - arn: "arn:aws:iam::*:role/d-*"'].join('\n'),
    )
    const report = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'now', ...base()], {cwd: dir})
    expect(byChange(report.resources)).toEqual({added: [], removed: [], replaced: [], modified: [`AWS::EC2::SecurityGroup ${seeded['AWS::EC2::SecurityGroup']![0]}`]})
    expect(report.filters.ignoreFile).toBe('.awsinv-ignore.yaml')
    expect(report.summary.ignoredResources).toBe(5)
    expect(report.summary.ignoredChanges).toBeGreaterThan(0)

    writeFileSync(join(dir, 'only-tags.yaml'), 'ignore:\n  - path: "Tags"\n')
    const tags = await runCliJson<DriftReport>(['query', 'diff', 'baseline', 'now', '--ignore', join(dir, 'only-tags.yaml'), ...base()])
    expect(tags.resources.find((r) => r.type === 'AWS::EC2::VPC')).toBeUndefined()
    expect(tags.summary.modified).toBe(3)
  })

  it('delta --no-save keeps nothing, and the active snapshot stays the reference', async () => {
    const before = await runCliJson<Array<{name: string}>>(['snapshot', 'list', ...base()])
    const run = await runCli(['delta', '--no-save', '--exit-code', '--json', ...base()])
    expect(run.code, run.stderr).toBe(2)
    const result = JSON.parse(run.stdout) as DeltaResult
    expect(result.saved).toBeNull()
    expect(result.before.name).toBe('baseline')
    // The compared state is named by no snapshot, and the filters are those asked for: none.
    expect(result.after).toEqual({id: null, name: null, status: expect.stringMatching(/^(complete|partial)$/), startedAt: expect.any(String)})
    expect(result.filters).toEqual({resourceTypes: null, regions: null, categories: null, ignoreFile: null})
    expect(result.drift).toBe(true)
    const text = await runCli(['delta', '--no-save', '--resource-type', 'AWS::EC2::VPC', ...base()])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^Drift from "baseline" \(\S+\) to the current state \(not saved\) \(\S+\)$/m)
    const after = await runCliJson<Array<{name: string; active: boolean}>>(['snapshot', 'list', ...base()])
    expect(after.map((s) => s.name)).toEqual(before.map((s) => s.name))
    expect(after.find((s) => s.active)?.name).toBe('baseline')
  })
})
