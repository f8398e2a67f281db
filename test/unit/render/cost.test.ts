import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {CostResult} from '../../../src/cost/analyze.js'
import {costSideLines, drawBar, exportCost, formatCost} from '../../../src/render/cost.js'
import {parseCsv} from '../../support/csv.js'

const result: CostResult = {
  accountId: '123456789012',
  scope: {
    kind: 'snapshot',
    snapshot: 'baseline',
    inventory: 'team-a',
    includeTags: {owner: 'team-a'},
    excludeTags: {env: 'scratch'},
    linkedAccounts: null,
    filter: {And: [{Tags: {Key: 'owner', Values: ['team-a'], MatchOptions: ['EQUALS']}}, {Not: {Tags: {Key: 'env', Values: ['scratch'], MatchOptions: ['EQUALS']}}}]},
  },
  period: {start: '2025-05-13', end: '2025-05-16'},
  granularity: 'DAILY',
  metric: 'UnblendedCost',
  groupBy: ['service', 'tag:env'],
  currency: 'USD',
  total: '12.3456789',
  estimated: true,
  rows: [
    {keys: ['Amazon Elastic Compute Cloud - Compute', 'prod'], amount: '10.005', share: 81},
    {keys: ['AWS Lambda', null], amount: '2.3406789', share: 19},
  ],
  periods: [
    {start: '2025-05-13', end: '2025-05-14', amount: '8.00', estimated: false},
    {start: '2025-05-14', end: '2025-05-15', amount: '4.00', estimated: false},
    {start: '2025-05-15', end: '2025-05-16', amount: '0.3456789', estimated: true},
  ],
  attribution: {accountTotal: '20.00', unattributed: '7.6543211', unattributedShare: 38.3},
  services: [
    {service: 'ec2', resources: 3, types: [{type: 'AWS::EC2::Instance', resources: 1}, {type: 'AWS::EC2::VPC', resources: 2}], costServices: ['Amazon Elastic Compute Cloud - Compute', 'EC2 - Other', 'Amazon Virtual Private Cloud'], amount: '10.005', share: 81},
    {service: 'iam', resources: 2, types: [{type: 'AWS::IAM::Role', resources: 2}], costServices: [], amount: '0.00', share: 0},
  ],
  forecast: {start: '2025-05-15', end: '2025-06-01', mean: '40.129', lower: '35.5', upper: '44.751', confidence: 80, currency: 'USD'},
  requests: {made: 2, cached: 1, max: 10},
  notes: ['The snapshot was taken on 2023-01-10, before Cost Explorer\'s history: the period starts at 2024-04-01.'],
}

describe('formatCost', () => {
  it('prints a report for people: summary, breakdown, per-day chart, services, forecast and requests', () => {
    expect(formatCost(result, 'table')).toBe(
      [
        'Cost of snapshot baseline (inventory team-a), attributed through its tags: owner=team-a, not env=scratch',
        '2025-05-13 to 2025-05-15 (daily, UnblendedCost by service and tag:env)',
        'Total: 12.35 USD (estimated: 1 day not final)',
        'Unattributed (account cost the tags do not select): 7.65 USD, 38.3% of the account; account total 20.00 USD',
        '',
        '┌────────────────────────────────────────┬──────────────┬────────────┬─────────┐',
        '│ Service                                │ env          │ Cost (USD) │ Share % │',
        '├────────────────────────────────────────┼──────────────┼────────────┼─────────┤',
        '│ Amazon Elastic Compute Cloud - Compute │ prod         │ 10.01      │ 81.0%   │',
        '│ AWS Lambda                             │ (no env tag) │ 2.34       │ 19.0%   │',
        '│ Total                                  │              │ 12.35      │ 100.0%  │',
        '│ Unattributed                           │              │ 7.65       │ 38.3%   │',
        '└────────────────────────────────────────┴──────────────┴────────────┴─────────┘',
        '',
        'Per day',
        `2025-05-13  ${'█'.repeat(40)}  8.00`,
        `2025-05-14  ${'█'.repeat(20).padEnd(40)}  4.00`,
        `2025-05-15  ${'█▊'.padEnd(40)}  0.35  estimated`,
        '',
        'Services in snapshot baseline',
        '┌─────────┬───────────┬───────────────────────────────────────────────────────────────────────────────────┬────────────┬─────────┐',
        '│ Service │ Resources │ Billed as                                                                         │ Cost (USD) │ Share % │',
        '├─────────┼───────────┼───────────────────────────────────────────────────────────────────────────────────┼────────────┼─────────┤',
        '│ ec2     │ 3         │ Amazon Elastic Compute Cloud - Compute, EC2 - Other, Amazon Virtual Private Cloud │ 10.01      │ 81.0%   │',
        '│ iam     │ 2         │ (free)                                                                            │ 0.00       │ 0.0%    │',
        '└─────────┴───────────┴───────────────────────────────────────────────────────────────────────────────────┴────────────┴─────────┘',
        '',
        'Forecast from 2025-05-15 to the end of the month: 40.13 USD (80% prediction interval 35.50 to 44.75)',
        'Cost Explorer requests: 2 billable requests made, 1 answered from the cache (limit 10).',
        "Note: The snapshot was taken on 2023-01-10, before Cost Explorer's history: the period starts at 2024-04-01.",
      ].join('\n'),
    )
  })

  it('gives csv and json rows with exact amounts and numeric shares, the total and the unattributed cost last', () => {
    const csv = parseCsv(`${formatCost(result, 'csv')}\r\n`)
    expect(csv).toEqual([
      ['Service', 'env', 'Cost (USD)', 'Share %'],
      ['Amazon Elastic Compute Cloud - Compute', 'prod', '10.005', '81'],
      ['AWS Lambda', '(no env tag)', '2.3406789', '19'],
      ['Total', '', '12.3456789', '100'],
      ['Unattributed', '', '7.6543211', '38.3'],
    ])
    expect(JSON.parse(formatCost(result, 'json'))).toEqual([
      {Service: 'Amazon Elastic Compute Cloud - Compute', env: 'prod', 'Cost (USD)': '10.005', 'Share %': 81},
      {Service: 'AWS Lambda', env: '(no env tag)', 'Cost (USD)': '2.3406789', 'Share %': 19},
      {Service: 'Total', env: '', 'Cost (USD)': '12.3456789', 'Share %': 100},
      {Service: 'Unattributed', env: '', 'Cost (USD)': '7.6543211', 'Share %': 38.3},
    ])
  })

  it('gives Markdown with headings and a per-day table', () => {
    const md = formatCost(result, 'md')
    expect(md).toContain('## Cost of snapshot baseline (inventory team-a), attributed through its tags: owner=team-a, not env=scratch\n\n2025-05-13 to 2025-05-15')
    expect(md).toContain('| AWS Lambda | (no env tag) | 2.34 | 19.0% |')
    expect(md).toContain('### Per day\n| Day | Cost (USD) | Estimated |\n| --- | --- | --- |\n| 2025-05-13 | 8.00 |  |')
    expect(md).toContain('| 2025-05-15 | 0.35 | yes |')
    expect(md).toContain('### Services in snapshot baseline\n| Service | Resources | Billed as | Cost (USD) | Share % |')
  })

  it('lists months without bars, and says what an unfiltered scope covers', () => {
    const monthly: CostResult = {
      ...result,
      scope: {kind: 'inventory', snapshot: null, inventory: 'default', includeTags: {}, excludeTags: {}, linkedAccounts: null, filter: null},
      granularity: 'MONTHLY',
      groupBy: ['region'],
      rows: [{keys: ['us-east-1'], amount: '12.3456789', share: 100}],
      periods: [
        {start: '2025-03-01', end: '2025-04-01', amount: '10', estimated: false},
        {start: '2025-04-01', end: '2025-04-15', amount: '2.3456789', estimated: true},
      ],
      attribution: null,
      services: null,
      forecast: null,
      requests: {made: 1, cached: 0, max: 10},
      notes: [],
    }
    const text = formatCost(monthly, 'table')
    expect(text).toMatch(/^Cost of inventory default: no tag filters, so the whole account\n2025-05-13 to 2025-05-15 \(monthly, UnblendedCost by region\)\nTotal: 12.35 USD \(estimated: 1 month not final\)\n/)
    expect(text).toContain('Per month\n2025-03  10.00\n2025-04   2.35  estimated\n')
    expect(text.endsWith('Cost Explorer requests: 1 billable request made (limit 10).')).toBe(true)
  })

  it('names the accounts of a snapshot of other accounts without tag filters', () => {
    const linked: CostResult = {
      ...result,
      scope: {kind: 'snapshot', snapshot: 'org', inventory: 'default', includeTags: {}, excludeTags: {}, linkedAccounts: ['111111111111', '222222222222'], filter: {}},
      attribution: null,
    }
    expect(formatCost(linked, 'table')).toMatch(/^Cost of snapshot org \(inventory default\): no tag filters, so the whole of accounts 111111111111, 222222222222\n/)
  })
})

describe('costSideLines', () => {
  it('says on stderr, next to csv or json rows, that estimated periods can still change', () => {
    expect(costSideLines(result)).toEqual([
      'Estimated: 1 day not final, so the amounts can still change.',
      'Cost Explorer requests: 2 billable requests made, 1 answered from the cache (limit 10).',
      "Note: The snapshot was taken on 2023-01-10, before Cost Explorer's history: the period starts at 2024-04-01.",
    ])
    expect(costSideLines({...result, periods: result.periods.map((p) => ({...p, estimated: false}))})[0]).toMatch(/^Cost Explorer requests/)
  })
})

describe('drawBar', () => {
  it('draws in eighths of a column, at least one eighth for a positive amount, nothing for none', () => {
    expect(drawBar(10, 10)).toBe('█'.repeat(40))
    expect(drawBar(1, 16)).toBe('██▌')
    expect(drawBar(0.0001, 10)).toBe('▏')
    expect(drawBar(0, 10)).toBe('')
    expect(drawBar(-3, 10)).toBe('')
    expect(drawBar(3, 0)).toBe('')
  })
})

describe('exportCost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'awsinv-cost-export-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('writes the whole result as .json, the breakdown as .csv, the report as .md', () => {
    exportCost(result, join(dir, 'cost.json'))
    expect(JSON.parse(readFileSync(join(dir, 'cost.json'), 'utf8'))).toEqual(result)
    exportCost(result, join(dir, 'cost.CSV'))
    expect(readFileSync(join(dir, 'cost.CSV'), 'utf8')).toBe(`${formatCost(result, 'csv')}\r\n`)
    exportCost(result, join(dir, 'cost.md'))
    expect(readFileSync(join(dir, 'cost.md'), 'utf8')).toBe(`${formatCost(result, 'md')}\n`)
  })

  it('refuses a file it cannot write in one line', () => {
    expect(() => exportCost(result, join(dir, 'missing', 'cost.json'))).toThrow(/^Cannot write .*missing\/cost\.json: its directory does not exist\.$/)
  })
})
