import {CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, ListTagsCommand} from '@aws-sdk/client-cloudtrail'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {trail, type TrailItem} from '../../../../src/resources/cloudtrail/trail.js'
import {awsError} from '../../../support/aws-error.js'
import {testContext} from '../../../support/context.js'
import {audit, auditArn, local} from '../../../support/trail-items.js'

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

  it('uses its bucket, topic and CloudWatch Logs role', async () => {
    expect(trail.relationships?.(await trail.toResource(audit, ctx))).toEqual([
      {type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::audit-logs', kind: 'uses'},
      {type: 'AWS::SNS::Topic', arn: 'arn:aws:sns:us-east-1:123456789012:audit-topic', kind: 'uses'},
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
    expect(trail.dependsOn).toEqual(['AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::IAM::Role'])
  })

  it('describes each trail of its home region once, skipping a trail deleted since it was listed', async () => {
    const cloudTrail = mockClient(CloudTrailClient)
    try {
      const goneArn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/gone'
      const {Status, EventSelectors, AdvancedEventSelectors, Tags, ...listed} = audit
      cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [listed, {Name: 'gone', TrailARN: goneArn, HomeRegion: 'us-east-1'}]})
      cloudTrail.on(GetTrailStatusCommand, {Name: auditArn}).resolves(Status)
      cloudTrail.on(GetTrailStatusCommand, {Name: goneArn}).rejects(awsError('TrailNotFoundException', 400))
      cloudTrail.on(GetEventSelectorsCommand).resolves({TrailARN: auditArn, EventSelectors, AdvancedEventSelectors})
      cloudTrail.on(ListTagsCommand).resolves({ResourceTagList: [{ResourceId: auditArn, TagsList: Tags}]})

      const items: TrailItem[] = []
      for await (const page of trail.list(ctx)) items.push(...page)

      expect(items).toEqual([audit])
      expect(cloudTrail.commandCalls(DescribeTrailsCommand)[0]?.args[0].input).toEqual({includeShadowTrails: false})
      expect(cloudTrail.commandCalls(ListTagsCommand)[0]?.args[0].input).toEqual({ResourceIdList: [auditArn]})
    } finally {
      cloudTrail.restore()
    }
  })

  it('lets a denial of the status call through, so the cell is recorded as denied', async () => {
    const cloudTrail = mockClient(CloudTrailClient)
    try {
      cloudTrail.on(DescribeTrailsCommand).resolves({trailList: [{Name: 'audit', TrailARN: auditArn}]})
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
