import {UserError} from '../errors.js'

/** A Cost Explorer time period: UTC dates as YYYY-MM-DD, `start` included, `end` excluded. */
export interface CostPeriod {
  start: string
  end: string
}

/** Days in the default period when no snapshot sets its start: today and the 29 days before. */
export const DEFAULT_PERIOD_DAYS = 30

/** Closed months Cost Explorer keeps before the current one (13 + the current month = 14 months). */
export const HISTORY_MONTHS = 13

export interface PeriodInput {
  /** `--start-date`, unparsed. */
  startDate?: string
  /** `--end-date`, unparsed. */
  endDate?: string
  /** A snapshot's capture time (ISO), which starts the default period. */
  since?: string
}

/** A resolved period and what was adjusted to get it. */
export interface ResolvedPeriod {
  period: CostPeriod
  /** One line per adjustment the user should know about (a default start moved into Cost Explorer's history). */
  notes: string[]
}

/** The UTC date of `now`, YYYY-MM-DD. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10)
}

/** `date` moved by `days` (negative: back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return utcDate(d)
}

/** The first day of `date`'s month moved by `months`. */
export function monthStart(date: string, months = 0): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + months)
  return utcDate(d)
}

/** The earliest start Cost Explorer serves: the first day of the month 13 months before today's. */
export function earliestStart(today: string): string {
  return monthStart(today, -HISTORY_MONTHS)
}

/** Parses a `--start-date`/`--end-date` value: a real calendar date written YYYY-MM-DD. */
export function parseDate(value: string, flag: string): string {
  const text = value.trim()
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) throw new UserError(`${flag} must be a date written YYYY-MM-DD, e.g. 2025-01-31; got "${value}".`)
  // A date that does not survive a round trip (2025-02-30) does not exist.
  if (Number.isNaN(Date.parse(`${text}T00:00:00Z`)) || utcDate(new Date(`${text}T00:00:00Z`)) !== text) {
    const month = Number(match[2])
    const why = month >= 1 && month <= 12 ? `${monthName(month)} ${match[1]} has no day ${Number(match[3])}` : `there is no month ${month}`
    throw new UserError(`${flag} ${text} is not a day of the calendar: ${why}.`)
  }

  return text
}

/**
 * The period to ask Cost Explorer for. Defaults: the start is the snapshot's date (`since`) or 29 days
 * before today; the end is tomorrow, so today is included (Cost Explorer's end is exclusive). A
 * snapshot older than Cost Explorer's history starts the period at the earliest date it serves, with a
 * note; explicit dates outside what Cost Explorer can answer are refused.
 */
export function resolvePeriod(input: PeriodInput, now: Date): ResolvedPeriod {
  const today = utcDate(now)
  const earliest = earliestStart(today)
  const latestEnd = monthStart(today, 1)
  const notes: string[] = []
  const explicitStart = input.startDate === undefined ? undefined : parseDate(input.startDate, '--start-date')
  const explicitEnd = input.endDate === undefined ? undefined : parseDate(input.endDate, '--end-date')

  if (explicitStart !== undefined) {
    if (explicitStart > today) throw new UserError(`--start-date ${explicitStart} is in the future (today is ${today}, UTC). Cost Explorer has costs up to today; --forecast estimates the rest of the month.`)
    if (explicitStart < earliest) {
      throw new UserError(`--start-date ${explicitStart} is too far back: Cost Explorer keeps the current month and the ${HISTORY_MONTHS} before it, so the earliest start is ${earliest}.`)
    }
  }

  if (explicitEnd !== undefined && explicitEnd > latestEnd) {
    throw new UserError(`--end-date ${explicitEnd} is too far ahead: Cost Explorer has no costs after this month, so the latest end is ${latestEnd}. Use --forecast for what is to come.`)
  }

  const end = explicitEnd ?? addDays(today, 1)
  let start = explicitStart
  if (start === undefined) {
    const since = input.since === undefined ? undefined : utcDate(new Date(input.since))
    const wanted = since ?? addDays(end, -DEFAULT_PERIOD_DAYS)
    start = wanted < earliest ? earliest : wanted
    if (since !== undefined && since < earliest) notes.push(`The snapshot was taken on ${since}, before Cost Explorer's history: the period starts at ${earliest}.`)
    // Only an early --end-date can push the default 30 days before the history; the period is then shorter.
    else if (wanted < earliest && end > earliest) notes.push(`The ${DEFAULT_PERIOD_DAYS} days before --end-date ${end} begin before Cost Explorer's history: the period starts at ${earliest}.`)
  }

  if (end <= start) {
    const origin = explicitStart !== undefined ? '--start-date' : input.since === undefined ? 'the default start' : "the default start (the snapshot's date)"
    if (explicitEnd !== undefined && explicitEnd <= earliest) {
      throw new UserError(`--end-date ${explicitEnd} is too far back: Cost Explorer keeps the current month and the ${HISTORY_MONTHS} before it, from ${earliest}.`)
    }

    throw new UserError(`--end-date ${end} must be after ${origin} ${start} (the end date is excluded from the period).`)
  }

  return {period: {start, end}, notes}
}

/** Whether every day of `period` lies in a month that has ended by `now`: its costs no longer change once final. */
export function isClosedPeriod(period: CostPeriod, now: Date): boolean {
  return period.end <= monthStart(utcDate(now))
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** `February`, for month 2 (1 to 12). */
function monthName(month: number): string {
  return monthNames[month - 1] ?? `month ${month}`
}
