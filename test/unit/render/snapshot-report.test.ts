import {describe, expect, it} from 'vitest'

import {csvGapsNote, formatSnapshotHeader, formatSnapshotList, formatSnapshotReport, noSnapshotsText} from '../../../src/render/snapshot-report.js'
import type {CoverageGap, SnapshotReport} from '../../../src/store/reports.js'
import {parseCsv} from '../../support/csv.js'

const snapshot = {
  id: 1,
  name: 'empty',
  inventory: 'default',
  status: 'complete' as const,
  accountId: '123456789012',
  accounts: ['123456789012'],
  regions: ['us-east-1'],
  resourceTypes: ['AWS::SQS::Queue'],
  filters: {includeTags: {}, excludeTags: {}},
  useConfig: false,
  toolVersion: '0.1.0',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:01.000Z',
  resourceCount: 0,
  gapCount: 0,
  apiCalls: 1,
  error: null,
  active: true,
}

function report(byType: SnapshotReport['byType']): SnapshotReport {
  return {snapshot, incomplete: false, byService: [], byRegion: [], byType, coverage: {cells: 1, ok: 1, apiCalls: 1, durationMs: 1000}, gaps: []}
}

describe('formatSnapshotReport', () => {
  it('prints tag filters on one line with control characters neutralised', () => {
    const header = formatSnapshotHeader({...snapshot, filters: {includeTags: {'env\u001B[31m': 'dev'}, excludeTags: {keep: 'a\nb'}}})
    expect(header.split('\n')).toContain('  tag filters +env\uFFFD[31m=dev -keep=a b')
  })

  it('says a snapshot without resources has none instead of drawing an empty table', () => {
    const text = formatSnapshotReport(report([]), {detailed: false})
    expect(text.split('\n').slice(-1)).toEqual(['No resources in this snapshot.'])
    expect(text).not.toContain('Resources by type')
    expect(text).not.toContain('┌')
  })

  it('lists the counts by type when there are resources', () => {
    const text = formatSnapshotReport(report([{service: 'sqs', type: 'AWS::SQS::Queue', region: 'us-east-1', count: 2}]), {detailed: false})
    expect(text).toContain('Resources by type')
    expect(text).toMatch(/│ sqs +│ AWS::SQS::Queue │ us-east-1 │ 2 +│/)
    expect(text).not.toContain('No resources')
  })
})

describe('formatSnapshotReport coverage line', () => {
  const gap: CoverageGap = {
    accountId: '123456789012',
    region: 'us-east-1',
    resourceType: 'AWS::SQS::Queue',
    status: 'access_denied',
    source: 'api',
    errorCode: 'AccessDenied',
    error: 'denied',
    remedy: 'allow sqs:ListQueues',
  }

  it('counts cells in words that agree with the number', () => {
    expect(formatSnapshotReport(report([]), {detailed: false})).toContain('Coverage: its one cell collected.')
    const many = {...report([]), coverage: {cells: 3, ok: 3, apiCalls: 3, durationMs: 1000}}
    expect(formatSnapshotReport(many, {detailed: false})).toContain('Coverage: all 3 cells collected.')
    const oneGap = {...report([]), coverage: {cells: 1, ok: 0, apiCalls: 1, durationMs: 1000}, gaps: [gap]}
    expect(formatSnapshotReport(oneGap, {detailed: false})).toContain('!! 1 of 1 cell was NOT collected')
    const twoGaps = {...oneGap, coverage: {cells: 4, ok: 2, apiCalls: 4, durationMs: 1000}, gaps: [gap, {...gap, region: 'eu-west-1'}]}
    expect(formatSnapshotReport(twoGaps, {detailed: false})).toContain('!! 2 of 4 cells were NOT collected')
  })
})

describe('csvGapsNote', () => {
  const gap: CoverageGap = {
    accountId: '123456789012',
    region: 'us-east-1',
    resourceType: 'AWS::AccessAnalyzer::Analyzer',
    status: 'error',
    source: 'api',
    errorCode: 'HTTP500',
    error: 'not implemented',
    remedy: 'leave the type out',
  }
  const partial = {...report([]), snapshot: {...snapshot, name: 'p1', status: 'partial' as const, gapCount: 1}, coverage: {cells: 10, ok: 9, apiCalls: 9, durationMs: 1000}, gaps: [gap]}

  it('says on one line how many cells the CSV leaves out, and which formats list them', () => {
    expect(csvGapsNote(partial)).toBe('Note: 1 of 10 cells was NOT collected in snapshot "p1": their resources are missing from this CSV. --format table, md or json lists the gaps.')
    const two = {...partial, gaps: [gap, {...gap, region: 'eu-west-1'}]}
    expect(csvGapsNote(two)).toMatch(/^Note: 2 of 10 cells were NOT collected in snapshot "p1": /)
  })

  it('says nothing when every cell was collected', () => {
    expect(csvGapsNote(report([]))).toBeUndefined()
  })

  it('leaves the CSV one table, and the JSON with the gaps in it', () => {
    const csv = formatSnapshotReport(partial, {detailed: false, format: 'csv'})
    expect(parseCsv(`${csv}\r\n`)[0]).toEqual(['Service', 'Type', 'Region', 'Count'])
    expect(csv).not.toContain('AccessAnalyzer')
    expect((JSON.parse(formatSnapshotReport(partial, {detailed: false, format: 'json'})) as SnapshotReport).gaps).toEqual([gap])
    expect(formatSnapshotReport(partial, {detailed: false, format: 'md'})).toContain('| us-east-1 | AWS::AccessAnalyzer::Analyzer | error | HTTP500 | leave the type out |')
  })
})

describe('formatSnapshotList', () => {
  const older = {...snapshot, id: 2, name: 'older', active: false, status: 'partial' as const, resourceCount: 3, gapCount: 1}
  const list = [snapshot, older]

  it('marks the active snapshot with * after its name for people (table, md)', () => {
    expect(formatSnapshotList(list, 'table')).toMatch(/│ empty \* +│ default +│ complete/)
    expect(formatSnapshotList(list, 'table')).toMatch(/│ older +│ default +│ partial/)
    expect(formatSnapshotList(list, 'table')).not.toContain('Active')
    const md = formatSnapshotList(list, 'md').split('\n')
    expect(md[0]).toBe('| Name | Inventory | Status | Account | Regions | Resources | Gaps | Started |')
    expect(md.slice(2).map((l) => l.split(' | ')[0])).toEqual(['| empty *', '| older'])
  })

  it('gives programs (json, csv) the plain name and a separate Active field', () => {
    const rows = JSON.parse(formatSnapshotList(list, 'json')) as Array<Record<string, unknown>>
    expect(rows.map((r) => [r.Name, r.Active])).toEqual([
      ['empty', true],
      ['older', false],
    ])
    const csv = parseCsv(`${formatSnapshotList(list, 'csv')}\r\n`)
    expect(csv[0]).toEqual(['Name', 'Inventory', 'Status', 'Account', 'Regions', 'Resources', 'Gaps', 'Started', 'Active'])
    expect(csv.slice(1).map((r) => [r[0], r[8]])).toEqual([
      ['empty', 'true'],
      ['older', 'false'],
    ])
  })

  it('renders no snapshots as an empty document for programs: [] and a csv header', () => {
    expect(JSON.parse(formatSnapshotList([], 'json'))).toEqual([])
    expect(formatSnapshotList([], 'csv')).toBe('Name,Inventory,Status,Account,Regions,Resources,Gaps,Started,Active')
  })

  it('says how to take a first snapshot, in the inventory listed', () => {
    expect(noSnapshotsText(undefined)).toBe('No snapshots yet. Take one with "awsinv snapshot create".')
    expect(noSnapshotsText('team-a')).toBe('No snapshots in inventory "team-a" yet. Take one with "awsinv snapshot create --inventory team-a".')
  })
})
