import {describe, expect, it} from 'vitest'

import {configRecorderNotRecording} from '../../../../src/security/checks/config-recorder-not-recording.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

// A recorder and its status as the emulator (moto 5.2) describes them once started.
const recorder = {
  name: 'default',
  roleARN: 'arn:aws:iam::123456789012:role/aws-config-recorder',
  recordingGroup: {allSupported: true, includeGlobalResourceTypes: false, resourceTypes: [], exclusionByResourceTypes: {resourceTypes: []}, recordingStrategy: {useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES'}},
}
const started = {lastStartTime: new Date('2026-05-01T07:24:04Z'), recording: true, lastStatus: 'PENDING', lastStatusChangeTime: new Date('2026-05-01T07:24:04Z')}
// Recording the global types (IAM) too, as CIS asks of one region.
const withGlobal = {...recorder, recordingGroup: {...recorder.recordingGroup, includeGlobalResourceTypes: true}}
const recorders = (region: string, ...list: object[]) => collected('Account::Config::RecorderStatus', {Recorders: list}, region)

describe('config-recorder-not-recording', () => {
  it('passes a region whose recorder is recording, and fails a region without a recorder', async () => {
    const findings = configRecorderNotRecording.evaluate(
      scanSnapshot({resources: [await recorders('us-east-1', {...withGlobal, status: started}), await recorders('eu-west-1')]}),
    )
    expect(verdicts(findings)).toEqual([
      'FAIL arn:aws:config:eu-west-1:123456789012:recorder-status',
      'PASS arn:aws:config:us-east-1:123456789012:recorder-status',
    ])
    const missing = findings.find((f) => f.region === 'eu-west-1')
    expect(missing).toMatchObject({evidence: 'no configuration recorder in eu-west-1'})
    expect(missing?.remediation).toContain('aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::123456789012:role/<config-role> --recording-group allSupported=true --region eu-west-1')
    expect(findings.find((f) => f.region === 'us-east-1')?.evidence).toBe('configuration recorder default is recording all supported resource types')
  })

  it('fails the first passing region when no region records the global resource types', async () => {
    const regional = {...recorder, status: started}
    const findings = configRecorderNotRecording.evaluate(
      scanSnapshot({resources: [await recorders('eu-west-1', regional), await recorders('us-east-1', regional), await recorders('us-west-2')]}),
    )
    expect(verdicts(findings)).toEqual([
      'FAIL arn:aws:config:eu-west-1:123456789012:recorder-status',
      'FAIL arn:aws:config:us-west-2:123456789012:recorder-status',
      'PASS arn:aws:config:us-east-1:123456789012:recorder-status',
    ])
    expect(findings[0]).toMatchObject({
      evidence:
        'configuration recorder default records all supported resource types in eu-west-1, but no recorder in eu-west-1, us-east-1, us-west-2 records the global resource types (IAM users, groups, roles, policies); regions the snapshot did not collect were not seen',
      remediation:
        'aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::123456789012:role/aws-config-recorder --recording-group allSupported=true,includeGlobalResourceTypes=true --region eu-west-1',
    })
    // One region recording them is enough, and so is a recorder listing IAM types.
    const listing = {...recorder, recordingGroup: {...recorder.recordingGroup, allSupported: false, resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User']}, status: started}
    for (const global of [{...withGlobal, status: started}, listing]) {
      const both = configRecorderNotRecording.evaluate(scanSnapshot({resources: [await recorders('eu-west-1', regional), await recorders('us-east-1', global)]}))
      expect(both[0]).toMatchObject({status: 'PASS', region: 'eu-west-1'})
    }
  })

  it('fails a recorder that records only some resource types, or excludes some, with a command recording them all', async () => {
    const some = {...recorder, recordingGroup: {allSupported: false, includeGlobalResourceTypes: false, resourceTypes: ['AWS::EC2::Instance'], exclusionByResourceTypes: {resourceTypes: []}, recordingStrategy: {useOnly: 'INCLUSION_BY_RESOURCE_TYPES'}}, status: started}
    expect(configRecorderNotRecording.evaluate(scanSnapshot({resources: [await recorders('us-east-1', some)]}))).toMatchObject([
      {
        status: 'FAIL',
        evidence: 'configuration recorder default is recording in us-east-1, but it records only 1 resource type (AWS::EC2::Instance), not all supported ones',
        remediation:
          'aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::123456789012:role/aws-config-recorder --recording-group allSupported=true,includeGlobalResourceTypes=false --region us-east-1',
      },
    ])
    const excluding = {
      ...recorder,
      recordingGroup: {allSupported: false, includeGlobalResourceTypes: true, resourceTypes: [], exclusionByResourceTypes: {resourceTypes: ['AWS::EC2::Volume', 'AWS::S3::Bucket']}, recordingStrategy: {useOnly: 'EXCLUSION_BY_RESOURCE_TYPES'}},
      status: started,
    }
    const [excluded] = configRecorderNotRecording.evaluate(scanSnapshot({resources: [await recorders('us-east-1', excluding)]}))
    expect(excluded?.evidence).toBe('configuration recorder default is recording in us-east-1, but it excludes 2 resource types (AWS::EC2::Volume, AWS::S3::Bucket)')
    expect(excluded?.remediation).toContain('--recording-group allSupported=true,includeGlobalResourceTypes=true ')
  })

  it('fails a stopped recorder, and one whose last recording failed', async () => {
    const stopped = configRecorderNotRecording.evaluate(
      scanSnapshot({resources: [await recorders('us-east-1', {...recorder, status: {...started, recording: false, lastStopTime: new Date('2026-05-02T00:00:00Z')}})]}),
    )
    expect(stopped).toMatchObject([
      {status: 'FAIL', evidence: 'configuration recorder default is not recording in us-east-1', remediation: 'aws configservice start-configuration-recorder --configuration-recorder-name default --region us-east-1'},
    ])
    const failing = configRecorderNotRecording.evaluate(
      scanSnapshot({resources: [await recorders('us-east-1', {...recorder, status: {...started, lastStatus: 'Failure', lastErrorCode: 'AccessDeniedException', lastErrorMessage: 'cannot assume role'}})]}),
    )
    expect(failing).toMatchObject([{status: 'FAIL', evidence: 'configuration recorder default is recording but its last recording failed (AccessDeniedException: cannot assume role)'}])
    // A recorder without any status is not recording.
    expect(verdicts(configRecorderNotRecording.evaluate(scanSnapshot({resources: [await recorders('us-east-1', {...recorder, status: null})]})))).toEqual([
      'FAIL arn:aws:config:us-east-1:123456789012:recorder-status',
    ])
  })

  it('is UNKNOWN for a region whose recorders could not be read', () => {
    const snapshot = scanSnapshot({cells: {'Account::Config::RecorderStatus': [{region: 'eu-west-1', status: 'access_denied', error: 'config:DescribeConfigurationRecorders denied'}]}})
    expect(verdicts(configRecorderNotRecording.evaluate(snapshot))).toEqual(['UNKNOWN 123456789012/eu-west-1'])
  })
})
