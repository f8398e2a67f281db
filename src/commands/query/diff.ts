import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type DriftReport, diffSnapshots} from '../../diff/snapshots.js'
import {driftFlags, driftOptions, exportDriftReport, renderDriftReport} from '../../drift-flags.js'
import {requireSnapshot} from '../../store/snapshots.js'

export default class QueryDiff extends BaseCommand<typeof QueryDiff> {
  static override summary = 'Field-level drift between two stored snapshots.'
  static override storeAccess = 'read' as const
  static override description =
    'Compares the cells (account, region, type) both snapshots collected; the others are listed as not comparable. Exit codes with --exit-code: 0 no drift, 2 drift, 1 error.'

  static override examples = [
    '<%= config.bin %> query diff baseline after-deploy --show-diff',
    '<%= config.bin %> query diff baseline after-deploy --category security --exit-code',
    '<%= config.bin %> query diff baseline after-deploy --format md --export drift.md',
  ]

  static override args = {
    before: Args.string({description: 'The earlier snapshot.', required: true, ignoreStdin: true}),
    after: Args.string({description: 'The later snapshot.', required: true, ignoreStdin: true}),
  }

  static override flags = driftFlags

  async run(): Promise<DriftReport> {
    const {flags} = this
    const options = driftOptions(flags, (name) => this.spelling(name))
    const store = this.openStore()
    const report = diffSnapshots(store, requireSnapshot(store, this.args.before), requireSnapshot(store, this.args.after), options)
    if (flags.export !== undefined) exportDriftReport(report, flags.export, flags['show-diff'])
    if (!this.jsonEnabled()) this.log(renderDriftReport(report, flags.format, flags['show-diff']))
    if (flags['exit-code'] && report.drift) process.exitCode = 2
    return report
  }
}
