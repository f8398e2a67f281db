import type {ResourceSearchResult} from '../query/resources.js'
import type {SqlQueryResult, SqlValue} from '../query/sql.js'
import type {ResourceRow} from '../store/reports.js'
import {type Column, type OutputFormat, renderRows} from './format.js'
import {counted} from '../words.js'

/** A `query sql` result: `json` is the result document itself, other formats a table of its rows. */
export function formatSqlResult(result: SqlQueryResult, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(result, null, 2)
  return renderRows(
    result.rows,
    result.columns.map((header, i) => ({header, value: (row: SqlValue[]) => row[i]})),
    format,
  )
}

const resourceColumns: Array<Column<ResourceRow>> = [
  {header: 'Type', value: (r) => r.type},
  {header: 'Region', value: (r) => r.region},
  {header: 'Id', value: (r) => r.id},
  {header: 'Name', value: (r) => r.name},
  {header: 'Tags', value: (r) => Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(' ')},
  {header: 'ARN', value: (r) => r.arn},
]

/** CSV keeps every field, tags as a JSON object, like `snapshot report --export`. */
const resourceCsvColumns: Array<Column<ResourceRow>> = (['arn', 'type', 'id', 'name', 'region', 'accountId', 'createdAt', 'source', 'tags'] as const).map(
  (key) => ({header: key, value: (r) => r[key]}),
)

/** A `query resources` result: `json` is the result document, `csv` every field, `table`/`md` the columns people read. */
export function formatResourceSearch(result: ResourceSearchResult, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(result, null, 2)
  if (format === 'csv') return renderRows(result.resources, resourceCsvColumns, 'csv')
  const where = `snapshot "${result.snapshot.name}"${result.snapshot.active ? ' (active)' : ''}`
  if (result.count === 0) return `No resources in ${where} match.`
  return `${renderRows(result.resources, resourceColumns, format)}\n\n${counted(result.count, 'resource')} in ${where}`
}
