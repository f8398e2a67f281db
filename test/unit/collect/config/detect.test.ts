import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  type RecordingGroup,
} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../../src/aws/clients.js'
import {
  ConfigDetector,
  type RecorderView,
  type RegionConfigState,
  combineRecorders,
  decideSource,
  describeRecordingGroup,
  detectRegion,
  groupRecords,
  viewRecordingGroup,
} from '../../../../src/collect/config/detect.js'

const awsError = (name: string, status = 400, message = name) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}})

describe('viewRecordingGroup: every recording-group shape', () => {
  it.each<[string, RecordingGroup | undefined, ReturnType<typeof viewRecordingGroup>]>([
    [
      'an absent group (AWS default: all supported, no global types)',
      undefined,
      {strategy: 'ALL_SUPPORTED_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: [], excludedResourceTypes: []},
    ],
    [
      'allSupported with global types',
      {allSupported: true, includeGlobalResourceTypes: true, recordingStrategy: {useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES'}},
      {strategy: 'ALL_SUPPORTED_RESOURCE_TYPES', includeGlobalResourceTypes: true, resourceTypes: [], excludedResourceTypes: []},
    ],
    [
      'allSupported from a recorder older than recording strategies',
      {allSupported: true, includeGlobalResourceTypes: false},
      {strategy: 'ALL_SUPPORTED_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: [], excludedResourceTypes: []},
    ],
    [
      'an explicit type list',
      {allSupported: false, resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'], recordingStrategy: {useOnly: 'INCLUSION_BY_RESOURCE_TYPES'}},
      {strategy: 'INCLUSION_BY_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'], excludedResourceTypes: []},
    ],
    [
      'an explicit type list without a strategy',
      {allSupported: false, resourceTypes: ['AWS::EC2::VPC']},
      {strategy: 'INCLUSION_BY_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: ['AWS::EC2::VPC'], excludedResourceTypes: []},
    ],
    [
      'an exclusion list',
      {allSupported: false, exclusionByResourceTypes: {resourceTypes: ['AWS::EC2::VPC']}, recordingStrategy: {useOnly: 'EXCLUSION_BY_RESOURCE_TYPES'}},
      {strategy: 'EXCLUSION_BY_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: [], excludedResourceTypes: ['AWS::EC2::VPC']},
    ],
    [
      'an exclusion list without a strategy',
      {allSupported: false, resourceTypes: [], exclusionByResourceTypes: {resourceTypes: ['AWS::EC2::Subnet']}},
      {strategy: 'EXCLUSION_BY_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: [], excludedResourceTypes: ['AWS::EC2::Subnet']},
    ],
    [
      'a group that records nothing',
      {allSupported: false, resourceTypes: [], exclusionByResourceTypes: {resourceTypes: []}},
      {strategy: 'NONE', includeGlobalResourceTypes: false, resourceTypes: [], excludedResourceTypes: []},
    ],
  ])('reads %s', (_label, group, expected) => {
    expect(viewRecordingGroup(group)).toEqual(expected)
  })

  it('trusts recordingStrategy over a contradicting allSupported', () => {
    expect(viewRecordingGroup({allSupported: true, resourceTypes: ['AWS::EC2::VPC'], recordingStrategy: {useOnly: 'INCLUSION_BY_RESOURCE_TYPES'}}).strategy).toBe(
      'INCLUSION_BY_RESOURCE_TYPES',
    )
  })
})

describe('groupRecords: is type T recorded in region R', () => {
  const all = viewRecordingGroup({allSupported: true, includeGlobalResourceTypes: false})
  const allWithGlobal = viewRecordingGroup({allSupported: true, includeGlobalResourceTypes: true})
  const inclusion = viewRecordingGroup({allSupported: false, resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role']})
  const exclusion = viewRecordingGroup({exclusionByResourceTypes: {resourceTypes: ['AWS::EC2::VPC', 'AWS::IAM::User']}, recordingStrategy: {useOnly: 'EXCLUSION_BY_RESOURCE_TYPES'}})
  const none = viewRecordingGroup({allSupported: false})

  it.each([
    ['all supported', all, 'AWS::EC2::VPC', 'regional', 'us-east-1', true],
    ['all supported', all, 'AWS::IAM::Role', 'global', 'us-east-1', false],
    ['all supported with global types', allWithGlobal, 'AWS::IAM::Role', 'global', 'us-east-1', true],
    ['all supported with global types', allWithGlobal, 'AWS::EC2::VPC', 'regional', 'eu-west-1', true],
    ['all supported with global types, in a region without IAM recording', allWithGlobal, 'AWS::IAM::Role', 'global', 'il-central-1', false],
    ['all supported, regional type in a newer region', allWithGlobal, 'AWS::EC2::VPC', 'regional', 'il-central-1', true],
    ['an inclusion list', inclusion, 'AWS::S3::Bucket', 'regional', 'us-east-1', true],
    ['an inclusion list', inclusion, 'AWS::EC2::VPC', 'regional', 'us-east-1', false],
    ['an inclusion list naming a global type', inclusion, 'AWS::IAM::Role', 'global', 'us-east-1', true],
    ['an inclusion list not naming a global type', inclusion, 'AWS::IAM::Policy', 'global', 'us-east-1', false],
    ['an inclusion list naming a global type, in a region without IAM recording', inclusion, 'AWS::IAM::Role', 'global', 'ca-west-1', false],
    ['an exclusion list', exclusion, 'AWS::EC2::VPC', 'regional', 'us-east-1', false],
    ['an exclusion list', exclusion, 'AWS::EC2::Subnet', 'regional', 'us-east-1', true],
    ['an exclusion list, global type not excluded', exclusion, 'AWS::IAM::Role', 'global', 'us-east-1', true],
    ['an exclusion list, global type excluded', exclusion, 'AWS::IAM::User', 'global', 'us-east-1', false],
    ['an exclusion list, global type in a region without IAM recording', exclusion, 'AWS::IAM::Role', 'global', 'me-central-1', false],
    ['a group recording nothing', none, 'AWS::EC2::VPC', 'regional', 'us-east-1', false],
    ['a group recording nothing', none, 'AWS::IAM::Role', 'global', 'us-east-1', false],
    // The account public access block is collected once per account but recorded like a regional type.
    ['all supported, without global IAM types: the account public access block', all, 'AWS::S3::AccountPublicAccessBlock', 'global', 'us-east-1', true],
    ['all supported: the account public access block in a newer region', all, 'AWS::S3::AccountPublicAccessBlock', 'global', 'il-central-1', true],
    ['an inclusion list not naming the account public access block', inclusion, 'AWS::S3::AccountPublicAccessBlock', 'global', 'us-east-1', false],
  ] as const)('%s: %s (%s) in %s → %s', (_label, group, type, scope, region, expected) => {
    expect(groupRecords(group, type, region, scope)).toBe(expected)
  })

  it('describes each group for people', () => {
    expect(describeRecordingGroup(allWithGlobal)).toBe('all supported types (with global IAM types)')
    expect(describeRecordingGroup(all)).toBe('all supported types (without global IAM types)')
    expect(describeRecordingGroup(inclusion)).toBe('only AWS::S3::Bucket, AWS::IAM::Role')
    expect(describeRecordingGroup(exclusion)).toBe('all supported types except AWS::EC2::VPC, AWS::IAM::User')
    expect(describeRecordingGroup(none)).toBe('nothing')
  })
})

describe('decideSource', () => {
  const recorder = (overrides: Partial<RecorderView> = {}): RecorderView => ({
    name: 'default',
    recording: true,
    lastStatus: 'Success',
    lastStatusChangeTime: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    recordingGroup: viewRecordingGroup({allSupported: false, resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role']}),
    ...overrides,
  })
  const available = (...recorders: RecorderView[]): RegionConfigState => ({region: 'us-east-1', kind: 'available', recorders})
  const bucket = {type: 'AWS::S3::Bucket', scope: 'regional', mapped: true} as const
  const role = {type: 'AWS::IAM::Role', scope: 'global', mapped: true} as const

  it('uses Config when a healthy recording recorder records a mapped type', () => {
    expect(decideSource(available(recorder()), bucket)).toEqual({useConfig: true, reason: 'AWS Config: recorder "default" records this type'})
    expect(decideSource(available(recorder({lastStatus: 'PENDING'})), role)).toMatchObject({useConfig: true})
  })

  it.each<[string, RegionConfigState, {type: string; scope: 'regional' | 'global'; mapped: boolean}, RegExp]>([
    [
      'Config not offered in the region',
      {region: 'ap-east-2', kind: 'unavailable', error: {kind: 'unsupported_region', code: 'UnsupportedOperation', message: 'x'}},
      bucket,
      /^AWS Config: not available in ap-east-2 \(UnsupportedOperation\)$/,
    ],
    [
      'an endpoint that cannot be reached',
      {region: 'xx-east-1', kind: 'unavailable', error: {kind: 'endpoint_unreachable', code: 'ENOTFOUND', message: 'x'}},
      bucket,
      /^AWS Config: endpoint not reachable in xx-east-1 \(ENOTFOUND\)$/,
    ],
    [
      'a denied detection',
      {region: 'us-east-1', kind: 'failed', error: {kind: 'access_denied', code: 'AccessDeniedException', message: 'x'}},
      bucket,
      /^AWS Config failed \(AccessDeniedException\); direct API$/,
    ],
    ['no recorder', available(), bucket, /^AWS Config: no configuration recorder in us-east-1$/],
    ['a stopped recorder', available(recorder({recording: false})), bucket, /^AWS Config: recorder not recording \(default\)$/],
    ['a failing recorder', available(recorder({lastStatus: 'Failure', lastErrorCode: 'NoSuchBucket'})), bucket, /^AWS Config: recorder failing \(default: NoSuchBucket\)$/],
    ['a type awsinv cannot read from Config', available(recorder()), {...bucket, mapped: false}, /^AWS Config: no Config mapping for this type in awsinv$/],
    ['a type outside the recording group', available(recorder()), {type: 'AWS::EC2::VPC', scope: 'regional', mapped: true}, /^AWS Config: type not recorded$/],
    ['a global type the home recorder does not record', available(recorder()), {type: 'AWS::IAM::Policy', scope: 'global', mapped: true}, /^AWS Config: type not recorded \(global types/],
  ])('falls back to the direct API for %s', (_label, state, target, reason) => {
    const decision = decideSource(state, target)
    expect(decision.useConfig).toBe(false)
    expect(decision.reason).toMatch(reason)
  })

  it('uses any recording recorder that records the type', () => {
    const stopped = recorder({name: 'old', recording: false, recordingGroup: viewRecordingGroup(undefined)})
    const running = recorder({name: 'new'})
    expect(decideSource(available(stopped, running), bucket)).toEqual({useConfig: true, reason: 'AWS Config: recorder "new" records this type'})
    expect(decideSource(available(stopped, running), {type: 'AWS::EC2::VPC', scope: 'regional', mapped: true}).useConfig).toBe(false)
  })
})

describe('detecting a region', () => {
  const config = mockClient(ConfigServiceClient)
  let clients: AwsClients
  beforeEach(() => {
    config.reset()
    clients = new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1')
  })
  afterEach(() => clients.destroy())

  it('joins recorders with their status', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({
      ConfigurationRecorders: [{name: 'default', recordingGroup: {allSupported: true, includeGlobalResourceTypes: true}}],
    })
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({
      ConfigurationRecordersStatus: [{name: 'default', recording: true, lastStatus: 'Success', lastStatusChangeTime: new Date('2024-05-01T00:00:00Z')}],
    })
    expect(await detectRegion(clients, 'eu-west-1')).toEqual({
      region: 'eu-west-1',
      kind: 'available',
      recorders: [
        {
          name: 'default',
          recording: true,
          lastStatus: 'Success',
          lastStatusChangeTime: '2024-05-01T00:00:00.000Z',
          lastErrorCode: null,
          lastErrorMessage: null,
          recordingGroup: {strategy: 'ALL_SUPPORTED_RESOURCE_TYPES', includeGlobalResourceTypes: true, resourceTypes: [], excludedResourceTypes: []},
        },
      ],
    })
  })

  it('treats a recorder without a status as not recording', () => {
    expect(combineRecorders([{name: 'default'}], [])[0]).toMatchObject({name: 'default', recording: false, lastStatus: null})
  })

  it('reads "no recorder" from an empty answer and from NoSuchConfigurationRecorderException', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({ConfigurationRecorders: []})
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    expect(await detectRegion(clients, 'us-east-1')).toEqual({region: 'us-east-1', kind: 'available', recorders: []})
    config.on(DescribeConfigurationRecordersCommand).rejects(awsError('NoSuchConfigurationRecorderException'))
    expect(await detectRegion(clients, 'us-east-1')).toEqual({region: 'us-east-1', kind: 'available', recorders: []})
  })

  it.each([
    ['access denied', awsError('AccessDeniedException', 400, 'User: x is not authorized to perform: config:DescribeConfigurationRecorders'), 'failed', 'access_denied'],
    ['throttling', awsError('ThrottlingException'), 'failed', 'throttled'],
    ['a region not enabled (the token is unknown there)', awsError('UnrecognizedClientException'), 'unavailable', 'invalid_credentials'],
    ['an unsupported operation', awsError('UnsupportedOperation'), 'unavailable', 'unsupported_region'],
    ['no endpoint for the region', Object.assign(new Error('getaddrinfo ENOTFOUND config.xx-east-1.amazonaws.com'), {code: 'ENOTFOUND'}), 'unavailable', 'endpoint_unreachable'],
  ])('never throws: %s becomes a %s state', async (_label, error, kind, errorKind) => {
    config.on(DescribeConfigurationRecordersCommand).rejects(error)
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    const state = await detectRegion(clients, 'us-east-1')
    expect(state.kind).toBe(kind)
    expect(state.kind !== 'available' && state.error.kind).toBe(errorKind)
  })

  it('detects each region once per run', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({ConfigurationRecorders: []})
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    const detector = new ConfigDetector(clients)
    const states = await detector.regions(['us-east-1', 'eu-west-1', 'us-east-1'])
    await detector.region('eu-west-1')
    await detector.regions(['eu-west-1', 'us-east-1'])
    expect([...states.keys()]).toEqual(['us-east-1', 'eu-west-1'])
    expect(config.commandCalls(DescribeConfigurationRecordersCommand)).toHaveLength(2)
    expect(config.commandCalls(DescribeConfigurationRecorderStatusCommand)).toHaveLength(2)
  })
})
