import type {AwsSession} from '../../aws/session.js'
import type {ResourceSpec} from '../../resources/types.js'
import {type CellSource, configRegionsToDetect, planCollection} from '../plan.js'
import {ConfigDetector, type RecorderView, type RegionConfigState, describeRecordingGroup} from './detect.js'

/** A recorder as `config check` reports it: its state and a readable summary of what it records. */
export interface RecorderCheck extends RecorderView {
  /** e.g. "only AWS::S3::Bucket, AWS::IAM::Role" or "all supported types (with global IAM types)". */
  records: string
}

/** AWS Config in one region. */
export interface RegionCheck {
  region: string
  /** `available`: Config answered (recorders may still be absent); `unavailable`: not offered, enabled or reachable; `failed`: it answered with an error. */
  status: RegionConfigState['kind']
  /** Whether global (IAM) types are decided from this region: the home region. */
  home: boolean
  errorCode: string | null
  error: string | null
  recorders: RecorderCheck[]
}

/** The source a snapshot would use for one type in one region (`global` for global types). */
export interface TypeSourceCheck {
  region: string
  type: string
  source: CellSource
  reason: string
}

export interface ConfigCheckReport {
  accountId: string
  homeRegion: string
  regions: RegionCheck[]
  types: TypeSourceCheck[]
}

/**
 * What AWS Config looks like in each region (recorders, whether they record and what), and the source
 * `snapshot create` would use for every type awsinv knows: the same detection and planning, no list call.
 */
export async function checkConfig(session: AwsSession, regions: readonly string[], specs: readonly ResourceSpec[]): Promise<ConfigCheckReport> {
  const {homeRegion} = session
  const toDetect = configRegionsToDetect({regions, homeRegion, specs})
  const states = await new ConfigDetector(session.clients).regions(toDetect)
  const plan = planCollection({accountId: session.identity.accountId, regions, homeRegion, specs, useConfig: true, config: states})
  return {
    accountId: session.identity.accountId,
    homeRegion,
    regions: toDetect.map((region) => regionCheck(states.get(region)!, region === homeRegion)),
    types: plan.cells.map((c) => ({region: c.region, type: c.spec.type, source: c.source, reason: c.sourceReason})),
  }
}

function regionCheck(state: RegionConfigState, home: boolean): RegionCheck {
  if (state.kind !== 'available') {
    return {region: state.region, status: state.kind, home, errorCode: state.error.code, error: state.error.message, recorders: []}
  }

  return {
    region: state.region,
    status: state.kind,
    home,
    errorCode: null,
    error: null,
    recorders: state.recorders.map((r) => ({...r, records: describeRecordingGroup(r.recordingGroup)})),
  }
}
