import type {Snapshot} from '../store/snapshots.js'
import type {ResourceRow, SnapshotReport, TypeCountRow} from '../store/reports.js'
import {type Column, type OutputFormat, displayText, renderRows} from './format.js'
import {counted} from '../words.js'

const typeColumns: Array<Column<TypeCountRow>> = [
  {header: 'Service', value: (r) => r.service},
  {header: 'Type', value: (r) => r.type},
  {header: 'Region', value: (r) => r.region},
  {header: 'Count', value: (r) => r.count},
]

const resourceColumns: Array<Column<ResourceRow>> = [
  {header: 'Type', value: (r) => r.type},
  {header: 'Region', value: (r) => r.region},
  {header: 'Id', value: (r) => r.id},
  {header: 'Name', value: (r) => r.name},
  {header: 'Created', value: (r) => r.createdAt},
  {header: 'ARN', value: (r) => r.arn},
]

/**
 * `snapshot list` in a format. People (table, md) see the active snapshot marked `*` after its name; programs
 * (json, csv) get the plain name and an `Active` column of true and false.
 */
export function formatSnapshotList(snapshots: readonly Snapshot[], format: OutputFormat): string {
  const forPeople = format === 'table' || format === 'md'
  const columns: Array<Column<Snapshot>> = [
    {header: 'Name', value: (s) => (forPeople && s.active ? `${s.name} *` : s.name)},
    {header: 'Inventory', value: (s) => s.inventory},
    {header: 'Status', value: (s) => s.status},
    {header: 'Account', value: (s) => s.accountId},
    {header: 'Regions', value: (s) => s.regions.join(',')},
    {header: 'Resources', value: (s) => s.resourceCount},
    {header: 'Gaps', value: (s) => s.gapCount},
    {header: 'Started', value: (s) => s.startedAt},
    ...(forPeople ? [] : [{header: 'Active', value: (s: Snapshot) => s.active}]),
  ]
  return renderRows(snapshots, columns, format)
}

/** What `snapshot list` says when there is nothing to list. */
export function noSnapshotsText(inventory: string | undefined): string {
  return inventory === undefined
    ? 'No snapshots yet. Take one with "awsinv snapshot create".'
    : `No snapshots in inventory "${inventory}" yet. Take one with "awsinv snapshot create --inventory ${inventory}".`
}

/** One line per snapshot field that matters to a reader. */
export function formatSnapshotHeader(s: Snapshot): string {
  const lines = [
    `Snapshot ${s.name}${s.active ? ' (active)' : ''} — ${s.status}`,
    `  inventory ${s.inventory} · account ${s.accountId} · regions ${s.regions.join(', ')}`,
    `  taken ${s.startedAt}${s.finishedAt ? ` → ${s.finishedAt}` : ''} · ${counted(s.resourceCount, 'resource')} · ${counted(s.apiCalls, 'API call')}`,
  ]
  const filters = [
    ...Object.entries(s.filters.includeTags).map(([k, v]) => `+${k}=${v}`),
    ...Object.entries(s.filters.excludeTags).map(([k, v]) => `-${k}=${v}`),
  ]
  if (filters.length > 0) lines.push(`  tag filters ${displayText(filters.join(' '))}`)
  if (s.error) lines.push(`  ${s.error}`)
  return lines.join('\n')
}

/**
 * The one-line note, for stderr, that a report printed as CSV leaves out the snapshot's coverage gaps (CSV
 * holds one table: the counts, or the resources): undefined when it has none. The other formats show them.
 */
export function csvGapsNote(report: Pick<SnapshotReport, 'coverage' | 'gaps' | 'snapshot'>): string | undefined {
  const gaps = report.gaps.length
  if (gaps === 0) return undefined
  const what = `${gaps} of ${counted(report.coverage.cells, 'cell')} ${gaps === 1 ? 'was' : 'were'} NOT collected`
  return `Note: ${what} in snapshot "${report.snapshot.name}": their resources are missing from this CSV. --format table, md or json lists the gaps.`
}

/** The human form of a snapshot report: gaps first (they change what the numbers mean), then counts. */
export function formatSnapshotReport(report: SnapshotReport, options: {detailed: boolean; format?: OutputFormat}): string {
  const format = options.format ?? 'table'
  // Machine formats get one document: the whole report as JSON, or its main table as CSV.
  if (format === 'json') return JSON.stringify(report, null, 2)
  if (format === 'csv') {
    return options.detailed && report.resources
      ? renderRows(report.resources, resourceColumns, 'csv')
      : renderRows(report.byType, typeColumns, 'csv')
  }

  const parts = [formatSnapshotHeader(report.snapshot)]
  if (report.gaps.length > 0) {
    parts.push(
      `\n!! ${report.gaps.length} of ${counted(report.coverage.cells, 'cell')} ${report.gaps.length === 1 ? 'was' : 'were'} NOT collected — their resources are missing from this snapshot:`,
      renderRows(
        report.gaps,
        [
          {header: 'Region', value: (g) => g.region},
          {header: 'Type', value: (g) => g.resourceType},
          {header: 'Status', value: (g) => g.status},
          {header: 'Error', value: (g) => g.errorCode},
          {header: 'What to do', value: (g) => g.remedy},
        ],
        format,
      ),
    )
  } else if (report.coverage.cells > 0) {
    parts.push(`\nCoverage: ${report.coverage.cells === 1 ? 'its one cell' : `all ${report.coverage.cells} cells`} collected.`)
  }

  if (report.byType.length === 0) parts.push('\nNo resources in this snapshot.')
  else parts.push('\nResources by type', renderRows(report.byType, typeColumns, format))
  if (options.detailed && report.resources) parts.push('\nResources', renderRows(report.resources, resourceColumns, format))

  return parts.join('\n')
}
