import type {SqlQueryResult, SqlValue} from '../query/sql.js'
import {type OutputFormat, renderRows} from './format.js'

/** A `query sql` result: `json` is the result document itself, other formats a table of its rows. */
export function formatSqlResult(result: SqlQueryResult, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(result, null, 2)
  return renderRows(
    result.rows,
    result.columns.map((header, i) => ({header, value: (row: SqlValue[]) => row[i]})),
    format,
  )
}
