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

/** The management account of the organization whose trail `organizationTrail` is. */
export const managementAccount = '111111111111'

export const organizationTrailArn = `arn:aws:cloudtrail:us-east-1:${managementAccount}:trail/aws-controltower-BaselineCloudTrail`

/**
 * The DescribeTrails entry of an organization trail (Control Tower's) as a member account is shown it, in
 * the shape of the API reference's TrailList: the emulator has no organizations, so it cannot produce one.
 * Its ARN names the management account; its bucket is in the log archive account.
 */
export const organizationTrailListed = {
  Name: 'aws-controltower-BaselineCloudTrail',
  S3BucketName: 'aws-controltower-logs-222222222222-us-east-1',
  S3KeyPrefix: 'o-a1b2c3d4e5',
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: 'us-east-1',
  TrailARN: organizationTrailArn,
  LogFileValidationEnabled: true,
  CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${managementAccount}:log-group:aws-controltower/CloudTrailLogs:*`,
  CloudWatchLogsRoleArn: `arn:aws:iam::${managementAccount}:role/aws-controltower-CloudWatchLogsRole`,
  KmsKeyId: `arn:aws:kms:us-east-1:${managementAccount}:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`,
  HasCustomEventSelectors: false,
  HasInsightSelectors: false,
  IsOrganizationTrail: true,
}

/** The organization trail as list() yields it in a member account that may read its status but not its selectors or tags. */
export const organizationTrail: TrailItem = {
  ...organizationTrailListed,
  Status: {...audit.Status},
  EventSelectors: null,
  AdvancedEventSelectors: null,
  Tags: null,
}
