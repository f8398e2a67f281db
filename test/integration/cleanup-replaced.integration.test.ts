import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {RDS} from '@aws-sdk/client-rds'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {CleanupResult} from '../../src/cleanup/run-plan.js'
import type {CleanupPlan} from '../../src/cleanup/types.js'
import {specOf, specs} from '../../src/resources/registry.js'
import {runCli, runCliJson} from '../support/cli.js'
import {type EmulatorContexts, collectOne, emulatorContexts, planItemOf} from '../support/deleters.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials, selfSignedCertificate} from '../support/seed.js'

/**
 * A resource deleted and recreated under the same name between the plan and its execution is another
 * resource, which nobody reviewed: the re-read before the first step must tell it apart by the id AWS
 * assigned it at creation (`spec.uniqueId`), and the executor must leave it alone.
 */
const REGION = 'us-east-1'
const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]})
const document = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]})

let emulator: Emulator
let iam: IAM
let ec2: EC2
let rds: RDS

beforeAll(async () => {
  emulator = await startEmulator()
  const config = {endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2}
  iam = new IAM(config)
  ec2 = new EC2(config)
  rds = new RDS(config)
})

afterAll(async () => {
  iam?.destroy()
  ec2?.destroy()
  rds?.destroy()
  await emulator?.stop()
})

/** What the re-read of the planned item says once another resource took its name. */
type AfterRecreate =
  /** A unique id other than the plan's. */
  | 'new id'
  /** Nothing: the deleter reads by the unique id itself (a key pair's `key-…` id), so the new one is not it. */
  | 'gone'
  /** The plan's id again: the emulator gives every resource of the type the same one (never AWS). */
  | 'same id on the emulator'

interface ReplacedCase {
  type: string
  /** Creates the resource; returns the AWS id collection names it by. */
  create(): Promise<string>
  /** Deletes it and creates another under the same name. */
  recreate(): Promise<void>
  afterRecreate: AfterRecreate
}

const certificate = selfSignedCertificate()
const cases: ReplacedCase[] = [
  {
    type: 'AWS::IAM::User',
    create: async () => (await iam.createUser({UserName: 'sbx-user'})).User!.UserName!,
    async recreate() {
      await iam.deleteUser({UserName: 'sbx-user'})
      await iam.createUser({UserName: 'sbx-user'})
    },
    afterRecreate: 'new id',
  },
  {
    type: 'AWS::IAM::Role',
    create: async () => (await iam.createRole({RoleName: 'sbx-role', AssumeRolePolicyDocument: trust})).Role!.RoleName!,
    async recreate() {
      await iam.deleteRole({RoleName: 'sbx-role'})
      await iam.createRole({RoleName: 'sbx-role', AssumeRolePolicyDocument: trust})
    },
    afterRecreate: 'new id',
  },
  {
    // Collected by ARN, which the new policy shares.
    type: 'AWS::IAM::Policy',
    create: async () => (await iam.createPolicy({PolicyName: 'sbx-policy', PolicyDocument: document})).Policy!.Arn!,
    async recreate() {
      const arn = (await iam.listPolicies({Scope: 'Local'})).Policies!.find((p) => p.PolicyName === 'sbx-policy')!.Arn!
      await iam.deletePolicy({PolicyArn: arn})
      await iam.createPolicy({PolicyName: 'sbx-policy', PolicyDocument: document})
    },
    afterRecreate: 'new id',
  },
  {
    type: 'AWS::IAM::InstanceProfile',
    create: async () => (await iam.createInstanceProfile({InstanceProfileName: 'sbx-profile'})).InstanceProfile!.InstanceProfileName!,
    async recreate() {
      await iam.deleteInstanceProfile({InstanceProfileName: 'sbx-profile'})
      await iam.createInstanceProfile({InstanceProfileName: 'sbx-profile'})
    },
    afterRecreate: 'new id',
  },
  {
    type: 'AWS::IAM::Group',
    create: async () => (await iam.createGroup({GroupName: 'sbx-group'})).Group!.GroupName!,
    async recreate() {
      await iam.deleteGroup({GroupName: 'sbx-group'})
      await iam.createGroup({GroupName: 'sbx-group'})
    },
    afterRecreate: 'new id',
  },
  {
    type: 'AWS::IAM::ServerCertificate',
    async create() {
      await iam.uploadServerCertificate({ServerCertificateName: 'sbx-cert', CertificateBody: certificate.body, PrivateKey: certificate.privateKey})
      return 'sbx-cert'
    },
    async recreate() {
      await iam.deleteServerCertificate({ServerCertificateName: 'sbx-cert'})
      await iam.uploadServerCertificate({ServerCertificateName: 'sbx-cert', CertificateBody: certificate.body, PrivateKey: certificate.privateKey})
    },
    afterRecreate: 'new id',
  },
  {
    type: 'AWS::EC2::KeyPair',
    create: async () => (await ec2.createKeyPair({KeyName: 'sbx-key'})).KeyPairId!,
    async recreate() {
      await ec2.deleteKeyPair({KeyName: 'sbx-key'})
      await ec2.createKeyPair({KeyName: 'sbx-key'})
    },
    afterRecreate: 'gone',
  },
  {
    // moto 5.2 answers DbiResourceId db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U for every instance.
    type: 'AWS::RDS::DBInstance',
    async create() {
      await createDbInstance()
      return 'sbx-db'
    },
    async recreate() {
      await rds.deleteDBInstance({DBInstanceIdentifier: 'sbx-db', SkipFinalSnapshot: true})
      await createDbInstance()
    },
    afterRecreate: 'same id on the emulator',
  },
  {
    type: 'AWS::RDS::DBCluster',
    async create() {
      await createDbCluster()
      return 'sbx-cluster'
    },
    async recreate() {
      await rds.deleteDBCluster({DBClusterIdentifier: 'sbx-cluster', SkipFinalSnapshot: true})
      // The emulator keeps the first cluster's automated snapshot, named after the minute it was made:
      // a day later, the new one's name differs.
      await emulator.setClock(1)
      try {
        await createDbCluster()
      } finally {
        await emulator.setClock(0)
      }
    },
    afterRecreate: 'new id',
  },
]

function createDbInstance() {
  return rds.createDBInstance({
    DBInstanceIdentifier: 'sbx-db',
    DBInstanceClass: 'db.t3.micro',
    Engine: 'postgres',
    MasterUsername: 'admin',
    MasterUserPassword: 'sbx-password-1',
    AllocatedStorage: 20,
  })
}

function createDbCluster() {
  return rds.createDBCluster({DBClusterIdentifier: 'sbx-cluster', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: 'sbx-password-1'})
}

describe('the re-read before deleting tells a recreated resource from the planned one', () => {
  let ctx: EmulatorContexts
  beforeAll(() => {
    ctx = emulatorContexts(emulator.url, REGION)
  })

  afterAll(async () => {
    await ctx?.clients.destroy()
  })

  it('covers every type whose spec declares a unique id', () => {
    expect(cases.map((c) => c.type).sort()).toEqual(specs.filter((s) => s.uniqueId !== undefined && s.deleter !== undefined).map((s) => s.type).sort())
  })

  it.each(cases.map((c) => [c.type, c] as const))('%s: the plan carries its unique id, and the re-read returns it', async (type, c) => {
    const item = planItemOf(await collectOne(type, await c.create(), ctx.collect))
    const deleter = specOf(type)!.deleter!
    expect(item.uniqueId).toEqual(expect.any(String))
    expect((await deleter.current(ctx.delete, item))?.uniqueId).toBe(item.uniqueId)

    await c.recreate()
    const after = await deleter.current(ctx.delete, item)
    switch (c.afterRecreate) {
      case 'new id': {
        expect(after?.uniqueId).toEqual(expect.any(String))
        expect(after?.uniqueId).not.toBe(item.uniqueId)
        break
      }

      case 'gone': {
        expect(after).toBeUndefined()
        break
      }

      case 'same id on the emulator': {
        expect(after?.uniqueId).toBe(item.uniqueId)
        break
      }
    }
  })
})

describe('cleanup execute --plan, after a planned user and role were recreated under their names', () => {
  let storage: string
  let planPath: string
  let plan: CleanupPlan
  const ids: Record<string, {planned: string; now?: string}> = {}
  const base = () => ['--storage-path', storage, '--endpoint-url', emulator.url, '--max-attempts', '2']
  const userId = async (UserName: string) => (await iam.getUser({UserName})).User!.UserId!
  const roleId = async (RoleName: string) => (await iam.getRole({RoleName})).Role!.RoleId!

  beforeAll(async () => {
    await emulator.reset()
    storage = mkdtempSync(join(tmpdir(), 'awsinv-replaced-'))
    planPath = join(storage, 'plan.json')
    await runCliJson(['snapshot', 'create', 'base', '--regions', REGION, ...base()])

    await iam.createUser({UserName: 'sbx-recreated'})
    await iam.createRole({RoleName: 'sbx-recreated-role', AssumeRolePolicyDocument: trust})
    await iam.createUser({UserName: 'sbx-unchanged'})
    await runCliJson(['cleanup', 'preview', 'base', '--out', planPath, ...base()])
    plan = JSON.parse(readFileSync(planPath, 'utf8')) as CleanupPlan
    ids.user = {planned: await userId('sbx-recreated')}
    ids.role = {planned: await roleId('sbx-recreated-role')}

    // Replaced after the review: same names, new resources.
    await iam.deleteUser({UserName: 'sbx-recreated'})
    await iam.createUser({UserName: 'sbx-recreated'})
    await iam.deleteRole({RoleName: 'sbx-recreated-role'})
    await iam.createRole({RoleName: 'sbx-recreated-role', AssumeRolePolicyDocument: trust})
    ids.user.now = await userId('sbx-recreated')
    ids.role.now = await roleId('sbx-recreated-role')
  }, 120_000)

  it('planned the three with the ids they had then', () => {
    const items = plan.waves.flatMap((w) => w.items)
    expect(items.map((i) => [i.type, i.name]).sort()).toEqual([
      ['AWS::IAM::Role', 'sbx-recreated-role'],
      ['AWS::IAM::User', 'sbx-recreated'],
      ['AWS::IAM::User', 'sbx-unchanged'],
    ])
    expect(items.find((i) => i.name === 'sbx-recreated')?.uniqueId).toBe(ids.user!.planned)
    expect(items.find((i) => i.name === 'sbx-recreated-role')?.uniqueId).toBe(ids.role!.planned)
    // The emulator gave the new ones new ids.
    expect(ids.user!.now).not.toBe(ids.user!.planned)
    expect(ids.role!.now).not.toBe(ids.role!.planned)
  })

  it('skips the recreated ones, saying so, deletes the unchanged one, and exits 3', async () => {
    const result = await runCli(['cleanup', 'execute', '--plan', planPath, '--confirm', '--yes', '--json', ...base()])
    expect(result.code, result.stderr).toBe(3)
    const {execution} = JSON.parse(result.stdout) as CleanupResult
    expect(execution).toMatchObject({status: 'incomplete', exitCode: 3, summary: {items: 3, deleted: 1, skipped: 2, failed: 0}})
    const outcome = (name: string) => execution!.items.find((i) => i.name === name)
    expect(outcome('sbx-recreated')).toMatchObject({
      result: 'skipped',
      reason: `replaced since the plan was made: its UserId is now ${ids.user!.now} (the plan's: ${ids.user!.planned})`,
      before: {uniqueId: ids.user!.now},
      steps: [],
    })
    expect(outcome('sbx-recreated-role')).toMatchObject({
      result: 'skipped',
      reason: `replaced since the plan was made: its RoleId is now ${ids.role!.now} (the plan's: ${ids.role!.planned})`,
      steps: [],
    })
    expect(outcome('sbx-unchanged')).toMatchObject({result: 'deleted'})

    // As the emulator says: the new ones are still there, the unchanged one is gone.
    expect(await userId('sbx-recreated')).toBe(ids.user!.now)
    expect(await roleId('sbx-recreated-role')).toBe(ids.role!.now)
    await expect(iam.getUser({UserName: 'sbx-unchanged'})).rejects.toMatchObject({name: 'NoSuchEntityException'})
  })
})
