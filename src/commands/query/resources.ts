import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag, selectionAliases} from '../../base-command.js'
import {TYPES_WANTED, listFlagItems, patternFlagValue} from '../../flag-values.js'
import {type ResourceSearchResult, searchResources} from '../../query/resources.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {counted} from '../../words.js'
import {formatResourceSearch} from '../../render/query.js'
import {incompleteNote} from '../../store/snapshots.js'

export default class QueryResources extends BaseCommand<typeof QueryResources> {
  static override summary = 'Find resources of a snapshot by type, region, tags, ARN or name.'
  static override storeAccess = 'read' as const
  static override description =
    'Patterns are globs: * matches any run of characters and ? one character, case-sensitive like AWS names. Without --snapshot, searches the active snapshot of the inventory (default: the default inventory).'

  static override examples = [
    `<%= config.bin %> <%= command.id %> --type 'AWS::EC2::*' --region us-east-1,eu-west-1`,
    `<%= config.bin %> <%= command.id %> --tag env=prod --tag 'owner=*' --snapshot baseline`,
    `<%= config.bin %> <%= command.id %> --name 'sbx-*' --format csv > sandbox.csv`,
  ]

  static override flags = {
    type: Flags.string({char: 't', aliases: selectionAliases('type'), description: 'Service, type id or type glob, e.g. ec2, AWS::EC2::VPC or AWS::IAM::* (repeatable or comma-separated; any may match).', multiple: true}),
    region: Flags.string({char: 'r', aliases: selectionAliases('region'), description: 'Region or region glob; global for IAM (repeatable or comma-separated; any may match).', multiple: true}),
    tag: Flags.string({description: 'KEY=VALUE tag filter; VALUE may be a glob, KEY=* means the key with any value (repeatable; all must match).', multiple: true}),
    arn: Flags.string({description: 'ARN glob.'}),
    name: Flags.string({description: 'Name glob.'}),
    snapshot: Flags.string({char: 's', description: 'Snapshot to search (default: the active snapshot of --inventory).'}),
    inventory: Flags.string({char: 'i', description: 'Inventory whose active snapshot to search.', env: 'AWSINV_INVENTORY'}),
    limit: Flags.integer({description: 'Most resources to show (a notice on stderr says when more matched).', default: 1000, min: 1}),
    format: formatFlag,
  }

  async run(): Promise<ResourceSearchResult> {
    const {flags} = this
    // An empty value would match nothing: refused, naming the flag as typed.
    const typeItems = listFlagItems(flags.type, this.spelling('type'), TYPES_WANTED)
    const regions = listFlagItems(flags.region, this.spelling('region'), 'one or more regions or globs (e.g. us-east-1,eu-*)')
    const arn = patternFlagValue(flags.arn, this.spelling('arn'), 'an ARN or glob (e.g. arn:aws:iam::*:role/app-*)')
    const name = patternFlagValue(flags.name, this.spelling('name'), 'a name or glob (e.g. sbx-*)')
    // Services, type ids and globs, case-insensitive, as every command takes them: each must name a type. The
    // registry is loaded for that only: a search without --type starts without it.
    const types = typeItems === undefined ? undefined : (await import('../../collect/types.js')).selectSpecs(typeItems).map((s) => s.type)
    const result = searchResources(
      {snapshot: flags.snapshot, inventory: flags.inventory, types, regions, tags: flags.tag, arn, name, limit: flags.limit},
      () => this.openStore(),
    )
    const format = flags.format as OutputFormat
    if (!this.jsonEnabled()) printRendered(formatResourceSearch(result, format), format)
    if (result.truncated) process.stderr.write(`Showing the first ${counted(result.count, 'resource')}; more matched (raise --limit to see them).\n`)
    const note = incompleteNote([result.snapshot])
    // On stderr whatever the format: stdout stays one document, and --json says it with `incomplete`.
    if (note !== undefined) process.stderr.write(`${note}\n`)
    return result
  }
}
