import {Args, Flags} from '@oclif/core'

import {BaseCommand, formatFlag, pathFlag} from '../../base-command.js'
import {exportResources} from '../../render/export.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {counted} from '../../words.js'
import {csvGapsNote, formatSnapshotReport} from '../../render/snapshot-report.js'
import {checkExportFile} from '../../render/write-file.js'
import {DEFAULT_INVENTORY} from '../../store/inventories.js'
import {type SnapshotReport, buildSnapshotReport} from '../../store/reports.js'
import {incompleteNote, namedOrActiveSnapshot} from '../../store/snapshots.js'

export default class SnapshotReportCommand extends BaseCommand<typeof SnapshotReportCommand> {
  static override summary = 'Counts by service, type and region, and the coverage gaps of a snapshot.'
  static override storeAccess = 'read' as const
  static override description = 'Without a name, reports the active snapshot of the inventory (default: the default inventory).'
  static override examples = [
    '<%= config.bin %> snapshot report',
    '<%= config.bin %> snapshot report baseline --detailed',
    '<%= config.bin %> snapshot report --inventory team-a --format md',
    '<%= config.bin %> snapshot report baseline --export baseline.csv',
  ]

  static override args = {name: Args.string({description: 'Snapshot name (default: the active snapshot).', ignoreStdin: true})}
  static override flags = {
    inventory: Flags.string({char: 'i', description: 'Inventory whose active snapshot to report.', env: 'AWSINV_INVENTORY'}),
    detailed: Flags.boolean({description: 'List every resource.'}),
    export: pathFlag({description: 'Write every resource to FILE.json or FILE.csv.'}),
    format: formatFlag,
  }

  async run(): Promise<SnapshotReport & {exported?: {path: string; resources: number}}> {
    const {flags} = this
    if (flags.export !== undefined) checkExportFile(flags.export, ['json', 'csv'])
    const store = this.openStore()
    const snapshot = namedOrActiveSnapshot(store, this.args.name, flags.inventory ?? DEFAULT_INVENTORY, '(awsinv snapshot report NAME)')
    const report = buildSnapshotReport(store, snapshot, {detailed: flags.detailed})
    const exported = flags.export === undefined ? undefined : await exportResources(store, snapshot.id, flags.export)
    const result = exported ? {...report, exported} : report
    if (!this.jsonEnabled()) {
      const format = flags.format as OutputFormat
      printRendered(formatSnapshotReport(result, {detailed: flags.detailed, format}), format)
      if (exported) {
        const line = `Exported ${counted(exported.resources, 'resource')} to ${exported.path}`
        // A json or csv stdout is one document for other programs: what is said about it goes to stderr.
        if (format === 'json' || format === 'csv') process.stderr.write(`${line}\n`)
        else this.log(`\n${line}`)
      }

      // CSV is one table: the gaps the other formats show first are said on stderr, never dropped.
      const gapsNote = format === 'csv' ? csvGapsNote(report) : undefined
      if (gapsNote !== undefined) process.stderr.write(`${gapsNote}\n`)
    }

    const note = incompleteNote([snapshot])
    // On stderr whatever the format: stdout stays one document, and --json says it with `incomplete`.
    if (note !== undefined) process.stderr.write(`${note}\n`)
    return result
  }
}
