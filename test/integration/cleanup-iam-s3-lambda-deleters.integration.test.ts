import {IAM} from '@aws-sdk/client-iam'
import {Lambda} from '@aws-sdk/client-lambda'
import {S3} from '@aws-sdk/client-s3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {planCleanup} from '../../src/cleanup/plan.js'
import {emptyRules} from '../../src/cleanup/rules.js'
import type {CleanupPlan, DeleteContext, PlanItem} from '../../src/cleanup/types.js'
import {specOf, specs} from '../../src/resources/registry.js'
import type {Resource} from '../../src/resources/types.js'
import type {ItemRunResult} from '../../src/cleanup/run-item.js'
import {ADMIN} from '../support/cleanup.js'
import {collectType, type EmulatorContexts, emulatorContexts, planItemOf, runPlanItem} from '../support/deleters.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials, selfSignedCertificate, zipOneFile} from '../support/seed.js'

/**
 * Every IAM, S3 and Lambda deleter against the emulator, in the order the real planner gives: a purge of
 * everything collected, as an administrator who is none of these resources, then every wave run through
 * the executor's step runner. The emulator (moto 5.2) is laxer than AWS: DeleteUser, DeleteGroup and
 * DeletePolicy succeed while keys, members, attachments or other versions remain, and an enabled virtual
 * MFA device can be deleted. So besides "gone at the end", every preparatory step must have been `done`
 * (its call succeeded) rather than `gone`, and the plan's order is checked against what AWS requires.
 */

const ACCOUNT = '123456789012'
const EAST = 'us-east-1'
const WEST = 'eu-west-1'
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{Effect: 'Allow', Principal: {Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com']}, Action: 'sts:AssumeRole'}],
})
const document = (action: string) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: action, Resource: '*'}]})
const arnOf = {
  user: `arn:aws:iam::${ACCOUNT}:user/sbx-bob`,
  group: `arn:aws:iam::${ACCOUNT}:group/sbx-devs`,
  role: `arn:aws:iam::${ACCOUNT}:role/sbx-app-role`,
  appPolicy: `arn:aws:iam::${ACCOUNT}:policy/sbx-app-policy`,
  peoplePolicy: `arn:aws:iam::${ACCOUNT}:policy/sbx-people-policy`,
  profile: `arn:aws:iam::${ACCOUNT}:instance-profile/sbx-app-profile`,
  certificate: `arn:aws:iam::${ACCOUNT}:server-certificate/sbx-legacy-cert`,
  function: `arn:aws:lambda:${EAST}:${ACCOUNT}:function:sbx-fn`,
  versioned: 'arn:aws:s3:::sbx-versioned',
  plain: 'arn:aws:s3:::sbx-plain-west',
}
// 450 objects written twice, 200 of them then deleted: 900 versions and 200 delete markers, more than
// one ListObjectVersions page (1,000), so emptying streams over two pages.
const OBJECTS = 450
const DELETED = 200
const VERSION_ENTRIES = OBJECTS * 2 + DELETED

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(work))
}

async function seed(endpoint: string): Promise<void> {
  const config = (region: string) => ({endpoint, region, credentials: seedCredentials, maxAttempts: 2})
  const iam = new IAM(config(EAST))

  const app = await iam.createPolicy({PolicyName: 'sbx-app-policy', PolicyDocument: document('s3:GetObject')})
  await iam.createPolicyVersion({PolicyArn: app.Policy?.Arn, PolicyDocument: document('s3:ListBucket')})
  await iam.createPolicyVersion({PolicyArn: app.Policy?.Arn, PolicyDocument: document('s3:PutObject'), SetAsDefault: true})
  const people = await iam.createPolicy({PolicyName: 'sbx-people-policy', PolicyDocument: document('ec2:Describe*')})

  await iam.createGroup({GroupName: 'sbx-devs'})
  await iam.attachGroupPolicy({GroupName: 'sbx-devs', PolicyArn: people.Policy?.Arn})
  await iam.putGroupPolicy({GroupName: 'sbx-devs', PolicyName: 'sbx-devs-inline', PolicyDocument: document('sqs:ListQueues')})

  await iam.createUser({UserName: 'sbx-bob', Tags: [{Key: 'team', Value: 'sbx'}]})
  await iam.createAccessKey({UserName: 'sbx-bob'})
  await iam.createAccessKey({UserName: 'sbx-bob'})
  await iam.createLoginProfile({UserName: 'sbx-bob', Password: 'Correct-Horse-9-Battery'})
  const mfa = await iam.createVirtualMFADevice({VirtualMFADeviceName: 'sbx-bob-phone'})
  await iam.enableMFADevice({UserName: 'sbx-bob', SerialNumber: mfa.VirtualMFADevice?.SerialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321'})
  const certificate = selfSignedCertificate()
  await iam.uploadSigningCertificate({UserName: 'sbx-bob', CertificateBody: certificate.body})
  await iam.addUserToGroup({UserName: 'sbx-bob', GroupName: 'sbx-devs'})
  await iam.attachUserPolicy({UserName: 'sbx-bob', PolicyArn: people.Policy?.Arn})
  await iam.putUserPolicy({UserName: 'sbx-bob', PolicyName: 'sbx-bob-inline', PolicyDocument: document('sns:ListTopics')})

  await iam.createRole({RoleName: 'sbx-app-role', AssumeRolePolicyDocument: trust, Tags: [{Key: 'team', Value: 'sbx'}]})
  await iam.attachRolePolicy({RoleName: 'sbx-app-role', PolicyArn: app.Policy?.Arn})
  await iam.putRolePolicy({RoleName: 'sbx-app-role', PolicyName: 'sbx-app-inline', PolicyDocument: document('logs:PutLogEvents')})
  await iam.createInstanceProfile({InstanceProfileName: 'sbx-app-profile'})
  await iam.addRoleToInstanceProfile({InstanceProfileName: 'sbx-app-profile', RoleName: 'sbx-app-role'})
  await iam.uploadServerCertificate({ServerCertificateName: 'sbx-legacy-cert', CertificateBody: certificate.body, PrivateKey: certificate.privateKey})

  await new Lambda(config(EAST)).createFunction({
    FunctionName: 'sbx-fn',
    Runtime: 'python3.12',
    Role: arnOf.role,
    Handler: 'index.handler',
    Code: {ZipFile: zipOneFile('index.py', 'def handler(event, context):\n    return 1\n')},
    Tags: {team: 'sbx'},
  })

  const east = new S3({...config(EAST), forcePathStyle: true})
  await east.createBucket({Bucket: 'sbx-versioned'})
  await east.putBucketTagging({Bucket: 'sbx-versioned', Tagging: {TagSet: [{Key: 'team', Value: 'sbx'}]}})
  await east.putBucketVersioning({Bucket: 'sbx-versioned', VersioningConfiguration: {Status: 'Enabled'}})
  const keys = Array.from({length: OBJECTS}, (_, i) => `data/${String(i).padStart(4, '0')}.txt`)
  for (const round of [1, 2]) await inBatches(keys, 25, (Key) => east.putObject({Bucket: 'sbx-versioned', Key, Body: `round ${round}`}))
  await inBatches(keys.slice(0, DELETED), 25, (Key) => east.deleteObject({Bucket: 'sbx-versioned', Key}))
  await east.createMultipartUpload({Bucket: 'sbx-versioned', Key: 'big.tar'})

  // Unversioned, in another region: its objects are `null` versions, its calls go to eu-west-1.
  const west = new S3({...config(WEST), forcePathStyle: true})
  await west.createBucket({Bucket: 'sbx-plain-west', CreateBucketConfiguration: {LocationConstraint: WEST}})
  await inBatches(['a.txt', 'b.txt', 'c/d.txt'], 3, (Key) => west.putObject({Bucket: 'sbx-plain-west', Key, Body: 'x'}))

  // Unrelated, protected by the rule keep=*: they must come through untouched.
  await iam.createUser({UserName: 'keep-carol', Tags: [{Key: 'keep', Value: 'yes'}]})
  await east.createBucket({Bucket: 'keep-bucket'})
  await east.putBucketTagging({Bucket: 'keep-bucket', Tagging: {TagSet: [{Key: 'keep', Value: 'yes'}]}})
  await east.putObject({Bucket: 'keep-bucket', Key: 'keep.txt', Body: 'keep'})
}

/** The types deleted here and every type that may depend on one of them (collected so nothing unseen uses them). */
function typesToCollect(): string[] {
  const deleted = new Set([
    'AWS::IAM::User',
    'AWS::IAM::Group',
    'AWS::IAM::Role',
    'AWS::IAM::Policy',
    'AWS::IAM::InstanceProfile',
    'AWS::IAM::ServerCertificate',
    'AWS::S3::Bucket',
    'AWS::Lambda::Function',
  ])
  for (const spec of specs) if (spec.dependsOn?.some((t) => deleted.has(t))) deleted.add(spec.type)
  return [...deleted].sort()
}

describe('deleting IAM entities, S3 buckets and Lambda functions in planned order', () => {
  let emulator: Emulator
  let east: EmulatorContexts
  let west: EmulatorContexts
  let iam: IAM
  let s3: S3
  let collected: Resource[]
  let plan: CleanupPlan
  const results = new Map<string, ItemRunResult>()
  const currentBefore = new Map<string, unknown>()
  const contextOf = (item: PlanItem): DeleteContext => (item.region === WEST ? west.delete : east.delete)
  const items = () => plan.waves.flatMap((w) => w.items)
  const waveOf = (arn: string) => plan.waves.findIndex((w) => w.items.some((i) => i.arn === arn))
  const itemOf = (arn: string) => items().find((i) => i.arn === arn)!
  const deleterOf = (type: string) => specOf(type)!.deleter!

  beforeAll(async () => {
    emulator = await startEmulator()
    await seed(emulator.url)
    east = emulatorContexts(emulator.url, EAST)
    west = emulatorContexts(emulator.url, WEST)
    iam = new IAM({endpoint: emulator.url, region: EAST, credentials: seedCredentials, maxAttempts: 2})
    s3 = new S3({endpoint: emulator.url, region: EAST, credentials: seedCredentials, maxAttempts: 2, forcePathStyle: true})

    collected = []
    const cells = []
    for (const type of typesToCollect()) {
      const global = specOf(type)!.scope === 'global'
      for (const ctx of global ? [east] : [east, west]) {
        collected.push(...(await collectType(type, ctx.collect)))
        cells.push({accountId: ACCOUNT, region: global ? 'global' : ctx.collect.region, resourceType: type, status: 'ok'})
      }
    }

    plan = planCleanup({
      mode: 'purge',
      current: {ref: {name: null, id: null, capturedAt: new Date().toISOString()}, resources: collected, cells},
      caller: ADMIN,
      rules: {...emptyRules(), tags: [{key: 'keep', value: '*', source: '--protect-tag'}]},
      selection: {types: null, regions: null},
      now: new Date(),
    })

    for (const wave of plan.waves) {
      await Promise.all(
        wave.items.map(async (item) => {
          currentBefore.set(item.arn, await deleterOf(item.type).current(contextOf(item), item))
          results.set(item.arn, await runPlanItem(item, contextOf(item)))
        }),
      )
    }
  }, 300_000)

  afterAll(async () => {
    await east?.clients.destroy()
    await west?.clients.destroy()
    iam?.destroy()
    s3?.destroy()
    await emulator?.stop()
  })

  it('plans every seeded resource, and protects only the unrelated ones', () => {
    expect(items().map((i) => i.arn).sort()).toEqual(Object.values(arnOf).sort())
    expect(items().every((i) => i.kind === 'delete')).toBe(true)
    expect(plan.protected.map((p) => [p.arn, p.reasons.map((r) => r.kind)])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:user/keep-carol`, ['tag-rule']],
      ['arn:aws:s3:::keep-bucket', ['tag-rule']],
    ])
    expect(plan.skipped).toEqual([])
  })

  it('orders what uses or holds a resource before it, as AWS requires', () => {
    // A user leaves its group and loses its policies before the group and the policies go.
    expect(waveOf(arnOf.user)).toBeLessThan(waveOf(arnOf.group))
    expect(waveOf(arnOf.user)).toBeLessThan(waveOf(arnOf.peoplePolicy))
    expect(waveOf(arnOf.group)).toBeLessThan(waveOf(arnOf.peoplePolicy))
    // The instance profile takes the role out, the function stops using it, then the role goes, then its policy.
    expect(waveOf(arnOf.profile)).toBeLessThan(waveOf(arnOf.role))
    expect(waveOf(arnOf.function)).toBeLessThan(waveOf(arnOf.role))
    expect(waveOf(arnOf.role)).toBeLessThan(waveOf(arnOf.appPolicy))
    expect(itemOf(arnOf.role).after.sort()).toEqual([arnOf.function, arnOf.profile].sort())
    expect(itemOf(arnOf.peoplePolicy).after.sort()).toEqual([arnOf.group, arnOf.user].sort())
  })

  it('names every preparatory step from the collected configuration', () => {
    const user = itemOf(arnOf.user)
    expect(user.steps.map((s) => s.action)).toEqual([
      'delete-access-key',
      'delete-access-key',
      'delete-login-profile',
      'deactivate-mfa-device',
      'delete-virtual-mfa-device',
      'delete-signing-certificate',
      'remove-user-from-group',
      'detach-user-policy',
      'delete-user-policy',
      'delete-user',
    ])
    expect(user.steps.find((s) => s.action === 'delete-virtual-mfa-device')?.params).toEqual({serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/sbx-bob-phone`})
    expect(itemOf(arnOf.appPolicy).steps.map((s) => [s.action, s.params.versionId ?? null])).toEqual([
      ['delete-policy-version', 'v1'],
      ['delete-policy-version', 'v2'],
      ['delete-policy', null],
    ])
    expect(itemOf(arnOf.profile).steps.map((s) => s.action)).toEqual(['remove-role-from-instance-profile', 'delete-instance-profile'])
    expect(itemOf(arnOf.role).steps.map((s) => s.action)).toEqual(['detach-role-policy', 'delete-role-policy', 'delete-role'])
    expect(itemOf(arnOf.group).steps.map((s) => s.action)).toEqual(['detach-group-policy', 'delete-group-policy', 'delete-group'])
  })

  it('re-read each resource right before deleting it: its current tags, and for IAM the unique id the plan carries', () => {
    const uniqueIdOf = (arn: string) => {
      const id = itemOf(arn).uniqueId
      expect(id, arn).toEqual(expect.any(String))
      return id
    }

    expect(currentBefore.get(arnOf.user)).toEqual({tags: {team: 'sbx'}, uniqueId: uniqueIdOf(arnOf.user)})
    // A role's re-read carries the ARN AWS answers with: its path is re-checked from it.
    expect(currentBefore.get(arnOf.role)).toEqual({tags: {team: 'sbx'}, uniqueId: uniqueIdOf(arnOf.role), arn: arnOf.role})
    expect(currentBefore.get(arnOf.group)).toEqual({tags: {}, uniqueId: uniqueIdOf(arnOf.group)})
    for (const arn of [arnOf.appPolicy, arnOf.peoplePolicy, arnOf.profile, arnOf.certificate]) {
      expect(currentBefore.get(arn), arn).toEqual({tags: {}, uniqueId: uniqueIdOf(arn)})
    }

    // Types without a unique id plan none.
    expect(itemOf(arnOf.function).uniqueId).toBeNull()
    expect(itemOf(arnOf.versioned).uniqueId).toBeNull()
    expect(currentBefore.get(arnOf.function)).toEqual({tags: {team: 'sbx'}})
    expect(currentBefore.get(arnOf.versioned)).toEqual({tags: {team: 'sbx'}})
    // A bucket without tags (NoSuchTagSet) in another region.
    expect(currentBefore.get(arnOf.plain)).toEqual({tags: {}})
    for (const arn of Object.values(arnOf)) expect(currentBefore.get(arn), arn).toBeDefined()
  })

  it('deleted every item with every step done: each call found what it removes', () => {
    for (const item of items()) {
      const result = results.get(item.arn)
      expect(result?.status, `${item.arn}: ${result?.error}`).toBe('deleted')
      expect(result?.steps.map((s) => `${s.action} ${s.status}`), item.arn).toEqual(item.steps.map((s) => `${s.action} done`))
    }
  })

  it('emptied the versioned bucket over two listing pages, multipart upload included', () => {
    const empty = results.get(arnOf.versioned)?.steps[0]
    expect(empty?.detail).toBe(`deleted ${VERSION_ENTRIES.toLocaleString('en-US')} object versions and aborted 1 incomplete multipart upload in bucket sbx-versioned; it is empty`)
    expect(empty?.attempts).toBe(1)
    expect(results.get(arnOf.plain)?.steps[0]?.detail).toBe('deleted 3 object versions in bucket sbx-plain-west; it is empty')
  })

  it('leaves nothing behind in the emulator', async () => {
    const missing = async (call: () => Promise<unknown>) => {
      try {
        await call()
        return 'exists'
      } catch (error) {
        return (error as Error).name
      }
    }

    const lambda = new Lambda({endpoint: emulator.url, region: EAST, credentials: seedCredentials, maxAttempts: 2})
    const west3 = new S3({endpoint: emulator.url, region: WEST, credentials: seedCredentials, maxAttempts: 2, forcePathStyle: true})
    try {
      expect(await missing(() => iam.getUser({UserName: 'sbx-bob'}))).toBe('NoSuchEntityException')
      expect(await missing(() => iam.getGroup({GroupName: 'sbx-devs'}))).toBe('NoSuchEntityException')
      expect(await missing(() => iam.getRole({RoleName: 'sbx-app-role'}))).toBe('NoSuchEntityException')
      expect(await missing(() => iam.getPolicy({PolicyArn: arnOf.appPolicy}))).toBe('NoSuchEntityException')
      expect(await missing(() => iam.getPolicy({PolicyArn: arnOf.peoplePolicy}))).toBe('NoSuchEntityException')
      expect(await missing(() => iam.getInstanceProfile({InstanceProfileName: 'sbx-app-profile'}))).toBe('NoSuchEntityException')
      expect(await missing(() => iam.getServerCertificate({ServerCertificateName: 'sbx-legacy-cert'}))).toBe('NoSuchEntityException')
      expect((await iam.listVirtualMFADevices({})).VirtualMFADevices ?? []).toEqual([])
      expect(await missing(() => lambda.getFunction({FunctionName: 'sbx-fn'}))).toBe('ResourceNotFoundException')
      expect(await missing(() => s3.headBucket({Bucket: 'sbx-versioned'}))).toBe('NotFound')
      expect(await missing(() => west3.headBucket({Bucket: 'sbx-plain-west'}))).toBe('NotFound')

      expect((await iam.listUserTags({UserName: 'keep-carol'})).Tags).toEqual([{Key: 'keep', Value: 'yes'}])
      expect((await s3.listObjectsV2({Bucket: 'keep-bucket'})).Contents?.map((o) => o.Key)).toEqual(['keep.txt'])
    } finally {
      lambda.destroy()
      west3.destroy()
    }
  })

  it('reads a deleted resource as gone and a live one with its tags', async () => {
    for (const item of items()) expect(await deleterOf(item.type).current(contextOf(item), item), item.arn).toBeUndefined()
    const carol = planItemOf(collected.find((r) => r.id === 'keep-carol')!)
    const keep = planItemOf(collected.find((r) => r.id === 'keep-bucket')!)
    expect(await deleterOf(carol.type).current(east.delete, carol)).toEqual({tags: {keep: 'yes'}, uniqueId: carol.uniqueId})
    expect(await deleterOf(keep.type).current(east.delete, keep)).toEqual({tags: {keep: 'yes'}})
  })

  it('answers gone for every step when the plan is run again', async () => {
    for (const item of items()) {
      const again = await runPlanItem(item, contextOf(item))
      expect([again.status, again.steps.map((s) => s.status)], item.arn).toEqual(['gone', item.steps.map(() => 'gone')])
    }
  })
})
