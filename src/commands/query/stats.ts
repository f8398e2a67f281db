import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag} from '../../base-command.js'
import {type StatsResult, computeStats, parseGroupBy, parseRequiredTags} from '../../query/stats.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {formatStats} from '../../render/stats.js'
import {incompleteNote} from '../../store/snapshots.js'
import {DEFAULT_INVENTORY} from '../../store/inventories.js'

export default class QueryStats extends BaseCommand<typeof QueryStats> {
  static override summary = 'Resource counts and tag coverage, grouped by type, region, service, account, snapshot or a tag.'
  static override storeAccess = 'read' as const
  static override description =
    'Counts the resources of a snapshot (default: the active snapshot of the inventory), how many carry at least one tag and, with --required-tags, how many carry every required key. --group-by snapshot counts every snapshot of the inventory instead, oldest first.'

  static override examples = [
    '<%= config.bin %> query stats',
    '<%= config.bin %> query stats --snapshot baseline --group-by region --required-tags owner,env',
    '<%= config.bin %> query stats --group-by tag:owner --format csv',
    '<%= config.bin %> query stats --group-by snapshot --inventory team-a',
  ]

  static override flags = {
    snapshot: Flags.string({char: 's', description: 'Snapshot to count (default: the active snapshot of the inventory).'}),
    inventory: Flags.string({char: 'i', description: 'Inventory whose active snapshot (or, with --group-by snapshot, whose snapshots) to count.', env: 'AWSINV_INVENTORY'}),
    'group-by': Flags.string({char: 'g', description: 'type, region, service, account, snapshot or tag:KEY.', default: 'type'}),
    'required-tags': Flags.string({char: 'r', description: 'Tag keys every resource should carry, comma-separated: adds their coverage.'}),
    format: formatFlag,
  }

  async run(): Promise<StatsResult> {
    const {flags} = this
    // Parsed before the store is opened: bad input never reaches it.
    const groupBy = parseGroupBy(flags['group-by'])
    const requiredTags = flags['required-tags'] === undefined ? [] : parseRequiredTags(flags['required-tags'])
    const result = computeStats(this.openStore(), {snapshot: flags.snapshot, inventory: flags.inventory ?? DEFAULT_INVENTORY, groupBy, requiredTags})
    if (!this.jsonEnabled()) printRendered(formatStats(result, flags.format as OutputFormat), flags.format as OutputFormat)
    const note = incompleteNote(result.incompleteSnapshots)
    // On stderr whatever the format: stdout stays one document, and --json says it with `incompleteSnapshots`.
    if (note !== undefined) process.stderr.write(`${note}\n`)
    return result
  }
}
