import {
  DescribeKeyCommand,
  ScheduleKeyDeletionCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  type KeyMetadata,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {key, type KeyItem, kmsKeyEdges, rotationApplies} from '../../../../src/resources/kms/key.js'
import {testContext} from '../../../support/context.js'
import {emulatorContexts, planItemOf} from '../../../support/deleters.js'
import {collected} from '../../../support/scan.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, DEFAULT_KEY_POLICY, capturedKey} from '../../../support/rds-efs-kms-items.js'

const keyId = CAPTURED_KEY_ID
const keyArn = CAPTURED_KEY_ARN
const defaultPolicy = DEFAULT_KEY_POLICY
const captured = capturedKey()

// A multi-Region key and its replica in eu-west-1, as the emulator describes them (its `mrk-` ids carry dashes).
const mrkId = 'mrk-3a73ec7b-330f-45a0-a8d4-a9489dba9ec3'
const primaryArn = `arn:aws:kms:us-east-1:123456789012:key/${mrkId}`
const replicaArn = `arn:aws:kms:eu-west-1:123456789012:key/${mrkId}`
const multiRegionPrimary = capturedKey({
  KeyId: mrkId,
  Arn: primaryArn,
  Description: 'mrk',
  Tags: [],
  Aliases: [],
  MultiRegion: true,
  MultiRegionConfiguration: {MultiRegionKeyType: 'PRIMARY', PrimaryKey: {Arn: primaryArn, Region: 'us-east-1'}, ReplicaKeys: [{Arn: replicaArn, Region: 'eu-west-1'}]},
})
const multiRegionReplica = capturedKey({
  ...multiRegionPrimary,
  Arn: replicaArn,
  MultiRegionConfiguration: {MultiRegionKeyType: 'REPLICA', PrimaryKey: {Arn: primaryArn, Region: 'us-east-1'}, ReplicaKeys: [{Arn: replicaArn, Region: 'eu-west-1'}]},
})

/** DescribeKey's metadata for a key of the captured shape (Enabled, symmetric, no description). */
function metadata(id: string, overrides: Partial<KeyMetadata> = {}): KeyMetadata {
  // The captured item less what the spec adds to DescribeKey's answer.
  const {Tags: _tags, Aliases: _aliases, KeyPolicy: _policy, KeyRotationEnabled: _on, RotationPeriodInDays: _days, NextRotationDate: _next, ...described} = capturedKey({
    KeyId: id,
    Arn: `arn:aws:kms:us-east-1:123456789012:key/${id}`,
    Description: '',
  })
  return {...described, ...overrides}
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: status}})
}

describe('AWS::KMS::Key', () => {
  const ctx = testContext()

  it('builds the canonical resource: metadata, tags, aliases, parsed policy and rotation status', async () => {
    const resource = await key.toResource(captured, ctx)
    expect(resource).toMatchObject({
      arn: keyArn,
      type: 'AWS::KMS::Key',
      id: keyId,
      name: 'alias/app-data',
      region: 'us-east-1',
      createdAt: '2026-12-05T07:21:55.636Z',
      tags: {team: 'data'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
      KeyRotationEnabled: false,
      KeyPolicy: defaultPolicy,
      Tags: [{TagKey: 'team', TagValue: 'data'}],
      CreationDate: '2026-12-05T07:21:55.636Z',
    })
    // Fields the key does not have are left out, not stored as null.
    expect(resource.configuration).not.toHaveProperty('RotationPeriodInDays')
  })

  it('is named by its Name tag first, else its first alias, else its id', async () => {
    expect((await key.toResource({...captured, Tags: [{TagKey: 'Name', TagValue: 'payments'}]}, ctx)).name).toBe('payments')
    expect((await key.toResource({...captured, Aliases: []}, ctx)).name).toBe(keyId)
  })

  it('applies rotation to enabled symmetric keys with KMS key material only', () => {
    expect(rotationApplies(metadata('a'))).toBe(true)
    expect(rotationApplies(metadata('a', {KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048'}))).toBe(false)
    expect(rotationApplies(metadata('a', {KeySpec: 'HMAC_256', CustomerMasterKeySpec: 'HMAC_256'}))).toBe(false)
    expect(rotationApplies(metadata('a', {Origin: 'EXTERNAL'}))).toBe(false)
    expect(rotationApplies(metadata('a', {Origin: 'AWS_CLOUDHSM'}))).toBe(false)
    expect(rotationApplies(metadata('a', {KeyState: 'Disabled', Enabled: false}))).toBe(false)
    expect(rotationApplies(metadata('a', {KeyState: 'PendingDeletion', Enabled: false}))).toBe(false)
    // Older answers carry only the deprecated spec name.
    expect(rotationApplies(metadata('a', {KeySpec: undefined}))).toBe(true)
  })

  it('lists every page of customer managed keys and leaves AWS managed ones out', async () => {
    const kms = mockClient(KMSClient)
    try {
      kms.on(ListAliasesCommand).resolves({Aliases: [{AliasName: 'alias/b-name', TargetKeyId: 'k1'}, {AliasName: 'alias/a-name', TargetKeyId: 'k1'}, {AliasName: 'alias/aws/rds', TargetKeyId: 'aws1'}]})
      kms.on(ListKeysCommand).resolves({Keys: [{KeyId: 'k1'}, {KeyId: 'aws1'}], NextMarker: 'm2', Truncated: true})
      kms.on(ListKeysCommand, {Marker: 'm2'}).resolves({Keys: [{KeyId: 'k2'}], Truncated: false})
      kms.on(DescribeKeyCommand).callsFake((input: {KeyId: string}) => ({KeyMetadata: metadata(input.KeyId)}))
      kms.on(DescribeKeyCommand, {KeyId: 'aws1'}).resolves({KeyMetadata: metadata('aws1', {KeyManager: 'AWS'})})
      kms.on(ListResourceTagsCommand).resolves({Tags: [{TagKey: 'env', TagValue: 'dev'}], NextMarker: 't2', Truncated: true})
      kms.on(ListResourceTagsCommand, {KeyId: 'k1', Marker: 't2'}).resolves({Tags: [{TagKey: 'team', TagValue: 'a'}], Truncated: false})
      kms.on(ListResourceTagsCommand, {KeyId: 'k2', Marker: 't2'}).resolves({Tags: [], Truncated: false})
      kms.on(GetKeyPolicyCommand).resolves({Policy: JSON.stringify(defaultPolicy), PolicyName: 'default'})
      kms.on(GetKeyRotationStatusCommand).resolves({KeyRotationEnabled: true, RotationPeriodInDays: 365, NextRotationDate: new Date('2027-01-01T00:00:00Z')})

      const items: KeyItem[] = []
      for await (const page of key.list(ctx)) items.push(...page)

      expect(items.map((k) => k.KeyId)).toEqual(['k1', 'k2'])
      expect(items[0]).toMatchObject({
        KeyManager: 'CUSTOMER',
        Aliases: ['alias/a-name', 'alias/b-name'],
        Tags: [
          {TagKey: 'env', TagValue: 'dev'},
          {TagKey: 'team', TagValue: 'a'},
        ],
        KeyPolicy: defaultPolicy,
        KeyRotationEnabled: true,
        RotationPeriodInDays: 365,
      })
      expect(items[1]?.Aliases).toEqual([])
      // Nothing but DescribeKey is asked about the AWS managed key.
      expect(kms.commandCalls(GetKeyPolicyCommand).map((c) => c.args[0].input.KeyId)).toEqual(['k1', 'k2'])
      expect(kms.commandCalls(ListKeysCommand)).toHaveLength(2)
      expect(kms.commandCalls(GetKeyPolicyCommand)[0]?.args[0].input.PolicyName).toBe('default')
    } finally {
      kms.restore()
    }
  })

  it('leaves out a key named by an alias/aws/ alias even when DescribeKey says CUSTOMER, as the emulator does for its EBS key', async () => {
    const kms = mockClient(KMSClient)
    try {
      kms.on(ListAliasesCommand).resolves({Aliases: [{AliasName: 'alias/aws/ebs', TargetKeyId: 'ebs'}, {AliasName: 'alias/app', TargetKeyId: 'k1'}]})
      kms.on(ListKeysCommand).resolves({Keys: [{KeyId: 'ebs'}, {KeyId: 'k1'}]})
      // What moto 5.2 answers for the key it creates when an encrypted volume is given no key.
      const ebsKey = metadata('ebs', {KeyManager: 'CUSTOMER', Description: 'Default master key that protects my EBS volumes when no other key is defined'})
      kms.on(DescribeKeyCommand).callsFake((input: {KeyId: string}) => ({KeyMetadata: input.KeyId === 'ebs' ? ebsKey : metadata(input.KeyId)}))
      kms.on(ListResourceTagsCommand).resolves({Tags: [], Truncated: false})
      kms.on(GetKeyPolicyCommand).resolves({Policy: JSON.stringify(defaultPolicy), PolicyName: 'default'})
      kms.on(GetKeyRotationStatusCommand).resolves({KeyRotationEnabled: false})

      const items: KeyItem[] = []
      for await (const page of key.list(ctx)) items.push(...page)

      expect(items.map((k) => [k.KeyId, k.Aliases])).toEqual([['k1', ['alias/app']]])
      expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual(['k1'])
    } finally {
      kms.restore()
    }
  })

  it('asks for the rotation status of enabled and disabled keys rotation applies to, and keeps a key KMS refuses to answer for', async () => {
    const kms = mockClient(KMSClient)
    try {
      kms.on(ListAliasesCommand).resolves({Aliases: []})
      kms.on(ListKeysCommand).resolves({Keys: [{KeyId: 'rsa'}, {KeyId: 'pending'}, {KeyId: 'racing'}, {KeyId: 'plain'}, {KeyId: 'resting'}]})
      kms.on(DescribeKeyCommand).callsFake((input: {KeyId: string}) => ({KeyMetadata: metadata(input.KeyId)}))
      kms.on(DescribeKeyCommand, {KeyId: 'rsa'}).resolves({KeyMetadata: metadata('rsa', {KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY'})})
      kms.on(DescribeKeyCommand, {KeyId: 'pending'}).resolves({
        KeyMetadata: metadata('pending', {KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-12-12T07:21:56.255Z')}),
      })
      kms.on(DescribeKeyCommand, {KeyId: 'resting'}).resolves({KeyMetadata: metadata('resting', {KeyState: 'Disabled', Enabled: false})})
      kms.on(ListResourceTagsCommand).resolves({Tags: []})
      kms.on(GetKeyPolicyCommand).resolves({Policy: JSON.stringify(defaultPolicy)})
      kms.on(GetKeyRotationStatusCommand).resolves({KeyRotationEnabled: false})
      // Disabling a key keeps its rotation setting.
      kms.on(GetKeyRotationStatusCommand, {KeyId: 'resting'}).resolves({KeyRotationEnabled: true, RotationPeriodInDays: 365})
      // Disabled between DescribeKey and GetKeyRotationStatus.
      kms.on(GetKeyRotationStatusCommand, {KeyId: 'racing'}).rejects(awsError('KMSInvalidStateException', 400))

      const items: KeyItem[] = []
      for await (const page of key.list(ctx)) items.push(...page)

      expect(items.map((k) => [k.KeyId, k.KeyState, k.KeyRotationEnabled])).toEqual([
        ['rsa', 'Enabled', undefined],
        ['pending', 'PendingDeletion', undefined],
        ['racing', 'Enabled', undefined],
        ['plain', 'Enabled', false],
        ['resting', 'Disabled', true],
      ])
      expect(kms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input.KeyId)).toEqual(['racing', 'plain', 'resting'])
    } finally {
      kms.restore()
    }
  })

  it('skips a key deleted since it was listed and lets denials through', async () => {
    const kms = mockClient(KMSClient)
    try {
      kms.on(ListAliasesCommand).resolves({Aliases: []})
      kms.on(ListKeysCommand).resolves({Keys: [{KeyId: 'gone'}, {KeyId: 'k1'}]})
      kms.on(DescribeKeyCommand).callsFake((input: {KeyId: string}) => ({KeyMetadata: metadata(input.KeyId)}))
      kms.on(DescribeKeyCommand, {KeyId: 'gone'}).rejects(awsError('NotFoundException', 400))
      kms.on(ListResourceTagsCommand).resolves({Tags: []})
      kms.on(GetKeyPolicyCommand).resolves({Policy: JSON.stringify(defaultPolicy)})
      kms.on(GetKeyRotationStatusCommand).resolves({KeyRotationEnabled: true})
      const items: KeyItem[] = []
      for await (const page of key.list(ctx)) items.push(...page)
      expect(items.map((k) => k.KeyId)).toEqual(['k1'])

      kms.on(GetKeyRotationStatusCommand).rejects(awsError('AccessDeniedException', 400))
      await expect(key.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDeniedException'})
      kms.on(ListKeysCommand).rejects(awsError('AccessDeniedException', 400))
      await expect(key.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDeniedException'})
    } finally {
      kms.restore()
    }
  })

  it('has no edges of its own but a multi-Region replica’s to its primary, and marks the next rotation date volatile', async () => {
    expect((await collected('AWS::KMS::Key', captured)).relationships).toEqual([])
    expect((await collected('AWS::KMS::Key', multiRegionPrimary)).relationships).toEqual([])
    expect((await collected('AWS::KMS::Key', multiRegionReplica, 'eu-west-1')).relationships).toEqual([{type: 'AWS::KMS::Key', arn: primaryArn, id: mrkId, kind: 'uses'}])
    expect(key.dependsOn).toEqual(['AWS::KMS::Key'])
    expect(key.volatile).toContain('NextRotationDate')
  })

  it('reports no rotation change for a key whose rotation status was not read, and any change where both read it', async () => {
    const rotating = await key.toResource({...captured, KeyRotationEnabled: true, RotationPeriodInDays: 365, NextRotationDate: '2027-12-05T07:21:55.636Z'}, ctx)
    const {KeyRotationEnabled: _on, RotationPeriodInDays: _days, NextRotationDate: _next, ...unread} = captured
    const pending = await key.toResource({...unread, KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-12-12T07:21:56.255Z')}, ctx)
    expect(diffResource(rotating, pending, key).map((c) => [c.path, c.kind, c.category])).toEqual([
      ['DeletionDate', 'added', 'security'],
      ['Enabled', 'changed', 'security'],
      ['KeyState', 'changed', 'security'],
    ])
    const off = await key.toResource({...captured, KeyRotationEnabled: false}, ctx)
    expect(diffResource(rotating, off, key).map((c) => [c.path, c.kind, c.category])).toEqual([
      ['KeyRotationEnabled', 'changed', 'security'],
      ['RotationPeriodInDays', 'removed', 'security'],
    ])
  })

  it('compares replica keys and algorithm lists without order', async () => {
    const replicas = [
      {Arn: replicaArn, Region: 'eu-west-1'},
      {Arn: replicaArn.replace('eu-west-1', 'ap-south-1'), Region: 'ap-south-1'},
    ]
    const withReplicas = (ReplicaKeys: typeof replicas, EncryptionAlgorithms: string[]) =>
      key.toResource({...multiRegionPrimary, EncryptionAlgorithms: EncryptionAlgorithms as never, MultiRegionConfiguration: {...multiRegionPrimary.MultiRegionConfiguration, ReplicaKeys}}, ctx)
    const before = await withReplicas(replicas, ['SYMMETRIC_DEFAULT', 'SM2PKE'])
    expect(diffResource(before, await withReplicas([...replicas].reverse(), ['SM2PKE', 'SYMMETRIC_DEFAULT']), key)).toEqual([])
    expect(diffResource(before, await withReplicas([replicas[1]!], ['SYMMETRIC_DEFAULT', 'SM2PKE']), key).map((c) => [c.path, c.kind])).toEqual([
      [`MultiRegionConfiguration.ReplicaKeys[${replicaArn}]`, 'removed'],
    ])
  })

  describe('deleter', () => {
    const deleter = key.deleter!
    const ctx = emulatorContexts('http://127.0.0.1:9').delete

    it('schedules the deletion in 7 days; a primary with replicas after its last replica', async () => {
      expect(deleter.steps(await collected('AWS::KMS::Key', captured))).toEqual([
        {
          action: 'schedule-key-deletion',
          description: `Schedule the deletion of KMS key ${keyId} in 7 days (it can be cancelled until then; what is encrypted under it cannot be decrypted once it is deleted)`,
          params: {keyId, pendingWindowInDays: 7},
        },
      ])
      expect(deleter.steps(await collected('AWS::KMS::Key', multiRegionReplica, 'eu-west-1'))[0]!.description).toContain(`KMS key ${mrkId} in 7 days`)
      expect(deleter.steps(await collected('AWS::KMS::Key', multiRegionPrimary))[0]!.description).toBe(
        `Schedule the deletion of KMS key ${mrkId} 7 days after its last replica key is deleted (it can be cancelled until then; what is encrypted under it cannot be decrypted once it is deleted)`,
      )
    })

    // The emulator has no PendingReplicaDeletion state and schedules a primary whatever its replicas: mocks.
    it('holds a primary key while a replica is not scheduled for deletion, naming the replica, and schedules it once they all are', async () => {
      const kms = mockClient(KMSClient)
      try {
        const item = planItemOf(await collected('AWS::KMS::Key', multiRegionPrimary))
        const {Tags: _t, Aliases: _a, KeyPolicy: _p, KeyRotationEnabled: _r, RotationPeriodInDays: _d, NextRotationDate: _n, ...primary} = multiRegionPrimary
        kms.on(DescribeKeyCommand, {KeyId: mrkId}).resolves({KeyMetadata: primary})
        kms.on(DescribeKeyCommand, {KeyId: replicaArn}).resolves({KeyMetadata: {...primary, Arn: replicaArn, MultiRegionConfiguration: {...primary.MultiRegionConfiguration, MultiRegionKeyType: 'REPLICA'}}})
        expect(await deleter.run(ctx, item, item.steps[0]!)).toEqual({
          status: 'hold',
          detail: 'a multi-Region primary key is deleted after its replicas, and 1 of them is not scheduled for deletion',
          blockedBy: [replicaArn],
        })
        expect(kms.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(0)

        kms.on(DescribeKeyCommand, {KeyId: replicaArn}).resolves({KeyMetadata: {...primary, Arn: replicaArn, KeyState: 'PendingDeletion', DeletionDate: new Date('2026-12-12T08:50:26.842Z')}})
        kms.on(ScheduleKeyDeletionCommand).resolves({KeyId: primaryArn, KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7, $metadata: {requestId: 'req-1'}})
        expect(await deleter.run(ctx, item, item.steps[0]!)).toEqual({status: 'done', detail: 'scheduled for deletion 7 days after its last replica key is deleted', scheduled: {deletionDate: null}, requestIds: ['req-1']})
        expect(kms.commandCalls(ScheduleKeyDeletionCommand)[0]!.args[0].input).toEqual({KeyId: mrkId, PendingWindowInDays: 7})

        // Already scheduled: nothing is asked again, and the run reports when it goes.
        kms.on(DescribeKeyCommand, {KeyId: mrkId}).resolves({KeyMetadata: {...primary, KeyState: 'PendingReplicaDeletion', PendingDeletionWindowInDays: 7}})
        expect(await deleter.run(ctx, item, item.steps[0]!)).toEqual({status: 'done', detail: 'scheduled for deletion 7 days after its last replica key is deleted', scheduled: {deletionDate: null}})
        expect(kms.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(1)
        await expect(deleter.run(ctx, item, {action: 'disable-key', description: '', params: {keyId: mrkId}})).rejects.toThrow('AWS::KMS::Key has no step disable-key')
      } finally {
        kms.restore()
      }
    })
  })
})

describe('kmsKeyEdges', () => {
  const resource = {arn: 'arn:aws:rds:eu-west-1:123456789012:db:orders', region: 'eu-west-1', accountId: '123456789012'}

  it('keeps key ARNs (any account), builds ARNs for bare key ids, names customer aliases and skips AWS managed ones', () => {
    const crossAccount = 'arn:aws:kms:eu-west-1:444455556666:key/0b3f5a4e-1111-2222-3333-444455556666'
    const values = [keyArn, crossAccount, keyId, 'mrk-1234abcd12ab34cd56ef1234567890ab', 'alias/aws/rds', 'arn:aws:kms:eu-west-1:123456789012:alias/aws/sqs', 'arn:aws:kms:eu-west-1:123456789012:alias/app', 'alias/data', undefined, '']
    expect(kmsKeyEdges(resource, values, 'uses')).toEqual([
      {type: 'AWS::KMS::Key', arn: keyArn, id: keyId, kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: crossAccount, id: '0b3f5a4e-1111-2222-3333-444455556666', kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: `arn:aws:kms:eu-west-1:123456789012:key/${keyId}`, id: keyId, kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab', id: 'mrk-1234abcd12ab34cd56ef1234567890ab', kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: 'arn:aws:kms:eu-west-1:123456789012:alias/app', id: 'alias/app', kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: 'arn:aws:kms:eu-west-1:123456789012:alias/data', id: 'alias/data', kind: 'uses'},
    ])
  })
})
