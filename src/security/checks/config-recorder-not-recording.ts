import {fail, pass} from '../evaluate.js'
import {perSetting} from '../account-settings.js'
import type {RecorderWithStatus} from '../../resources/config/recorder-status.js'
import type {Check, Finding, ScanSnapshot} from '../types.js'
import {counted} from '../../words.js'

/** `only 2 resource types (AWS::EC2::Instance, AWS::S3::Bucket)`, or what an exclusion leaves out. */
function recordedPart(recorder: RecorderWithStatus): string {
  const group = recorder.recordingGroup
  const excluded = group?.exclusionByResourceTypes?.resourceTypes ?? []
  if (excluded.length > 0) return `it excludes ${counted(excluded.length, 'resource type')} (${excluded.join(', ')})`
  const types = group?.resourceTypes ?? []
  return `it records only ${counted(types.length, 'resource type')}${types.length > 0 ? ` (${types.join(', ')})` : ''}, not all supported ones`
}

export const configRecorderNotRecording: Check = {
  id: 'config-recorder-not-recording',
  title: 'AWS Config records all supported resource types in every region',
  severity: 'medium',
  cis: {v4: '3.3', v7: '4.3'},
  resourceTypes: ['Account::Config::RecorderStatus'],
  risk: 'Without a recording AWS Config recorder, configuration changes in the region leave no history to investigate or audit.',
  remediation: {
    text: 'Create a configuration recorder (recording all resource types) and a delivery channel, then start the recorder; start a stopped one; fix what makes a failing one fail (its role, the delivery bucket); make one that records some types record all supported ones.',
    cli: 'aws configservice start-configuration-recorder --configuration-recorder-name <name> --region <region>',
  },

  evaluate(snapshot) {
    return requireGlobalTypes(snapshot, perRegion(snapshot))
  },
}

/** The command making an existing recorder record every supported type (and the global ones, or not). */
function recordAllCommand(name: string | undefined, roleARN: string | undefined, accountId: string, global: boolean, region: string): string {
  const role = roleARN ?? `arn:aws:iam::${accountId}:role/<config-role>`
  return `aws configservice put-configuration-recorder --configuration-recorder name=${name ?? 'default'},roleARN=${role} --recording-group allSupported=true,includeGlobalResourceTypes=${global} --region ${region}`
}

/** Whether the recorder records the global resource types (IAM users, groups, roles, policies) where it runs. */
function recordsGlobalTypes(recorder: RecorderWithStatus): boolean {
  const group = recorder.recordingGroup
  if (group === undefined) return false
  if (group.allSupported === true) return group.includeGlobalResourceTypes === true
  return (group.resourceTypes ?? []).some((t) => t.startsWith('AWS::IAM::'))
}

/**
 * CIS asks for the global resource types to be recorded in one region: where no region of an account
 * records them, the PASS of its first region (its recorder records every regional type) becomes a FAIL
 * with the fix for that region. Regions the snapshot did not collect are not seen, and the finding says so.
 */
function requireGlobalTypes(snapshot: ScanSnapshot, findings: Finding[]): Finding[] {
  const settings = snapshot.resources('Account::Config::RecorderStatus')
  const accounts = [...new Set(settings.map((s) => s.accountId))]
  for (const accountId of accounts) {
    const recorders = settings.filter((s) => s.accountId === accountId).flatMap((s) => (s.configuration.Recorders ?? []) as RecorderWithStatus[])
    if (recorders.some((r) => r.status?.recording === true && recordsGlobalTypes(r))) continue
    const index = findings.findIndex((f) => f.accountId === accountId && f.status === 'PASS')
    if (index === -1) continue
    const passed = findings[index]!
    const recorder = recorders.find((r) => r.status?.recording === true) ?? recorders[0]
    const name = recorder?.name ?? 'default'
    const regions = [...new Set(settings.filter((s) => s.accountId === accountId).map((s) => s.region))].sort()
    findings[index] = {
      ...passed,
      status: 'FAIL',
      evidence: `configuration recorder ${name} records all supported resource types in ${passed.region}, but no recorder in ${regions.join(', ')} records the global resource types (IAM users, groups, roles, policies); regions the snapshot did not collect were not seen`,
      remediation: recordAllCommand(name, recorder?.roleARN, accountId, true, passed.region),
    }
  }

  return findings
}

function perRegion(snapshot: ScanSnapshot): Finding[] {
    return perSetting(snapshot, 'Account::Config::RecorderStatus', (setting) => {
      const region = setting.region
      const recorders = (setting.configuration.Recorders ?? []) as RecorderWithStatus[]
      if (recorders.length === 0) {
        return fail(
          `no configuration recorder in ${region}`,
          `aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::${setting.accountId}:role/<config-role> --recording-group allSupported=true --region ${region}  # then put-delivery-channel and start-configuration-recorder`,
        )
      }

      const recording = recorders.filter((r) => r.status?.recording === true)
      if (recording.length === 0) {
        const name = recorders[0]?.name ?? 'default'
        return fail(
          `configuration recorder ${recorders.map((r) => r.name).join(', ')} is not recording in ${region}`,
          `aws configservice start-configuration-recorder --configuration-recorder-name ${name} --region ${region}`,
        )
      }

      // AWS writes Failure; the emulator FAILURE.
      const healthy = recording.filter((r) => r.status?.lastStatus?.toLowerCase() !== 'failure')
      if (healthy.length === 0) {
        const failing = recording[0]!
        const error = [failing.status?.lastErrorCode, failing.status?.lastErrorMessage].filter(Boolean).join(': ')
        return fail(
          `configuration recorder ${failing.name} is recording but its last recording failed${error ? ` (${error})` : ''}`,
          `aws configservice describe-configuration-recorder-status --configuration-recorder-names ${failing.name} --region ${region}  # fix the error (recorder role, delivery channel), then aws configservice start-configuration-recorder --configuration-recorder-name ${failing.name} --region ${region}`,
        )
      }

      // A recorder of a few types leaves the others' changes unrecorded (CIS: all supported resource types).
      const everything = healthy.filter((r) => r.recordingGroup === undefined || r.recordingGroup.allSupported === true)
      if (everything.length === 0) {
        const partial = healthy[0]!
        const global = partial.recordingGroup?.includeGlobalResourceTypes === true
        return fail(
          `configuration recorder ${partial.name} is recording in ${region}, but ${recordedPart(partial)}`,
          recordAllCommand(partial.name, partial.roleARN, setting.accountId, global, region),
        )
      }

      return pass(`configuration recorder ${everything.map((r) => r.name).join(', ')} is recording all supported resource types`)
    })
}
