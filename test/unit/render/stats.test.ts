import {describe, expect, it} from 'vitest'

import type {StatsResult} from '../../../src/query/stats.js'
import {formatStats} from '../../../src/render/stats.js'
import {withTerminalWidth} from '../../support/terminal.js'

const byOwner: StatsResult = {
  groupBy: 'tag:owner',
  snapshot: 'current',
  inventory: 'default',
  requiredTags: ['owner', 'env'],
  rows: [
    {group: 'a', resources: 2, tagged: 2, untagged: 0, tagCoverage: 100, withRequiredTags: 1, requiredTagCoverage: 50},
    {group: null, resources: 1, tagged: 0, untagged: 1, tagCoverage: 0, withRequiredTags: 0, requiredTagCoverage: 0},
  ],
  total: {group: null, resources: 3, tagged: 2, untagged: 1, tagCoverage: 66.7, withRequiredTags: 1, requiredTagCoverage: 33.3},
  incompleteSnapshots: [],
}

const bySnapshot: StatsResult = {
  groupBy: 'snapshot',
  snapshot: null,
  inventory: 'team',
  requiredTags: [],
  rows: [{group: 'empty', resources: 0, tagged: 0, untagged: 0, tagCoverage: null}],
  total: {group: null, resources: 0, tagged: 0, untagged: 0, tagCoverage: null},
  incompleteSnapshots: [],
}

describe('formatStats', () => {
  withTerminalWidth(300)

  it('titles the table, names the missing-tag group and ends with the total', () => {
    const text = formatStats(byOwner, 'table')
    const lines = text.split('\n')
    expect(lines[0]).toBe('Resources and tag coverage of snapshot current (inventory default), by tag:owner')
    expect(text).toMatch(/owner +│ Resources │ Tagged │ Untagged │ Tag coverage % │ With owner\+env │ Required tags %/)
    expect(text).toMatch(/│ a +│ 2 +│ 2 +│ 0 +│ 100\.0% +│ 1 +│ 50\.0% +│/)
    expect(text).toMatch(/│ \(no owner tag\) +│ 1 +│ 0 +│ 1 +│ 0\.0% +│ 0 +│ 0\.0% +│/)
    expect(lines.at(-2)).toMatch(/│ Total +│ 3 +│ 2 +│ 1 +│ 66\.7% +│ 1 +│ 33\.3% +│/)
  })

  it('renders csv, json and md as one document with numbers as numbers', () => {
    expect(formatStats(byOwner, 'csv').split('\r\n')).toEqual([
      'owner,Resources,Tagged,Untagged,Tag coverage %,With owner+env,Required tags %',
      'a,2,2,0,100,1,50',
      '(no owner tag),1,0,1,0,0,0',
      'Total,3,2,1,66.7,1,33.3',
    ])
    const json = JSON.parse(formatStats(byOwner, 'json')) as Array<Record<string, unknown>>
    expect(json.at(-1)).toEqual({owner: 'Total', Resources: 3, Tagged: 2, Untagged: 1, 'Tag coverage %': 66.7, 'With owner+env': 1, 'Required tags %': 33.3})
    expect(formatStats(byOwner, 'md').split('\n')[0]).toBe('| owner | Resources | Tagged | Untagged | Tag coverage % | With owner+env | Required tags % |')
  })

  it('groups by snapshot without required-tag columns; no coverage without resources', () => {
    const text = formatStats(bySnapshot, 'table')
    expect(text.split('\n')[0]).toBe('Resources and tag coverage of every snapshot of inventory team, by snapshot')
    expect(text).not.toMatch(/Required/)
    expect(formatStats(bySnapshot, 'csv').split('\r\n')).toEqual(['Snapshot,Resources,Tagged,Untagged,Tag coverage %', 'empty,0,0,0,', 'Total,0,0,0,'])
  })
})
