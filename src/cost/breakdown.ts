import type {GetCostAndUsageResponse} from '@aws-sdk/client-cost-explorer'

import {type Amount, formatAmount, parseAmount, sharePercent} from './amount.js'
import {type CostGrouping, type CostMetric, groupValue} from './options.js'

/** Cost of one group over the whole period. Amounts are exact decimal strings (see docs/cost.md). */
export interface CostGroupRow {
  /** One value per `--group-by` key, in order; null for costs without the tag of a `tag:KEY` key. */
  keys: Array<string | null>
  amount: string
  /** Percent of the scope's total, one decimal; null when the total is zero. */
  share: number | null
}

/** Cost of one day or month of the period. */
export interface CostPeriodRow {
  start: string
  /** Excluded, as in Cost Explorer. */
  end: string
  amount: string
  /** Cost Explorer's estimate: the period is not complete or not final yet. */
  estimated: boolean
}

/** Sums read from GetCostAndUsage pages. */
export interface PageSums {
  /** Per group over the whole period, keyed by Cost Explorer's group keys joined with NUL. */
  groups: Map<string, Amount>
  /** Per period, by start date. */
  periods: Map<string, {start: string; end: string; amount: Amount; estimated: boolean}>
  /** Currencies met (Cost Explorer's `Unit`). */
  units: string[]
}

/** Separates the keys of a two-level group in {@link PageSums.groups}. */
export const KEY_SEPARATOR = '\u0000'

/**
 * Adds up GetCostAndUsage pages: per group over the period, and per period. A grouped period adds its
 * groups up (Cost Explorer leaves its `Total` empty then); an ungrouped one has its `Total`. A period
 * split over several pages is added up across them.
 */
export function sumPages(pages: readonly GetCostAndUsageResponse[], metric: CostMetric, grouped: boolean): PageSums {
  const groups = new Map<string, Amount>()
  const periods: PageSums['periods'] = new Map()
  const units = new Set<string>()
  for (const page of pages) {
    for (const result of page.ResultsByTime ?? []) {
      const start = result.TimePeriod?.Start ?? ''
      const period = periods.get(start) ?? {start, end: result.TimePeriod?.End ?? '', amount: 0n, estimated: false}
      periods.set(start, period)
      period.estimated ||= Boolean(result.Estimated)
      if (!grouped) {
        const value = result.Total?.[metric]
        period.amount += parseAmount(value?.Amount)
        if (value?.Unit) units.add(value.Unit)
        continue
      }

      for (const group of result.Groups ?? []) {
        const value = group.Metrics?.[metric]
        const amount = parseAmount(value?.Amount)
        const key = (group.Keys ?? []).join(KEY_SEPARATOR)
        groups.set(key, (groups.get(key) ?? 0n) + amount)
        period.amount += amount
        if (value?.Unit) units.add(value.Unit)
      }
    }
  }

  return {groups, periods, units: [...units]}
}

/** The groups by cost, highest first (then by key), with readable keys and their share of `total`. */
export function groupRows(groups: ReadonlyMap<string, Amount>, groupBy: readonly CostGrouping[], total: Amount): CostGroupRow[] {
  return [...groups.entries()]
    .sort(([ka, a], [kb, b]) => (a === b ? compareText(ka, kb) : a > b ? -1 : 1))
    .map(([key, amount]) => ({
      keys: key.split(KEY_SEPARATOR).map((k, i) => (groupBy[i] ? groupValue(groupBy[i], k) : k)),
      amount: formatAmount(amount),
      share: sharePercent(amount, total),
    }))
}

/** The periods in date order, amounts as exact decimal strings. */
export function periodRows(periods: PageSums['periods']): CostPeriodRow[] {
  return [...periods.values()].sort((a, b) => compareText(a.start, b.start)).map((p) => ({...p, amount: formatAmount(p.amount)}))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
