import type {StatsResult, StatsRow} from '../query/stats.js'
import {type Column, type OutputFormat, renderRows} from './format.js'

/** `query stats` for people (a title line and a table) or as one json, csv or md document; the total is the last row. */
export function formatStats(result: StatsResult, format: OutputFormat): string {
  const missing = result.groupBy.startsWith('tag:') ? `(no ${result.groupBy.slice('tag:'.length)} tag)` : ''
  const percent = (value: number | null | undefined) => (value === null || value === undefined ? null : format === 'table' ? `${value.toFixed(1)}%` : value)
  const columns: Array<Column<StatsRow & {label?: string}>> = [
    {header: headerOf(result.groupBy), value: (r) => r.label ?? r.group ?? missing},
    {header: 'Resources', value: (r) => r.resources},
    {header: 'Tagged', value: (r) => r.tagged},
    {header: 'Untagged', value: (r) => r.untagged},
    {header: 'Tag coverage %', value: (r) => percent(r.tagCoverage)},
  ]
  if (result.requiredTags.length > 0) {
    columns.push(
      {header: `With ${result.requiredTags.join('+')}`, value: (r) => r.withRequiredTags},
      {header: 'Required tags %', value: (r) => percent(r.requiredTagCoverage)},
    )
  }

  const table = renderRows([...result.rows, {...result.total, label: 'Total'}], columns, format)
  if (format !== 'table') return table
  const scope = result.snapshot === null ? `every snapshot of inventory ${result.inventory}` : `snapshot ${result.snapshot} (inventory ${result.inventory})`
  return `Resources and tag coverage of ${scope}, by ${result.groupBy}\n${table}`
}

function headerOf(groupBy: string): string {
  if (groupBy.startsWith('tag:')) return groupBy.slice('tag:'.length)
  return groupBy.charAt(0).toUpperCase() + groupBy.slice(1)
}
