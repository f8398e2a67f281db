import type {ConfigurationRecorder, ConfigurationRecorderStatus, RecordingGroup} from '@aws-sdk/client-config-service'

import type {AwsClients} from '../../aws/clients.js'
import {type ClassifiedError, classifyError} from '../../aws/errors.js'

/** How a recording group chooses the types it records (AWS's `recordingStrategy.useOnly`, or NONE). */
export type RecordingStrategy = 'ALL_SUPPORTED_RESOURCE_TYPES' | 'INCLUSION_BY_RESOURCE_TYPES' | 'EXCLUSION_BY_RESOURCE_TYPES' | 'NONE'

/** A recording group reduced to what decides whether a type is recorded. */
export interface RecordingGroupView {
  strategy: RecordingStrategy
  /** With ALL_SUPPORTED: whether the IAM global types (users, groups, roles, customer managed policies) are recorded too. */
  includeGlobalResourceTypes: boolean
  /** With INCLUSION: the types recorded. */
  resourceTypes: string[]
  /** With EXCLUSION: the types not recorded. */
  excludedResourceTypes: string[]
}

/** One configuration recorder of a region with its status. */
export interface RecorderView {
  name: string
  /** Whether the recorder is on (StartConfigurationRecorder). */
  recording: boolean
  /** `Pending`, `Success` or `Failure` for the latest recording event, when AWS reports one. */
  lastStatus: string | null
  lastStatusChangeTime: string | null
  lastErrorCode: string | null
  lastErrorMessage: string | null
  recordingGroup: RecordingGroupView
}

/** What DescribeConfigurationRecorders + DescribeConfigurationRecorderStatus said about a region. */
export type RegionConfigState =
  /** Config answered: the region's recorders (possibly none). */
  | {region: string; kind: 'available'; recorders: RecorderView[]}
  /** Config is not offered, not enabled or not reachable there. */
  | {region: string; kind: 'unavailable'; error: ClassifiedError}
  /** Config answered with an error (denied, throttled, …): it cannot be trusted for this run. */
  | {region: string; kind: 'failed'; error: ClassifiedError}

/** Which source a cell should use and why. */
export interface SourceDecision {
  useConfig: boolean
  /** Recorded as the coverage row's source_reason. */
  reason: string
}

/** The type being decided about. */
export interface TypeToDecide {
  type: string
  /** Global types (IAM) are collected once, from the home region, and follow Config's global-type rules. */
  scope: 'regional' | 'global'
  /** Whether awsinv can read the type from a Config item (its spec has `fromConfigItem`). */
  mapped: boolean
}

/**
 * Regions that AWS Config reached after February 2022: a recorder there cannot record the IAM global types
 * (users, groups, roles, customer managed policies), whatever its recording group says. Listing a region
 * wrongly here only costs the direct API, never wrong data.
 */
const regionsWithoutIamRecording = new Set([
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'mx-central-1',
])

const errorKindsMeaningUnavailable = new Set<ClassifiedError['kind']>(['not_enabled', 'unsupported_region', 'invalid_credentials'])

/** Reduces an SDK recording group to the decision-relevant view; an absent group is AWS's default (all supported, no global types). */
export function viewRecordingGroup(group: RecordingGroup | undefined): RecordingGroupView {
  const resourceTypes = [...(group?.resourceTypes ?? [])].map(String)
  const excludedResourceTypes = [...(group?.exclusionByResourceTypes?.resourceTypes ?? [])].map(String)
  let strategy: RecordingStrategy
  const useOnly = group?.recordingStrategy?.useOnly
  if (useOnly) strategy = useOnly as RecordingStrategy
  // Recorders created before recording strategies existed say it with allSupported / resourceTypes alone.
  else if (!group || group.allSupported) strategy = 'ALL_SUPPORTED_RESOURCE_TYPES'
  else if (resourceTypes.length > 0) strategy = 'INCLUSION_BY_RESOURCE_TYPES'
  else if (excludedResourceTypes.length > 0) strategy = 'EXCLUSION_BY_RESOURCE_TYPES'
  else strategy = 'NONE'
  return {strategy, includeGlobalResourceTypes: Boolean(group?.includeGlobalResourceTypes), resourceTypes, excludedResourceTypes}
}

/**
 * Whether a recording group records `type` in `region`. Global IAM types follow their own rules: with
 * ALL_SUPPORTED only when includeGlobalResourceTypes is on, with INCLUSION only when listed, with EXCLUSION
 * unless excluded, and never in regions Config reached after February 2022. Other types awsinv collects once
 * per account (the account public access block) are recorded like regional ones: includeGlobalResourceTypes
 * covers only the IAM types.
 */
export function groupRecords(group: RecordingGroupView, type: string, region: string, scope: 'regional' | 'global'): boolean {
  const iamGlobal = scope === 'global' && type.startsWith('AWS::IAM::')
  if (iamGlobal && regionsWithoutIamRecording.has(region)) return false
  switch (group.strategy) {
    case 'ALL_SUPPORTED_RESOURCE_TYPES': {
      return iamGlobal ? group.includeGlobalResourceTypes : true
    }

    case 'INCLUSION_BY_RESOURCE_TYPES': {
      return group.resourceTypes.includes(type)
    }

    case 'EXCLUSION_BY_RESOURCE_TYPES': {
      return !group.excludedResourceTypes.includes(type)
    }

    default: {
      return false
    }
  }
}

/** Summarizes what a recording group records, for people. */
export function describeRecordingGroup(group: RecordingGroupView): string {
  switch (group.strategy) {
    case 'ALL_SUPPORTED_RESOURCE_TYPES': {
      return `all supported types${group.includeGlobalResourceTypes ? ' (with global IAM types)' : ' (without global IAM types)'}`
    }

    case 'INCLUSION_BY_RESOURCE_TYPES': {
      return `only ${group.resourceTypes.join(', ')}`
    }

    case 'EXCLUSION_BY_RESOURCE_TYPES': {
      return `all supported types except ${group.excludedResourceTypes.join(', ')}`
    }

    default: {
      return 'nothing'
    }
  }
}

/**
 * Decides, from a region's detected Config state, whether a type can be read from AWS Config there: the
 * recorder must exist, be recording (and not failing), and its recording group must include the type;
 * awsinv must also know how to read the type from a configuration item. Pure.
 */
export function decideSource(state: RegionConfigState, target: TypeToDecide): SourceDecision {
  const api = (reason: string): SourceDecision => ({useConfig: false, reason})
  if (state.kind === 'unavailable') {
    return api(
      state.error.kind === 'endpoint_unreachable'
        ? `AWS Config: endpoint not reachable in ${state.region} (${state.error.code})`
        : `AWS Config: not available in ${state.region} (${state.error.code})`,
    )
  }

  if (state.kind === 'failed') return api(`AWS Config failed (${state.error.code}); direct API`)
  if (state.recorders.length === 0) return api(`AWS Config: no configuration recorder in ${state.region}`)
  const recording = state.recorders.filter((r) => r.recording)
  if (recording.length === 0) return api(`AWS Config: recorder not recording (${state.recorders.map((r) => r.name).join(', ')})`)
  // A recorder whose latest recording event failed may be serving stale items.
  const healthy = recording.filter((r) => r.lastStatus?.toLowerCase() !== 'failure')
  if (healthy.length === 0) {
    const failing = recording[0]!
    return api(`AWS Config: recorder failing (${failing.name}: ${failing.lastErrorCode ?? 'lastStatus Failure'})`)
  }

  if (!target.mapped) return api('AWS Config: no Config mapping for this type in awsinv')
  const recorder = healthy.find((r) => groupRecords(r.recordingGroup, target.type, state.region, target.scope))
  if (!recorder) {
    if (target.scope === 'global') return api(`AWS Config: type not recorded (global types are read in ${state.region}, whose recorder does not record this one)`)
    return api('AWS Config: type not recorded')
  }

  return {useConfig: true, reason: `AWS Config: recorder "${recorder.name}" records this type`}
}

/**
 * Asks a region's AWS Config for its recorders and their status. Never throws: errors become the state (an
 * aborted call too: the caller that aborted knows the answer is not to be used).
 */
export async function detectRegion(clients: AwsClients, region: string, signal?: AbortSignal): Promise<RegionConfigState> {
  try {
    const config = await clients.get('config', region)
    const [recorders, statuses] = await Promise.all([
      config.describeConfigurationRecorders({}, {abortSignal: signal}),
      config.describeConfigurationRecorderStatus({}, {abortSignal: signal}),
    ])
    return {region, kind: 'available', recorders: combineRecorders(recorders.ConfigurationRecorders ?? [], statuses.ConfigurationRecordersStatus ?? [])}
  } catch (error) {
    const classified = classifyError(error)
    if (classified.code === 'NoSuchConfigurationRecorderException') return {region, kind: 'available', recorders: []}
    if (errorKindsMeaningUnavailable.has(classified.kind) || classified.kind === 'endpoint_unreachable') return {region, kind: 'unavailable', error: classified}
    return {region, kind: 'failed', error: classified}
  }
}

/** Joins recorders with their status by name; a recorder without a status is treated as not recording. */
export function combineRecorders(recorders: readonly ConfigurationRecorder[], statuses: readonly ConfigurationRecorderStatus[]): RecorderView[] {
  return recorders.map((recorder) => {
    const name = recorder.name ?? 'default'
    const status = statuses.find((s) => (s.name ?? 'default') === name)
    return {
      name,
      recording: Boolean(status?.recording),
      lastStatus: status?.lastStatus ?? null,
      lastStatusChangeTime: status?.lastStatusChangeTime?.toISOString() ?? null,
      lastErrorCode: status?.lastErrorCode ?? null,
      lastErrorMessage: status?.lastErrorMessage ?? null,
      recordingGroup: viewRecordingGroup(recorder.recordingGroup),
    }
  })
}

/** Detects each region at most once per run (the answers are reused by planning and by `config check`). */
export class ConfigDetector {
  private readonly states = new Map<string, Promise<RegionConfigState>>()

  constructor(
    private readonly clients: AwsClients,
    /** Aborts the calls in flight (a run stopped while it is planned). */
    private readonly signal?: AbortSignal,
  ) {}

  /** The region's Config state, asked on first use. */
  region(region: string): Promise<RegionConfigState> {
    let state = this.states.get(region)
    if (!state) {
      state = detectRegion(this.clients, region, this.signal)
      this.states.set(region, state)
    }

    return state
  }

  /** The states of several regions, detected in parallel. */
  async regions(regions: Iterable<string>): Promise<Map<string, RegionConfigState>> {
    const unique = [...new Set(regions)]
    const states = await Promise.all(unique.map((r) => this.region(r)))
    return new Map(unique.map((r, i) => [r, states[i]!]))
  }
}
