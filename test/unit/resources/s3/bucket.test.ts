import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {bucket, type BucketItem} from '../../../../src/resources/s3/bucket.js'
import type {CollectContext} from '../../../../src/resources/types.js'
import {testContext} from '../../../support/context.js'

function awsError(name: string): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: name === 'AccessDenied' ? 403 : 404}})
}

async function collectAll(ctx: CollectContext): Promise<BucketItem[]> {
  const items: BucketItem[] = []
  for await (const page of bucket.list(ctx)) items.push(...page)
  return items
}

describe('AWS::S3::Bucket', () => {
  it('builds the canonical resource from the assembled bucket', async () => {
    const ctx = testContext({region: 'eu-west-1', partition: 'aws-cn'})
    const resource = await bucket.toResource(
      {
        Name: 'logs-bucket',
        CreationDate: new Date('2024-03-01T10:00:00Z'),
        BucketRegion: 'eu-west-1',
        Tags: [
          {Key: 'Name', Value: 'not the name'},
          {Key: 'env', Value: 'dev'},
        ],
        PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true},
        Policy: {Version: '2012-10-17', Statement: [{Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*'}]},
        ServerSideEncryptionConfiguration: {Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'AES256'}}]},
        Versioning: {Status: 'Enabled'},
        Logging: {},
      },
      ctx,
    )
    expect(resource).toMatchObject({
      arn: 'arn:aws-cn:s3:::logs-bucket',
      type: 'AWS::S3::Bucket',
      id: 'logs-bucket',
      name: 'logs-bucket',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: '2024-03-01T10:00:00.000Z',
      tags: {Name: 'not the name', env: 'dev'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({
      CreationDate: '2024-03-01T10:00:00.000Z',
      Policy: {Statement: [{Effect: 'Deny'}]},
      Versioning: {Status: 'Enabled'},
      Logging: {},
    })
    expect(bucket.relationships).toBeUndefined()
  })

  describe('list', () => {
    const s3 = mockClient(S3Client)
    beforeEach(() => {
      s3.reset()
      s3.on(ListBucketsCommand).resolves({
        Buckets: [
          {Name: 'east', CreationDate: new Date('2024-01-01T00:00:00Z'), BucketRegion: 'us-east-1'},
          {Name: 'legacy-east', CreationDate: new Date('2024-01-02T00:00:00Z')},
          {Name: 'legacy-eu', CreationDate: new Date('2024-01-03T00:00:00Z')},
          {Name: 'west', CreationDate: new Date('2024-01-04T00:00:00Z'), BucketRegion: 'eu-west-1'},
        ],
      })
      s3.on(GetBucketLocationCommand, {Bucket: 'legacy-east'}).resolves({})
      s3.on(GetBucketLocationCommand, {Bucket: 'legacy-eu'}).resolves({LocationConstraint: 'EU'})
      s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet'))
      s3.on(GetBucketTaggingCommand, {Bucket: 'east'}).resolves({TagSet: [{Key: 'env', Value: 'dev'}]})
      s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration'))
      s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy'))
      s3.on(GetBucketPolicyCommand, {Bucket: 'east'}).resolves({Policy: '{"Version":"2012-10-17","Statement":[]}'})
      s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'))
      s3.on(GetBucketVersioningCommand).resolves({})
      s3.on(GetBucketLoggingCommand).resolves({})
    })
    afterEach(() => s3.reset())

    it('lists once per run and describes only the buckets of the region collected', async () => {
      const memo = new Map<string, Promise<unknown>>()
      const shared = <T>(key: string, load: () => Promise<T>): Promise<T> => {
        if (!memo.has(key)) memo.set(key, load())
        return memo.get(key) as Promise<T>
      }

      const regions = ['us-east-1', 'eu-west-1']
      const east = await collectAll(testContext({region: 'us-east-1', regions, shared}))
      const west = await collectAll(testContext({region: 'eu-west-1', regions, shared}))

      expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(1)
      // Only buckets without BucketRegion need a location lookup.
      expect(s3.commandCalls(GetBucketLocationCommand).map((c) => c.args[0].input.Bucket).sort()).toEqual(['legacy-east', 'legacy-eu'])
      expect(east.map((b) => [b.Name, b.BucketRegion])).toEqual([
        ['east', 'us-east-1'],
        ['legacy-east', 'us-east-1'],
      ])
      expect(west.map((b) => [b.Name, b.BucketRegion])).toEqual([
        ['legacy-eu', 'eu-west-1'],
        ['west', 'eu-west-1'],
      ])
      expect(s3.commandCalls(GetBucketTaggingCommand)).toHaveLength(4)

      const [first] = east
      expect(first).toMatchObject({Tags: [{Key: 'env', Value: 'dev'}], Policy: {Version: '2012-10-17', Statement: []}})
      expect(first?.PublicAccessBlockConfiguration).toBeUndefined()
      expect(first?.ServerSideEncryptionConfiguration).toBeUndefined()
      expect(east[1]).toMatchObject({Tags: []})
      expect(east[1]?.Policy).toBeUndefined()
    })

    it('lets other errors through, so the cell is recorded as denied', async () => {
      s3.on(GetBucketPolicyCommand, {Bucket: 'east'}).rejects(awsError('AccessDenied'))
      await expect(collectAll(testContext({region: 'us-east-1'}))).rejects.toMatchObject({name: 'AccessDenied'})
    })

    it('skips a bucket deleted since it was listed', async () => {
      s3.on(GetBucketVersioningCommand, {Bucket: 'east'}).rejects(awsError('NoSuchBucket'))
      const items = await collectAll(testContext({region: 'us-east-1'}))
      expect(items.map((b) => b.Name)).toEqual(['legacy-east'])
    })
  })
})
