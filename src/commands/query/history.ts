import {Args, Flags} from '@oclif/core'

import {BaseCommand, formatFlag} from '../../base-command.js'
import {type ResourceHistory, resourceHistory} from '../../query/history.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {formatHistory} from '../../render/history.js'

export default class QueryHistory extends BaseCommand<typeof QueryHistory> {
  static override summary = "A resource's history across snapshots: when it appeared, changed and disappeared."
  static override storeAccess = 'read' as const
  static override description =
    'Lists, oldest first, every snapshot holding the resource, the snapshots where its configuration or tags changed, and the first later snapshot without it: "disappeared" when that snapshot collected its cell, "not-collected" when the cell failed.'

  static override examples = [
    '<%= config.bin %> query history arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc',
    '<%= config.bin %> query history arn:aws:iam::123456789012:role/app --inventory team-a --format md',
    '<%= config.bin %> query history arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc --show-diff',
  ]

  static override args = {arn: Args.string({description: 'ARN of the resource.', required: true, ignoreStdin: true})}
  static override flags = {
    inventory: Flags.string({char: 'i', description: 'Only snapshots of this inventory (default: every inventory).'}),
    'show-diff': Flags.boolean({description: 'Show the field-level changes (configuration and tags) of every snapshot where the resource changed.'}),
    format: formatFlag,
  }

  async run(): Promise<ResourceHistory> {
    const history = resourceHistory(this.openStore(), this.args.arn, {inventory: this.flags.inventory, showDiff: this.flags['show-diff']})
    if (!this.jsonEnabled()) printRendered(formatHistory(history, this.flags.format as OutputFormat), this.flags.format as OutputFormat)
    return history
  }
}
