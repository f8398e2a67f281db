import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag, selectionAliases} from '../../base-command.js'
import {type ConfigCheckReport, checkConfig} from '../../collect/config/check.js'
import {resolveRegions} from '../../collect/regions.js'
import {selectSpecs} from '../../collect/types.js'
import {TYPES_WANTED, listFlagItems} from '../../flag-values.js'
import {formatConfigCheck} from '../../render/config-check.js'
import {type OutputFormat, printRendered} from '../../render/format.js'

export default class ConfigCheck extends BaseCommand<typeof ConfigCheck> {
  static override summary = 'Show AWS Config recorders per region and the source a snapshot would use for each type.'
  static override description =
    'Asks AWS Config in each region for its recorders (present, recording, last status, recording group) and shows, for every resource type awsinv knows, whether "snapshot create" would read it from AWS Config or from the direct API, and why. Makes no list call.'

  static override examples = [
    '<%= config.bin %> config check',
    '<%= config.bin %> config check --regions all --format md',
    '<%= config.bin %> config check --resource-types s3,AWS::IAM::*',
  ]

  static override flags = {
    regions: Flags.string({char: 'r', aliases: selectionAliases('regions'), description: 'Comma-separated regions, or "all" (default AWSINV_REGIONS, else AWSINV_REGION, else the profile / AWS_REGION region).', env: 'AWSINV_REGIONS'}),
    'resource-types': Flags.string({
      char: 't',
      aliases: selectionAliases('resource-types'),
      description: 'Only these services, type ids or type globs (comma-separated), e.g. ec2,AWS::IAM::Role.',
    }),
    format: formatFlag,
  }

  async run(): Promise<ConfigCheckReport> {
    const types = selectSpecs(listFlagItems(this.flags['resource-types'], this.spelling('resource-types'), TYPES_WANTED))
    const selection = await this.regionSelection(this.flags.regions)
    const session = await this.openSession()
    const report = await checkConfig(session, await resolveRegions(session, selection), types)
    if (!this.jsonEnabled()) printRendered(formatConfigCheck(report, this.flags.format as OutputFormat), this.flags.format as OutputFormat)
    return report
  }
}
