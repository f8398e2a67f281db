import type {AdvancedEventSelector, CloudTrail, EventSelector, GetTrailStatusCommandOutput, GetTrailStatusResponse, Tag, Trail} from '@aws-sdk/client-cloudtrail'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf, requestIdsOf, stringParam, unknownStep} from '../../cleanup/deleting.js'
import {arnPartition} from '../config-item.js'
import {role} from '../iam/role.js'
import {apiResource, orderSets, tagsFromList} from '../normalize.js'
import {bucket} from '../s3/bucket.js'
import {topic} from '../sns/topic.js'
import type {Relationship, Resource, ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/**
 * A trail as DescribeTrails, GetTrailStatus, GetEventSelectors and ListTags describe it. A trail of another
 * account — an organization trail seen from a member account — may be refused the last three, and so may a
 * trail read in a home region the run does not cover: each part the account could not read is null (never a
 * guess: a null `Status` is not "not logging").
 */
export interface TrailItem extends Trail {
  /** GetTrailStatus: whether the trail is logging, and its latest deliveries and delivery errors; null when refused (another account's trail, or a home region outside the run that the caller is denied). */
  Status: Omit<GetTrailStatusResponse, '$metadata'> | null
  /** Basic event selectors; empty when the trail uses advanced ones; null when GetEventSelectors was refused (another account's trail). */
  EventSelectors: EventSelector[] | null
  /** Advanced event selectors; empty when the trail uses basic ones; null when GetEventSelectors was refused (another account's trail). */
  AdvancedEventSelectors: AdvancedEventSelector[] | null
  /** ListTags; null when refused (another account's trail). */
  Tags: Tag[] | null
}

/**
 * The account that owns a stored trail when it is not the account it was collected in — the management
 * account of an organization trail seen from a member account — or undefined for the account's own trail.
 * The trail's ARN names its owner: an organization trail has the same ARN in every account.
 */
export function otherOwnerOf(resource: Pick<Resource, 'arn' | 'accountId'>): string | undefined {
  const owner = resource.arn.split(':')[4]
  return owner === undefined || owner === '' || owner === resource.accountId ? undefined : owner
}

/** Whether a stored trail is the account's own (not an organization trail of another account seen from a member). */
export const isOwnTrail = (resource: Pick<Resource, 'arn' | 'accountId'>): boolean => otherOwnerOf(resource) === undefined

// Trails described at once; each description is three parallel calls. An account has at most five
// trails per region.
const trailConcurrency = 5

export const trail: ResourceSpec<TrailItem> = {
  type: 'AWS::CloudTrail::Trail',
  service: 'cloudtrail',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html',

  async *list(ctx) {
    const cloudTrail = await ctx.clients.get('cloudtrail', ctx.region)
    // Shadow trails included: without them a member account is not shown its organization's trails. A
    // multi-region trail is then listed in every region, so each trail is kept in its home region only:
    // collected once, where its name identifies it. A multi-region trail homed in a region the run does not
    // collect logs the collected regions all the same: it is kept in the first of them (adopted), and read
    // in its home region.
    const {trailList = []} = await cloudTrail.describeTrails({includeShadowTrails: true})
    const adopting = ctx.region === [...ctx.regions].sort()[0]
    const kept = trailList.filter((listed) => listed.HomeRegion === ctx.region || (adopting && isAdoptable(listed, ctx.regions)))
    yield* describeInBatches(kept, trailConcurrency, ctx.signal, async (listed) => {
      const home = listed.HomeRegion === ctx.region ? undefined : (listed.HomeRegion ?? ctx.region)
      const client = home === undefined ? cloudTrail : await ctx.clients.get('cloudtrail', home)
      return unlessDeleted(() => describeTrail(client, listed, ctx.accountId, home !== undefined))
    })
  },

  // No fromConfigItem: AWS Config's item for the type (the DescribeTrails fields, per its documented
  // properties) carries neither the trail's status nor its event selectors, which the CloudTrail checks
  // read: a trail read through Config would look as if it were not logging.

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags ?? undefined)
    const name = item.Name ?? ''
    return apiResource(ctx, {
      arn: item.TrailARN ?? '',
      type: trail.type,
      // UpdateTrail, DeleteTrail and StartLogging take the name (in the trail's home region).
      id: name,
      name,
      // CloudTrail reports no creation time.
      createdAt: null,
      tags,
      configuration: orderSets({...item} as Record<string, unknown>, trail.sets),
    })
  },

  relationships(resource) {
    const config = resource.configuration as {S3BucketName?: string; SnsTopicARN?: string; CloudWatchLogsRoleArn?: string; KmsKeyId?: string}
    const edges: Relationship[] = []
    // Bucket names are global: the ARN names the bucket wherever (and in whichever account) it is.
    if (config.S3BucketName) edges.push({type: bucket.type, arn: `arn:${arnPartition(resource.arn, 'aws')}:s3:::${config.S3BucketName}`, kind: 'uses'})
    if (config.SnsTopicARN) edges.push({type: topic.type, arn: config.SnsTopicARN, kind: 'uses'})
    if (config.CloudWatchLogsRoleArn) edges.push({type: role.type, arn: config.CloudWatchLogsRoleArn, kind: 'uses'})
    edges.push(...kmsKeyEdges(resource, [config.KmsKeyId], 'uses'))
    return edges
  },

  // The trail delivers to its bucket and topic, and into CloudWatch Logs through its role, encrypting its
  // log files with its KMS key: it goes first, so that it never runs with a destination or its key gone.
  dependsOn: [bucket.type, topic.type, role.type, 'AWS::KMS::Key'],
  // Delivery times and attempts move every few minutes while the trail logs. Delivery errors are kept:
  // they are runtime state (`Status`) worth seeing appear.
  volatile: [
    'Status.LatestDeliveryTime',
    'Status.LatestNotificationTime',
    'Status.LatestCloudWatchLogsDeliveryTime',
    'Status.LatestDigestDeliveryTime',
    'Status.LatestDeliveryAttemptTime',
    'Status.LatestNotificationAttemptTime',
    'Status.LatestDeliveryAttemptSucceeded',
    'Status.LatestNotificationAttemptSucceeded',
  ],
  // Turning logging off, narrowing what is logged or where it goes is how tracks are covered.
  securityFields: [
    'Status.IsLogging',
    'Status.StartLoggingTime',
    'Status.StopLoggingTime',
    'Status.TimeLoggingStarted',
    'Status.TimeLoggingStopped',
    'IsMultiRegionTrail',
    'IncludeGlobalServiceEvents',
    'IsOrganizationTrail',
    'LogFileValidationEnabled',
    'EventSelectors',
    'AdvancedEventSelectors',
    'S3BucketName',
    'S3KeyPrefix',
    'CloudWatchLogsLogGroupArn',
    'CloudWatchLogsRoleArn',
  ],
  sets: {
    Tags: 'Key',
    'EventSelectors.*.DataResources': 'Type',
    'EventSelectors.*.DataResources.*.Values': '.',
    'EventSelectors.*.ExcludeManagementEventSources': '.',
    'AdvancedEventSelectors.*.FieldSelectors': 'Field',
  },

  // Deleting a trail stops its logging with it; what it delivered stays in its bucket (and log group).
  deleter: {
    steps(resource) {
      const {S3BucketName, HomeRegion} = resource.configuration as {S3BucketName?: string; HomeRegion?: string}
      return [
        {
          action: 'delete-trail',
          description: `Delete trail ${resource.name} in its home region ${HomeRegion ?? resource.region}${S3BucketName ? ` (the logs it delivered stay in bucket ${S3BucketName})` : ''}`,
          params: {name: resource.id},
        },
      ]
    },

    async current(ctx, item) {
      const cloudTrail = await ctx.clients.get('cloudtrail', ctx.region)
      const found = (await unlessDeleted(() => cloudTrail.getTrail({Name: item.arn})))?.Trail
      const described = found === undefined ? undefined : await unlessDeleted(() => describeTrail(cloudTrail, found, ctx.accountId))
      return described === undefined ? undefined : currentStateOf(await trail.toResource(described, collectContextOf(ctx)))
    },

    async run(ctx, item, step) {
      if (step.action !== 'delete-trail') throw unknownStep(item, step)
      // ctx.region is the trail's home region, where its name identifies it.
      const cloudTrail = await ctx.clients.get('cloudtrail', ctx.region)
      const Name = stringParam(step, 'name')
      // Asked first: deleting a trail that is gone is not an error everywhere.
      if ((await unlessDeleted(() => cloudTrail.getTrail({Name}))) === undefined) return {status: 'gone', detail: `trail ${Name} no longer exists`}
      return {status: 'done', requestIds: requestIdsOf(await cloudTrail.deleteTrail({Name}))}
    },
  },
}

/** Whether a listed trail is a multi-region trail homed outside the regions of the run (kept by the first of them). */
function isAdoptable(listed: Trail, regions: readonly string[]): boolean {
  return listed.IsMultiRegionTrail === true && listed.HomeRegion !== undefined && !regions.includes(listed.HomeRegion)
}

/**
 * Whether a stored trail was kept outside its home region: a multi-region trail homed in a region its
 * snapshot does not cover, collected through the first region it does (and where the trail logs too).
 */
export function adoptedHomeRegion(resource: Pick<Resource, 'type' | 'region' | 'configuration'>): string | undefined {
  if (resource.type !== trail.type) return undefined
  const home = (resource.configuration as {HomeRegion?: unknown}).HomeRegion
  return typeof home === 'string' && home !== resource.region ? home : undefined
}

async function describeTrail(cloudTrail: CloudTrail, listed: Trail, accountId: string, adopted = false): Promise<TrailItem> {
  // The ARN names the trail unambiguously (a name alone is resolved in the calling account and region).
  const TrailARN = listed.TrailARN ?? ''
  // The account's own trail is read whole: a refusal fails the cell, as for any type. Another account's
  // trail is kept with what the account may read of it, and so is an adopted one, whose home region (outside
  // the run) the caller may be denied.
  const read = otherOwnerOf({arn: TrailARN, accountId}) !== undefined ? readUnlessRefused : adopted ? readUnlessDenied : readWhole
  const [status, selectors, tags] = await Promise.all([
    read(() => cloudTrail.getTrailStatus({Name: TrailARN})),
    read(() => cloudTrail.getEventSelectors({TrailName: TrailARN})),
    read(() => collectPages(paginateItems((r) => cloudTrail.listTags(r), {ResourceIdList: [TrailARN]}, 'NextToken', 'NextToken', 'ResourceTagList'))),
  ])
  return {
    ...listed,
    Status: status === null ? null : withoutMetadata(status),
    EventSelectors: selectors === null ? null : (selectors.EventSelectors ?? []),
    AdvancedEventSelectors: selectors === null ? null : (selectors.AdvancedEventSelectors ?? []),
    Tags: tags === null ? null : tags.flatMap((t) => t.TagsList ?? []),
  }
}

const readWhole = <T>(call: () => Promise<T>): Promise<T | null> => call()

/**
 * A read of another account's trail, or null when this account is refused it. Member accounts see their
 * organization's trails but may be refused reading them: CloudTrailARNInvalidException ("AccountID in ARN
 * is wrong"), TrailNotFoundException ("Unknown trail … for the user"), or an IAM denial. Anything else
 * (throttling, a network error) still fails the cell.
 */
async function readUnlessRefused<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call()
  } catch (error) {
    const {kind, code} = classifyError(error)
    if (kind === 'access_denied' || kind === 'not_found' || code === 'CloudTrailARNInvalidException') return null
    throw error
  }
}

/** A read of the account's own trail in a region outside the run: null when access there is denied. */
async function readUnlessDenied<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call()
  } catch (error) {
    if (classifyError(error).kind === 'access_denied') return null
    throw error
  }
}

function withoutMetadata(status: GetTrailStatusCommandOutput): Omit<GetTrailStatusResponse, '$metadata'> {
  const {$metadata: _metadata, ...rest} = status
  return rest
}
