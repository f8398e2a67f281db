import type {ConfigCheckReport, RegionCheck, TypeSourceCheck} from '../collect/config/check.js'
import {type Column, type OutputFormat, renderRows} from './format.js'
import {counted} from '../words.js'

/** One row per recorder, or one per region that has none (saying why). */
interface RecorderRow {
  region: string
  recorder: string
  recording: string
  lastStatus: string
  lastChange: string
  records: string
}

const recorderColumns: Array<Column<RecorderRow>> = [
  {header: 'Region', value: (r) => r.region},
  {header: 'Recorder', value: (r) => r.recorder},
  {header: 'Recording', value: (r) => r.recording},
  {header: 'Last status', value: (r) => r.lastStatus},
  {header: 'Last change', value: (r) => r.lastChange},
  {header: 'Records', value: (r) => r.records},
]

const typeColumns: Array<Column<TypeSourceCheck>> = [
  {header: 'Region', value: (t) => t.region},
  {header: 'Type', value: (t) => t.type},
  {header: 'Source', value: (t) => t.source},
  {header: 'Reason', value: (t) => t.reason},
]

function recorderRows(region: RegionCheck): RecorderRow[] {
  const name = `${region.region}${region.home ? ' (home)' : ''}`
  if (region.status !== 'available') {
    const what = region.status === 'unavailable' ? 'AWS Config not available' : 'AWS Config call failed'
    return [{region: name, recorder: '-', recording: '-', lastStatus: `${what} (${region.errorCode})`, lastChange: '', records: ''}]
  }

  if (region.recorders.length === 0) return [{region: name, recorder: '-', recording: 'no', lastStatus: 'no configuration recorder', lastChange: '', records: ''}]
  return region.recorders.map((r) => ({
    region: name,
    recorder: r.name,
    recording: r.recording ? 'yes' : 'no',
    lastStatus: [r.lastStatus, r.lastErrorCode].filter(Boolean).join(' ') || '-',
    lastChange: r.lastStatusChangeTime ?? '',
    records: r.records,
  }))
}

/** `config check` for people: the recorders of each region, then the source of every type. */
export function formatConfigCheck(report: ConfigCheckReport, format: OutputFormat = 'table'): string {
  // Machine formats get one document: the whole report as JSON, or its main table as CSV.
  if (format === 'json') return JSON.stringify(report, null, 2)
  if (format === 'csv') return renderRows(report.types, typeColumns, 'csv')
  const viaConfig = report.types.filter((t) => t.source === 'config').length
  return [
    `AWS Config in account ${report.accountId} (global types are decided in the home region ${report.homeRegion})`,
    renderRows(report.regions.flatMap((r) => recorderRows(r)), recorderColumns, format),
    `\nSource a snapshot would use: ${viaConfig} of ${counted(report.types.length, 'cell')} through AWS Config`,
    renderRows(report.types, typeColumns, format),
  ].join('\n')
}
