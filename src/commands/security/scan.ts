import {Flags} from '@oclif/core'

import {BaseCommand, pathFlag} from '../../base-command.js'
import {printRendered} from '../../render/format.js'
import {type ScanFormat, renderScan, scanExportFormat, scanFormats} from '../../render/security.js'
import {checkWritable, writeFileAtomically} from '../../render/write-file.js'
import {type ScanResult, scanStoredSnapshot, statusFilters} from '../../security/scan.js'
import {severities} from '../../security/types.js'

export default class SecurityScan extends BaseCommand<typeof SecurityScan> {
  static override summary = 'Run the security checks over a stored snapshot.'
  static override storeAccess = 'read' as const
  static override description =
    'Reads the snapshot only (no AWS call). Every check gives PASS, FAIL, or UNKNOWN where the snapshot lacks the data; ages are measured at the capture time. Exit codes with --fail-on: 0 none at that severity, 2 a shown FAIL at or above it, 1 error.'

  static override examples = [
    '<%= config.bin %> security scan',
    '<%= config.bin %> security scan --snapshot after-deploy --severity high --cis-only',
    '<%= config.bin %> security scan --format sarif --export awsinv.sarif --fail-on high',
    '<%= config.bin %> security scan --since baseline --fail-on medium',
  ]

  static override flags = {
    snapshot: Flags.string({char: 's', description: 'Snapshot to scan (default: the active snapshot of --inventory).'}),
    inventory: Flags.string({char: 'i', description: 'Inventory whose active snapshot to scan.', env: 'AWSINV_INVENTORY'}),
    severity: Flags.string({description: `Show only findings at least this severe: ${severities.join(', ')}.`}),
    check: Flags.string({char: 'c', description: 'Run only this check (repeatable or comma-separated); see "awsinv security checks".', multiple: true}),
    'cis-only': Flags.boolean({description: 'Run only checks that implement a CIS AWS Foundations control.'}),
    status: Flags.string({description: 'Show findings of this status (default fail); the summary always counts every status.', options: [...statusFilters]}),
    since: Flags.string({description: 'Show only FAIL findings that did not FAIL in this earlier snapshot of the same account.'}),
    'fail-on': Flags.string({description: `Exit 2 when a shown FAIL is at least this severe: ${severities.join(', ')}.`}),
    format: Flags.string({char: 'f', description: 'Output format.', options: [...scanFormats], default: 'table'}),
    export: pathFlag({description: 'Also write the result to FILE.json, FILE.csv, FILE.md or FILE.sarif.'}),
  }

  async run(): Promise<ScanResult> {
    const {flags} = this
    // A bad export name is refused before anything is read.
    const exportTo = flags.export === undefined ? undefined : {file: flags.export, format: scanExportFormat(flags.export)}
    if (exportTo) checkWritable(exportTo.file)
    const result = scanStoredSnapshot(
      {
        snapshot: flags.snapshot,
        inventory: flags.inventory,
        since: flags.since,
        checks: flags.check,
        cisOnly: flags['cis-only'],
        severity: flags.severity,
        status: flags.status,
        failOn: flags['fail-on'],
      },
      () => this.openStore(),
    )
    if (exportTo) writeFileAtomically(exportTo.file, `${renderScan(result, exportTo.format)}${exportTo.format === 'csv' ? '\r\n' : '\n'}`)
    if (!this.jsonEnabled()) printRendered(renderScan(result, flags.format as ScanFormat), flags.format === 'csv' ? 'csv' : 'table')
    if (result.failOn?.failed) process.exitCode = 2
    return result
  }
}
