import type {Snapshot} from '../store/snapshots.js'
import type {SnapshotReport} from '../store/reports.js'
import {type OutputFormat, renderRows} from './format.js'

/** One line per snapshot field that matters to a reader. */
export function formatSnapshotHeader(s: Snapshot): string {
  const lines = [
    `Snapshot ${s.name}${s.active ? ' (active)' : ''} — ${s.status}`,
    `  inventory ${s.inventory} · account ${s.accountId} · regions ${s.regions.join(', ')}`,
    `  taken ${s.startedAt}${s.finishedAt ? ` → ${s.finishedAt}` : ''} · ${s.resourceCount} resources · ${s.apiCalls} API calls`,
  ]
  const filters = [
    ...Object.entries(s.filters.includeTags).map(([k, v]) => `+${k}=${v}`),
    ...Object.entries(s.filters.excludeTags).map(([k, v]) => `-${k}=${v}`),
  ]
  if (filters.length > 0) lines.push(`  tag filters ${filters.join(' ')}`)
  if (s.error) lines.push(`  ${s.error}`)
  return lines.join('\n')
}

/** The human form of a snapshot report: gaps first (they change what the numbers mean), then counts. */
export function formatSnapshotReport(report: SnapshotReport, options: {detailed: boolean; format?: OutputFormat}): string {
  const format = options.format ?? 'table'
  const parts = [formatSnapshotHeader(report.snapshot)]
  if (report.gaps.length > 0) {
    parts.push(
      `\n!! ${report.gaps.length} of ${report.coverage.cells} cells were NOT collected — their resources are missing from this snapshot:`,
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
    parts.push(`\nCoverage: all ${report.coverage.cells} cells collected.`)
  }

  parts.push(
    '\nResources by type',
    renderRows(
      report.byType,
      [
        {header: 'Service', value: (r) => r.service},
        {header: 'Type', value: (r) => r.type},
        {header: 'Region', value: (r) => r.region},
        {header: 'Count', value: (r) => r.count},
      ],
      format,
    ),
  )
  if (options.detailed && report.resources) {
    parts.push(
      '\nResources',
      renderRows(
        report.resources,
        [
          {header: 'Type', value: (r) => r.type},
          {header: 'Region', value: (r) => r.region},
          {header: 'Id', value: (r) => r.id},
          {header: 'Name', value: (r) => r.name},
          {header: 'Created', value: (r) => r.createdAt},
          {header: 'ARN', value: (r) => r.arn},
        ],
        format,
      ),
    )
  }

  return parts.join('\n')
}
