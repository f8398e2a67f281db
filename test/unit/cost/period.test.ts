import {describe, expect, it} from 'vitest'

import {addDays, earliestStart, isClosedPeriod, monthStart, parseDate, resolvePeriod, utcDate} from '../../../src/cost/period.js'

// A fixed "now" (the cost clock is injected): 15 May 2025, 22:30 UTC.
const now = new Date('2025-05-15T22:30:00Z')

describe('dates', () => {
  it('works in UTC calendar days and months', () => {
    expect(utcDate(new Date('2025-05-15T23:59:59.999Z'))).toBe('2025-05-15')
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
    expect(monthStart('2025-05-15')).toBe('2025-05-01')
    expect(monthStart('2025-12-31', 1)).toBe('2026-01-01')
    expect(monthStart('2025-01-31', -13)).toBe('2023-12-01')
    expect(earliestStart('2025-05-15')).toBe('2024-04-01')
  })

  it('accepts real YYYY-MM-DD dates only', () => {
    expect(parseDate('2024-02-29', '--start-date')).toBe('2024-02-29')
    for (const bad of ['2025-5-1', '15/05/2025', '2025-05-15T00:00:00Z', '', 'yesterday']) {
      expect(() => parseDate(bad, '--start-date'), bad).toThrow(/^--start-date must be a date written YYYY-MM-DD/)
    }

    // Written right, but no such day.
    expect(() => parseDate('2025-02-29', '--start-date')).toThrow(/^--start-date 2025-02-29 is not a day of the calendar: February 2025 has no day 29\.$/)
    expect(() => parseDate('2025-04-00', '--end-date')).toThrow(/^--end-date 2025-04-00 is not a day of the calendar: April 2025 has no day 0\.$/)
    expect(() => parseDate('2025-13-01', '--start-date')).toThrow(/^--start-date 2025-13-01 is not a day of the calendar: there is no month 13\.$/)
  })
})

describe('resolvePeriod', () => {
  it('defaults to the 30 days ending today, today included (the end is excluded)', () => {
    expect(resolvePeriod({}, now)).toEqual({period: {start: '2025-04-16', end: '2025-05-16'}, notes: []})
  })

  it('starts at the snapshot date by default', () => {
    expect(resolvePeriod({since: '2025-05-02T09:00:00.000Z'}, now).period).toEqual({start: '2025-05-02', end: '2025-05-16'})
    // Taken today: the period is today.
    expect(resolvePeriod({since: '2025-05-15T08:00:00.000Z'}, now).period).toEqual({start: '2025-05-15', end: '2025-05-16'})
  })

  it('moves a default start older than Cost Explorer history to its earliest date, with a note', () => {
    const resolved = resolvePeriod({since: '2023-01-10T00:00:00.000Z'}, now)
    expect(resolved.period).toEqual({start: '2024-04-01', end: '2025-05-16'})
    expect(resolved.notes).toEqual([expect.stringContaining('2023-01-10, before Cost Explorer')])
  })

  it('says when the default 30 days before an early --end-date are cut to Cost Explorer history', () => {
    expect(resolvePeriod({endDate: '2024-04-10'}, now)).toEqual({
      period: {start: '2024-04-01', end: '2024-04-10'},
      notes: ["The 30 days before --end-date 2024-04-10 begin before Cost Explorer's history: the period starts at 2024-04-01."],
    })
    expect(resolvePeriod({endDate: '2024-05-01'}, now).notes).toEqual([])
  })

  it('takes explicit dates, the end excluded', () => {
    expect(resolvePeriod({startDate: '2025-01-01', endDate: '2025-04-01'}, now).period).toEqual({start: '2025-01-01', end: '2025-04-01'})
    expect(resolvePeriod({startDate: '2025-05-15'}, now).period).toEqual({start: '2025-05-15', end: '2025-05-16'})
    expect(resolvePeriod({endDate: '2025-03-01'}, now).period).toEqual({start: '2025-01-30', end: '2025-03-01'})
    // Month to date plus the rest of the month, as Cost Explorer's console asks.
    expect(resolvePeriod({startDate: '2025-05-01', endDate: '2025-06-01'}, now).period).toEqual({start: '2025-05-01', end: '2025-06-01'})
    expect(resolvePeriod({startDate: '2024-04-01', endDate: '2024-04-02'}, now).period).toEqual({start: '2024-04-01', end: '2024-04-02'})
  })

  it.each([
    [{startDate: '2025-05-16'}, /^--start-date 2025-05-16 is in the future \(today is 2025-05-15, UTC\)/],
    [{startDate: '2024-03-31'}, /^--start-date 2024-03-31 is too far back: .* the earliest start is 2024-04-01\.$/],
    [{startDate: '2025-03-10', endDate: '2025-03-01'}, /^--end-date 2025-03-01 must be after --start-date 2025-03-10/],
    [{startDate: '2025-03-10', endDate: '2025-03-10'}, /^--end-date 2025-03-10 must be after --start-date 2025-03-10/],
    [{endDate: '2025-06-02'}, /^--end-date 2025-06-02 is too far ahead: .* the latest end is 2025-06-01\./],
    [{endDate: '2024-01-01'}, /^--end-date 2024-01-01 is too far back/],
    [{endDate: '2024-04-01'}, /^--end-date 2024-04-01 is too far back: .* from 2024-04-01\.$/],
    [{endDate: '2025-04-01', since: '2025-05-02T00:00:00Z'}, /^--end-date 2025-04-01 must be after the default start \(the snapshot's date\) 2025-05-02/],
    [{startDate: '2025-02-30'}, /^--start-date 2025-02-30 is not a day of the calendar: February 2025 has no day 30\./],
  ])('refuses %o', (input, message) => {
    expect(() => resolvePeriod(input, now)).toThrow(message)
  })

  it('calls a period closed once its last month has ended', () => {
    expect(isClosedPeriod({start: '2025-03-01', end: '2025-05-01'}, now)).toBe(true)
    expect(isClosedPeriod({start: '2025-04-20', end: '2025-05-02'}, now)).toBe(false)
    expect(isClosedPeriod({start: '2025-05-01', end: '2025-05-16'}, now)).toBe(false)
    expect(isClosedPeriod({start: '2025-04-01', end: '2025-05-01'}, new Date('2025-04-30T23:59:59Z'))).toBe(false)
  })
})
