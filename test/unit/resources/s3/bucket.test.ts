import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  type ListObjectVersionsCommandOutput,
  ListObjectVersionsCommand,
  S3,
  S3Client,
} from '@aws-sdk/client-s3'
import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {runItemSteps} from '../../../../src/cleanup/run-item.js'
import {bucket, type BucketItem, emptyBucket} from '../../../../src/resources/s3/bucket.js'
import type {CollectContext, Resource} from '../../../../src/resources/types.js'
import {canonicalJson, sha256} from '../../../../src/store/hash.js'
import {testContext} from '../../../support/context.js'
import {collected} from '../../../support/scan.js'

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
    // SSE-S3 names no key: no edge. Default encryption with a KMS key uses it.
    expect(bucket.relationships?.(resource)).toEqual([])
    const kms = {...resource, configuration: {...resource.configuration, ServerSideEncryptionConfiguration: {Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws-cn:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'}}]}}}
    expect(bucket.relationships?.(kms)).toEqual([{type: 'AWS::KMS::Key', arn: 'arn:aws-cn:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', id: '1234abcd-12ab-34cd-56ef-1234567890ab', kind: 'uses'}])
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

describe('AWS::S3::Bucket: parity with AWS Config', () => {
  const ctx = testContext({region: 'us-east-1'})

  /** Captured from the emulator (moto 5.2): what bucket.list() yields for a bucket with tags, policy, public access block and logging. */
  const direct: BucketItem = {
    Name: 'parity-rich',
    CreationDate: new Date('2026-11-25T02:29:27.000Z'),
    BucketRegion: 'us-east-1',
    Tags: [
      {Key: 'team', Value: 'platform'},
      {Key: 'env', Value: 'dev'},
      {Key: 'Name', Value: 'Rich bucket'},
    ],
    PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false},
    Policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecure',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::parity-rich', 'arn:aws:s3:::parity-rich/*'],
          Condition: {Bool: {'aws:SecureTransport': 'false'}},
        },
      ],
    },
    Versioning: {},
    Logging: {LoggingEnabled: {TargetBucket: 'parity-logs', TargetPrefix: 'rich/'}},
  }

  const policyText = JSON.stringify(direct.Policy, null, 2)

  /**
   * The same bucket's BatchGetResourceConfig item from the emulator, trimmed (ACL left out), with its
   * timestamps as the SDK returns them (Date; the emulator writes them as text the SDK cannot parse).
   */
  const motoItem: BaseConfigurationItem = {
    version: '1.3',
    accountId: '123456789012',
    configurationItemCaptureTime: new Date('2026-11-25T02:29:27.698Z'),
    configurationItemStatus: 'ResourceDiscovered',
    configurationStateId: '1795573792',
    arn: 'arn:aws:s3:::parity-rich',
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'parity-rich',
    resourceName: 'parity-rich',
    awsRegion: 'us-east-1',
    availabilityZone: 'Regional',
    resourceCreationTime: new Date('2026-11-25T02:29:27.698Z'),
    configuration: '{"name": "parity-rich", "owner": {"id": "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"}, "creationDate": "2026-11-25T02:29:27.698376+00:00"}',
    supplementaryConfiguration: {
      PublicAccessBlockConfiguration: '{"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": false}',
      BucketTaggingConfiguration: '{"tagSets": [{"tags": {"team": "platform", "env": "dev", "Name": "Rich bucket"}}]}',
      BucketAccelerateConfiguration: '{"status": null}',
      BucketLoggingConfiguration: '{"destinationBucketName": "parity-logs", "logFilePrefix": "rich/"}',
      BucketPolicy: JSON.stringify({policyText}),
      IsRequesterPaysEnabled: 'false',
      BucketNotificationConfiguration: '{"configurations": {}}',
    },
  }

  function expectParity(api: Resource, config: Resource | undefined): void {
    expect(config).toBeDefined()
    expect(config?.configuration).toEqual(api.configuration)
    const identity = (r: Resource | undefined) => r && {arn: r.arn, id: r.id, name: r.name, region: r.region, accountId: r.accountId, tags: r.tags, createdAt: r.createdAt}
    expect(identity(config)).toEqual(identity(api))
    expect(sha256(canonicalJson(config?.configuration))).toBe(sha256(canonicalJson(api.configuration)))
    expect(config?.source).toBe('config')
  }

  it('gives the same resource from the emulator’s Config item as from the direct calls', async () => {
    const api = await bucket.toResource(direct, ctx)
    const config = bucket.fromConfigItem?.(motoItem, ctx)
    expectParity(api, config)
    expect(config?.configuration).toMatchObject({
      BucketRegion: 'us-east-1',
      CreationDate: '2026-11-25T02:29:27.000Z',
      Logging: {LoggingEnabled: {TargetBucket: 'parity-logs', TargetPrefix: 'rich/'}},
      Tags: [
        {Key: 'Name', Value: 'Rich bucket'},
        {Key: 'env', Value: 'dev'},
        {Key: 'team', Value: 'platform'},
      ],
    })
  })

  it('maps the documented real-AWS item: versioning, default encryption, empty logging and policy', async () => {
    const api = await bucket.toResource(
      {
        Name: 'secure-bucket',
        CreationDate: new Date('2023-06-01T12:00:00Z'),
        BucketRegion: 'eu-west-1',
        Tags: [],
        ServerSideEncryptionConfiguration: {
          Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/k1'}, BucketKeyEnabled: true}],
        },
        Versioning: {Status: 'Enabled', MFADelete: 'Disabled'},
        // Fields Config does not record are dropped from the direct side.
        Logging: {LoggingEnabled: {TargetBucket: 'logs', TargetPrefix: '', TargetGrants: [{Permission: 'READ'}], TargetObjectKeyFormat: {SimplePrefix: {}}}},
      },
      testContext({region: 'eu-west-1', accountId: '111122223333'}),
    )
    const config = bucket.fromConfigItem?.(
      {
        accountId: '111122223333',
        configurationItemStatus: 'OK',
        arn: 'arn:aws:s3:::secure-bucket',
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'secure-bucket',
        resourceName: 'secure-bucket',
        awsRegion: 'eu-west-1',
        resourceCreationTime: new Date('2023-06-01T12:00:00Z'),
        configuration: '{"name":"secure-bucket","owner":{"displayName":null,"id":"abc"},"creationDate":"2023-06-01T12:00:00.000Z"}',
        supplementaryConfiguration: {
          BucketVersioningConfiguration: '{"status":"Enabled","isMfaDeleteEnabled":false}',
          ServerSideEncryptionConfiguration:
            '{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"aws:kms","kmsMasterKeyID":"arn:aws:kms:eu-west-1:111122223333:key/k1"},"bucketKeyEnabled":true}]}',
          BucketLoggingConfiguration: '{"destinationBucketName":"logs","logFilePrefix":null}',
          BucketPolicy: '{"policyText":null}',
          IsRequesterPaysEnabled: 'false',
        },
      },
      // An aggregator returns other accounts' items: account and region come from the item.
      testContext({region: 'us-east-1'}),
    )
    expectParity(api, config)
    expect(config?.configuration).toMatchObject({
      Versioning: {Status: 'Enabled'},
      Logging: {LoggingEnabled: {TargetBucket: 'logs', TargetPrefix: ''}},
      ServerSideEncryptionConfiguration: {Rules: [{BucketKeyEnabled: true}]},
    })
    expect(config?.configuration.Policy).toBeUndefined()
  })

  it('reads `Off` versioning and false flags as the direct calls’ absent values', async () => {
    const api = await bucket.toResource(
      {
        Name: 'plain',
        CreationDate: new Date('2023-06-01T12:00:00Z'),
        BucketRegion: 'us-east-1',
        Tags: [],
        ServerSideEncryptionConfiguration: {Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'AES256'}, BucketKeyEnabled: false}]},
        Versioning: {},
        Logging: {},
      },
      ctx,
    )
    const config = bucket.fromConfigItem?.(
      {
        accountId: '123456789012',
        configurationItemStatus: 'OK',
        arn: 'arn:aws:s3:::plain',
        resourceName: 'plain',
        awsRegion: 'us-east-1',
        resourceCreationTime: new Date('2023-06-01T12:00:00Z'),
        configuration: '{"name":"plain","creationDate":"2023-06-01T12:00:00.000Z"}',
        supplementaryConfiguration: {
          BucketVersioningConfiguration: '{"status":"Off","isMfaDeleteEnabled":null}',
          ServerSideEncryptionConfiguration: '{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256","kmsMasterKeyID":null},"bucketKeyEnabled":false}]}',
          BucketLoggingConfiguration: '{"destinationBucketName":null,"logFilePrefix":null}',
        },
      },
      ctx,
    )
    expectParity(api, config)
  })

  it('gives nothing for a deleted bucket', () => {
    expect(bucket.fromConfigItem?.({...motoItem, configurationItemStatus: 'ResourceDeleted'}, ctx)).toBeUndefined()
    expect(bucket.fromConfigItem?.({...motoItem, configurationItemStatus: 'ResourceDeletedNotRecorded'}, ctx)).toBeUndefined()
  })
})

describe('AWS::S3::Bucket deleter', () => {
  const owner = {DisplayName: 'webfile', ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a'}
  const modified = new Date('2026-12-05T08:46:34.000Z')
  // ListObjectVersions entries in the emulator's shapes (moto 5.2): versions, delete markers, and the
  // `null` version of an object written while versioning was off.
  const version = (Key: string, VersionId: string) => ({ETag: '"9dd4e461268c8034f5c8564e155c67a6"', Size: 1, StorageClass: 'STANDARD' as const, Key, VersionId, IsLatest: false, LastModified: modified, Owner: owner})
  const marker = (Key: string, VersionId: string) => ({Owner: owner, Key, VersionId, IsLatest: true, LastModified: modified})
  const key = (i: number) => `logs/${String(i).padStart(4, '0')}.json`
  // 600 objects with a version and a delete marker each fill the first page exactly.
  const firstPage: ListObjectVersionsCommandOutput = {
    $metadata: {requestId: 'list-1'},
    Name: 'sbx-data',
    MaxKeys: 1000,
    IsTruncated: true,
    Versions: Array.from({length: 600}, (_, i) => version(key(i), `v-${i}`)),
    DeleteMarkers: Array.from({length: 400}, (_, i) => marker(key(i), `m-${i}`)),
    NextKeyMarker: key(599),
    NextVersionIdMarker: 'v-599',
  }
  const secondPage: ListObjectVersionsCommandOutput = {
    $metadata: {requestId: 'list-2'},
    Name: 'sbx-data',
    MaxKeys: 1000,
    IsTruncated: false,
    Versions: [version(key(600), 'v-600'), version('readme.txt', 'null')],
    DeleteMarkers: [marker(key(601), 'm-601')],
  }
  const emptyPage: ListObjectVersionsCommandOutput = {$metadata: {requestId: 'list-3'}, Name: 'sbx-data', MaxKeys: 1000, IsTruncated: false}

  let s3: AwsClientStub<S3Client>
  const client = () => new S3({region: 'eu-west-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}})
  const signal = new AbortController().signal
  beforeEach(() => {
    s3 = mockClient(S3Client)
    // A fresh listing gives the first page, then (everything being deleted) nothing.
    s3.on(ListObjectVersionsCommand).resolvesOnce(firstPage).resolves(emptyPage)
    s3.on(ListObjectVersionsCommand, {KeyMarker: key(599), VersionIdMarker: 'v-599'}).resolves(secondPage)
    s3.on(DeleteObjectsCommand).resolves({$metadata: {requestId: 'delete'}})
    s3.on(ListMultipartUploadsCommand).resolves({$metadata: {requestId: 'uploads'}, IsTruncated: false})
  })
  afterEach(() => s3.restore())

  it('empties, then deletes the bucket', async () => {
    const resource = await collected(bucket.type, {Name: 'sbx-data', BucketRegion: 'eu-west-1', Tags: [], Versioning: {Status: 'Enabled'}, Logging: {}}, 'eu-west-1')
    expect(bucket.deleter?.steps(resource)).toEqual([
      {action: 'empty-bucket', description: 'Delete every object version, delete marker and incomplete multipart upload in bucket sbx-data', params: {bucket: 'sbx-data'}},
      {action: 'delete-bucket', description: 'Delete bucket sbx-data', params: {bucket: 'sbx-data'}},
    ])
  })

  it('streams: each listed page is deleted with one quiet DeleteObjects call before the next page is read, until a fresh listing is empty', async () => {
    const outcome = await emptyBucket(client(), 'sbx-data', signal)

    expect(outcome).toMatchObject({status: 'done', detail: 'deleted 1,003 object versions in bucket sbx-data; it is empty'})
    expect(s3.calls().map((c) => (c.args[0] as {constructor: {name: string}}).constructor.name)).toEqual([
      'ListObjectVersionsCommand',
      'DeleteObjectsCommand',
      'ListObjectVersionsCommand',
      'DeleteObjectsCommand',
      'ListObjectVersionsCommand',
      'ListMultipartUploadsCommand',
    ])
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).toEqual([
      {Bucket: 'sbx-data', MaxKeys: 1000},
      {Bucket: 'sbx-data', MaxKeys: 1000, KeyMarker: key(599), VersionIdMarker: 'v-599'},
      {Bucket: 'sbx-data', MaxKeys: 1000},
    ])
    const deletes = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input)
    expect(deletes.map((d) => [d.Bucket, d.Delete?.Quiet, d.Delete?.Objects?.length])).toEqual([
      ['sbx-data', true, 1000],
      ['sbx-data', true, 3],
    ])
    // Exactly the page's versions and delete markers, each by key and version id.
    expect(deletes[0]?.Delete?.Objects?.slice(599, 601)).toEqual([
      {Key: key(599), VersionId: 'v-599'},
      {Key: key(0), VersionId: 'm-0'},
    ])
    expect(deletes[1]?.Delete?.Objects).toEqual([
      {Key: key(600), VersionId: 'v-600'},
      {Key: 'readme.txt', VersionId: 'null'},
      {Key: key(601), VersionId: 'm-601'},
    ])
    expect(outcome.requestIds).toEqual(['list-1', 'delete', 'list-2', 'delete', 'list-3', 'uploads'])
  })

  it('lists afresh when a listing ends early, as the emulator does after the marker version was deleted', async () => {
    // In call order: the first page; an empty page after its marker; afresh, what is left; afresh, nothing.
    s3.reset()
    s3.on(ListObjectVersionsCommand).resolvesOnce(firstPage).resolvesOnce(emptyPage).resolvesOnce(secondPage).resolves(emptyPage)
    s3.on(DeleteObjectsCommand).resolves({$metadata: {}})
    s3.on(ListMultipartUploadsCommand).resolves({$metadata: {}, IsTruncated: false})
    const outcome = await emptyBucket(client(), 'sbx-data', signal)
    expect(outcome).toMatchObject({status: 'done', detail: 'deleted 1,003 object versions in bucket sbx-data; it is empty'})
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input.KeyMarker)).toEqual([undefined, key(599), undefined, undefined])
  })

  it('answers wait after a pass of pages, so the runner calls again with a fresh listing', async () => {
    const outcome = await emptyBucket(client(), 'sbx-data', signal, 1)
    expect(outcome).toEqual({status: 'wait', detail: 'deleted 1,000 object versions in bucket sbx-data in this pass; more remain', retryAfterMs: 0, requestIds: ['list-1', 'delete']})
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1)
    expect(s3.commandCalls(ListMultipartUploadsCommand)).toHaveLength(0)
  })

  it('aborts incomplete multipart uploads once no version is left', async () => {
    s3.on(ListObjectVersionsCommand).resolves({$metadata: {}, IsTruncated: false})
    s3.on(ListMultipartUploadsCommand).resolves({
      $metadata: {},
      IsTruncated: false,
      Uploads: [{UploadId: 'h0Fap7xey9nQeiHWD4rrcgzad7d2d4NPWwZLJxpcwNgkUYLssBIT97AA', Key: 'big.tar', Initiated: new Date('2010-11-10T20:48:33.000Z'), StorageClass: 'STANDARD'}],
    })
    s3.on(AbortMultipartUploadCommand).resolves({$metadata: {requestId: 'abort'}})
    const outcome = await emptyBucket(client(), 'sbx-data', signal)
    expect(outcome).toMatchObject({status: 'done', detail: 'deleted 0 object versions and aborted 1 incomplete multipart upload in bucket sbx-data; it is empty'})
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0)
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      {Bucket: 'sbx-data', Key: 'big.tar', UploadId: 'h0Fap7xey9nQeiHWD4rrcgzad7d2d4NPWwZLJxpcwNgkUYLssBIT97AA'},
    ])
  })

  const item = {
    key: 'arn:aws:s3:::sbx-data',
    kind: 'delete' as const,
    arn: 'arn:aws:s3:::sbx-data',
    type: bucket.type,
    id: 'sbx-data',
    name: 'sbx-data',
    region: 'eu-west-1',
    accountId: '123456789012',
    createdAt: null,
    uniqueId: null,
    tags: {},
    why: {kind: 'purge' as const, explanation: 'test'},
    steps: [{action: 'empty-bucket', description: 'Empty sbx-data', params: {bucket: 'sbx-data'}}],
    after: [],
    includes: [],
  }
  const context = () => {
    const ctx = testContext({region: 'eu-west-1'})
    return {accountId: ctx.accountId, partition: 'aws', region: 'eu-west-1', clients: ctx.clients, signal}
  }

  it('fails the step on per-key errors of DeleteObjects, naming the first keys, and reads no further', async () => {
    s3.on(DeleteObjectsCommand).resolves({
      $metadata: {},
      Errors: [
        {Key: key(3), VersionId: 'v-3', Code: 'AccessDenied', Message: 'Access Denied'},
        {Key: key(4), VersionId: 'v-4', Code: 'AccessDenied', Message: 'Access Denied'},
        {Key: key(5), VersionId: 'v-5', Code: 'AccessDenied', Message: 'Access Denied'},
        {Key: key(6), VersionId: 'v-6', Code: 'AccessDenied', Message: 'Access Denied'},
      ],
    })
    const result = await runItemSteps(bucket.deleter!, context(), item, {signal, sleep: async () => {}})
    expect(result.status).toBe('failed')
    expect(result.error).toBe(
      'empty-bucket failed: ObjectsNotDeleted: 4 of 1000 object versions in bucket sbx-data could not be deleted: ' +
        'logs/0003.json (version v-3): AccessDenied Access Denied; logs/0004.json (version v-4): AccessDenied Access Denied; ' +
        'logs/0005.json (version v-5): AccessDenied Access Denied; and 1 more',
    )
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1)
  })

  it('lets the runner retry a throttled batch (SlowDown), which a fresh listing then finishes', async () => {
    s3.on(ListObjectVersionsCommand).resolvesOnce(firstPage).resolvesOnce(firstPage).resolves(emptyPage)
    s3.on(ListObjectVersionsCommand, {KeyMarker: key(599), VersionIdMarker: 'v-599'}).resolves(secondPage)
    s3.on(DeleteObjectsCommand)
      .resolvesOnce({$metadata: {}, Errors: [{Key: key(3), VersionId: 'v-3', Code: 'SlowDown', Message: 'Please reduce your request rate.'}]})
      .resolves({$metadata: {}})
    const result = await runItemSteps(bucket.deleter!, context(), item, {signal, sleep: async () => {}})
    expect(result.steps).toMatchObject([{status: 'done', attempts: 2}])
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input.KeyMarker)).toEqual([undefined, undefined, key(599), undefined])
  })
})
