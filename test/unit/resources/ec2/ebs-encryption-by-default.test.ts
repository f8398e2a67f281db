import {EC2Client, GetEbsDefaultKmsKeyIdCommand, GetEbsEncryptionByDefaultCommand} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {type EbsEncryptionByDefaultItem, ebsEncryptionByDefault} from '../../../../src/resources/ec2/ebs-encryption-by-default.js'
import {testContext} from '../../../support/context.js'

/**
 * What the SDK throws for the emulator's HTML 500 page, which is all moto 5.2 answers to GetEbsDefaultKmsKeyId
 * (it does not implement the call).
 */
const htmlPage500 = () =>
  Object.assign(
    new Error('@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
    {$metadata: {httpStatusCode: 500, attempts: 5}},
  )

describe('Account::EC2::EbsEncryptionByDefault', () => {
  const ec2 = mockClient(EC2Client)
  afterEach(() => ec2.reset())
  afterAll(() => ec2.restore())

  async function listAll(region = 'eu-west-1'): Promise<EbsEncryptionByDefaultItem[]> {
    const items: EbsEncryptionByDefaultItem[] = []
    for await (const page of ebsEncryptionByDefault.list(testContext({region}))) items.push(...page)
    return items
  }

  it('is one regional setting per region, with a pseudo-ARN naming the region', async () => {
    const item: EbsEncryptionByDefaultItem = {EbsEncryptionByDefault: true, SseType: 'sse-ebs', KmsKeyId: 'alias/aws/ebs'}
    expect(await ebsEncryptionByDefault.toResource(item, testContext({region: 'eu-west-1'}))).toEqual({
      arn: 'arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default',
      type: 'Account::EC2::EbsEncryptionByDefault',
      id: '123456789012',
      name: 'ebs-encryption-by-default',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {},
      configuration: item,
      source: 'api',
      relationships: [],
    })
    expect(ebsEncryptionByDefault).toMatchObject({scope: 'regional', untagged: true, singleton: true})
  })

  it('reads the default and the default KMS key', async () => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({EbsEncryptionByDefault: true, SseType: 'sse-ebs'})
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/0b5c1d2e-aaaa-bbbb-cccc-1234567890ab'})
    expect(await listAll()).toEqual([
      {EbsEncryptionByDefault: true, SseType: 'sse-ebs', KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/0b5c1d2e-aaaa-bbbb-cccc-1234567890ab'},
    ])
  })

  it('keeps the setting with the key unknown where the endpoint does not implement GetEbsDefaultKmsKeyId (the emulator)', async () => {
    // The emulator's own answer to GetEbsEncryptionByDefault.
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({EbsEncryptionByDefault: false})
    ec2.on(GetEbsDefaultKmsKeyIdCommand).rejects(htmlPage500())
    const items = await listAll('us-east-1')
    expect(items).toEqual([{EbsEncryptionByDefault: false, SseType: undefined, KmsKeyId: null}])
    expect((await ebsEncryptionByDefault.toResource(items[0]!, testContext())).configuration).toEqual({EbsEncryptionByDefault: false, KmsKeyId: null})
  })

  it('fails the cell when reading the key is denied or AWS errs', async () => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({EbsEncryptionByDefault: true})
    ec2.on(GetEbsDefaultKmsKeyIdCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), {name: 'UnauthorizedOperation', $metadata: {httpStatusCode: 403}}))
    await expect(listAll()).rejects.toMatchObject({name: 'UnauthorizedOperation'})
    ec2.on(GetEbsDefaultKmsKeyIdCommand).rejects(Object.assign(new Error('We encountered an internal error.'), {name: 'InternalError', $metadata: {httpStatusCode: 500}}))
    await expect(listAll()).rejects.toMatchObject({name: 'InternalError'})
  })
})
