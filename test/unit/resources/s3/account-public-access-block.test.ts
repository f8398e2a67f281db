import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'
import {GetPublicAccessBlockCommand, NoSuchPublicAccessBlockConfiguration, S3ControlClient} from '@aws-sdk/client-s3-control'
import {mockClient} from 'aws-sdk-client-mock'
import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {type AccountPublicAccessBlockItem, accountPublicAccessBlock} from '../../../../src/resources/s3/account-public-access-block.js'
import {testContext} from '../../../support/context.js'
import {expectParity} from '../../../support/parity.js'

/** Captured from the emulator (moto 5.2) after PutPublicAccessBlock: what accountPublicAccessBlock.list() yields. */
const direct: AccountPublicAccessBlockItem = {
  PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true},
}

/** The same setting's BatchGetResourceConfig item from the emulator: recorded in a real region, the flags camelCase. */
const motoItem: BaseConfigurationItem = {
  version: '1.3',
  accountId: '123456789012',
  configurationItemCaptureTime: new Date('2026-12-05T07:24:05.165Z'),
  configurationItemStatus: 'OK',
  configurationStateId: '1796455445',
  resourceType: 'AWS::S3::AccountPublicAccessBlock',
  resourceId: '123456789012',
  awsRegion: 'us-east-1',
  availabilityZone: 'Not Applicable',
  configuration: '{"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": false, "restrictPublicBuckets": true}',
  supplementaryConfiguration: {},
}

describe('AWS::S3::AccountPublicAccessBlock', () => {
  const ctx = testContext({region: 'us-east-1'})
  const s3control = mockClient(S3ControlClient)
  afterEach(() => s3control.reset())
  afterAll(() => s3control.restore())

  async function listAll(): Promise<AccountPublicAccessBlockItem[]> {
    const items: AccountPublicAccessBlockItem[] = []
    for await (const page of accountPublicAccessBlock.list(ctx)) items.push(...page)
    return items
  }

  it('is one global, untagged setting with a stable pseudo-ARN and the four flags', async () => {
    expect(await accountPublicAccessBlock.toResource(direct, ctx)).toEqual({
      arn: 'arn:aws:s3::123456789012:account-public-access-block',
      type: 'AWS::S3::AccountPublicAccessBlock',
      id: '123456789012',
      name: 'account-public-access-block',
      region: 'global',
      accountId: '123456789012',
      createdAt: null,
      tags: {},
      configuration: direct,
      source: 'api',
      relationships: [],
    })
    expect(accountPublicAccessBlock).toMatchObject({scope: 'global', untagged: true, singleton: true})
  })

  it('asks S3 Control for the account\'s block, and says "none configured" explicitly', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({PublicAccessBlockConfiguration: direct.PublicAccessBlockConfiguration!})
    expect(await listAll()).toEqual([direct])
    expect(s3control.commandCalls(GetPublicAccessBlockCommand)[0]?.args[0].input).toEqual({AccountId: '123456789012'})

    s3control.on(GetPublicAccessBlockCommand).rejects(new NoSuchPublicAccessBlockConfiguration({message: 'The public access block configuration was not found', $metadata: {httpStatusCode: 404}}))
    const none = await listAll()
    expect(none).toEqual([{PublicAccessBlockConfiguration: null}])
    expect((await accountPublicAccessBlock.toResource(none[0]!, ctx)).configuration).toEqual({PublicAccessBlockConfiguration: null})
  })

  it('stores a flag S3 leaves out as off', async () => {
    const resource = await accountPublicAccessBlock.toResource({PublicAccessBlockConfiguration: {BlockPublicAcls: true}}, ctx)
    expect(resource.configuration).toEqual({
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false},
    })
  })

  it('lets a denial through', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(Object.assign(new Error('Access Denied'), {name: 'AccessDenied', $metadata: {httpStatusCode: 403}}))
    await expect(listAll()).rejects.toMatchObject({name: 'AccessDenied'})
  })
})

describe('AWS::S3::AccountPublicAccessBlock: parity with AWS Config', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('gives the same resource from the emulator\'s Config item as from S3 Control, stored in global', async () => {
    expectParity(await accountPublicAccessBlock.toResource(direct, ctx), accountPublicAccessBlock.fromConfigItem?.(motoItem, ctx))
  })

  it('reads an item recorded in another region or account (an aggregator) as that account\'s one global setting', async () => {
    const other = testContext({region: 'eu-west-1', accountId: '444455556666'})
    const api = await accountPublicAccessBlock.toResource(
      {PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}},
      other,
    )
    const config = accountPublicAccessBlock.fromConfigItem?.(
      {
        ...motoItem,
        accountId: '444455556666',
        resourceId: '444455556666',
        awsRegion: 'ap-southeast-2',
        configuration: '{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true}',
      },
      ctx,
    )
    expectParity(api, config)
    expect(config).toMatchObject({arn: 'arn:aws:s3::444455556666:account-public-access-block', region: 'global', accountId: '444455556666'})
  })

  it('gives nothing for a deleted block (the cell then reads the direct API, which says none is configured)', () => {
    expect(accountPublicAccessBlock.fromConfigItem?.({...motoItem, configurationItemStatus: 'ResourceDeleted'}, ctx)).toBeUndefined()
  })
})
