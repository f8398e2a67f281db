import {describe, expect, it} from 'vitest'

import type {TrailItem} from '../../../../src/resources/cloudtrail/trail.js'
import type {Resource} from '../../../../src/resources/types.js'
import {cloudtrailMultiregionMissing} from '../../../../src/security/checks/cloudtrail-multiregion-missing.js'
import {collected, SCAN_ACCOUNT, type ScanFixture, scanSnapshot, verdicts} from '../../../support/scan.js'
import {audit, local, managementAccount, organizationTrail} from '../../../support/trail-items.js'

const type = 'AWS::CloudTrail::Trail'
const twoRegions = ['us-east-1', 'eu-west-1']

/** A captured trail renamed and re-homed, with overrides. */
function trailIn(region: string, name: string, base: TrailItem, overrides: Partial<TrailItem> = {}): Promise<Resource> {
  return collected(type, {...base, Name: name, HomeRegion: region, TrailARN: `arn:aws:cloudtrail:${region}:${SCAN_ACCOUNT}:trail/${name}`, ...overrides}, region)
}

const allCells = {[type]: twoRegions.map((region) => ({region}))}
const evaluate = (resources: Resource[], cells: ScanFixture['cells'] = allCells, regions = twoRegions) =>
  cloudtrailMultiregionMissing.evaluate(scanSnapshot({resources, cells, regions}))

describe('cloudtrail-multiregion-missing', () => {
  it('passes the account on one multi-region, logging trail recording all management events, even with another region not collected', async () => {
    const findings = evaluate([await trailIn('us-east-1', 'audit', audit)], {[type]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'cloudtrail:DescribeTrails denied'}]})
    expect(verdicts(findings)).toEqual([`PASS ${SCAN_ACCOUNT}`])
    expect(findings[0]).toMatchObject({resourceType: type, region: 'global', evidence: 'trail audit (us-east-1) is multi-region, logging, and records all management events'})
  })

  it('passes on a multi-region trail homed outside the snapshot\'s regions, kept in the first of them, and names its home region', async () => {
    const adopted = await collected(type, audit, 'eu-west-1')
    const findings = evaluate([adopted], {[type]: [{region: 'eu-west-1'}]}, ['eu-west-1'])
    expect(verdicts(findings)).toEqual([`PASS ${SCAN_ACCOUNT}`])
    expect(findings[0]?.evidence).toBe('trail audit (us-east-1) is multi-region, logging, and records all management events')
  })

  it('accepts management events from advanced selectors, from read-only plus write-only selectors, and from CloudTrail’s default', async () => {
    const base = {...audit, EventSelectors: []}
    const advanced = await trailIn('eu-west-1', 'adv', base, {AdvancedEventSelectors: local.AdvancedEventSelectors})
    const split = await trailIn('eu-west-1', 'split', audit, {
      EventSelectors: [
        {ReadWriteType: 'ReadOnly', IncludeManagementEvents: true},
        {ReadWriteType: 'WriteOnly', IncludeManagementEvents: true},
      ],
    })
    const splitAdvanced = await trailIn('eu-west-1', 'split-adv', base, {
      AdvancedEventSelectors: [
        {Name: 'reads', FieldSelectors: [{Field: 'eventCategory', Equals: ['Management']}, {Field: 'readOnly', Equals: ['true']}]},
        {Name: 'writes', FieldSelectors: [{Field: 'eventCategory', Equals: ['Management']}, {Field: 'readOnly', Equals: ['false']}]},
      ],
    })
    // The emulator returns no selectors for a trail that never had any; AWS then records all management events.
    const defaults = await trailIn('eu-west-1', 'defaults', base)
    for (const trail of [advanced, split, splitAdvanced, defaults]) expect(verdicts(evaluate([trail])), trail.name).toEqual([`PASS ${SCAN_ACCOUNT}`])
  })

  it('fails when every region was collected and no trail qualifies, saying why for each trail', async () => {
    const findings = evaluate([await trailIn('us-east-1', 'local', local), await trailIn('eu-west-1', 'writes', audit, {EventSelectors: [{ReadWriteType: 'WriteOnly', IncludeManagementEvents: true}]})])
    expect(verdicts(findings)).toEqual([`FAIL ${SCAN_ACCOUNT}`])
    expect(findings[0]?.evidence).toBe(
      `no multi-region trail logging all management events in ${SCAN_ACCOUNT} (regions collected: eu-west-1, us-east-1; local (us-east-1): single-region, not logging; writes (eu-west-1): only write management events)`,
    )
    // The multi-region trail only lacks read events: it gets them.
    expect(findings[0]?.remediation).toBe(
      `aws cloudtrail put-event-selectors --trail-name writes --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]' --region eu-west-1  # replaces its selectors: add its data event selectors to the list`,
    )
  })

  it('fails a trail whose selectors leave event sources out: it does not record all management events', async () => {
    const excluding = await trailIn('us-east-1', 'audit', audit, {EventSelectors: [{ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com']}]})
    const [basic] = evaluate([excluding])
    expect(basic).toMatchObject({status: 'FAIL'})
    expect(basic?.evidence).toContain('audit (us-east-1): management events of some sources only (excludes kms.amazonaws.com, rdsdata.amazonaws.com)')
    expect(basic?.remediation).toContain(`aws cloudtrail put-event-selectors --trail-name audit --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]' --region us-east-1`)

    const base = {...audit, EventSelectors: []}
    const notKms = await trailIn('us-east-1', 'audit', base, {
      AdvancedEventSelectors: [{Name: 'all but kms', FieldSelectors: [{Field: 'eventCategory', Equals: ['Management']}, {Field: 'eventSource', NotEquals: ['kms.amazonaws.com']}]}],
    })
    expect(evaluate([notKms])[0]?.evidence).toContain('audit (us-east-1): management events of some sources only (excludes kms.amazonaws.com)')
    // Another selector recording everything makes up for it.
    const both = await trailIn('us-east-1', 'audit', audit, {
      EventSelectors: [
        {ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com']},
        {ReadWriteType: 'All', IncludeManagementEvents: true},
      ],
    })
    expect(verdicts(evaluate([both]))).toEqual([`PASS ${SCAN_ACCOUNT}`])
  })

  it('fails a multi-region trail that is not logging, or records data events only, with the command that fixes it', async () => {
    const stopped = evaluate([await trailIn('us-east-1', 'audit', audit, {Status: {...audit.Status, IsLogging: false}})])
    expect(stopped[0]).toMatchObject({status: 'FAIL', remediation: 'aws cloudtrail start-logging --name audit --region us-east-1'})
    expect(stopped[0]?.evidence).toContain('audit (us-east-1): not logging')

    const dataOnly = evaluate([await trailIn('us-east-1', 'audit', audit, {EventSelectors: [{ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{Type: 'AWS::S3::Object', Values: ['arn:aws:s3']}]}]})])
    expect(dataOnly[0]?.status).toBe('FAIL')
    expect(dataOnly[0]?.evidence).toContain('audit (us-east-1): no management events')
  })

  it('fails an account without any trail, with a create-trail command for a collected region', () => {
    const findings = evaluate([])
    expect(findings).toMatchObject([{status: 'FAIL', resource: SCAN_ACCOUNT}])
    expect(findings[0]?.evidence).toContain('(regions collected: eu-west-1, us-east-1; no trail)')
    expect(findings[0]?.remediation).toBe(
      'aws cloudtrail create-trail --name <trail-name> --s3-bucket-name <bucket-name> --is-multi-region-trail --enable-log-file-validation --region eu-west-1 && aws cloudtrail start-logging --name <trail-name> --region eu-west-1',
    )
  })

  it('is UNKNOWN when no trail qualifies and a region was not collected (its trails could be the ones)', async () => {
    const denied = evaluate([await trailIn('us-east-1', 'local', local)], {[type]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'cloudtrail:DescribeTrails denied'}]})
    expect(verdicts(denied)).toEqual([`UNKNOWN ${SCAN_ACCOUNT}`])
    expect(denied[0]?.evidence).toBe(
      `no qualifying trail among the trails collected (local (us-east-1): single-region, not logging), and AWS::CloudTrail::Trail was not collected in ${SCAN_ACCOUNT}/eu-west-1: access_denied (cloudtrail:DescribeTrails denied)`,
    )

    // A region of the snapshot without a trail cell at all is a gap too.
    expect(verdicts(evaluate([], {[type]: [{region: 'us-east-1'}]}))).toEqual([`UNKNOWN ${SCAN_ACCOUNT}`])
    expect(cloudtrailMultiregionMissing.evaluate(scanSnapshot({cells: {[type]: []}}))).toMatchObject([
      {status: 'UNKNOWN', resource: SCAN_ACCOUNT, evidence: 'AWS::CloudTrail::Trail was not collected in this snapshot'},
    ])
  })

  it('judges each account on its own trails', async () => {
    const other = '210987654321'
    const findings = evaluate([await trailIn('us-east-1', 'audit', audit)], {
      [type]: [...twoRegions.map((region) => ({region})), ...twoRegions.map((region) => ({region, accountId: other}))],
    })
    expect(verdicts(findings)).toEqual([`FAIL ${other}`, `PASS ${SCAN_ACCOUNT}`])

    // An account of the snapshot whose trails were not collected at all is UNKNOWN, not skipped.
    const onlyOther = cloudtrailMultiregionMissing.evaluate(scanSnapshot({cells: {[type]: twoRegions.map((region) => ({region, accountId: other}))}, regions: twoRegions}))
    expect(verdicts(onlyOther)).toEqual([`FAIL ${other}`, `UNKNOWN ${SCAN_ACCOUNT}`])
  })

  describe('an organization trail seen from a member account', () => {
    const orgName = `aws-controltower-BaselineCloudTrail (us-east-1, organization trail of account ${managementAccount})`
    const allManagement = [{ReadWriteType: 'All' as const, IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: []}]
    const readable = {...organizationTrail, EventSelectors: allManagement, AdvancedEventSelectors: []}

    it('passes the member account on it, like a trail of its own', async () => {
      const findings = evaluate([await collected(type, readable), await trailIn('eu-west-1', 'local', local)])
      expect(findings).toMatchObject([{status: 'PASS', resource: SCAN_ACCOUNT, evidence: `trail ${orgName} is multi-region, logging, and records all management events`}])
    })

    it('is UNKNOWN, naming it, when no trail qualifies and its status or selectors could not be read', async () => {
      const unreadStatus = evaluate([await collected(type, {...readable, Status: null}), await trailIn('eu-west-1', 'local', local)])
      expect(unreadStatus).toMatchObject([{status: 'UNKNOWN', resource: SCAN_ACCOUNT}])
      expect(unreadStatus[0]?.evidence).toBe(
        `no trail is known to qualify: ${orgName}: its status could not be read from ${SCAN_ACCOUNT}; the other trails do not qualify (local (eu-west-1): single-region, not logging)`,
      )

      const unreadSelectors = evaluate([await collected(type, organizationTrail)], {[type]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'throttled', error: 'Rate exceeded'}]})
      expect(unreadSelectors[0]).toMatchObject({status: 'UNKNOWN'})
      expect(unreadSelectors[0]?.evidence).toBe(
        `no trail is known to qualify: ${orgName}: its event selectors could not be read from ${SCAN_ACCOUNT}, and AWS::CloudTrail::Trail was not collected in ${SCAN_ACCOUNT}/eu-west-1: throttled (Rate exceeded)`,
      )

      const nothingRead = evaluate([await collected(type, {...organizationTrail, Status: null})])
      expect(nothingRead[0]?.evidence).toBe(`no trail is known to qualify: ${orgName}: its status and event selectors could not be read from ${SCAN_ACCOUNT}`)
    })

    it('fails on what could be read when that already disqualifies it, with the fix to make in the management account', async () => {
      const singleRegion = evaluate([await collected(type, {...organizationTrail, IsMultiRegionTrail: false, Status: null})])
      expect(singleRegion[0]).toMatchObject({status: 'FAIL'})
      expect(singleRegion[0]?.evidence).toContain(`${orgName}: single-region`)

      const stopped = evaluate([await collected(type, {...readable, Status: {...readable.Status, IsLogging: false}})])
      expect(stopped[0]).toMatchObject({
        status: 'FAIL',
        remediation: `aws cloudtrail start-logging --name aws-controltower-BaselineCloudTrail --region us-east-1  # in account ${managementAccount}, which owns the trail (members cannot change it)`,
      })

      // A multi-region trail of the account's own is the one to fix first.
      const both = evaluate([await collected(type, {...readable, Status: {...readable.Status, IsLogging: false}}), await trailIn('eu-west-1', 'audit', audit, {Status: {...audit.Status, IsLogging: false}})])
      expect(both[0]?.remediation).toBe('aws cloudtrail start-logging --name audit --region eu-west-1')
    })
  })
})
