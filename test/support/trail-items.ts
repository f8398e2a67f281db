import type {TrailItem} from '../../src/resources/cloudtrail/trail.js'

/*
 * Trails as AWS::CloudTrail::Trail's list() yields them, captured from the emulator (moto 5.2); shared by
 * the spec's tests and the CloudTrail checks' tests.
 */

export const auditArn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/audit'

/** Captured from the emulator (moto 5.2): a multi-region, logging trail with validation, KMS, SNS and a basic selector. */
export const audit: TrailItem = {
  Name: 'audit',
  S3BucketName: 'audit-logs',
  S3KeyPrefix: 'ct',
  SnsTopicName: 'audit-topic',
  SnsTopicARN: 'arn:aws:sns:us-east-1:123456789012:audit-topic',
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: 'us-east-1',
  TrailARN: auditArn,
  LogFileValidationEnabled: true,
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  HasCustomEventSelectors: false,
  HasInsightSelectors: false,
  IsOrganizationTrail: false,
  Status: {
    IsLogging: true,
    LatestDeliveryTime: new Date('2026-12-05T07:25:59.000Z'),
    StartLoggingTime: new Date('2026-12-05T07:25:59.000Z'),
    LatestDeliveryAttemptTime: '2026-12-05T07:25:59Z',
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: '',
    TimeLoggingStarted: '2026-12-05T07:25:59Z',
    TimeLoggingStopped: '',
  },
  EventSelectors: [{ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::audit-logs/']}]}],
  AdvancedEventSelectors: [],
  Tags: [{Key: 'team', Value: 'sec'}],
}

/** Captured from the emulator: a single-region trail that never logged, with an advanced selector. */
export const local: TrailItem = {
  Name: 'local',
  S3BucketName: 'audit-logs',
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: false,
  HomeRegion: 'us-east-1',
  TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/local',
  LogFileValidationEnabled: false,
  HasCustomEventSelectors: false,
  HasInsightSelectors: false,
  IsOrganizationTrail: false,
  Status: {
    IsLogging: false,
    LatestDeliveryAttemptTime: '',
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: '',
    TimeLoggingStarted: '',
    TimeLoggingStopped: '',
  },
  EventSelectors: [],
  AdvancedEventSelectors: [{FieldSelectors: [{Field: 'eventCategory', Equals: ['Management']}], Name: 'mgmt'}],
  Tags: [],
}
