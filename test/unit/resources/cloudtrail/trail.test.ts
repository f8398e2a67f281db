import {CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, ListTagsCommand} from '@aws-sdk/client-cloudtrail'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {adoptedHomeRegion, otherOwnerOf, trail, type TrailItem} from '../../../../src/resources/cloudtrail/trail.js'
import {awsError} from '../../../support/aws-error.js'
import {testContext} from '../../../support/context.js'
import {audit, auditArn, local, managementAccount, organizationTrail, organizationTrailArn, organizationTrailListed} from '../../../support/trail-items.js'

describe('AWS::CloudTrail::Trail', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource: trail, status, selectors and tags; named by the trail name', async () => {
    const resource = await trail.toResource(audit, ctx)
    expect(resource).toMatchObject({
      arn: auditArn,
      type: 'AWS::CloudTrail::Trail',
      id: 'audit',
      name: 'audit',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {team: 'sec'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      KmsKeyId: audit.KmsKeyId,
      Status: {IsLogging: true, LatestDeliveryTime: '2026-12-05T07:25:59.000Z', StartLoggingTime: '2026-12-05T07:25:59.000Z'},
      EventSelectors: [{ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::audit-logs/']}]}],
      AdvancedEventSelectors: [],
      Tags: [{Key: 'team', Value: 'sec'}],
    })
    // The Config item is DescribeTrails only (no status or selectors): the direct API is used.
    expect(trail.fromConfigItem).toBeUndefined()
  })

  it('marks delivery times volatile and logging security-relevant', () => {
    expect(trail.volatile).toEqual(expect.arrayContaining(['Status.LatestDeliveryTime', 'Status.LatestDeliveryAttemptTime', 'Status.LatestDigestDeliveryTime']))
    expect(trail.volatile).not.toContain('Status.IsLogging')
    expect(trail.securityFields).toEqual(expect.arrayContaining(['Status.IsLogging', 'LogFileValidationEnabled', 'IsMultiRegionTrail', 'EventSelectors']))
  })

  it('uses its bucket, topic, CloudWatch Logs role and KMS key', async () => {
    expect(trail.relationships?.(await trail.toResource(audit, ctx))).toEqual([
      {type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::audit-logs', kind: 'uses'},
      {type: 'AWS::SNS::Topic', arn: 'arn:aws:sns:us-east-1:123456789012:audit-topic', kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', id: '1234abcd-12ab-34cd-56ef-1234567890ab', kind: 'uses'},
    ])
    const withLogs = await trail.toResource(
      {
        ...local,
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:trail:*',
        CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/service/trail-logs',
      },
      ctx,
    )
    expect(trail.relationships?.(withLogs)).toEqual([
      {type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::audit-logs', kind: 'uses'},
      {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/service/trail-logs', kind: 'uses'},
    ])
    expect(trail.dependsOn).toEqual(['AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::IAM::Role', 'AWS::KMS::Key'])
  })

  it('describes each trail of its home region once, skipping shadow copies of other regions’ trails and a trail deleted since it was listed', async () => {
    const cloudTrail = mockClient(CloudTrailClient)
    try {
      const goneArn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/gone'
      const {Status, EventSelectors, AdvancedEventSelectors, Tags, ...listed} = audit
      // With shadow trails, a multi-region trail homed elsewhere is listed here too: it is collected in its home region.
      const shadow = {...listed, Name: 'west', HomeRegion: 'eu-west-1', TrailARN: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/west'}
      cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [listed, shadow, {Name: 'gone', TrailARN: goneArn, HomeRegion: 'us-east-1'}]})
      cloudTrail.on(GetTrailStatusCommand, {Name: auditArn}).resolves(Status ?? {})
      cloudTrail.on(GetTrailStatusCommand, {Name: goneArn}).rejects(awsError('TrailNotFoundException', 400))
      cloudTrail.on(GetEventSelectorsCommand).resolves({TrailARN: auditArn, EventSelectors: EventSelectors ?? [], AdvancedEventSelectors: AdvancedEventSelectors ?? []})
      cloudTrail.on(ListTagsCommand).resolves({ResourceTagList: [{ResourceId: auditArn, TagsList: Tags ?? []}]})

      const items: TrailItem[] = []
      for await (const page of trail.list({...ctx, regions: ['us-east-1', 'eu-west-1']})) items.push(...page)

      expect(items).toEqual([audit])
      expect(cloudTrail.commandCalls(DescribeTrailsCommand)[0]?.args[0].input).toEqual({includeShadowTrails: true})
      expect(cloudTrail.commandCalls(GetTrailStatusCommand).map((c) => c.args[0].input.Name)).toEqual([auditArn, goneArn])
      expect(cloudTrail.commandCalls(ListTagsCommand)[0]?.args[0].input).toEqual({ResourceIdList: [auditArn]})
    } finally {
      cloudTrail.restore()
    }
  })

  // The emulator has no organizations: a member account's view of an organization trail is mocked, in the
  // shapes of the API reference and of the errors members are known to get.
  describe('an organization trail seen from a member account', () => {
    const list = async () => {
      const items: TrailItem[] = []
      for await (const page of trail.list(ctx)) items.push(...page)
      return items
    }

    it('is collected in its home region with what the member may read, the refused parts null', async () => {
      const cloudTrail = mockClient(CloudTrailClient)
      try {
        cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [organizationTrailListed]})
        cloudTrail.on(GetTrailStatusCommand).resolves(organizationTrail.Status ?? {})
        const wrongAccount = `AccountID in ARN is wrong, you can only access resources with AccountID ${ctx.accountId}.`
        cloudTrail.on(GetEventSelectorsCommand).rejects(Object.assign(awsError('CloudTrailARNInvalidException', 400), {message: wrongAccount}))
        cloudTrail.on(ListTagsCommand).rejects(Object.assign(awsError('CloudTrailARNInvalidException', 400), {message: wrongAccount}))

        const items = await list()
        expect(items).toEqual([organizationTrail])
        // Read by ARN: members must name an organization trail by its full ARN.
        expect(cloudTrail.commandCalls(GetTrailStatusCommand)[0]?.args[0].input).toEqual({Name: organizationTrailArn})

        const resource = await trail.toResource(items[0]!, ctx)
        // Stored in the member's snapshot as the member's (it covers the member), under the trail's own ARN.
        expect(resource).toMatchObject({arn: organizationTrailArn, accountId: ctx.accountId, region: 'us-east-1', tags: {}})
        expect(resource.configuration).toMatchObject({IsOrganizationTrail: true, Status: {IsLogging: true}, EventSelectors: null, AdvancedEventSelectors: null, Tags: null})
      } finally {
        cloudTrail.restore()
      }
    })

    it('is kept when every read is refused (denied, or an unknown trail for this account), never failing the cell', async () => {
      const cloudTrail = mockClient(CloudTrailClient)
      try {
        cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [organizationTrailListed]})
        cloudTrail.on(GetTrailStatusCommand).rejects(awsError('TrailNotFoundException', 400))
        cloudTrail.on(GetEventSelectorsCommand).rejects(awsError('AccessDeniedException', 400))
        cloudTrail.on(ListTagsCommand).rejects(awsError('AccessDeniedException', 400))
        expect(await list()).toEqual([{...organizationTrailListed, Status: null, EventSelectors: null, AdvancedEventSelectors: null, Tags: null}])
      } finally {
        cloudTrail.restore()
      }
    })

    it('still fails the cell on an error that is not a refusal', async () => {
      const cloudTrail = mockClient(CloudTrailClient)
      try {
        cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [organizationTrailListed]})
        cloudTrail.on(GetTrailStatusCommand).rejects(awsError('ThrottlingException', 400))
        cloudTrail.on(GetEventSelectorsCommand).resolves({})
        cloudTrail.on(ListTagsCommand).resolves({})
        await expect(list()).rejects.toMatchObject({name: 'ThrottlingException'})
      } finally {
        cloudTrail.restore()
      }
    })

    it('is left to the cell of its home region', async () => {
      const cloudTrail = mockClient(CloudTrailClient)
      try {
        cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [organizationTrailListed]})
        const items: TrailItem[] = []
        for await (const page of trail.list(testContext({region: 'eu-west-1', regions: ['us-east-1', 'eu-west-1']}))) items.push(...page)
        expect(items).toEqual([])
        expect(cloudTrail.commandCalls(GetTrailStatusCommand)).toEqual([])
      } finally {
        cloudTrail.restore()
      }
    })

    it('names its owner: the management account, not the member it was collected in', async () => {
      expect(otherOwnerOf(await trail.toResource(organizationTrail, ctx))).toBe(managementAccount)
      expect(otherOwnerOf(await trail.toResource(audit, ctx))).toBeUndefined()
    })
  })

  describe('a multi-region trail homed in a region the run does not collect', () => {
    const {Status, EventSelectors, AdvancedEventSelectors, Tags, ...listed} = audit
    const homedInTokyo = {...listed, Name: 'tokyo', HomeRegion: 'ap-northeast-1', TrailARN: 'arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/tokyo'}
    const singleRegionElsewhere = {...homedInTokyo, Name: 'osaka', HomeRegion: 'ap-northeast-3', IsMultiRegionTrail: false, TrailARN: 'arn:aws:cloudtrail:ap-northeast-3:123456789012:trail/osaka'}
    const list = async (region: string, regions: string[]) => {
      const items: TrailItem[] = []
      for await (const page of trail.list(testContext({region, regions}))) items.push(...page)
      return items
    }

    it('is kept once, by the first of the run\'s regions, and read there through its home region', async () => {
      const cloudTrail = mockClient(CloudTrailClient)
      try {
        cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [homedInTokyo, singleRegionElsewhere]})
        cloudTrail.on(GetTrailStatusCommand).resolves(Status ?? {})
        cloudTrail.on(GetEventSelectorsCommand).resolves({EventSelectors: EventSelectors ?? [], AdvancedEventSelectors: AdvancedEventSelectors ?? []})
        cloudTrail.on(ListTagsCommand).resolves({ResourceTagList: [{ResourceId: homedInTokyo.TrailARN, TagsList: Tags ?? []}]})

        // us-east-1 is not the first of the run's regions (eu-west-1 is): it leaves the trail to eu-west-1.
        expect(await list('us-east-1', ['us-east-1', 'eu-west-1'])).toEqual([])
        expect(cloudTrail.commandCalls(GetTrailStatusCommand)).toEqual([])

        const items = await list('eu-west-1', ['us-east-1', 'eu-west-1'])
        // A single-region trail is never listed outside its home region; were it, it would not log the run's regions.
        expect(items).toEqual([{...homedInTokyo, Status, EventSelectors, AdvancedEventSelectors, Tags}])
        const regions = await Promise.all(
          [...cloudTrail.commandCalls(GetTrailStatusCommand), ...cloudTrail.commandCalls(GetEventSelectorsCommand), ...cloudTrail.commandCalls(ListTagsCommand)].map((c) =>
            (c.thisValue as CloudTrailClient).config.region(),
          ),
        )
        expect(regions).toEqual(['ap-northeast-1', 'ap-northeast-1', 'ap-northeast-1'])

        const resource = await trail.toResource(items[0]!, testContext({region: 'eu-west-1'}))
        expect(resource).toMatchObject({region: 'eu-west-1', configuration: {HomeRegion: 'ap-northeast-1'}})
        expect(adoptedHomeRegion(resource)).toBe('ap-northeast-1')
        expect(adoptedHomeRegion(await trail.toResource(audit, ctx))).toBeUndefined()
        expect(trail.deleter?.steps(resource)[0]?.description).toBe(`Delete trail tokyo in its home region ap-northeast-1 (the logs it delivered stay in bucket ${audit.S3BucketName})`)
      } finally {
        cloudTrail.restore()
      }
    })

    it('keeps the parts its home region denies as null, and drops a trail deleted since it was listed', async () => {
      const cloudTrail = mockClient(CloudTrailClient)
      try {
        const gone = {...homedInTokyo, Name: 'gone', TrailARN: 'arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/gone'}
        cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [homedInTokyo, gone]})
        cloudTrail.on(GetTrailStatusCommand, {Name: homedInTokyo.TrailARN}).rejects(awsError('AccessDeniedException', 400))
        cloudTrail.on(GetTrailStatusCommand, {Name: gone.TrailARN}).rejects(awsError('TrailNotFoundException', 400))
        cloudTrail.on(GetEventSelectorsCommand).rejects(awsError('AccessDeniedException', 400))
        cloudTrail.on(ListTagsCommand).rejects(awsError('AccessDeniedException', 400))
        expect(await list('us-east-1', ['us-east-1'])).toEqual([{...homedInTokyo, Status: null, EventSelectors: null, AdvancedEventSelectors: null, Tags: null}])

        cloudTrail.on(GetTrailStatusCommand, {Name: homedInTokyo.TrailARN}).rejects(awsError('ThrottlingException', 400))
        await expect(list('us-east-1', ['us-east-1'])).rejects.toMatchObject({name: 'ThrottlingException'})
      } finally {
        cloudTrail.restore()
      }
    })
  })

  it('lets a denial of the status call of its own trail through, so the cell is recorded as denied', async () => {
    const cloudTrail = mockClient(CloudTrailClient)
    try {
      cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [{Name: 'audit', TrailARN: auditArn, HomeRegion: 'us-east-1'}]})
      cloudTrail.on(GetTrailStatusCommand).rejects(awsError('AccessDeniedException', 400))
      cloudTrail.on(GetEventSelectorsCommand).resolves({})
      cloudTrail.on(ListTagsCommand).resolves({})
      await expect(trail.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDeniedException'})
    } finally {
      cloudTrail.restore()
    }
  })

  it('is deleted by name in its home region, its delivered logs left in the bucket', async () => {
    expect(trail.deleter?.steps(await trail.toResource(audit, ctx))).toEqual([
      {action: 'delete-trail', description: `Delete trail audit in its home region us-east-1 (the logs it delivered stay in bucket ${audit.S3BucketName})`, params: {name: 'audit'}},
    ])
  })
})
