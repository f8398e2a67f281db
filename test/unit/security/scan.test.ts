import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {ec2VolumeUnencrypted} from '../../../src/security/checks/ec2-volume-unencrypted.js'
import {fail, pass, perCell, perResource} from '../../../src/security/evaluate.js'
import {listChecks, runScan, scanStoredSnapshot, selectChecks} from '../../../src/security/scan.js'
import type {Check, ScanSnapshot} from '../../../src/security/types.js'
import {collected, scanSnapshot} from '../../support/scan.js'
import {coverageRecord, finishedSnapshot, tempStores} from '../../support/store.js'

const VOLUME = 'AWS::EC2::Volume'
const arn = (id: string, region = 'us-east-1') => `arn:aws:ec2:${region}:123456789012:volume/${id}`
const volume = (id: string, Encrypted: boolean, Size = 8, region = 'us-east-1') =>
  collected(VOLUME, {VolumeId: id, Size, Encrypted, State: 'available', CreateTime: new Date('2026-01-01T00:00:00Z'), Tags: []}, region)

const meta = {risk: 'Something bad.', remediation: {text: 'Fix it.', cli: 'aws ec2 fix --volume-id <volume-id>'}}

/** Low by default, but a large unencrypted volume is a high FAIL (a finding's own severity). CIS. */
const volumeLarge: Check = {
  ...meta,
  id: 'test-volume-large',
  title: 'Volumes are small',
  severity: 'low',
  cis: {v4: '9.1', v7: '9.2'},
  resourceTypes: [VOLUME],
  evaluate: (snapshot) =>
    perResource(snapshot, VOLUME, (r) => {
      const size = r.configuration.Size as number
      if (size <= 100) return pass(`${size} GiB`)
      return fail(`${size} GiB`, `aws ec2 fix --volume-id ${r.id}`, r.configuration.Encrypted === true ? undefined : 'high')
    }),
}

/** A critical account-wide verdict per collected region (an empty cell can FAIL). CIS, without a v7 id. */
const regionSetting: Check = {
  ...meta,
  id: 'test-region-setting',
  title: 'The region setting is on',
  severity: 'critical',
  cis: {v4: '9.3'},
  resourceTypes: [VOLUME],
  evaluate: (snapshot) => perCell(snapshot, VOLUME, () => ({verdict: fail('setting off', 'aws ec2 turn-on')})),
}

const catalogue = [ec2VolumeUnencrypted, volumeLarge, regionSetting]

/** vol-enc (8 GiB, encrypted), vol-plain (8 GiB), vol-big (500 GiB) in us-east-1; eu-west-1 not collected. */
async function current(): Promise<ScanSnapshot> {
  return scanSnapshot({
    resources: [await volume('vol-enc', true), await volume('vol-plain', false), await volume('vol-big', false, 500)],
    cells: {[VOLUME]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'ec2:DescribeVolumes denied'}]},
  })
}

const lines = (result: ReturnType<typeof runScan>) => result.findings.map((f) => `${f.severity} ${f.status} ${f.checkId} ${f.resource}`)

describe('runScan', () => {
  it('shows FAIL findings by default, most severe first, while the summary counts every status of everything evaluated', async () => {
    const result = runScan(await current(), {}, catalogue)
    expect(lines(result)).toEqual([
      'critical FAIL test-region-setting 123456789012/us-east-1',
      `high FAIL test-volume-large ${arn('vol-big')}`,
      `medium FAIL ec2-volume-unencrypted ${arn('vol-big')}`,
      `medium FAIL ec2-volume-unencrypted ${arn('vol-plain')}`,
    ])
    expect(result.summary).toEqual({
      checks: 3,
      evaluated: 10,
      pass: 3,
      fail: 4,
      unknown: 3,
      failBySeverity: {info: 0, low: 0, medium: 2, high: 1, critical: 1},
      shown: 4,
    })
    expect(result.checks.map((c) => [c.id, c.pass, c.fail, c.unknown])).toEqual([
      ['ec2-volume-unencrypted', 1, 2, 1],
      ['test-volume-large', 2, 1, 1],
      ['test-region-setting', 0, 1, 1],
    ])
    expect(result.snapshot).toEqual({name: 'scan-test', capturedAt: '2026-06-01T12:00:00.000Z', accountId: '123456789012', accounts: ['123456789012'], regions: ['us-east-1'], tagFilters: {includeTags: {}, excludeTags: {}}})
    expect(result.filters).toEqual({severity: null, checks: null, cisOnly: false, status: 'fail', since: null})
    expect(result.since).toBeNull()
    expect(result.failOn).toBeNull()
  })

  it('attaches the check metadata to every finding: title, severity (the finding’s own first), CIS ids, remediation for FAIL only', async () => {
    const result = runScan(await current(), {status: 'all'}, catalogue)
    expect(result.findings.find((f) => f.checkId === 'test-volume-large' && f.status === 'FAIL')).toEqual({
      checkId: 'test-volume-large',
      title: 'Volumes are small',
      severity: 'high',
      cis: {v4: '9.1', v7: '9.2'},
      status: 'FAIL',
      resource: arn('vol-big'),
      resourceType: VOLUME,
      name: 'vol-big',
      accountId: '123456789012',
      region: 'us-east-1',
      evidence: '500 GiB',
      remediation: 'aws ec2 fix --volume-id vol-big',
    })
    const passed = result.findings.find((f) => f.checkId === 'ec2-volume-unencrypted' && f.status === 'PASS')
    expect(passed).toMatchObject({severity: 'medium', cis: null, remediation: null, evidence: 'encrypted'})
    const unknown = result.findings.find((f) => f.checkId === 'test-volume-large' && f.status === 'UNKNOWN')
    expect(unknown).toMatchObject({severity: 'low', resource: '123456789012/eu-west-1', remediation: null, evidence: expect.stringContaining('access_denied')})
    expect(result.checks[1]).toEqual({
      id: 'test-volume-large',
      title: 'Volumes are small',
      severity: 'low',
      cis: {v4: '9.1', v7: '9.2'},
      resourceTypes: [VOLUME],
      risk: 'Something bad.',
      remediation: {text: 'Fix it.', cli: 'aws ec2 fix --volume-id <volume-id>'},
      pass: 2,
      fail: 1,
      unknown: 1,
    })
  })

  it('orders findings by severity, then FAIL, UNKNOWN, PASS, then check id and resource', async () => {
    const result = runScan(await current(), {status: 'all', checks: ['ec2-volume-unencrypted', 'test-volume-large']}, catalogue)
    expect(lines(result)).toEqual([
      `high FAIL test-volume-large ${arn('vol-big')}`,
      `medium FAIL ec2-volume-unencrypted ${arn('vol-big')}`,
      `medium FAIL ec2-volume-unencrypted ${arn('vol-plain')}`,
      'medium UNKNOWN ec2-volume-unencrypted 123456789012/eu-west-1',
      `medium PASS ec2-volume-unencrypted ${arn('vol-enc')}`,
      'low UNKNOWN test-volume-large 123456789012/eu-west-1',
      `low PASS test-volume-large ${arn('vol-enc')}`,
      `low PASS test-volume-large ${arn('vol-plain')}`,
    ])
  })

  it('--status shows one status (or all); the summary stays the same', async () => {
    const snapshot = await current()
    const unknown = runScan(snapshot, {status: 'unknown'}, catalogue)
    expect(unknown.findings.map((f) => f.status)).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN'])
    expect(unknown.findings.map((f) => f.checkId)).toEqual(['test-region-setting', 'ec2-volume-unencrypted', 'test-volume-large'])
    const passed = runScan(snapshot, {status: 'pass'}, catalogue)
    expect(passed.findings.every((f) => f.status === 'PASS')).toBe(true)
    expect(passed.findings).toHaveLength(3)
    expect(runScan(snapshot, {status: 'all'}, catalogue).findings).toHaveLength(10)
    for (const r of [unknown, passed]) expect(r.summary).toMatchObject({pass: 3, fail: 4, unknown: 3, evaluated: 10})
    expect(unknown.summary.shown).toBe(3)
  })

  it('--severity shows findings at least that severe, judged by the finding’s own severity', async () => {
    const snapshot = await current()
    expect(lines(runScan(snapshot, {severity: 'high'}, catalogue))).toEqual([
      'critical FAIL test-region-setting 123456789012/us-east-1',
      `high FAIL test-volume-large ${arn('vol-big')}`,
    ])
    expect(lines(runScan(snapshot, {severity: 'critical', status: 'all'}, catalogue))).toEqual([
      'critical FAIL test-region-setting 123456789012/us-east-1',
      'critical UNKNOWN test-region-setting 123456789012/eu-west-1',
    ])
    const low = runScan(snapshot, {severity: 'low', status: 'pass'}, catalogue)
    expect(low.findings).toHaveLength(3)
    expect(runScan(snapshot, {severity: 'medium', status: 'pass'}, catalogue).findings.map((f) => f.checkId)).toEqual(['ec2-volume-unencrypted'])
    expect(runScan(snapshot, {severity: 'high'}, catalogue).summary).toMatchObject({fail: 4, shown: 2})
  })

  it('--check runs only the named checks, --cis-only only CIS checks, and both together their intersection', async () => {
    const snapshot = await current()
    const one = runScan(snapshot, {checks: ['test-volume-large']}, catalogue)
    expect(one.checks.map((c) => c.id)).toEqual(['test-volume-large'])
    expect(one.summary).toMatchObject({checks: 1, evaluated: 4, pass: 2, fail: 1, unknown: 1})
    expect(one.filters.checks).toEqual(['test-volume-large'])
    expect(runScan(snapshot, {cisOnly: true}, catalogue).checks.map((c) => c.id)).toEqual(['test-volume-large', 'test-region-setting'])
    expect(runScan(snapshot, {cisOnly: true, checks: ['test-region-setting', 'ec2-volume-unencrypted']}, catalogue).checks.map((c) => c.id)).toEqual([
      'test-region-setting',
    ])
    expect(() => runScan(snapshot, {cisOnly: true, checks: ['ec2-volume-unencrypted']}, catalogue)).toThrow(
      'No check matches --check and --cis-only together. Run "awsinv security checks --cis-only" to see the CIS checks.',
    )
  })

  it('refuses unknown check ids, naming them and where the ids are listed', async () => {
    const snapshot = await current()
    expect(() => runScan(snapshot, {checks: ['ec2-volume-unencrypted', 'nope', 'ec2-nope']}, catalogue)).toThrow(
      new UserError('Unknown check "nope", "ec2-nope". Run "awsinv security checks" to see the check ids.'),
    )
    expect(() => selectChecks({checks: ['test-volume-large']})).toThrow(/Unknown check "test-volume-large"/)
  })

  it('--fail-on says failed when a shown FAIL is at or above the threshold, and counts those', async () => {
    const snapshot = await current()
    expect(runScan(snapshot, {failOn: 'critical'}, catalogue).failOn).toEqual({severity: 'critical', count: 1, failed: true})
    expect(runScan(snapshot, {failOn: 'medium'}, catalogue).failOn).toEqual({severity: 'medium', count: 4, failed: true})
    expect(runScan(snapshot, {failOn: 'critical', checks: ['test-volume-large', 'ec2-volume-unencrypted']}, catalogue).failOn).toEqual({
      severity: 'critical',
      count: 0,
      failed: false,
    })
    expect(runScan(snapshot, {failOn: 'high', checks: ['test-volume-large']}, catalogue).failOn).toEqual({severity: 'high', count: 1, failed: true})
    // Only what the filters show: a FAIL hidden by --severity or --status does not count, an UNKNOWN never does.
    expect(runScan(snapshot, {failOn: 'medium', severity: 'high', checks: ['ec2-volume-unencrypted']}, catalogue).failOn?.failed).toBe(false)
    expect(runScan(snapshot, {failOn: 'info', status: 'unknown'}, catalogue).failOn).toEqual({severity: 'info', count: 0, failed: false})
  })

  it('--since shows only FAIL findings that did not FAIL in the earlier snapshot, matched by check and resource', async () => {
    // Before: vol-plain already failed; vol-big was there but small (PASS); eu-west-1 was not collected either.
    const before = scanSnapshot({
      resources: [await volume('vol-plain', false), await volume('vol-big', true, 8)],
      cells: {[VOLUME]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied'}]},
      capturedAt: new Date('2026-05-01T00:00:00Z'),
    })
    const now = await current()
    const result = runScan(now, {since: before}, catalogue)
    expect(lines(result)).toEqual([`high FAIL test-volume-large ${arn('vol-big')}`, `medium FAIL ec2-volume-unencrypted ${arn('vol-big')}`])
    expect(result.since).toMatchObject({name: 'scan-test', capturedAt: '2026-05-01T00:00:00.000Z', alreadyFailing: 2})
    expect(result.filters.since).toBe('scan-test')
    expect(result.summary).toMatchObject({fail: 4, shown: 2})
    expect(runScan(now, {since: before, failOn: 'critical'}, catalogue).failOn?.failed).toBe(false)

    // A FAIL that is more severe now (low before: the big volume was encrypted) is new; as severe, it is not.
    const lowBefore = scanSnapshot({resources: [await volume('vol-plain', false), await volume('vol-big', true, 500)], cells: {[VOLUME]: [{region: 'us-east-1'}]}})
    const worse = runScan(now, {since: lowBefore, checks: ['test-volume-large']}, catalogue)
    expect(lines(worse)).toEqual([`high FAIL test-volume-large ${arn('vol-big')}`])
    expect(worse.since?.alreadyFailing).toBe(0)
    expect(runScan(now, {since: lowBefore, checks: ['test-volume-large'], failOn: 'high'}, catalogue).failOn?.failed).toBe(true)
    expect(runScan(lowBefore, {since: lowBefore, checks: ['test-volume-large']}, catalogue).since?.alreadyFailing).toBe(1)

    // What was UNKNOWN before (not collected) and FAILs now is new.
    const blind = scanSnapshot({cells: {[VOLUME]: [{region: 'us-east-1', status: 'throttled'}]}})
    expect(runScan(now, {since: blind}, catalogue).findings).toHaveLength(4)
    expect(() => runScan(now, {since: before, status: 'all'}, catalogue)).toThrow('--since lists new FAIL findings only; it cannot be combined with --status all.')
  })

  it('makes UNKNOWN, on a snapshot taken with tag filters, a FAIL that says nothing satisfying the check was found', async () => {
    // Satisfied by a large volume somewhere in the account: the filters may have left it out.
    const anyLarge: Check = {
      ...meta,
      id: 'test-large-volume-missing',
      title: 'The account has a large volume',
      severity: 'low',
      resourceTypes: [VOLUME],
      satisfiedBy: [VOLUME],
      evaluate: (snapshot) =>
        perCell(snapshot, VOLUME, (_cell, volumes) => ({verdict: volumes.some((v) => (v.configuration.Size as number) > 100) ? pass('found one') : fail('no large volume', 'aws ec2 create-volume --size 500')})),
    }
    const small = [await volume('vol-enc', true), await volume('vol-plain', false)]
    const filtered = scanSnapshot({resources: small, tagFilters: {includeTags: {env: 'dev'}, excludeTags: {keep: 'true'}}})
    const result = runScan(filtered, {status: 'all'}, [anyLarge, ec2VolumeUnencrypted])
    expect(result.findings.map((f) => `${f.status} ${f.checkId} ${f.resource}`)).toEqual([
      // A resource's own verdict stands: the filters cannot hide what makes it fail.
      `FAIL ec2-volume-unencrypted ${arn('vol-plain')}`,
      `PASS ec2-volume-unencrypted ${arn('vol-enc')}`,
      'UNKNOWN test-large-volume-missing 123456789012/us-east-1',
    ])
    expect(result.findings.find((f) => f.checkId === anyLarge.id)).toMatchObject({
      evidence: 'no large volume; but snapshot "scan-test" was taken with tag filters (include env=dev; exclude keep=true), which may have left out the AWS::EC2::Volume that would satisfy the check',
      remediation: null,
    })

    // Without filters the FAIL stands; a PASS stands with them.
    expect(runScan(scanSnapshot({resources: small}), {}, [anyLarge]).findings.map((f) => f.status)).toEqual(['FAIL'])
    const large = scanSnapshot({resources: [await volume('vol-big', true, 500)], tagFilters: {includeTags: {env: 'dev'}, excludeTags: {}}})
    expect(runScan(large, {status: 'all'}, [anyLarge]).findings.map((f) => f.status)).toEqual(['PASS'])
    // --since judges the earlier snapshot the same way: its UNKNOWN is no FAIL, so today's FAIL is new.
    expect(runScan(scanSnapshot({resources: small}), {since: filtered}, [anyLarge]).findings.map((f) => f.status)).toEqual(['FAIL'])
  })

  it('gives one UNKNOWN per resource when a check reads two types neither of which was collected', () => {
    const SNAPSHOT = 'AWS::EC2::Snapshot'
    const both: Check = {
      ...meta,
      id: 'test-two-types',
      title: 'Volumes and snapshots are encrypted',
      severity: 'high',
      resourceTypes: [VOLUME, SNAPSHOT],
      evaluate: (snapshot) => [...perResource(snapshot, VOLUME, () => pass('encrypted')), ...perResource(snapshot, SNAPSHOT, () => pass('encrypted'))],
    }
    const result = runScan(scanSnapshot({}), {status: 'all'}, [both])
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({
      status: 'UNKNOWN',
      resource: '123456789012',
      resourceType: `${VOLUME}, ${SNAPSHOT}`,
      evidence: `${VOLUME} was not collected in this snapshot; ${SNAPSHOT} was not collected in this snapshot`,
    })
    expect(result.summary.unknown).toBe(1)
  })
})

describe('scanStoredSnapshot', () => {
  const stores = tempStores('awsinv-scan-')
  afterEach(() => stores.cleanup())

  const volumeCell = (region = 'us-east-1') => coverageRecord({resourceType: VOLUME, region})
  const setStarted = (store: ReturnType<typeof stores.open>, name: string, iso: string) =>
    store.sqlite.prepare('update snapshots set started_at = ? where name = ?').run(iso, name)

  async function seeded() {
    const store = stores.open()
    finishedSnapshot(store, 'before', {resources: [await volume('vol-plain', false)], coverage: [volumeCell()]})
    finishedSnapshot(store, 'after', {resources: [await volume('vol-plain', false), await volume('vol-new', false)], coverage: [volumeCell()], setActive: true})
    setStarted(store, 'before', '2026-05-01T00:00:00.000Z')
    setStarted(store, 'after', '2026-06-01T00:00:00.000Z')
    return store
  }

  it('scans the active snapshot by default, a named one on request, with capture time from the stored start', async () => {
    const store = await seeded()
    const active = scanStoredSnapshot({}, () => store)
    expect(active.snapshot).toMatchObject({name: 'after', capturedAt: '2026-06-01T00:00:00.000Z'})
    expect(active.findings.map((f) => f.name)).toEqual(['vol-new', 'vol-plain'])
    expect(scanStoredSnapshot({snapshot: 'before'}, () => store).findings.map((f) => f.name)).toEqual(['vol-plain'])
  })

  it('parses severities and comma-separated check ids in any case (once each), and refuses unknown ones', async () => {
    const store = await seeded()
    const result = scanStoredSnapshot({severity: 'MEDIUM', failOn: 'High', checks: ['ec2-volume-unencrypted,EC2-Volume-Unencrypted']}, () => store)
    expect(result.filters).toMatchObject({severity: 'medium', checks: ['ec2-volume-unencrypted']})
    expect(result.failOn).toEqual({severity: 'high', count: 0, failed: false})
    // Bad values are refused before the store is opened: a mistyped storage path is not even looked at.
    const unopened = () => {
      throw new Error('the store was opened')
    }

    expect(() => scanStoredSnapshot({severity: 'severe'}, unopened)).toThrow('Unknown severity "severe" for --severity: use info, low, medium, high, critical.')
    expect(() => scanStoredSnapshot({failOn: 'none'}, unopened)).toThrow('Unknown severity "none" for --fail-on: use info, low, medium, high, critical.')
    expect(() => scanStoredSnapshot({status: 'failed'}, unopened)).toThrow('Unknown status "failed" for --status: use fail, unknown, pass, all.')
    expect(() => scanStoredSnapshot({checks: [' , ']}, unopened)).toThrow('--check needs a check id. Run "awsinv security checks" to see the check ids.')
    expect(() => scanStoredSnapshot({snapshot: 'nope', checks: ['x']}, unopened)).toThrow('Unknown check "x"')
    expect(() => scanStoredSnapshot({snapshot: 'nope'}, () => store)).toThrow('Unknown snapshot "nope". Run "awsinv snapshot list" to see the snapshots.')
  })

  it('--since reports what newly fails; refuses the same snapshot, a later one and another account’s', async () => {
    const store = await seeded()
    expect(scanStoredSnapshot({since: 'before'}, () => store).findings.map((f) => f.name)).toEqual(['vol-new'])
    expect(() => scanStoredSnapshot({since: 'after'}, () => store)).toThrow('--since "after" is the scanned snapshot itself: name an earlier snapshot.')
    expect(() => scanStoredSnapshot({snapshot: 'before', since: 'after'}, () => store)).toThrow(
      '--since "after" (2026-06-01T00:00:00.000Z) started after "before" (2026-05-01T00:00:00.000Z): name an earlier snapshot.',
    )
    expect(() => scanStoredSnapshot({since: 'nope'}, () => store)).toThrow('Unknown snapshot "nope"')

    finishedSnapshot(store, 'other', {resources: [], coverage: []})
    store.sqlite.prepare(`update snapshots set account_id = '210987654321', started_at = '2026-04-01T00:00:00.000Z' where name = 'other'`).run()
    expect(() => scanStoredSnapshot({since: 'other'}, () => store)).toThrow(
      '--since "other" is of account 210987654321, but "after" is of account 123456789012: name a snapshot of the same account.',
    )
  })

  it('refuses a snapshot still being collected or one that failed', async () => {
    const store = await seeded()
    finishedSnapshot(store, 'broken', {status: 'failed', resources: [], coverage: []})
    expect(() => scanStoredSnapshot({snapshot: 'broken'}, () => store)).toThrow('Snapshot "broken" failed and holds no data to scan.')
    expect(() => scanStoredSnapshot({since: 'broken'}, () => store)).toThrow('Snapshot "broken" failed and holds no data to scan.')
    store.sqlite.prepare(`update snapshots set status = 'running', pid = ? where name = 'broken'`).run(process.pid)
    expect(() => scanStoredSnapshot({snapshot: 'broken'}, () => store)).toThrow('Snapshot "broken" is still being collected; wait for it to finish.')
  })
})

describe('listChecks', () => {
  it('lists the catalogue in its order, filtered by minimum severity and CIS', () => {
    expect(listChecks({}, catalogue).checks.map((c) => c.id)).toEqual(['ec2-volume-unencrypted', 'test-volume-large', 'test-region-setting'])
    expect(listChecks({severity: 'Medium'}, catalogue).checks.map((c) => c.id)).toEqual(['ec2-volume-unencrypted', 'test-region-setting'])
    expect(listChecks({cisOnly: true}, catalogue).checks).toEqual([
      {id: 'test-volume-large', title: 'Volumes are small', severity: 'low', cis: {v4: '9.1', v7: '9.2'}, resourceTypes: [VOLUME]},
      {id: 'test-region-setting', title: 'The region setting is on', severity: 'critical', cis: {v4: '9.3'}, resourceTypes: [VOLUME]},
    ])
    expect(() => listChecks({severity: 'urgent'}, catalogue)).toThrow('Unknown severity "urgent" for --severity')
  })

  it('lists the real catalogue, every check with a title, a severity and the types it reads', () => {
    const {checks} = listChecks({})
    expect(checks.map((c) => c.id)).toContain('ec2-volume-unencrypted')
    for (const c of checks) {
      expect(c.title).not.toBe('')
      expect(c.resourceTypes.length).toBeGreaterThan(0)
    }
  })
})
