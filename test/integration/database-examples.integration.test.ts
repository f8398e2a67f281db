import Database from 'better-sqlite3'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCliJson} from '../support/cli.js'
import {type Emulator, repoRoot, startEmulator} from '../support/emulator.js'
import {emulatorClients, seedSandbox} from '../support/seed.js'
import {exampleQueries} from './database-examples.js'

// DATABASE.md's ready-made queries must keep working: each runs against a real store holding two
// snapshots (a baseline and one after changes), and the document must show each query verbatim.
describe('DATABASE.md example queries', () => {
  const PARTNER = 'arn:aws:iam::210987654321:root'
  let emulator: Emulator
  let db: Database.Database
  const doc = readFileSync(join(repoRoot, 'DATABASE.md'), 'utf8')

  beforeAll(async () => {
    emulator = await startEmulator()
    const ids = await seedSandbox(emulator.url, 'us-east-1', {global: true})
    const storage = mkdtempSync(join(tmpdir(), 'awsinv-dbdoc-'))
    const snapshot = (name: string) =>
      runCliJson(['snapshot', 'create', name, '--storage-path', storage, '--endpoint-url', emulator.url, '--regions', 'us-east-1'])
    await snapshot('baseline')
    const {ec2, iam, s3} = emulatorClients(emulator.url, 'us-east-1')
    await ec2.authorizeSecurityGroupIngress({GroupId: ids['AWS::EC2::SecurityGroup']![0], IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]})
    await ec2.createVolume({AvailabilityZone: 'us-east-1a', Size: 1})
    await ec2.allocateAddress({Domain: 'vpc'})
    await ec2.deleteLaunchTemplate({LaunchTemplateId: ids['AWS::EC2::LaunchTemplate']![0]})
    // A public bucket (a statement array) and one open to any AWS principal under a condition (a single statement object).
    const read = (bucket: string) => ({Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`})
    await s3.createBucket({Bucket: 'sbx-public-site'})
    await s3.putBucketPolicy({
      Bucket: 'sbx-public-site',
      Policy: JSON.stringify({Version: '2012-10-17', Statement: [{Sid: 'PublicRead', Effect: 'Allow', Principal: '*', ...read('sbx-public-site')}]}),
    })
    await s3.createBucket({Bucket: 'sbx-shared-assets'})
    await s3.putBucketPolicy({
      Bucket: 'sbx-shared-assets',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: {Sid: 'AnyPrincipalInOrg', Effect: 'Allow', Principal: {AWS: '*'}, ...read('sbx-shared-assets'), Condition: {StringEquals: {'aws:PrincipalOrgID': 'o-example'}}},
      }),
    })
    // A console user without MFA, and a role another account (and this one) may assume.
    await iam.createUser({UserName: 'sbx-bob'})
    await iam.createLoginProfile({UserName: 'sbx-bob', Password: 'Correct-Horse-9-Battery'})
    await iam.createRole({
      RoleName: 'sbx-partner',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{Effect: 'Allow', Principal: {AWS: [PARTNER, 'arn:aws:iam::123456789012:root']}, Action: 'sts:AssumeRole'}],
      }),
    })
    // And one anyone may assume, its principal written as the bare "*".
    await iam.createRole({
      RoleName: 'sbx-anyone',
      AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: {Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole'}}),
    })
    for (const client of [ec2, iam, s3]) client.destroy()
    await snapshot('after-deploy')
    db = new Database(join(storage, 'inventory.db'), {readonly: true})
  })

  afterAll(async () => {
    db?.close()
    await emulator?.stop()
  })

  it('documents at least twenty queries', () => {
    expect(exampleQueries.length).toBeGreaterThanOrEqual(20)
  })

  it.each(exampleQueries.map((q) => [q.title, q.sql]))('%s: is shown verbatim and runs', (_title, sql) => {
    expect(doc).toContain(sql)
    expect(() => db.prepare(sql).all()).not.toThrow()
  })

  it('finds what the scenario changed', () => {
    const run = (title: string) => db.prepare(exampleQueries.find((q) => q.title.startsWith(title))!.sql).all() as Array<Record<string, unknown>>
    expect(run('Security groups with inbound rules open to 0.0.0.0/0')).toEqual([expect.objectContaining({protocol: 'tcp', from_port: 22, to_port: 22})])
    expect(run('Unattached EBS volumes')).toEqual([expect.objectContaining({size_gib: 1})])
    expect(run('Elastic IPs not associated')).toHaveLength(1)
    expect(run('Resources that disappeared between two snapshots')).toEqual([expect.objectContaining({type: 'AWS::EC2::LaunchTemplate'})])
    expect(run('IAM users with a console password and no MFA device')).toEqual([expect.objectContaining({user_name: 'sbx-bob'})])
    expect(run('Roles that other AWS accounts')).toEqual([
      {role_name: 'sbx-anyone', trusted_principal: '*', condition: null},
      {role_name: 'sbx-partner', trusted_principal: PARTNER, condition: null},
    ])
    // The emulator's account has no block configured.
    expect(run('The account-level public access block')).toEqual([{account_id: '123456789012', account_public_access_block: null}])
    expect(run('Buckets whose policy allows anyone')).toEqual([
      {bucket: 'sbx-public-site', sid: 'PublicRead', action: 's3:GetObject', condition: null},
      {bucket: 'sbx-shared-assets', sid: 'AnyPrincipalInOrg', action: 's3:GetObject', condition: '{"StringEquals":{"aws:PrincipalOrgID":"o-example"}}'},
    ])
  })

  it('counts what the scenario holds', () => {
    const run = (title: string) => db.prepare(exampleQueries.find((q) => q.title.startsWith(title))!.sql).all() as Array<Record<string, unknown>>
    const total = db.prepare(`select count(*) from v_resources where snapshot_name = 'after-deploy'`).pluck().get() as number
    const places = run('Resources per account and region')
    expect(places.map((p) => [p.account_id, p.region])).toEqual(expect.arrayContaining([['123456789012', 'us-east-1'], ['123456789012', 'global']]))
    expect(places.reduce((n, p) => n + (p.resources as number), 0)).toBe(total)

    const coverage = new Map(run('Tag coverage of required keys per type').map((r) => [r.type, r]))
    // Every seeded resource carries owner and env; the region's default VPC carries nothing, IAM groups cannot be tagged.
    expect(coverage.get('AWS::Lambda::Function')).toMatchObject({resources: 1, with_owner_and_env: 1, coverage_pct: 100})
    expect(coverage.get('AWS::EC2::VPC')).toMatchObject({resources: 2, with_owner_and_env: 1, coverage_pct: 50})
    expect(coverage.get('AWS::IAM::Group')).toMatchObject({with_owner_and_env: 0, coverage_pct: 0})

    const growth = run('Resource count per type across the snapshots of an inventory')
    const of = (type: string) => growth.filter((g) => g.type === type).map((g) => [g.snapshot, g.resources, g.change])
    expect(of('AWS::EC2::LaunchTemplate')).toEqual([
      ['baseline', 1, null],
      ['after-deploy', 0, -1],
    ])
    expect(of('AWS::S3::Bucket')).toEqual([
      ['baseline', 1, null],
      ['after-deploy', 3, 2],
    ])
    expect(of('AWS::EC2::Volume').map(([, , change]) => change)).toEqual([null, 1])
  })
})
