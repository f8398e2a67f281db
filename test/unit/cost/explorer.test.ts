import {DataUnavailableException, LimitExceededException} from '@aws-sdk/client-cost-explorer'
import {describe, expect, it} from 'vitest'

import {CostExplorerError, costAndUsageExpiry, costExplorerError} from '../../../src/cost/explorer.js'

const now = new Date('2025-05-15T22:30:00Z')
const sixHoursLater = '2025-05-16T04:30:00.000Z'
const request = (start: string, end: string) => ({TimePeriod: {Start: start, End: end}, Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost']})
const page = (...estimated: boolean[]) => ({ResultsByTime: estimated.map((e) => ({Estimated: e})), $metadata: {}})
const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}})

describe('costAndUsageExpiry', () => {
  it('keeps final answers about closed months for good', () => {
    expect(costAndUsageExpiry(request('2025-01-01', '2025-05-01'), [page(false, false), page(false)], now)).toBeNull()
  })

  it('keeps answers for 6 hours while Cost Explorer still estimates them (a month not yet billed)', () => {
    expect(costAndUsageExpiry(request('2025-03-01', '2025-05-01'), [page(false), page(true)], now)).toBe(sixHoursLater)
  })

  it('keeps answers reaching into the current month for 6 hours', () => {
    expect(costAndUsageExpiry(request('2025-04-01', '2025-05-02'), [page(false)], now)).toBe(sixHoursLater)
    expect(costAndUsageExpiry(request('2025-05-01', '2025-05-16'), [page(false)], now)).toBe(sixHoursLater)
  })
})

describe('costExplorerError', () => {
  it.each([
    [
      'Cost Explorer not enabled',
      awsError('AccessDeniedException', 'User not enabled for cost explorer access'),
      /^Cost Explorer is not enabled for this account \(AccessDeniedException: User not enabled for cost explorer access\)\. Enable it once in the Billing/,
    ],
    [
      'access denied',
      awsError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ce:GetCostAndUsage'),
      /^Cost Explorer denied GetCostAndUsage \(AccessDeniedException: .*\)\. Grant the caller ce:GetCostAndUsage\.$/,
    ],
    ['no data yet', new DataUnavailableException({message: 'Data is not available.', $metadata: {}}), /^Cost Explorer has no data for this request \(DataUnavailableException/],
    ['rate limit', new LimitExceededException({message: 'Rate exceeded', $metadata: {}}), /^Cost Explorer's request rate limit was reached \(LimitExceededException\)/],
    ['a refused request', awsError('ValidationException', 'Start date is after end date'), /^Cost Explorer GetCostAndUsage failed \(ValidationException: Start date is after end date\)\.$/],
    ['no endpoint', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'}), /^Cannot reach Cost Explorer \(ECONNREFUSED\)/],
  ])('%s: one line saying what to do', (_label, error, message) => {
    const mapped = costExplorerError(error, 'GetCostAndUsage')
    expect(mapped).toBeInstanceOf(CostExplorerError)
    expect(mapped.message).toMatch(message)
    expect(mapped.message).not.toContain('\n')
  })
})
