import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatSnapshotHeader} from '../../render/snapshot-report.js'
import {type SnapshotReport, buildSnapshotReport} from '../../store/reports.js'
import {incompleteNote, requireSnapshot} from '../../store/snapshots.js'

export default class SnapshotShow extends BaseCommand<typeof SnapshotShow> {
  static override summary = "A snapshot's metadata, counts by service and region, and coverage."
  static override storeAccess = 'read' as const
  static override args = {name: Args.string({description: 'Snapshot name.', required: true, ignoreStdin: true})}

  async run(): Promise<SnapshotReport> {
    const store = this.openStore()
    const report = buildSnapshotReport(store, requireSnapshot(store, this.args.name))
    if (!this.jsonEnabled()) {
      const counts = (rows: Array<{key: string; count: number}>) => rows.map((r) => `${r.key} ${r.count}`).join(' · ') || 'none'
      this.log(formatSnapshotHeader(report.snapshot))
      this.log(`  by service: ${counts(report.byService)}`)
      this.log(`  by region: ${counts(report.byRegion)}`)
      this.log(`  coverage: ${report.coverage.ok}/${report.coverage.cells} cells collected${report.gaps.length > 0 ? ' — see "awsinv snapshot report" for the gaps' : ''}`)
    }

    const note = incompleteNote([report.snapshot])
    // On stderr whatever the format: stdout stays one document, and --json says it with `incomplete`.
    if (note !== undefined) process.stderr.write(`${note}\n`)
    return report
  }
}
