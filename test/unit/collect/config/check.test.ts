import {ConfigServiceClient, DescribeConfigurationRecorderStatusCommand, DescribeConfigurationRecordersCommand} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../../src/aws/clients.js'
import type {AwsSession} from '../../../../src/aws/session.js'
import {checkConfig} from '../../../../src/collect/config/check.js'
import {fakeConfigSpec} from '../../../support/config-fakes.js'

describe('checkConfig', () => {
  const config = mockClient(ConfigServiceClient)
  let session: AwsSession
  beforeEach(() => {
    config.reset()
    session = {
      clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1'),
      homeRegion: 'us-east-1',
      identity: {accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/me', userId: 'AIDA', partition: 'aws'},
      notes: [],
    }
  })
  afterEach(() => session.clients.destroy())

  it('reports each region\'s recorders and the source of every type, global types from the home region', async () => {
    // us-east-1 records the fake type; eu-west-1 has no recorder; ap-south-1 denies the calls.
    const recorders = {ConfigurationRecorders: [{name: 'default', recordingGroup: {allSupported: false, resourceTypes: ['AWS::Test::Thing' as never]}}]}
    const status = {ConfigurationRecordersStatus: [{name: 'default', recording: true, lastStatus: 'Success' as const}]}
    const region = async (client: unknown) => (client as {config: {region: () => Promise<string>}}).config.region()
    config.on(DescribeConfigurationRecordersCommand).callsFake(async (_input, getClient: () => unknown) => {
      const r = await region(getClient())
      if (r === 'ap-south-1') throw Object.assign(new Error('denied'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 400}})
      return r === 'us-east-1' ? recorders : {ConfigurationRecorders: []}
    })
    config.on(DescribeConfigurationRecorderStatusCommand).callsFake(async (_input, getClient: () => unknown) => ((await region(getClient())) === 'us-east-1' ? status : {ConfigurationRecordersStatus: []}))

    const thing = fakeConfigSpec()
    const global = fakeConfigSpec({type: 'AWS::Test::Global', scope: 'global'})
    const report = await checkConfig(session, ['eu-west-1', 'ap-south-1'], [thing, global])

    expect(report.regions.map((r) => [r.region, r.status, r.home, r.errorCode, r.recorders.map((x) => x.records)])).toEqual([
      ['eu-west-1', 'available', false, null, []],
      ['ap-south-1', 'failed', false, 'AccessDeniedException', []],
      ['us-east-1', 'available', true, null, ['only AWS::Test::Thing']],
    ])
    expect(report.types).toEqual([
      {region: 'eu-west-1', type: 'AWS::Test::Thing', source: 'api', reason: 'AWS Config: no configuration recorder in eu-west-1'},
      {region: 'ap-south-1', type: 'AWS::Test::Thing', source: 'api', reason: 'AWS Config failed (AccessDeniedException); direct API'},
      {region: 'global', type: 'AWS::Test::Global', source: 'api', reason: expect.stringMatching(/^AWS Config: type not recorded/)},
    ])
  })
})
