import type {AwsSession} from '../aws/session.js'
import {UserError} from '../errors.js'
import {type FlagSpelling, isVariable, listFlagItems, listItems, plainSpelling} from '../flag-values.js'
import {didYouMean} from '../suggest.js'

/** Every AWS region name awsinv accepts; names outside it are rejected before any call is made. */
export const KNOWN_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
]

/** What `--regions` asked for: explicit names, or every region enabled in the account. */
export type RegionSelection = {kind: 'all'} | {kind: 'list'; regions: string[]}

/**
 * Parses `--regions a,b` or `--regions all`, rejecting unknown names. `flag` says where the value came from, for
 * messages: the flag as typed, or its environment variable (AWSINV_REGIONS).
 */
export function parseRegions(value: string, flag: FlagSpelling = plainSpelling('regions')): RegionSelection {
  const names = listFlagItems(value, flag, 'one or more region names (or "all")')!.map((r) => r.toLowerCase())
  if (names.length === 1 && names[0] === 'all') return {kind: 'all'}
  // A typed value is in front of the user; one from the environment is not, so its variable is named.
  const source = (bad: string) => {
    const spelling = flag((item) => listItems(item).some((name) => name.toLowerCase() === bad))
    return isVariable(spelling) ? ` (from ${spelling})` : ''
  }

  if (names.includes('all')) throw new UserError(`"all"${source('all')} stands for every enabled region: give it alone, or name the regions.`)
  const unknown = names.find((name) => !KNOWN_REGIONS.includes(name))
  if (unknown !== undefined) throw new UserError(`Unknown region "${unknown}"${source(unknown)}.${didYouMean(unknown, KNOWN_REGIONS)} Use names like us-east-1, or "all".`)

  return {kind: 'list', regions: [...new Set(names)]}
}

/** The variable that sets the home region (and the default region when AWSINV_REGIONS is unset). */
export const HOME_REGION_VARIABLE = 'AWSINV_REGION'

/**
 * The home region, where global services are called, in lower case: AWSINV_REGION when set (`source`
 * `variable`), else the region the SDK resolved from the profile or AWS_REGION (`sdk`). Checked whatever
 * regions are collected: nothing else would catch a typo before the calls sent there fail (or, to an
 * emulator, succeed in a region that does not exist).
 */
export function checkHomeRegion(region: string, source: 'sdk' | 'variable'): string {
  const name = region.trim().toLowerCase()
  if (KNOWN_REGIONS.includes(name)) return name
  if (source === 'sdk') {
    throw new UserError(`Unknown region "${region}" (from AWS_REGION or the profile).${didYouMean(name, KNOWN_REGIONS)} Set it to a region like us-east-1, or set AWSINV_REGION.`)
  }

  const items = listItems(name)
  if (items.length === 0) {
    throw new UserError(`${HOME_REGION_VARIABLE} ${JSON.stringify(region)} is empty: give one region (e.g. us-east-1), or unset ${HOME_REGION_VARIABLE}.`)
  }

  if (name === 'all' || items.length > 1) {
    throw new UserError(`${HOME_REGION_VARIABLE} is one region, the home region where global services are called; got "${region}". Set several regions, or "all", with AWSINV_REGIONS or --regions.`)
  }

  throw new UserError(`Unknown region "${region}" (from ${HOME_REGION_VARIABLE}).${didYouMean(name, KNOWN_REGIONS)} Set it to a region like us-east-1, or unset it.`)
}

/** The home region (checked by {@link checkHomeRegion} when the session was opened) as a selection. */
export function homeRegionSelection(homeRegion: string): RegionSelection {
  return {kind: 'list', regions: [checkHomeRegion(homeRegion, 'sdk')]}
}

/** The partition a region belongs to: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, `aws-iso…` for isolated regions, else `aws`. */
export function regionPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  const isolated = /^[a-z]{2}-iso([a-z]?)-/.exec(region)
  if (isolated) return `aws-iso${isolated[1] ? `-${isolated[1]}` : ''}`
  return 'aws'
}

/**
 * The regions a selection names; with `all`, every region enabled in the account (EC2 DescribeRegions),
 * in the caller's partition: credentials of one partition are not valid in another (some endpoints, such
 * as emulators, list every partition's regions). `signal` aborts the call.
 */
export async function resolveRegions(session: AwsSession, selection: RegionSelection, signal?: AbortSignal): Promise<string[]> {
  if (selection.kind === 'list') return selection.regions
  const ec2 = await session.clients.get('ec2', session.homeRegion)
  const out = await ec2.describeRegions({AllRegions: false}, {abortSignal: signal})
  const partition = session.identity.partition
  const regions = (out.Regions ?? []).map((r) => r.RegionName).filter((r): r is string => Boolean(r) && regionPartition(r!) === partition)
  if (regions.length === 0) throw new UserError('DescribeRegions returned no enabled regions; pass --regions explicitly.')
  return regions.sort()
}
