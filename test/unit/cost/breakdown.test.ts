import type {GetCostAndUsageResponse} from '@aws-sdk/client-cost-explorer'
import {describe, expect, it} from 'vitest'

import {formatAmount} from '../../../src/cost/amount.js'
import {groupRows, periodRows, sumPages} from '../../../src/cost/breakdown.js'

// Pages in the shape of the GetCostAndUsage example of the Cost Explorer API reference (grouped by
// SERVICE and the tag Environment: `Total` is empty, tag keys come back as `KEY$value`).
const cost = (amount: string) => ({UnblendedCost: {Amount: amount, Unit: 'USD'}})
const page1: GetCostAndUsageResponse = {
  GroupDefinitions: [
    {Type: 'DIMENSION', Key: 'SERVICE'},
    {Type: 'TAG', Key: 'Environment'},
  ],
  ResultsByTime: [
    {
      TimePeriod: {Start: '2017-09-01', End: '2017-09-02'},
      Total: {},
      Groups: [
        {Keys: ['Amazon Simple Storage Service', 'Environment$Prod'], Metrics: cost('39.1603300457')},
        {Keys: ['Amazon Simple Storage Service', 'Environment$Test'], Metrics: cost('0.1603300457')},
      ],
      Estimated: false,
    },
  ],
  NextPageToken: 'AAMA-EFRSURBSkJjVjRmcjBNTUxNQWRtdkh1WERBRAB2Dy',
}
// Cost Explorer may continue a period on the next page.
const page2: GetCostAndUsageResponse = {
  GroupDefinitions: page1.GroupDefinitions,
  ResultsByTime: [
    {
      TimePeriod: {Start: '2017-09-01', End: '2017-09-02'},
      Total: {},
      Groups: [{Keys: ['AWS Lambda', 'Environment$'], Metrics: cost('0.0000001')}],
      Estimated: false,
    },
    {
      TimePeriod: {Start: '2017-09-02', End: '2017-09-03'},
      Total: {},
      Groups: [{Keys: ['Amazon Simple Storage Service', 'Environment$Prod'], Metrics: cost('1.0000000001')}],
      Estimated: true,
    },
  ],
}

describe('sumPages', () => {
  it('adds groups up over the period and per period, across pages', () => {
    const sums = sumPages([page1, page2], 'UnblendedCost', true)
    expect([...sums.groups].map(([k, a]) => [k.split('\u0000'), formatAmount(a)])).toEqual([
      [['Amazon Simple Storage Service', 'Environment$Prod'], '40.1603300458'],
      [['Amazon Simple Storage Service', 'Environment$Test'], '0.1603300457'],
      [['AWS Lambda', 'Environment$'], '0.0000001'],
    ])
    expect(periodRows(sums.periods)).toEqual([
      {start: '2017-09-01', end: '2017-09-02', amount: '39.3206601914', estimated: false},
      {start: '2017-09-02', end: '2017-09-03', amount: '1.0000000001', estimated: true},
    ])
    expect(sums.units).toEqual(['USD'])
  })

  it('reads the Total of ungrouped results', () => {
    const ungrouped: GetCostAndUsageResponse = {
      ResultsByTime: [
        {TimePeriod: {Start: '2017-09-02', End: '2017-09-03'}, Total: cost('5.5'), Groups: [], Estimated: true},
        {TimePeriod: {Start: '2017-09-01', End: '2017-09-02'}, Total: cost('4.25'), Groups: [], Estimated: false},
      ],
    }
    const sums = sumPages([ungrouped], 'UnblendedCost', false)
    expect(sums.groups.size).toBe(0)
    expect(periodRows(sums.periods).map((p) => [p.start, p.amount, p.estimated])).toEqual([
      ['2017-09-01', '4.25', false],
      ['2017-09-02', '5.50', true],
    ])
  })

  it('counts a missing metric as nothing', () => {
    const sums = sumPages([{ResultsByTime: [{TimePeriod: {Start: '2017-09-01', End: '2017-09-02'}, Total: {}, Groups: [{Keys: ['x'], Metrics: {}}]}]}], 'AmortizedCost', true)
    expect(formatAmount(sums.groups.get('x')!)).toBe('0.00')
  })
})

describe('groupRows', () => {
  it('sorts by cost, highest first, with readable tag values and shares of the total', () => {
    const sums = sumPages([page1, page2], 'UnblendedCost', true)
    const total = [...sums.groups.values()].reduce((a, b) => a + b, 0n)
    expect(groupRows(sums.groups, [{by: 'service'}, {by: 'tag', key: 'Environment'}], total)).toEqual([
      {keys: ['Amazon Simple Storage Service', 'Prod'], amount: '40.1603300458', share: 99.6},
      {keys: ['Amazon Simple Storage Service', 'Test'], amount: '0.1603300457', share: 0.4},
      {keys: ['AWS Lambda', null], amount: '0.0000001', share: 0},
    ])
  })

  it('orders equal costs by key and gives no share of a zero total', () => {
    const groups = new Map([
      ['b', 0n],
      ['a', 0n],
    ])
    expect(groupRows(groups, [{by: 'region'}], 0n)).toEqual([
      {keys: ['a'], amount: '0.00', share: null},
      {keys: ['b'], amount: '0.00', share: null},
    ])
  })
})
