import type {ConfigurationRecorder, ConfigurationRecorderStatus} from '@aws-sdk/client-config-service'

import {classifyError} from '../../aws/errors.js'
import {accountSettingResource, accountSettingTraits} from '../account-setting.js'
import {orderSets} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

/** A configuration recorder (DescribeConfigurationRecorders) with its status (DescribeConfigurationRecorderStatus). */
export interface RecorderWithStatus extends ConfigurationRecorder {
  /** The recorder's status: `recording`, `lastStatus` (`Pending`, `Success`, `Failure`), last error and times; null when AWS reports none. */
  status: Omit<ConfigurationRecorderStatus, 'name' | 'arn'> | null
}

/** The AWS Config recorders of a region. */
export interface RecorderStatusItem {
  /** Every recorder of the region; an empty list means the region has no configuration recorder. */
  Recorders: RecorderWithStatus[]
}

export const recorderStatus: ResourceSpec<RecorderStatusItem> = {
  type: 'Account::Config::RecorderStatus',
  service: 'config',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorderStatus.html',
  ...accountSettingTraits,

  async *list(ctx) {
    const config = await ctx.clients.get('config', ctx.region)
    try {
      const [recorders, statuses] = await Promise.all([config.describeConfigurationRecorders({}), config.describeConfigurationRecorderStatus({})])
      yield [{Recorders: joinStatuses(recorders.ConfigurationRecorders ?? [], statuses.ConfigurationRecordersStatus ?? [])}]
    } catch (error) {
      // Some endpoints say "no recorder" with this error rather than an empty list.
      if (classifyError(error).code !== 'NoSuchConfigurationRecorderException') throw error
      yield [{Recorders: []}]
    }
  },

  toResource(item, ctx) {
    return accountSettingResource(ctx, recorderStatus, 'recorder-status', orderSets({Recorders: item.Recorders}, recorderStatus.sets))
  },

  sets: {
    Recorders: 'name',
    'Recorders.*.recordingGroup.resourceTypes': '.',
    'Recorders.*.recordingGroup.exclusionByResourceTypes.resourceTypes': '.',
  },
  // Whether it records, and how its latest recording went, is the recorder's runtime state.
  stateFields: ['Recorders.*.status'],
  // Moves with every recording event.
  volatile: ['Recorders.*.status.lastStatusChangeTime'],
}

/** Each recorder with the status of the same name (a recorder without one gets null). */
function joinStatuses(recorders: readonly ConfigurationRecorder[], statuses: readonly ConfigurationRecorderStatus[]): RecorderWithStatus[] {
  return recorders.map((recorder) => {
    const found = statuses.find((s) => (s.name ?? 'default') === (recorder.name ?? 'default'))
    if (found === undefined) return {...recorder, status: null}
    const {name: _name, arn: _arn, ...status} = found
    return {...recorder, status}
  })
}
