import type {Expression} from '@aws-sdk/client-cost-explorer'

import {formatAmount, parseAmount, sumAmounts} from './amount.js'
import {CostExplorerError, type CostExplorerRequests} from './explorer.js'
import {type CostMetric, forecastMetric} from './options.js'
import {monthStart, utcDate} from './period.js'

/** Confidence level of the forecast's prediction interval, in percent. */
export const FORECAST_CONFIDENCE = 80

/** GetCostForecast from today to the end of the month. Amounts are exact decimal strings. */
export interface CostForecast {
  start: string
  /** The first day of next month (excluded). */
  end: string
  /** The most likely cost from `start` to `end`. */
  mean: string
  /** Bounds of the prediction interval at `confidence`; null when Cost Explorer gave none. */
  lower: string | null
  upper: string | null
  /** Confidence level of the interval, in percent. */
  confidence: number
  /** Currency of the amounts (Cost Explorer's `Unit`), e.g. `USD`; null when Cost Explorer gave none. */
  currency: string | null
}

/**
 * Cost Explorer's forecast from today to the first day of next month, for the scope's filter. A forecast
 * Cost Explorer cannot make yet (too little history: DataUnavailableException) gives a note instead;
 * any other failure ends the run.
 */
export async function forecastMonth(
  explorer: CostExplorerRequests,
  metric: CostMetric,
  filter: Expression | undefined,
  now: Date,
): Promise<{forecast: CostForecast | null; note?: string}> {
  const today = utcDate(now)
  const period = {Start: today, End: monthStart(today, 1)}
  try {
    const response = await explorer.costForecast({
      TimePeriod: period,
      Metric: forecastMetric[metric],
      Granularity: 'MONTHLY',
      ...(filter ? {Filter: filter} : {}),
      PredictionIntervalLevel: FORECAST_CONFIDENCE,
    })
    const results = response.ForecastResultsByTime ?? []
    const sum = (field: 'MeanValue' | 'PredictionIntervalLowerBound' | 'PredictionIntervalUpperBound') =>
      results.length > 0 && results.every((r) => r[field] !== undefined) ? formatAmount(sumAmounts(results.map((r) => parseAmount(r[field])))) : null
    const mean = response.Total?.Amount === undefined ? sum('MeanValue') : formatAmount(parseAmount(response.Total.Amount))
    if (mean === null) return {forecast: null, note: 'No forecast: Cost Explorer answered without one.'}
    return {
      forecast: {
        start: period.Start,
        end: period.End,
        mean,
        lower: sum('PredictionIntervalLowerBound'),
        upper: sum('PredictionIntervalUpperBound'),
        confidence: FORECAST_CONFIDENCE,
        currency: response.Total?.Unit ?? null,
      },
    }
  } catch (error) {
    if (!(error instanceof CostExplorerError) || error.code !== 'DataUnavailableException') throw error
    return {forecast: null, note: `No forecast: Cost Explorer has too little cost history for this scope to forecast it yet (${error.code}).`}
  }
}
