import {describe, expect, it} from 'vitest'

import type {ResourceHistory} from '../../../src/query/history.js'
import {describeTagChanges, formatHistory} from '../../../src/render/history.js'
import {withTerminalWidth} from '../../support/terminal.js'

const hash = (c: string) => c.repeat(64)
const history: ResourceHistory = {
  arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1',
  type: 'AWS::EC2::VPC',
  resourceId: 'vpc-1',
  name: 'main',
  region: 'us-east-1',
  accountId: '123456789012',
  tags: {env: 'prod'},
  inventory: null,
  entries: [
    {snapshot: 's1', snapshotId: 1, inventory: 'default', startedAt: '2026-01-01T00:00:00.000Z', present: true, configHash: hash('a'), event: 'appeared'},
    {
      snapshot: 's2',
      snapshotId: 2,
      inventory: 'default',
      startedAt: '2026-01-02T00:00:00.000Z',
      present: true,
      configHash: hash('b'),
      event: 'changed',
      previous: {snapshot: 's1', snapshotId: 1, configHash: hash('a')},
      tagChanges: {added: {owner: 'x'}, removed: {team: 'y'}, changed: {env: {from: 'dev', to: 'prod'}}},
    },
    {snapshot: 's3', snapshotId: 3, inventory: 'default', startedAt: '2026-01-03T00:00:00.000Z', present: false, event: 'not-collected', coverage: 'throttled'},
  ],
}

describe('formatHistory', () => {
  withTerminalWidth(300)

  it('describes the resource, then one row per snapshot', () => {
    const text = formatHistory(history, 'table')
    const lines = text.split('\n')
    expect(lines[0]).toBe(history.arn)
    expect(lines[1]).toBe('  AWS::EC2::VPC vpc-1 (main) · us-east-1 · account 123456789012')
    expect(text).toMatch(/│ s2 +│ default +│ 2026-01-02T00:00:00\.000Z │ changed +│ bbbbbbbbbbbb │ \+owner=x ~env=dev→prod -team=y │/)
    expect(text).toMatch(/│ s3 +│ .*│ not-collected \(throttled\) │ +│/)
    expect(formatHistory({...history, inventory: 'team'}, 'table').split('\n')[1]).toMatch(/ in inventory team$/)
  })

  it('prints a name with control characters or line breaks on one line, neutralised', () => {
    const lines = formatHistory({...history, name: 'a\u001B[31mb\nc'}, 'table').split('\n')
    expect(lines[1]).toBe('  AWS::EC2::VPC vpc-1 (a\uFFFD[31mb c) · us-east-1 · account 123456789012')
  })

  it('follows the table with each changed snapshot\'s field changes when they were computed', () => {
    const [first, second, third] = history.entries
    const withChanges: ResourceHistory = {
      ...history,
      entries: [
        first!,
        {
          ...second!,
          changes: [
            {path: 'CidrBlock', segments: [{field: 'CidrBlock'}], kind: 'changed', category: 'configuration', before: '10.0.0.0/16', after: '10.1.0.0/16'},
            {path: 'Tags[owner]', segments: [{field: 'Tags'}, {key: 'owner'}], kind: 'added', category: 'tags', after: 'x'},
          ],
        },
        third!,
      ],
    }
    const lines = formatHistory(withChanges, 'table').split('\n')
    expect(lines.slice(-3)).toEqual(['Changes in s2:', '  ~ CidrBlock: "10.0.0.0/16" → "10.1.0.0/16"', '  + Tags[owner]: "x"'])
    expect(formatHistory(history, 'table')).not.toContain('Changes in')
  })

  it('renders csv as one document', () => {
    expect(formatHistory(history, 'csv').split('\r\n')).toEqual([
      'Snapshot,Inventory,Started,Event,Config,Tag changes',
      's1,default,2026-01-01T00:00:00.000Z,appeared,aaaaaaaaaaaa,',
      // Starting with +, the tag changes would be a formula to a spreadsheet: written as text.
      "s2,default,2026-01-02T00:00:00.000Z,changed,bbbbbbbbbbbb,'+owner=x ~env=dev→prod -team=y",
      's3,default,2026-01-03T00:00:00.000Z,not-collected (throttled),,',
    ])
  })

  it('describes tag changes compactly', () => {
    expect(describeTagChanges({added: {}, removed: {}, changed: {}})).toBe('')
  })
})
