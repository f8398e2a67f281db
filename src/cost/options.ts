import type {GroupDefinition} from '@aws-sdk/client-cost-explorer'

import {UserError} from '../errors.js'

/** The `--metric` values: what a cost means (see docs/cost.md). */
export const costMetrics = ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost'] as const
export type CostMetric = (typeof costMetrics)[number]

/** The `--granularity` values. */
export const costGranularities = ['DAILY', 'MONTHLY'] as const
export type CostGranularity = (typeof costGranularities)[number]

/** `--group-by` names of Cost Explorer dimensions, with the dimension each one means. */
export const costDimensions = {
  service: 'SERVICE',
  region: 'REGION',
  account: 'LINKED_ACCOUNT',
  'usage-type': 'USAGE_TYPE',
} as const
export type CostDimension = keyof typeof costDimensions

/** Cost Explorer groups by two keys at most. */
export const MAX_GROUP_BY = 2

/** A parsed `--group-by` key. */
export type CostGrouping = {by: CostDimension} | {by: 'tag'; key: string}

/** The forecast metric (GetCostForecast spells metrics differently from GetCostAndUsage). */
export const forecastMetric: Record<CostMetric, 'UNBLENDED_COST' | 'AMORTIZED_COST' | 'NET_UNBLENDED_COST'> = {
  UnblendedCost: 'UNBLENDED_COST',
  AmortizedCost: 'AMORTIZED_COST',
  NetUnblendedCost: 'NET_UNBLENDED_COST',
}

/** Parses `--group-by` values (repeated or comma-separated) into at most two distinct groupings. */
export function parseCostGroupBy(values: readonly string[]): CostGrouping[] {
  const keys = values.flatMap((v) => v.split(',')).map((v) => v.trim())
  if (keys.length === 0 || keys.includes('')) throw new UserError('--group-by needs a key: service, region, account, usage-type or tag:KEY.')
  if (keys.length > MAX_GROUP_BY) {
    throw new UserError(`Cost Explorer groups by ${MAX_GROUP_BY} keys at most; got ${keys.length} (${keys.join(', ')}).`)
  }

  const groupings = keys.map((key) => parseCostGrouping(key))
  const labels = groupings.map((g) => costGroupingLabel(g))
  if (new Set(labels).size < labels.length) throw new UserError(`--group-by lists ${labels[0]} twice.`)
  return groupings
}

function parseCostGrouping(value: string): CostGrouping {
  if (/^tag:/i.test(value)) {
    const key = value.slice('tag:'.length).trim()
    if (key === '') throw new UserError('--group-by tag: needs a tag key, e.g. --group-by tag:owner.')
    return {by: 'tag', key}
  }

  if (Object.hasOwn(costDimensions, value.toLowerCase())) return {by: value.toLowerCase() as CostDimension}
  throw new UserError(`Unknown --group-by "${value}". Use ${Object.keys(costDimensions).join(', ')} or tag:KEY.`)
}

/** `service`, `tag:owner`. */
export function costGroupingLabel(grouping: CostGrouping): string {
  return grouping.by === 'tag' ? `tag:${grouping.key}` : grouping.by
}

/** The Cost Explorer GroupBy entry of a grouping. */
export function groupDefinition(grouping: CostGrouping): GroupDefinition {
  return grouping.by === 'tag' ? {Type: 'TAG', Key: grouping.key} : {Type: 'DIMENSION', Key: costDimensions[grouping.by]}
}

/**
 * A group key as Cost Explorer returns it, made readable: a tag group comes back as `KEY$value`
 * (`KEY$` for costs without the tag), which becomes the value, or null without the tag.
 */
export function groupValue(grouping: CostGrouping, key: string): string | null {
  if (grouping.by !== 'tag') return key
  const dollar = key.indexOf('$')
  const value = dollar === -1 ? key : key.slice(dollar + 1)
  return value === '' ? null : value
}
