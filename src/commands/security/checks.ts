import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag} from '../../base-command.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {renderChecks} from '../../render/security.js'
import {type ChecksResult, listChecks} from '../../security/scan.js'
import {severities} from '../../security/types.js'

export default class SecurityChecks extends BaseCommand<typeof SecurityChecks> {
  static override summary = 'List the security checks: id, title, severity, CIS controls and the resource types they read.'
  static override examples = ['<%= config.bin %> security checks', '<%= config.bin %> security checks --cis-only --severity high --format md']

  static override flags = {
    severity: Flags.string({description: `List only checks at least this severe: ${severities.join(', ')}.`}),
    'cis-only': Flags.boolean({description: 'List only checks that implement a CIS AWS Foundations control.'}),
    format: formatFlag,
  }

  async run(): Promise<ChecksResult> {
    const {flags} = this
    const result = listChecks({severity: flags.severity, cisOnly: flags['cis-only']})
    const format = flags.format as OutputFormat
    if (!this.jsonEnabled()) printRendered(renderChecks(result, format), format)
    return result
  }
}
