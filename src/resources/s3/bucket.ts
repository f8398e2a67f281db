import type {
  Bucket,
  LoggingEnabled,
  PublicAccessBlockConfiguration,
  S3,
  ServerSideEncryption,
  ServerSideEncryptionConfiguration,
  Tag,
} from '@aws-sdk/client-s3'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
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

  // ListBuckets' CreationDate can move when the bucket's configuration is edited (documented S3 behaviour).
  volatile: ['CreationDate'],
  createdAtMoves: true,
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
