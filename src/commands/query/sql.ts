import {Args, Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'

import {BaseCommand, formatFlag} from '../../base-command.js'
import {UserError} from '../../errors.js'
import {type SqlQueryResult, querySql} from '../../query/sql.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {counted} from '../../words.js'
import {formatSqlResult} from '../../render/query.js'

export default class QuerySql extends BaseCommand<typeof QuerySql> {
  static override summary = 'Run one read-only SQL query against the stored snapshots.'
  static override storeAccess = 'read' as const
  static override description = `Runs a single SELECT (or VALUES, or a read-only PRAGMA such as table_info) on a read-only connection to the database. Writes, schema changes, ATTACH/DETACH, VACUUM, REINDEX, ANALYZE, transaction control, pragmas that change state and several statements at once are refused before anything runs. The documented views are v_resources, v_resource_tags, v_coverage and v_snapshots (see DATABASE.md). Pass - to read the statement from stdin.`
  static override examples = [
    `<%= config.bin %> <%= command.id %> "SELECT type, count(*) AS n FROM v_resources WHERE snapshot_name = 'baseline' GROUP BY type"`,
    `<%= config.bin %> <%= command.id %> "SELECT type, count(*) AS n FROM v_resources GROUP BY type" --snapshot baseline --format csv`,
    `<%= config.bin %> <%= command.id %> "SELECT arn, tags FROM v_resources" --snapshot baseline --limit 20`,
    `<%= config.bin %> <%= command.id %> - < untagged.sql`,
  ]

  static override args = {sql: Args.string({description: 'The SQL statement to run, or - to read it from stdin.', required: true, ignoreStdin: true})}
  static override flags = {
    limit: Flags.integer({description: 'Stop after this many rows (a notice on stderr says when more were cut).', min: 1}),
    snapshot: Flags.string({char: 's', description: 'Scope v_resources, v_resource_tags, v_coverage and v_snapshots to this snapshot.'}),
    format: formatFlag,
  }

  async run(): Promise<SqlQueryResult> {
    const {flags} = this
    const sql = this.args.sql === '-' ? readStdin() : this.args.sql
    const result = querySql(sql, {limit: flags.limit, snapshot: flags.snapshot}, () => this.openStore())
    const format = flags.format as OutputFormat
    if (!this.jsonEnabled()) printRendered(formatSqlResult(result, format), format)
    if (result.truncated) process.stderr.write(`Showing the first ${counted(result.rowCount, 'row')}; more were cut by --limit.\n`)
    return result
  }
}

/** The whole of stdin, for `query sql -`; refused when stdin is a terminal, where nothing was piped. */
function readStdin(): string {
  if (process.stdin.isTTY) throw new UserError('query sql -: pipe the statement to stdin, e.g. awsinv query sql - < query.sql')
  return readFileSync(0, 'utf8')
}
