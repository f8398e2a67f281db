import type {AdvancedEventSelector, CloudTrail, EventSelector, GetTrailStatusResponse, Tag, Trail} from '@aws-sdk/client-cloudtrail'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf, requestIdsOf, stringParam, unknownStep} from '../../cleanup/deleting.js'
import {arnPartition} from '../config-item.js'
import {role} from '../iam/role.js'
import {apiResource, orderSets, tagsFromList} from '../normalize.js'
import {bucket} from '../s3/bucket.js'
import {topic} from '../sns/topic.js'
import type {Relationship, ResourceSpec} from '../types.js'

/** A trail as DescribeTrails, GetTrailStatus, GetEventSelectors and ListTags describe it. */
export interface TrailItem extends Trail {
  /** GetTrailStatus: whether the trail is logging, and its latest deliveries and delivery errors. */
  Status: Omit<GetTrailStatusResponse, '$metadata'>
  /** Basic event selectors; empty when the trail uses advanced ones. */
  EventSelectors: EventSelector[]
  /** Advanced event selectors; empty when the trail uses basic ones. */
  AdvancedEventSelectors: AdvancedEventSelector[]
  Tags: Tag[]
}

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
    // Without shadow trails each trail is listed once, in its home region: a multi-region trail is not
    // repeated in every region, and an organization trail is listed in the management account only.
    const {trailList = []} = await cloudTrail.describeTrails({includeShadowTrails: false})
    yield* describeInBatches(trailList, trailConcurrency, ctx.signal, (listed) => unlessDeleted(() => describeTrail(cloudTrail, listed)))
  },

  // No fromConfigItem: AWS Config's item for the type (the DescribeTrails fields, per its documented
  // properties) carries neither the trail's status nor its event selectors, which the CloudTrail checks
  // read: a trail read through Config would look as if it were not logging.

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
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
    const config = resource.configuration as {S3BucketName?: string; SnsTopicARN?: string; CloudWatchLogsRoleArn?: string}
    const edges: Relationship[] = []
    // Bucket names are global: the ARN names the bucket wherever (and in whichever account) it is.
    if (config.S3BucketName) edges.push({type: bucket.type, arn: `arn:${arnPartition(resource.arn, 'aws')}:s3:::${config.S3BucketName}`, kind: 'uses'})
    if (config.SnsTopicARN) edges.push({type: topic.type, arn: config.SnsTopicARN, kind: 'uses'})
    if (config.CloudWatchLogsRoleArn) edges.push({type: role.type, arn: config.CloudWatchLogsRoleArn, kind: 'uses'})
    return edges
  },

  // The trail delivers to its bucket and topic, and into CloudWatch Logs through its role: it goes first,
  // so that it never runs with a destination gone.
  dependsOn: [bucket.type, topic.type, role.type],
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
      const {S3BucketName} = resource.configuration as {S3BucketName?: string}
      return [
        {
          action: 'delete-trail',
          description: `Delete trail ${resource.name} in its home region ${resource.region}${S3BucketName ? ` (the logs it delivered stay in bucket ${S3BucketName})` : ''}`,
          params: {name: resource.id},
        },
      ]
    },

    async current(ctx, item) {
      const cloudTrail = await ctx.clients.get('cloudtrail', ctx.region)
      const found = (await unlessDeleted(() => cloudTrail.getTrail({Name: item.arn})))?.Trail
      const described = found === undefined ? undefined : await unlessDeleted(() => describeTrail(cloudTrail, found))
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

async function describeTrail(cloudTrail: CloudTrail, listed: Trail): Promise<TrailItem> {
  // The ARN names the trail unambiguously (a name alone is resolved in the calling region).
  const TrailARN = listed.TrailARN ?? ''
  const [{$metadata: _status, ...Status}, selectors, Tags] = await Promise.all([
    cloudTrail.getTrailStatus({Name: TrailARN}),
    cloudTrail.getEventSelectors({TrailName: TrailARN}),
    collectPages(paginateItems((r) => cloudTrail.listTags(r), {ResourceIdList: [TrailARN]}, 'NextToken', 'NextToken', 'ResourceTagList')),
  ])
  return {
    ...listed,
    Status,
    EventSelectors: selectors.EventSelectors ?? [],
    AdvancedEventSelectors: selectors.AdvancedEventSelectors ?? [],
    Tags: Tags.flatMap((t) => t.TagsList ?? []),
  }
}
