import {describe, expect, it} from 'vitest'

import {formatSnapshotReport} from '../../../src/render/snapshot-report.js'
import type {CoverageGap, SnapshotReport} from '../../../src/store/reports.js'

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
  return {snapshot, byService: [], byRegion: [], byType, coverage: {cells: 1, ok: 1, apiCalls: 1, durationMs: 1000}, gaps: []}
}

describe('formatSnapshotReport', () => {
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
