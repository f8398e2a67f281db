import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  NoSuchConfigurationRecorderException,
} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {categorize} from '../../../../src/diff/categories.js'
import {prepareForDiff} from '../../../../src/diff/normalize.js'
import {type RecorderStatusItem, recorderStatus} from '../../../../src/resources/config/recorder-status.js'
import {testContext} from '../../../support/context.js'

/** What the emulator (moto 5.2) answers for a started recorder recording every supported type. */
const recorders = {
  ConfigurationRecorders: [
    {
      name: 'default',
      roleARN: 'arn:aws:iam::123456789012:role/aws-config-recorder',
      recordingGroup: {
        allSupported: true,
        includeGlobalResourceTypes: false,
        resourceTypes: [],
        exclusionByResourceTypes: {resourceTypes: []},
        recordingStrategy: {useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' as const},
      },
    },
  ],
}
const statuses = {
  ConfigurationRecordersStatus: [
    {name: 'default', lastStartTime: new Date('2026-12-05T07:24:04.000Z'), recording: true, lastStatus: 'PENDING' as never, lastStatusChangeTime: new Date('2026-12-05T07:24:04.000Z')},
  ],
}

describe('Account::Config::RecorderStatus', () => {
  const config = mockClient(ConfigServiceClient)
  afterEach(() => config.reset())
  afterAll(() => config.restore())

  async function listAll(): Promise<RecorderStatusItem[]> {
    const items: RecorderStatusItem[] = []
    for await (const page of recorderStatus.list(testContext({region: 'eu-west-1'}))) items.push(...page)
    return items
  }

  it('joins each recorder with its status, in one setting per region', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves(recorders)
    config.on(DescribeConfigurationRecorderStatusCommand).resolves(statuses)
    const items = await listAll()
    expect(items).toEqual([
      {
        Recorders: [
          {
            ...recorders.ConfigurationRecorders[0],
            status: {lastStartTime: new Date('2026-12-05T07:24:04.000Z'), recording: true, lastStatus: 'PENDING', lastStatusChangeTime: new Date('2026-12-05T07:24:04.000Z')},
          },
        ],
      },
    ])
    const resource = await recorderStatus.toResource(items[0]!, testContext({region: 'eu-west-1'}))
    expect(resource).toMatchObject({
      arn: 'arn:aws:config:eu-west-1:123456789012:recorder-status',
      id: '123456789012',
      name: 'recorder-status',
      region: 'eu-west-1',
      createdAt: null,
      tags: {},
    })
    expect(resource.configuration).toMatchObject({Recorders: [{name: 'default', status: {recording: true, lastStatus: 'PENDING', lastStartTime: '2026-12-05T07:24:04.000Z'}}]})
    expect(recorderStatus).toMatchObject({untagged: true, singleton: true})
  })

  it('says "no recorder" explicitly, whether Config answers an empty list or NoSuchConfigurationRecorder', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({ConfigurationRecorders: []})
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    expect(await listAll()).toEqual([{Recorders: []}])
    config.on(DescribeConfigurationRecordersCommand).rejects(new NoSuchConfigurationRecorderException({message: 'none', $metadata: {httpStatusCode: 400}}))
    expect(await listAll()).toEqual([{Recorders: []}])
    expect((await recorderStatus.toResource({Recorders: []}, testContext())).configuration).toEqual({Recorders: []})
  })

  it('gives a recorder without a status a null one, and lets a denial through', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves(recorders)
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ConfigurationRecordersStatus: []})
    expect((await listAll())[0]?.Recorders[0]?.status).toBeNull()
    config.on(DescribeConfigurationRecorderStatusCommand).rejects(Object.assign(new Error('not authorized'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 400}}))
    await expect(listAll()).rejects.toMatchObject({name: 'AccessDeniedException'})
  })

  it('reports recording on/off as state drift and ignores the status change time', async () => {
    const {configuration} = await recorderStatus.toResource({Recorders: [{...recorders.ConfigurationRecorders[0]!, status: statuses.ConfigurationRecordersStatus[0]!}]}, testContext())
    const compared = prepareForDiff(configuration, recorderStatus) as {Recorders: Record<string, {status: Record<string, unknown>}>}
    const [recorder] = Object.values(compared.Recorders)
    expect(recorder?.status).not.toHaveProperty('lastStatusChangeTime')
    expect(recorder?.status).toMatchObject({recording: true})
    expect(categorize([{field: 'Recorders'}, {key: 'default'}, {field: 'status'}, {field: 'recording'}], recorderStatus)).toBe('state')
  })
})
