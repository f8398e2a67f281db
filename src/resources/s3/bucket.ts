import type {
  Bucket,
  LoggingEnabled,
  PublicAccessBlockConfiguration,
  S3,
  ServerSideEncryptionConfiguration,
  Tag,
} from '@aws-sdk/client-s3'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, tagsFromList} from '../normalize.js'
import type {CollectContext, ResourceSpec} from '../types.js'

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
      createdAt: isoDate(item.CreationDate),
      tags,
      configuration: item,
    })
  },

  // ListBuckets' CreationDate can move when the bucket's configuration is edited (documented S3 behaviour).
  volatile: ['CreationDate'],
  sets: {Tags: 'Key'},
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
