import type {AdvancedEventSelector, EventSelector} from '@aws-sdk/client-cloudtrail'

import {otherOwnerOf} from '../../resources/cloudtrail/trail.js'
import type {Resource} from '../../resources/types.js'
import {cellFinding, cellLocator, fail, missingData, pass, unknown, type Verdict} from '../evaluate.js'
import type {Check, ScanSnapshot} from '../types.js'

const trailType = 'AWS::CloudTrail::Trail'

/**
 * What the check reads of a stored trail (DescribeTrails + GetTrailStatus + GetEventSelectors). Status and
 * selectors are null where the account was refused them (an organization trail seen from a member account).
 */
interface StoredTrail {
  Name?: string
  HomeRegion?: string
  IsMultiRegionTrail?: boolean
  IsOrganizationTrail?: boolean
  Status?: {IsLogging?: boolean} | null
  EventSelectors?: EventSelector[] | null
  AdvancedEventSelectors?: AdvancedEventSelector[] | null
}

/** A trail of the account judged against the control: what it lacks, and what could not be read to tell. */
interface JudgedTrail {
  resource: Resource
  /** What keeps it from satisfying the control, as far as could be read. */
  shortfalls: string[]
  /** What could not be read of it (`status`, `event selectors`); a trail with no shortfall but these is undecided. */
  unread: string[]
}

const allManagementEvents = `--event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`

export const cloudtrailMultiregionMissing: Check = {
  id: 'cloudtrail-multiregion-missing',
  title: 'Every account has a multi-region CloudTrail trail that is logging all management events',
  severity: 'high',
  cis: {v4: '3.1', v7: '4.1'},
  resourceTypes: [trailType],
  satisfiedBy: [trailType],
  risk: 'Without a trail recording every region, API activity in a region nobody watches (where an intruder would start instances or create keys) leaves no record, and incidents cannot be investigated.',
  remediation: {
    text: 'Create a multi-region trail (or make an existing one multi-region), start logging, and record all management events, read and write.',
    cli: `aws cloudtrail create-trail --name <trail-name> --s3-bucket-name <bucket-name> --is-multi-region-trail --enable-log-file-validation --region <region> && aws cloudtrail start-logging --name <trail-name> --region <region>`,
  },

  evaluate(snapshot) {
    const cells = snapshot.cells(trailType)
    if (cells.length === 0) return snapshot.accounts.map((accountId) => cellFinding(trailType, accountId, 'global', unknown(`${trailType} was not collected in this snapshot`)))
    // An account of the snapshot without trail cells is judged too: its gaps make it UNKNOWN.
    const accounts = [...new Set([...snapshot.accounts, ...cells.map((c) => c.accountId)])]
    return accounts.map((accountId) => cellFinding(trailType, accountId, 'global', judgeAccount(snapshot, accountId)))
  },
}

/**
 * One verdict per account. Each trail is stored once, in its home region (a multi-region trail homed
 * outside the snapshot's regions, in the first of them), so a qualifying trail seen in any collected region
 * is enough to pass; a FAIL needs every region of the snapshot collected (a trail whose home region was not
 * collected could be the one that qualifies: that is UNKNOWN). An organization
 * trail seen from a member account counts for the member like its own trail; one whose status or selectors
 * the member could not read, and that lacks nothing as far as could be read, could be the one that
 * qualifies: UNKNOWN too.
 */
function judgeAccount(snapshot: ScanSnapshot, accountId: string): Verdict {
  const trails = snapshot.resources(trailType).filter((r) => r.accountId === accountId)
  const judged = trails.map((resource) => judgeTrail(resource))
  const qualifying = judged.find((t) => t.shortfalls.length === 0 && t.unread.length === 0)
  if (qualifying) return pass(`trail ${describe(qualifying.resource)} is multi-region, logging, and records all management events`)

  const regions = [...new Set([...snapshot.regions, ...snapshot.cells(trailType).filter((c) => c.accountId === accountId).map((c) => c.region)])].sort()
  const gaps = regions.map((region) => missingData(snapshot, trailType, accountId, region)).filter((gap): gap is string => gap !== undefined)
  const undecided = judged.filter((t) => t.shortfalls.length === 0)
  const seen = judged.length === 0 ? 'no trail' : judged.filter((t) => t.shortfalls.length > 0).map((t) => `${describe(t.resource)}: ${t.shortfalls.join(', ')}`).join('; ')
  if (undecided.length > 0) {
    const unread = undecided.map((t) => `${describe(t.resource)}: its ${t.unread.join(' and ')} could not be read from ${accountId}`).join('; ')
    const others = judged.length > undecided.length ? `; the other trails do not qualify (${seen})` : ''
    return unknown(`no trail is known to qualify: ${unread}${others}${gaps.length > 0 ? `, and ${gaps.join('; ')}` : ''}`)
  }

  if (gaps.length > 0) return unknown(`no qualifying trail among the trails collected (${seen}), and ${gaps.join('; ')}`)
  return fail(`no multi-region trail logging all management events in ${cellLocator(accountId, 'global')} (regions collected: ${regions.join(', ')}; ${seen})`, fixCommand(judged, regions))
}

function judgeTrail(resource: Resource): JudgedTrail {
  const trail = resource.configuration as StoredTrail
  const unread: string[] = []
  if (trail.Status === null) unread.push('status')
  if (trail.EventSelectors === null || trail.AdvancedEventSelectors === null) unread.push('event selectors')
  return {resource, shortfalls: shortfallsOf(trail), unread}
}

/** What keeps a trail from satisfying the control, as far as could be read; empty when nothing does. */
function shortfallsOf(trail: StoredTrail): string[] {
  const shortfalls: string[] = []
  if (trail.IsMultiRegionTrail !== true) shortfalls.push('single-region')
  if (trail.Status !== null && trail.Status?.IsLogging !== true) shortfalls.push('not logging')
  if (trail.EventSelectors === null || trail.AdvancedEventSelectors === null) return shortfalls
  const {any, all, narrowing} = managementEvents(trail)
  if (!any.read && !any.write) shortfalls.push('no management events')
  else if (!any.read || !any.write) shortfalls.push(`only ${any.read ? 'read' : 'write'} management events`)
  else if (!all.read || !all.write) shortfalls.push(`management events of some sources only (${narrowing.join('; ')})`)
  return shortfalls
}

type Recorded = {read: boolean; write: boolean}

/**
 * Which management events a trail records, from its basic or advanced event selectors: `any` of them, and
 * `all` of them (from selectors that leave no event source out); `narrowing` says how the others do. A
 * trail with no selector records all of them (CloudTrail's default selector).
 */
function managementEvents(trail: Pick<StoredTrail, 'EventSelectors' | 'AdvancedEventSelectors'>): {any: Recorded; all: Recorded; narrowing: string[]} {
  const basic = trail.EventSelectors ?? []
  const advanced = trail.AdvancedEventSelectors ?? []
  if (basic.length === 0 && advanced.length === 0) return {any: {read: true, write: true}, all: {read: true, write: true}, narrowing: []}
  const any: Recorded = {read: false, write: false}
  const all: Recorded = {read: false, write: false}
  const narrowing: string[] = []
  const record = (read: boolean, write: boolean, narrowed: string | undefined) => {
    any.read ||= read
    any.write ||= write
    if (narrowed !== undefined) narrowing.push(narrowed)
    else {
      all.read ||= read
      all.write ||= write
    }
  }

  for (const selector of basic) {
    // Both default to "included, all" when a selector leaves them out.
    if (selector.IncludeManagementEvents === false) continue
    const type = selector.ReadWriteType ?? 'All'
    const excluded = selector.ExcludeManagementEventSources ?? []
    record(type !== 'WriteOnly', type !== 'ReadOnly', excluded.length > 0 ? `excludes ${excluded.join(', ')}` : undefined)
  }

  for (const selector of advanced) {
    const fields = selector.FieldSelectors ?? []
    if (!fields.some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'))) continue
    const readOnly = fields.find((f) => f.Field === 'readOnly')
    // Without a readOnly condition the selector records read and write events alike.
    const values = readOnly?.Equals ?? ['true', 'false']
    const source = fields.find((f) => f.Field === 'eventSource')
    record(values.includes('true'), values.includes('false'), source === undefined ? undefined : sourceCondition(source))
  }

  return {any, all, narrowing}
}

/** How an advanced selector's `eventSource` condition narrows the events: `only s3.amazonaws.com`, `excludes kms.amazonaws.com`. */
function sourceCondition(field: NonNullable<NonNullable<StoredTrail['AdvancedEventSelectors']>[number]['FieldSelectors']>[number]): string {
  const parts = [
    ...(field.Equals?.length ? [`only ${field.Equals.join(', ')}`] : []),
    ...(field.StartsWith?.length ? [`only sources starting ${field.StartsWith.join(', ')}`] : []),
    ...(field.EndsWith?.length ? [`only sources ending ${field.EndsWith.join(', ')}`] : []),
    ...(field.NotEquals?.length ? [`excludes ${field.NotEquals.join(', ')}`] : []),
    ...(field.NotStartsWith?.length ? [`excludes sources starting ${field.NotStartsWith.join(', ')}`] : []),
    ...(field.NotEndsWith?.length ? [`excludes sources ending ${field.NotEndsWith.join(', ')}`] : []),
  ]
  return parts.length > 0 ? parts.join(', ') : 'an eventSource condition'
}

/** `name (region)` of a trail, and the account that owns it when that is another one (an organization trail). */
function describe(resource: Resource): string {
  const owner = otherOwnerOf(resource)
  const of = owner === undefined ? '' : `, ${(resource.configuration as StoredTrail).IsOrganizationTrail === true ? 'organization trail' : 'trail'} of account ${owner}`
  return `${resource.name} (${(resource.configuration as StoredTrail).HomeRegion ?? resource.region}${of})`
}

/**
 * The command that fixes the account: the nearest existing multi-region trail — the account's own first —
 * gets what it lacks (an organization trail in its management account); without one, a new trail is
 * created in the first collected region.
 */
function fixCommand(judged: readonly JudgedTrail[], regions: readonly string[]): string {
  const multiRegion = judged.filter((t) => !t.shortfalls.includes('single-region'))
  const chosen = multiRegion.find((t) => otherOwnerOf(t.resource) === undefined) ?? multiRegion[0]
  if (chosen === undefined) {
    const region = regions[0] ?? '<region>'
    return `aws cloudtrail create-trail --name <trail-name> --s3-bucket-name <bucket-name> --is-multi-region-trail --enable-log-file-validation --region ${region} && aws cloudtrail start-logging --name <trail-name> --region ${region}`
  }

  const {resource, shortfalls} = chosen
  const region = (resource.configuration as StoredTrail).HomeRegion ?? resource.region
  const owner = otherOwnerOf(resource)
  const commands: string[] = []
  if (shortfalls.includes('not logging')) commands.push(`aws cloudtrail start-logging --name ${resource.id} --region ${region}`)
  if (shortfalls.some((s) => s.includes('management events'))) {
    commands.push(`aws cloudtrail put-event-selectors --trail-name ${resource.id} ${allManagementEvents} --region ${region}  # replaces its selectors: add its data event selectors to the list`)
  }

  const fix = commands.join(' && ')
  return owner === undefined ? fix : `${fix}  # in account ${owner}, which owns the trail (members cannot change it)`
}
