import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag, pathFlag} from '../base-command.js'
import {type CostResult, analyzeCost, checkShowServices} from '../cost/analyze.js'
import {costClock} from '../cost/clock.js'
import {type CostGranularity, type CostMetric, costGranularities, costMetrics, parseCostGroupBy} from '../cost/options.js'
import {resolvePeriod} from '../cost/period.js'
import {costSideLines, exportCost, formatCost} from '../render/cost.js'
import {type OutputFormat, printRendered} from '../render/format.js'
import {checkExportFile} from '../render/write-file.js'
import {DEFAULT_INVENTORY} from '../store/inventories.js'

export default class Cost extends BaseCommand<typeof Cost> {
  static override summary = 'What the account, a snapshot or an inventory costs, from Cost Explorer: by service, region, account, usage type or tag.'
  static override description =
    'A snapshot or inventory is attributed its cost through its tag filters; the rest of the account\'s cost is shown as unattributed. Every Cost Explorer request is billed: responses are cached (6 hours, closed months for good) and the number of requests made is shown.'

  static override examples = [
    '<%= config.bin %> cost',
    '<%= config.bin %> cost --inventory team-a --group-by service,region --forecast',
    '<%= config.bin %> cost --snapshot baseline --granularity MONTHLY --start-date 2026-09-01 --end-date 2026-12-01',
    '<%= config.bin %> cost --group-by tag:owner --format csv --export owners.csv',
  ]

  static override flags = {
    snapshot: Flags.string({char: 's', description: 'Attribute cost to this snapshot through its tag filters; the period starts at its date.', exclusive: ['inventory']}),
    inventory: Flags.string({char: 'i', description: 'Attribute cost to this inventory through its tag filters.', exclusive: ['snapshot']}),
    'start-date': Flags.string({description: 'First day, YYYY-MM-DD (default: the snapshot\'s date, else 29 days before today).'}),
    'end-date': Flags.string({description: 'Day after the last one, YYYY-MM-DD: excluded, as in Cost Explorer (default: tomorrow, so today is included).'}),
    granularity: Flags.string({description: 'Cost per day or per month.', options: [...costGranularities], default: 'DAILY'}),
    'group-by': Flags.string({
      char: 'g',
      multiple: true,
      description: 'service, region, account, usage-type or tag:KEY; two at most (comma-separated or repeated).',
      default: ['service'],
    }),
    metric: Flags.string({description: 'Cost metric.', options: [...costMetrics], default: 'UnblendedCost'}),
    'show-services': Flags.boolean({description: 'List the snapshot\'s services next to their cost (default with a snapshot).', exclusive: ['no-services']}),
    'no-services': Flags.boolean({description: 'Do not list the snapshot\'s services.', exclusive: ['show-services']}),
    forecast: Flags.boolean({description: 'Add Cost Explorer\'s forecast from today to the end of the month, with its 80% prediction interval.'}),
    format: formatFlag,
    export: pathFlag({description: 'Also write the result to FILE.json (all of it), FILE.csv (the breakdown) or FILE.md (the report).'}),
    'no-cache': Flags.boolean({description: 'Ask Cost Explorer again instead of using cached responses (the cache is refreshed).'}),
    'max-requests': Flags.integer({description: 'Billable Cost Explorer requests this run may make.', default: 10, min: 1}),
  }

  async run(): Promise<CostResult> {
    const {flags} = this
    // Checked before the store or AWS is touched: bad input changes nothing and costs nothing.
    if (flags.export !== undefined) checkExportFile(flags.export, ['json', 'md', 'csv'])
    const groupBy = parseCostGroupBy(flags['group-by'])
    const now = costClock.now()
    resolvePeriod({startDate: flags['start-date'], endDate: flags['end-date']}, now)
    const showServices = flags['show-services'] ? true : flags['no-services'] ? false : undefined
    checkShowServices({showServices, snapshot: flags.snapshot, inventory: flags.inventory})
    // A snapshot or inventory named has to be stored already (the default inventory always is).
    const named = flags.snapshot !== undefined || (flags.inventory !== undefined && flags.inventory !== DEFAULT_INVENTORY)
    const store = this.openStore(named ? 'update' : undefined)
    const result = await analyzeCost(store, await this.openSession(), {
      snapshot: flags.snapshot,
      inventory: flags.inventory,
      startDate: flags['start-date'],
      endDate: flags['end-date'],
      granularity: flags.granularity as CostGranularity,
      groupBy,
      metric: flags.metric as CostMetric,
      showServices,
      forecast: flags.forecast,
      readCache: !flags['no-cache'],
      maxRequests: flags['max-requests'],
      now,
    })
    if (flags.export !== undefined) exportCost(result, flags.export)
    if (!this.jsonEnabled()) {
      const format = flags.format as OutputFormat
      printRendered(formatCost(result, format), format)
      // The csv and json formats are the breakdown rows, for other programs; the rest goes to stderr.
      if (format === 'csv' || format === 'json') process.stderr.write(`${costSideLines(result).join('\n')}\n`)
    }

    return result
  }
}
