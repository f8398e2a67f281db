import type {
  _Error as ObjectError,
  Bucket,
  ListMultipartUploadsCommandInput,
  ListObjectVersionsCommandInput,
  LoggingEnabled,
  ObjectIdentifier,
  PublicAccessBlockConfiguration,
  S3,
  ServerSideEncryption,
  ServerSideEncryptionConfiguration,
  Tag,
} from '@aws-sdk/client-s3'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {doneAfter, readCurrent, stringParam} from '../../cleanup/deleting.js'
import type {StepOutcome} from '../../cleanup/types.js'
import {
  arnPartition,
  type ConfigItem,
  configDate,
  configResource,
  isCurrentItem,
  itemConfiguration,
  parseJsonValue,
  stringOf,
  supplementaryRecord,
  tagList,
  tagsFrom,
} from '../config-item.js'
import {apiResource, orderSets, tagsFromList} from '../normalize.js'
import type {CollectContext, ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/** One bucket as awsinv assembles it from ListBuckets and the per-bucket Get* calls. */
export interface BucketItem {
  Name: string
  CreationDate?: Date | string
  /** Where the bucket lives (from ListBuckets, else GetBucketLocation). */
  BucketRegion: string
  /** GetBucketTagging's TagSet; empty when the bucket has no tags. */
  Tags: Tag[]
  /** Absent when the bucket has no public access block of its own. */
  PublicAccessBlockConfiguration?: PublicAccessBlockConfiguration
  /** The bucket policy parsed from its JSON text; absent when there is none. */
  Policy?: unknown
  /** Absent when no default encryption is configured. */
  ServerSideEncryptionConfiguration?: ServerSideEncryptionConfiguration
  /** GetBucketVersioning: empty when versioning was never enabled. */
  Versioning: {Status?: string; MFADelete?: string}
  /** GetBucketLogging: empty when server access logging is off. */
  Logging: {LoggingEnabled?: LoggingEnabled}
}

/** A bucket of the account-wide listing, with its region resolved. */
interface ListedBucket {
  Name: string
  CreationDate?: Date
  BucketRegion: string
}

// Per-bucket calls in flight at once within one region.
const bucketConcurrency = 8

export const bucket: ResourceSpec<BucketItem> = {
  type: 'AWS::S3::Bucket',
  service: 's3',
  // ListBuckets is account-wide, but AWS Config records buckets per region, and so do we.
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html',

  async *list(ctx) {
    // The listing (and the region lookups it may need) is made once per account and run, not once per region.
    const all = await ctx.shared(`s3:buckets:${ctx.accountId}`, () => listBuckets(ctx))
    const here = all.filter((b) => b.BucketRegion === ctx.region)
    if (here.length === 0) return
    const s3 = await ctx.clients.get('s3', ctx.region)
    yield* describeInBatches(here, bucketConcurrency, ctx.signal, (b) => describeBucket(s3, b))
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: `arn:${ctx.partition}:s3:::${item.Name}`,
      type: bucket.type,
      id: item.Name,
      name: item.Name,
      region: item.BucketRegion,
      createdAt: wholeSeconds(item.CreationDate),
      tags,
      configuration: bucketConfiguration(item),
    })
  },

  fromConfigItem(item, ctx) {
    if (!isCurrentItem(item)) return undefined
    const assembled = bucketItemFromConfig(item, ctx.region)
    return configResource(item, ctx, {
      arn: `arn:${arnPartition(item.arn, ctx.partition)}:s3:::${assembled.Name}`,
      type: bucket.type,
      id: assembled.Name,
      name: assembled.Name,
      region: assembled.BucketRegion,
      // S3 keeps creation times to the second; the emulator's Config item adds microseconds.
      createdAt: wholeSeconds(item.resourceCreationTime ?? assembled.CreationDate),
      tags: tagsFromList(assembled.Tags),
      configuration: bucketConfiguration(assembled),
    })
  },

  // Default encryption with a KMS key: a bucket that stays keeps it (its objects are encrypted with it).
  relationships(resource) {
    const rules = (resource.configuration as {ServerSideEncryptionConfiguration?: {Rules?: Array<{ApplyServerSideEncryptionByDefault?: {KMSMasterKeyID?: string}}>}}).ServerSideEncryptionConfiguration?.Rules ?? []
    return kmsKeyEdges(resource, rules.map((r) => r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID), 'uses')
  },

  dependsOn: ['AWS::KMS::Key'],
  // ListBuckets' CreationDate can move when the bucket's configuration is edited (documented S3 behaviour).
  volatile: ['CreationDate'],
  createdAtMoves: true,
  sets: {Tags: 'Key'},

  deleter: {
    steps: (resource) => [
      {
        action: 'empty-bucket',
        description: `Delete every object version, delete marker and incomplete multipart upload in bucket ${resource.id}`,
        params: {bucket: resource.id},
      },
      {action: 'delete-bucket', description: `Delete bucket ${resource.id}`, params: {bucket: resource.id}},
    ],

    // Emptying answers `wait` after every pass of `pagesPerPass` pages: the whole emptying may take this long
    // (at about 1,000 versions a second, some 40 million). Larger buckets are emptied with a lifecycle rule.
    waitTimeoutMs: 12 * 3_600_000,

    current: (ctx, item) =>
      readCurrent(async () => {
        // Every call goes to the bucket's own region: elsewhere S3 answers with a redirect.
        const s3 = await ctx.clients.get('s3', item.region)
        const tagging = await absentOn(['NoSuchTagSet'], s3.getBucketTagging({Bucket: item.id}))
        return {tags: tagsFromList(tagging?.TagSet)}
      }),

    async run(ctx, item, step) {
      const s3 = await ctx.clients.get('s3', item.region)
      const Bucket = stringParam(step, 'bucket')
      if (step.action === 'empty-bucket') return emptyBucket(s3, Bucket, ctx.signal)
      // BucketNotEmpty (objects written since it was emptied) is a dependency error: retried, then reported.
      if (step.action === 'delete-bucket') return doneAfter(await s3.deleteBucket({Bucket}))
      throw new Error(`unknown step ${step.action}: expected empty-bucket or delete-bucket`)
    },
  },
}

/** DeleteObjects takes at most this many keys, and ListObjectVersions pages are asked for this size. */
const deleteBatch = 1000

/** Listing pages one pass of `emptyBucket` deletes before it answers `wait` (about 10,000 versions). */
export const pagesPerPass = 10

/**
 * One pass of emptying a bucket, streaming: ListObjectVersions page by page (versions and delete markers
 * together, at most 1,000 a page; an unversioned bucket's objects are its `null` versions), each page
 * deleted by one DeleteObjects call before the next is read, so the listing is never held whole. A listing
 * that deleted something is followed by a fresh one, until a fresh listing finds nothing: that catches
 * objects written meanwhile, and endpoints that lose their place when the version a page marker names was
 * just deleted (the emulator, moto 5.2, then answers an empty last page; S3 continues after the marker).
 * After `pagesPerPass` pages it answers `wait` with the count so far and the step runner calls again at
 * once: each call stays short, shows progress and can be interrupted between calls, and the next pass
 * starts afresh on what is left. When no version is left, incomplete multipart uploads are aborted and it
 * answers `done`. Per-key errors of DeleteObjects (an Object Lock retention, a bucket policy denying
 * deletion) fail the step, naming the first keys.
 */
export async function emptyBucket(s3: S3, bucket: string, signal: AbortSignal, maxPages = pagesPerPass): Promise<StepOutcome> {
  const requestIds: string[] = []
  const record = (output: {$metadata: {requestId?: string}}) => {
    if (output.$metadata.requestId) requestIds.push(output.$metadata.requestId)
  }

  let deleted = 0
  const fresh: ListObjectVersionsCommandInput = {Bucket: bucket, MaxKeys: deleteBatch}
  let request = fresh
  let deletedInListing = 0
  for (let page = 0; ; page++) {
    // Interrupted: the runner stops at this answer (it checks the signal before calling again).
    if (page === maxPages || signal.aborted) {
      return {status: 'wait', detail: `deleted ${count(deleted, 'object version')} in bucket ${bucket} in this pass; more remain`, retryAfterMs: 0, requestIds}
    }

    const listed = await s3.listObjectVersions(request)
    record(listed)
    const objects: ObjectIdentifier[] = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
      .filter((o) => o.Key !== undefined)
      .map((o) => ({Key: o.Key, ...(o.VersionId === undefined ? {} : {VersionId: o.VersionId})}))
    // A page is at most MaxKeys long on S3; batching again keeps every call within the limit anywhere.
    for (let i = 0; i < objects.length; i += deleteBatch) {
      const batch = objects.slice(i, i + deleteBatch)
      const result = await s3.deleteObjects({Bucket: bucket, Delete: {Objects: batch, Quiet: true}})
      record(result)
      if (result.Errors?.length) throw new ObjectsNotDeleted(bucket, result.Errors, batch.length)
      deleted += batch.length
      deletedInListing += batch.length
    }

    if (listed.IsTruncated) {
      request = {...fresh, KeyMarker: listed.NextKeyMarker, VersionIdMarker: listed.NextVersionIdMarker}
    } else if (deletedInListing > 0) {
      request = fresh
      deletedInListing = 0
    } else {
      break
    }
  }

  const aborted = await abortMultipartUploads(s3, bucket, record)
  const uploads = aborted > 0 ? ` and aborted ${count(aborted, 'incomplete multipart upload')}` : ''
  return {status: 'done', detail: `deleted ${count(deleted, 'object version')}${uploads} in bucket ${bucket}; it is empty`, requestIds}
}

/** Aborts every incomplete multipart upload of a bucket, page by page; how many it aborted. */
async function abortMultipartUploads(s3: S3, bucket: string, record: (output: {$metadata: {requestId?: string}}) => void): Promise<number> {
  let aborted = 0
  let request: ListMultipartUploadsCommandInput = {Bucket: bucket, MaxUploads: deleteBatch}
  while (true) {
    const listed = await s3.listMultipartUploads(request)
    record(listed)
    for (const upload of listed.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined) continue
      try {
        record(await s3.abortMultipartUpload({Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId}))
        aborted++
      } catch (error) {
        // Completed or aborted since it was listed (NoSuchUpload): nothing left to abort.
        if (classifyError(error).kind !== 'not_found') throw error
      }
    }

    if (!listed.IsTruncated) return aborted
    request = {...request, KeyMarker: listed.NextKeyMarker, UploadIdMarker: listed.NextUploadIdMarker}
  }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
}

/**
 * DeleteObjects answered per-key errors. It carries the first error's code when that is throttling
 * (`SlowDown`), so that the step runner retries it; any other code fails the step with this message.
 */
export class ObjectsNotDeleted extends Error {
  constructor(bucket: string, errors: readonly ObjectError[], attempted: number) {
    const named = errors.slice(0, 3).map((e) => `${e.Key ?? '?'}${e.VersionId ? ` (version ${e.VersionId})` : ''}: ${e.Code ?? 'Error'} ${e.Message ?? ''}`.trim())
    const more = errors.length > named.length ? `; and ${errors.length - named.length} more` : ''
    super(`${errors.length} of ${attempted} object versions in bucket ${bucket} could not be deleted: ${named.join('; ')}${more}`)
    const code = errors[0]?.Code ?? ''
    this.name = classifyError({name: code}).kind === 'throttled' ? code : 'ObjectsNotDeleted'
  }
}

/** Every bucket of the account with its region, paginating ListBuckets fully. */
async function listBuckets(ctx: CollectContext): Promise<ListedBucket[]> {
  const s3 = await ctx.clients.get('s3', ctx.region)
  const listed: Bucket[] = []
  // S3 returns BucketRegion only to a request with a parameter; MaxBuckets is one, and turns on pagination.
  const pages = paginateItems((r) => s3.listBuckets(r), {MaxBuckets: 1000}, 'ContinuationToken', 'ContinuationToken', 'Buckets')
  for await (const page of pages) listed.push(...page)

  return collectPages(
    describeInBatches(listed, bucketConcurrency, ctx.signal, async (b): Promise<ListedBucket | undefined> => {
      if (!b.Name) return undefined
      const region = b.BucketRegion || (await bucketLocation(s3, b.Name))
      return region === undefined ? undefined : {Name: b.Name, CreationDate: b.CreationDate, BucketRegion: region}
    }),
  )
}

/** GetBucketLocation's answer as a region code; undefined when the bucket is gone. */
async function bucketLocation(s3: S3, name: string): Promise<string | undefined> {
  const location = await unlessDeleted(() => s3.getBucketLocation({Bucket: name}))
  if (location === undefined) return undefined
  const constraint: string | undefined = location.LocationConstraint
  // The legacy encodings: no constraint is us-east-1, `EU` is eu-west-1.
  if (constraint === undefined || constraint === null || constraint === '') return 'us-east-1'
  return constraint === 'EU' ? 'eu-west-1' : constraint
}

/** The per-bucket configuration; undefined when the bucket was deleted since it was listed. */
async function describeBucket(s3: S3, listed: ListedBucket): Promise<BucketItem | undefined> {
  const Bucket = listed.Name
  // absentOn takes the "nothing configured" answers first; a not-found left over means the bucket is gone (NoSuchBucket).
  return unlessDeleted(async () => {
    const [tagging, publicAccess, policy, encryption, versioning, logging] = await Promise.all([
      absentOn(['NoSuchTagSet'], s3.getBucketTagging({Bucket})),
      absentOn(['NoSuchPublicAccessBlockConfiguration'], s3.getPublicAccessBlock({Bucket})),
      absentOn(['NoSuchBucketPolicy'], s3.getBucketPolicy({Bucket})),
      absentOn(['ServerSideEncryptionConfigurationNotFoundError'], s3.getBucketEncryption({Bucket})),
      s3.getBucketVersioning({Bucket}),
      s3.getBucketLogging({Bucket}),
    ])
    return {
      ...listed,
      Tags: tagging?.TagSet ?? [],
      PublicAccessBlockConfiguration: publicAccess?.PublicAccessBlockConfiguration,
      Policy: policy?.Policy === undefined ? undefined : parseJson(policy.Policy),
      ServerSideEncryptionConfiguration: encryption?.ServerSideEncryptionConfiguration,
      Versioning: {Status: versioning.Status, MFADelete: versioning.MFADelete},
      Logging: {LoggingEnabled: logging.LoggingEnabled},
    }
  })
}

/** The call's result, or undefined when it fails with one of the "nothing configured" errors; any other error propagates. */
async function absentOn<T>(names: readonly string[], call: Promise<T>): Promise<T | undefined> {
  try {
    return await call
  } catch (error) {
    if (names.includes(errorName(error))) return undefined
    throw error
  }
}

function errorName(error: unknown): string {
  const err = error as {name?: string; Code?: string} | null
  return err?.Code ?? err?.name ?? ''
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * The canonical configuration: what both the direct calls and AWS Config's item carry, in the direct
 * calls' shape, whichever source the item came from.
 * - `CreationDate` to the second: S3 keeps no finer time (the emulator's Config item has microseconds).
 * - `Versioning.MFADelete` only when `Enabled`: Config records a boolean, which cannot tell `Disabled`
 *   from "never configured" (GetBucketVersioning's two ways of saying off).
 * - `Logging.LoggingEnabled` as `TargetBucket` and `TargetPrefix` only: Config records just those two;
 *   `TargetGrants` and `TargetObjectKeyFormat` (GetBucketLogging) are dropped.
 * - Encryption rules as algorithm, KMS key and `BucketKeyEnabled` (left out when false, the default):
 *   Config records no more (newer fields such as `BlockedEncryptionTypes` are dropped).
 * - Public access block flags default to false, as S3 treats an unset flag.
 */
function bucketConfiguration(item: BucketItem): Record<string, unknown> {
  const pab = item.PublicAccessBlockConfiguration
  const logging = item.Logging.LoggingEnabled
  const rules = item.ServerSideEncryptionConfiguration?.Rules
  return orderSets(
    {
      Name: item.Name,
      CreationDate: wholeSeconds(item.CreationDate) ?? undefined,
      BucketRegion: item.BucketRegion,
      Tags: item.Tags.map(({Key, Value}) => ({Key, Value})),
      PublicAccessBlockConfiguration: pab && {
        BlockPublicAcls: pab.BlockPublicAcls ?? false,
        IgnorePublicAcls: pab.IgnorePublicAcls ?? false,
        BlockPublicPolicy: pab.BlockPublicPolicy ?? false,
        RestrictPublicBuckets: pab.RestrictPublicBuckets ?? false,
      },
      Policy: item.Policy,
      ServerSideEncryptionConfiguration: rules && {
        Rules: rules.map((rule) => ({
          ApplyServerSideEncryptionByDefault: rule.ApplyServerSideEncryptionByDefault && {
            SSEAlgorithm: rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
            KMSMasterKeyID: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID || undefined,
          },
          BucketKeyEnabled: rule.BucketKeyEnabled === true ? true : undefined,
        })),
      },
      Versioning: {Status: item.Versioning.Status, MFADelete: item.Versioning.MFADelete === 'Enabled' ? 'Enabled' : undefined},
      Logging: logging ? {LoggingEnabled: {TargetBucket: logging.TargetBucket, TargetPrefix: logging.TargetPrefix ?? ''}} : {},
    },
    bucket.sets,
  )
}

/** An ISO time cut to the whole second, or null. */
function wholeSeconds(value: unknown): string | null {
  return configDate(value)?.replace(/\.\d{3}Z$/, '.000Z') ?? null
}

/**
 * The bucket as the direct calls would assemble it, from a Config item: `configuration` holds the name
 * and creation date, `supplementaryConfiguration` the per-bucket settings as JSON text in Config's own
 * camelCase names. The region is the item's. Real AWS Config records versioning and default encryption
 * (`BucketVersioningConfiguration`, `ServerSideEncryptionConfiguration`); the emulator (moto 5.2) records
 * neither, so its items read as "versioning never enabled, no default encryption".
 */
function bucketItemFromConfig(item: ConfigItem, region: string): BucketItem {
  const configuration = itemConfiguration(item)
  const Name = stringOf(configuration.name) ?? item.resourceName ?? item.resourceId ?? ''

  const tagSets = supplementaryRecord(item, 'BucketTaggingConfiguration')?.tagSets
  const tagSet = Array.isArray(tagSets) ? (tagSets[0] as {tags?: unknown} | undefined)?.tags : undefined
  const tags = tagSet === undefined ? tagsFrom(item.tags) : tagsFrom(tagSet)

  const pab = supplementaryRecord(item, 'PublicAccessBlockConfiguration')
  const policyText = supplementaryRecord(item, 'BucketPolicy')?.policyText
  const rules = supplementaryRecord(item, 'ServerSideEncryptionConfiguration')?.rules
  const versioning = supplementaryRecord(item, 'BucketVersioningConfiguration')
  const logging = supplementaryRecord(item, 'BucketLoggingConfiguration')
  // Config says `Off` for a bucket whose versioning was never enabled; GetBucketVersioning says nothing.
  const status = stringOf(versioning?.status)
  const targetBucket = stringOf(logging?.destinationBucketName)

  return {
    Name,
    CreationDate: stringOf(configuration.creationDate) ?? item.resourceCreationTime,
    BucketRegion: item.awsRegion || region,
    Tags: tagList(tags),
    PublicAccessBlockConfiguration: pab && {
      BlockPublicAcls: pab.blockPublicAcls === true,
      IgnorePublicAcls: pab.ignorePublicAcls === true,
      BlockPublicPolicy: pab.blockPublicPolicy === true,
      RestrictPublicBuckets: pab.restrictPublicBuckets === true,
    },
    Policy: typeof policyText === 'string' && policyText !== '' ? parseJsonValue(policyText) : undefined,
    ServerSideEncryptionConfiguration: Array.isArray(rules)
      ? {
          Rules: rules.map((rule: {applyServerSideEncryptionByDefault?: {sseAlgorithm?: string; kmsMasterKeyID?: string | null}; bucketKeyEnabled?: boolean | null}) => ({
            ApplyServerSideEncryptionByDefault: rule.applyServerSideEncryptionByDefault && {
              SSEAlgorithm: rule.applyServerSideEncryptionByDefault.sseAlgorithm as ServerSideEncryption,
              KMSMasterKeyID: rule.applyServerSideEncryptionByDefault.kmsMasterKeyID ?? undefined,
            },
            BucketKeyEnabled: rule.bucketKeyEnabled ?? undefined,
          })),
        }
      : undefined,
    Versioning: {
      Status: status === 'Enabled' || status === 'Suspended' ? status : undefined,
      MFADelete: versioning?.isMfaDeleteEnabled === true ? 'Enabled' : undefined,
    },
    Logging: targetBucket ? {LoggingEnabled: {TargetBucket: targetBucket, TargetPrefix: stringOf(logging?.logFilePrefix) ?? ''}} : {},
  }
}
