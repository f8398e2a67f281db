import {formatCents, parseAmount} from '../cost/amount.js'
import type {CostGroupRow, CostPeriodRow, CostResult, SnapshotServiceCost} from '../cost/analyze.js'
import {describeTagFilters, hasTagFilters} from '../cost/attribution.js'
import {addDays} from '../cost/period.js'
import {type Column, type OutputFormat, renderRows} from './format.js'
import {counted} from '../words.js'
import {writeFileAtomically} from './write-file.js'

/** Widest bar of the per-day chart, in terminal columns. */
const BAR_WIDTH = 40
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

type BreakdownRow = CostGroupRow & {label?: string}

/**
 * `awsinv cost` for people (`table`: a summary, the breakdown, a per-day chart or per-month list, the
 * snapshot's services, the forecast and the request count; `md`: the same as Markdown) or the breakdown
 * alone as `json` or `csv` rows, with exact amounts, ending with the total and the unattributed cost.
 */
export function formatCost(result: CostResult, format: OutputFormat): string {
  if (format === 'json' || format === 'csv') return renderRows(breakdownRows(result), breakdownColumns(result, format), format)
  const md = format === 'md'
  const heading = (text: string) => (md ? `### ${text}` : text)
  const sections = [summaryLines(result, md).join(md ? '\n\n' : '\n')]
  sections.push(renderRows(breakdownRows(result), breakdownColumns(result, format), format))
  if (result.periods.length > 0) sections.push(`${heading(result.granularity === 'DAILY' ? 'Per day' : 'Per month')}\n${md ? periodTable(result) : periodChart(result)}`)
  if (result.services) sections.push(`${heading(`Services in snapshot ${result.scope.snapshot}`)}\n${renderRows(result.services, serviceColumns(result, format), format)}`)
  const tail = [...forecastLines(result), requestLine(result), ...result.notes.map((n) => `Note: ${n}`)]
  sections.push(tail.join(md ? '\n\n' : '\n'))
  return sections.join('\n\n')
}

function summaryLines(result: CostResult, md: boolean): string[] {
  const {scope, currency} = result
  const filters = describeTagFilters(scope.includeTags, scope.excludeTags)
  const what =
    scope.kind === 'account'
      ? `account ${result.accountId}`
      : scope.kind === 'snapshot'
        ? `snapshot ${scope.snapshot} (inventory ${scope.inventory})`
        : `inventory ${scope.inventory}${scope.snapshot ? ` (active snapshot ${scope.snapshot})` : ''}`
  const whole = scope.linkedAccounts ? `the whole of account${scope.linkedAccounts.length === 1 ? '' : 's'} ${scope.linkedAccounts.join(', ')}` : 'the whole account'
  const attributed = hasTagFilters(scope.includeTags, scope.excludeTags) ? `, attributed through its tags: ${filters}` : scope.kind === 'account' ? '' : `: no tag filters, so ${whole}`
  const last = addDays(result.period.end, -1)
  const by = result.groupBy.length > 0 ? ` by ${result.groupBy.join(' and ')}` : ''
  const estimated = estimatedPeriods(result)
  const lines = [
    `${md ? '## ' : ''}Cost of ${what}${attributed}`,
    `${result.period.start} to ${last} (${result.granularity.toLowerCase()}, ${result.metric}${by})`,
    `Total: ${money(result.total, currency)}${estimated ? ` (estimated: ${estimated})` : ''}`,
  ]
  if (result.attribution) {
    const a = result.attribution
    const share = a.unattributedShare === null ? '' : `, ${a.unattributedShare.toFixed(1)}% of the account`
    lines.push(`Unattributed (account cost the tags do not select): ${money(a.unattributed, currency)}${share}; account total ${money(a.accountTotal, currency)}`)
  }

  return lines
}

function breakdownColumns(result: CostResult, format: OutputFormat): Array<Column<BreakdownRow>> {
  const people = format === 'table' || format === 'md'
  const columns: Array<Column<BreakdownRow>> = result.groupBy.map((label, i) => ({
    header: headerOf(label),
    value: (r) => (i === 0 && r.label !== undefined ? r.label : r.label === undefined ? (r.keys[i] ?? missingTag(label)) : ''),
  }))
  columns.push(
    {header: `Cost (${result.currency})`, value: (r) => (people ? formatCents(parseAmount(r.amount)) : r.amount)},
    {header: 'Share %', value: (r) => (r.share === null ? null : people ? `${r.share.toFixed(1)}%` : r.share)},
  )
  return columns
}

/** The groups, then the total and (with tag attribution) the unattributed cost, whose share is of the account total. */
function breakdownRows(result: CostResult): BreakdownRow[] {
  const rows: BreakdownRow[] = [...result.rows, {keys: [], label: 'Total', amount: result.total, share: parseAmount(result.total) === 0n ? null : 100}]
  if (result.attribution) rows.push({keys: [], label: 'Unattributed', amount: result.attribution.unattributed, share: result.attribution.unattributedShare})
  return rows
}

function serviceColumns(result: CostResult, format: OutputFormat): Array<Column<SnapshotServiceCost>> {
  const people = format === 'table' || format === 'md'
  return [
    {header: 'Service', value: (s) => s.service},
    {header: 'Resources', value: (s) => s.resources},
    {header: 'Billed as', value: (s) => (s.costServices.length === 0 ? '(free)' : s.costServices.join(', '))},
    {header: `Cost (${result.currency})`, value: (s) => (people ? formatCents(parseAmount(s.amount)) : s.amount)},
    {header: 'Share %', value: (s) => (s.share === null ? null : people ? `${s.share.toFixed(1)}%` : s.share)},
  ]
}

/** One line per period: its start, a bar for daily data, the amount, and whether it is estimated. */
function periodChart(result: CostResult): string {
  const amounts = result.periods.map((p) => Number(p.amount))
  const max = Math.max(0, ...amounts)
  const texts = result.periods.map((p) => formatCents(parseAmount(p.amount)))
  const width = Math.max(...texts.map((t) => t.length))
  return result.periods
    .map((p, i) => {
      const label = result.granularity === 'DAILY' ? p.start : p.start.slice(0, 7)
      const bar = result.granularity === 'DAILY' ? `${drawBar(amounts[i]!, max).padEnd(BAR_WIDTH)}  ` : ''
      return `${label}  ${bar}${texts[i]!.padStart(width)}${p.estimated ? '  estimated' : ''}`
    })
    .join('\n')
}

function periodTable(result: CostResult): string {
  const columns: Array<Column<CostPeriodRow>> = [
    {header: result.granularity === 'DAILY' ? 'Day' : 'Month', value: (p) => (result.granularity === 'DAILY' ? p.start : p.start.slice(0, 7))},
    {header: `Cost (${result.currency})`, value: (p) => formatCents(parseAmount(p.amount))},
    {header: 'Estimated', value: (p) => (p.estimated ? 'yes' : '')},
  ]
  return renderRows(result.periods, columns, 'md')
}

/** A bar `value / max` of BAR_WIDTH columns long, in eighths of a column; nothing for zero or negative values. */
export function drawBar(value: number, max: number): string {
  if (!(value > 0) || !(max > 0)) return ''
  const eighths = Math.max(1, Math.round((value / max) * BAR_WIDTH * 8))
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]
}

function forecastLines(result: CostResult): string[] {
  const f = result.forecast
  if (!f) return []
  const interval = f.lower !== null && f.upper !== null ? ` (${f.confidence}% prediction interval ${formatCents(parseAmount(f.lower))} to ${formatCents(parseAmount(f.upper))})` : ''
  return [`Forecast from ${f.start} to the end of the month: ${money(f.mean, f.currency ?? result.currency)}${interval}`]
}

/** What the csv and json formats (the breakdown rows only) leave out, for stderr: the request count and the notes. */
export function costSideLines(result: CostResult): string[] {
  const estimated = estimatedPeriods(result)
  return [...(estimated ? [`Estimated: ${estimated}, so the amounts can still change.`] : []), requestLine(result), ...result.notes.map((n) => `Note: ${n}`)]
}

/** `2 days not final`, or undefined when every period is final. */
function estimatedPeriods(result: CostResult): string | undefined {
  const count = result.periods.filter((p) => p.estimated).length
  if (count === 0) return undefined
  return `${counted(count, result.granularity === 'DAILY' ? 'day' : 'month')} not final`
}

function requestLine(result: CostResult): string {
  const {made, cached, max} = result.requests
  const fromCache = cached > 0 ? `, ${cached} answered from the cache` : ''
  return `Cost Explorer requests: ${counted(made, 'billable request')} made${fromCache} (limit ${max}).`
}

function money(amount: string, currency: string): string {
  return `${formatCents(parseAmount(amount))} ${currency}`
}

function headerOf(label: string): string {
  if (label.startsWith('tag:')) return label.slice('tag:'.length)
  if (label === 'usage-type') return 'Usage type'
  return label.charAt(0).toUpperCase() + label.slice(1)
}

function missingTag(label: string): string {
  return label.startsWith('tag:') ? `(no ${label.slice('tag:'.length)} tag)` : ''
}

/** Writes `--export FILE` in the format its extension names: the whole result as .json, the breakdown as .csv, the report as .md. */
export function exportCost(result: CostResult, file: string): void {
  const lower = file.toLowerCase()
  const text = lower.endsWith('.csv') ? `${formatCost(result, 'csv')}\r\n` : lower.endsWith('.md') ? `${formatCost(result, 'md')}\n` : `${JSON.stringify(result, null, 2)}\n`
  writeFileAtomically(file, text)
}
