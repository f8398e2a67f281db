import {ListSecretsCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {secret, type SecretItem} from '../../../../src/resources/secretsmanager/secret.js'
import {awsError} from '../../../support/aws-error.js'
import {testContext} from '../../../support/context.js'
import {collected} from '../../../support/scan.js'

/** Captured from the emulator (moto 5.2): what secret.list() yields for a secret without rotation. */
const plain: SecretItem = {
  ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/plain-nNEEUW',
  Name: 'app/plain',
  Description: 'API token',
  LastChangedDate: new Date('2026-12-05T07:25:59.000Z'),
  Tags: [{Key: 'team', Value: 'payments'}],
  SecretVersionsToStages: {'5e94961c-a097-4fba-b233-4d42c6df60db': ['AWSCURRENT']},
  CreatedDate: new Date('2026-12-05T07:25:59.000Z'),
}

/** Captured from the emulator: a secret rotated every 30 days (moto rotates without a function). */
const rotated: SecretItem = {
  ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-ZXHTMo',
  Name: 'app/db',
  KmsKeyId: 'alias/app',
  RotationEnabled: true,
  RotationLambdaARN: '',
  RotationRules: {AutomaticallyAfterDays: 30},
  LastRotatedDate: new Date('2026-12-05T07:25:59.000Z'),
  LastChangedDate: new Date('2026-12-05T07:25:59.000Z'),
  NextRotationDate: new Date('2027-01-04T07:25:59.000Z'),
  SecretVersionsToStages: {'828514ee-df8a-48ad-bc3d-95f8338f57a6': ['AWSPREVIOUS'], '19998f8e-41d8-4edc-8937-4d21a0aceb17': ['AWSCURRENT']},
  CreatedDate: new Date('2026-12-05T07:25:59.000Z'),
}

/** Captured from the emulator: a secret replicated from us-east-1, as ListSecrets lists it in eu-west-1. */
const replica: SecretItem = {
  ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/rep-Heluqx',
  Name: 'app/rep',
  LastChangedDate: new Date('2026-12-05T08:50:21.000Z'),
  SecretVersionsToStages: {'9e37a941-a2cc-4ecb-89b5-080dbba0c7b6': ['AWSCURRENT']},
  CreatedDate: new Date('2026-12-05T08:50:21.000Z'),
  PrimaryRegion: 'us-east-1',
}

describe('AWS::SecretsManager::Secret', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource from the listing: metadata only, ARN as id, no version ids', async () => {
    const resource = await secret.toResource(plain, ctx)
    expect(resource).toMatchObject({
      arn: plain.ARN,
      type: 'AWS::SecretsManager::Secret',
      id: plain.ARN,
      name: 'app/plain',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: '2026-12-05T07:25:59.000Z',
      tags: {team: 'payments'},
      source: 'api',
    })
    expect(resource.configuration).toEqual({
      ARN: plain.ARN,
      Name: 'app/plain',
      Description: 'API token',
      LastChangedDate: '2026-12-05T07:25:59.000Z',
      CreatedDate: '2026-12-05T07:25:59.000Z',
      Tags: [{Key: 'team', Value: 'payments'}],
    })
    expect(secret.relationships?.(resource)).toEqual([])
    // AWS Config's documented item lacks the dates (LastRotatedDate, CreatedDate…): the direct API is used.
    expect(secret.fromConfigItem).toBeUndefined()
  })

  it('keeps the rotation settings and dates, and marks the access and next-rotation dates volatile', async () => {
    const resource = await secret.toResource(rotated, ctx)
    expect(resource.configuration).toEqual({
      ARN: rotated.ARN,
      Name: 'app/db',
      KmsKeyId: 'alias/app',
      RotationEnabled: true,
      RotationLambdaARN: '',
      RotationRules: {AutomaticallyAfterDays: 30},
      LastRotatedDate: '2026-12-05T07:25:59.000Z',
      LastChangedDate: '2026-12-05T07:25:59.000Z',
      NextRotationDate: '2027-01-04T07:25:59.000Z',
      CreatedDate: '2026-12-05T07:25:59.000Z',
      Tags: [],
    })
    expect(secret.volatile).toEqual(['LastAccessedDate', 'NextRotationDate'])
    expect(secret.volatile).not.toContain('LastChangedDate')
  })

  it('edges a secret to its rotation function, without the function version or alias, and to its KMS key', async () => {
    const resource = await secret.toResource({...rotated, RotationLambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:rotate-db:live'}, ctx)
    expect(secret.relationships?.(resource)).toEqual([
      {type: 'AWS::Lambda::Function', arn: 'arn:aws:lambda:us-east-1:123456789012:function:rotate-db', kind: 'uses'},
      // Named by an alias: cleanup resolves it to the key the alias points at.
      {type: 'AWS::KMS::Key', arn: 'arn:aws:kms:us-east-1:123456789012:alias/app', id: 'alias/app', kind: 'uses'},
    ])
    expect(secret.dependsOn).toEqual(['AWS::Lambda::Function', 'AWS::SecretsManager::Secret', 'AWS::KMS::Key'])
  })

  it('keeps a secret scheduled for deletion, with its deletion date (captured from the emulator)', async () => {
    const resource = await secret.toResource(
      {
        ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:todelete-ExfubS',
        Name: 'todelete',
        LastChangedDate: new Date('2026-12-05T07:20:45.000Z'),
        DeletedDate: new Date('2026-12-12T07:20:45.046Z'),
        SecretVersionsToStages: {'b63e7110-1c35-4e95-9b8e-485f474098a5': ['AWSCURRENT']},
        CreatedDate: new Date('2026-12-05T07:20:45.000Z'),
      },
      ctx,
    )
    expect(resource.configuration).toMatchObject({DeletedDate: '2026-12-12T07:20:45.046Z'})
  })

  it('lists every page, secrets scheduled for deletion included, and never asks for a value', async () => {
    const sm = mockClient(SecretsManagerClient)
    try {
      sm.on(ListSecretsCommand).resolves({SecretList: [plain], NextToken: 'page-2'})
      sm.on(ListSecretsCommand, {NextToken: 'page-2'}).resolves({SecretList: [rotated]})
      const items: SecretItem[] = []
      for await (const page of secret.list(ctx)) items.push(...page)
      expect(items.map((s) => s.Name)).toEqual(['app/plain', 'app/db'])
      const calls = sm.calls()
      expect(calls).toHaveLength(2)
      expect(sm.commandCalls(ListSecretsCommand)[0]?.args[0].input).toMatchObject({IncludePlannedDeletion: true})
    } finally {
      sm.restore()
    }
  })

  it('lets a denial through, so the cell is recorded as denied', async () => {
    const sm = mockClient(SecretsManagerClient)
    try {
      sm.on(ListSecretsCommand).rejects(awsError('AccessDeniedException', 400))
      await expect(secret.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDeniedException'})
    } finally {
      sm.restore()
    }
  })

  it('edges a replica to its primary secret, in the primary’s region; a secret that names its own region as primary is no replica', async () => {
    const primaryArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/rep-Heluqx'
    expect((await collected('AWS::SecretsManager::Secret', replica, 'eu-west-1')).relationships).toEqual([{type: 'AWS::SecretsManager::Secret', arn: primaryArn, kind: 'uses'}])
    expect((await collected('AWS::SecretsManager::Secret', {...replica, ARN: primaryArn}, 'us-east-1')).relationships).toEqual([])
    expect(secret.dependsOn).toContain('AWS::SecretsManager::Secret')
  })

  describe('deleter', () => {
    const deleter = secret.deleter!

    it('schedules the deletion of a secret with a 7-day recovery window, never forced', async () => {
      expect(deleter.steps(await collected('AWS::SecretsManager::Secret', plain))).toEqual([
        {action: 'delete-secret', description: 'Schedule the deletion of secret app/plain in 7 days (it can be restored until then)', params: {secretId: plain.ARN!, recoveryWindowInDays: 7}},
      ])
    })

    it('removes a replica from its primary’s replication, in the primary’s region', async () => {
      expect(deleter.steps(await collected('AWS::SecretsManager::Secret', replica, 'eu-west-1'))).toEqual([
        {
          action: 'remove-regions-from-replication',
          description:
            'Remove the replica of secret app/rep in eu-west-1 from the replication of its primary arn:aws:secretsmanager:us-east-1:123456789012:secret:app/rep-Heluqx: the replica is deleted at once',
          params: {secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/rep-Heluqx', primaryRegion: 'us-east-1', regions: ['eu-west-1']},
        },
      ])
    })
  })
})
