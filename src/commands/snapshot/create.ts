import {Args, Flags} from '@oclif/core'

import {BaseCommand, selectionAliases} from '../../base-command.js'
import {overriddenTagsNote, parseTagFilter} from '../../collect/filters.js'
import {type SnapshotPlanView, checkNewSnapshotName, createSnapshot, describePlan, planSnapshot, resolveSnapshotTarget} from '../../collect/snapshot.js'
import {knownServices, selectSpecs} from '../../collect/types.js'
import {UserError} from '../../errors.js'
import {TYPES_WANTED, listFlagItems} from '../../flag-values.js'
import {counted} from '../../words.js'
import {collectionProgress} from '../../render/progress.js'
import {formatSnapshotReport} from '../../render/snapshot-report.js'
import {type Inventory, requireInventory} from '../../store/inventories.js'
import {type SnapshotReport, buildSnapshotReport} from '../../store/reports.js'

export type SnapshotCreateResult = {dryRun: true; plan: SnapshotPlanView} | ({dryRun: false} & SnapshotReport)

export default class SnapshotCreate extends BaseCommand<typeof SnapshotCreate> {
  static override summary = 'Take an inventory snapshot of the account.'
  static override examples = [
    '<%= config.bin %> snapshot create baseline --regions us-east-1,eu-west-1',
    '<%= config.bin %> snapshot create --resource-types ec2,AWS::IAM::Role --include-tags env=dev',
    '<%= config.bin %> snapshot create --dry-run --regions all',
    '<%= config.bin %> snapshot create org --config-aggregator org-aggregator --regions all',
  ]

  static override args = {name: Args.string({description: 'Snapshot name (default: snapshot-<UTC time>).', ignoreStdin: true})}

  static override flags = {
    regions: Flags.string({char: 'r', aliases: selectionAliases('regions'), description: 'Comma-separated regions, or "all" (default AWSINV_REGIONS, else AWSINV_REGION, else the profile / AWS_REGION region).', env: 'AWSINV_REGIONS'}),
    'resource-types': Flags.string({
      char: 't',
      aliases: selectionAliases('resource-types'),
      // Listed from the registry, so a new service is never missing from the help.
      description: `Comma-separated services (${knownServices().join(', ')}), type ids (AWS::EC2::VPC, Account::IAM::PasswordPolicy) or type globs (AWS::EC2::*).`,
    }),
    'include-tags': Flags.string({description: 'Only resources carrying all of these tags: K=V,K2=V2.'}),
    'exclude-tags': Flags.string({description: 'Skip resources carrying any of these tags: K=V,K2=V2.'}),
    inventory: Flags.string({char: 'i', description: 'Inventory to add the snapshot to; its tag filters apply.', env: 'AWSINV_INVENTORY'}),
    'set-active': Flags.boolean({description: "Make the snapshot its inventory's active snapshot.", default: true, allowNo: true}),
    concurrency: Flags.integer({description: 'Cells (region × type) collected at once.', default: 8, min: 1, max: 64}),
    'dry-run': Flags.boolean({description: 'Print what would be collected and from which source (AWS Config is asked what it records); make no list calls.'}),
    'use-config': Flags.boolean({description: 'Collect through AWS Config where its recorder records a type (default).', exclusive: ['no-config']}),
    'no-config': Flags.boolean({description: 'Use direct service APIs only, not AWS Config (whose own API still gives the Account::Config::RecorderStatus setting).', exclusive: ['use-config', 'config-aggregator']}),
    'config-aggregator': Flags.string({description: 'Collect the Config-recorded types of every account and region this AWS Config aggregator (in the home region) gathers.'}),
  }

  async run(): Promise<SnapshotCreateResult> {
    const {flags} = this
    const given = {
      inventory: flags.inventory,
      specs: selectSpecs(listFlagItems(flags['resource-types'], this.spelling('resource-types'), TYPES_WANTED)),
      includeTags: flags['include-tags'] === undefined ? {} : parseTagFilter(flags['include-tags'], '--include-tags'),
      excludeTags: flags['exclude-tags'] === undefined ? {} : parseTagFilter(flags['exclude-tags'], '--exclude-tags'),
      useConfig: !flags['no-config'],
      configAggregator: flags['config-aggregator'],
    }
    if (this.args.name !== undefined && !this.args.name.trim()) throw new UserError('Snapshot name cannot be empty.')
    // Region names given are checked before the database is opened (or created): bad input changes nothing.
    if (flags.regions !== undefined) await this.regionSelection(flags.regions)
    const store = this.openStore()
    // Before any AWS call (the default regions may need the session); the dry run refuses what the real run would.
    if (this.args.name !== undefined) checkNewSnapshotName(store, this.args.name)
    resolveSnapshotTarget(store, given)
    const options = {...given, regions: await this.regionSelection(flags.regions)}
    const session = await this.openSession()

    if (flags['dry-run']) {
      const {plan, inventory, filters} = await planSnapshot(store, session, options)
      this.noteOverriddenTags(inventory, options)
      const view = describePlan(plan, filters)
      const account = (c: (typeof view.cells)[number]) => (c.accountId === view.accountId ? '' : `${c.accountId.padEnd(13)} `)
      if (!this.jsonEnabled()) this.log(`Account ${view.accountId}: ${counted(view.cells.length, 'cell')}\n${view.cells.map((c) => `  ${account(c)}${c.region.padEnd(15)} ${c.type.padEnd(30)} ${c.source} (${c.reason})`).join('\n')}`)
      return {dryRun: true, plan: view}
    }

    const controller = new AbortController()
    const onSignal = () => (controller.signal.aborted ? process.exit(130) : controller.abort())
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal)
    const progress = this.showProgress() ? await collectionProgress() : undefined
    try {
      const snapshot = await createSnapshot(store, session, {
        ...options,
        name: this.args.name,
        concurrency: flags.concurrency,
        setActive: flags['set-active'],
        signal: controller.signal,
        onProgress: progress?.onProgress,
      })
      progress?.stop()
      if (options.inventory !== undefined) this.noteOverriddenTags(requireInventory(store, options.inventory), options)
      if (snapshot.status === 'interrupted') throw new UserError(`Interrupted: snapshot "${snapshot.name}" is marked interrupted and will not be used as a baseline.`, 130)
      const report = buildSnapshotReport(store, snapshot)
      if (!this.jsonEnabled()) this.log(formatSnapshotReport(report, {detailed: false}))
      if (snapshot.status === 'partial') {
        this.logToStderr(`Warning: snapshot "${snapshot.name}" is partial: ${counted(report.gaps.length, 'cell')} could not be collected (see "awsinv snapshot report ${snapshot.name}").`)
      }
      return {dryRun: false, ...report}
    } finally {
      progress?.stop()
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    }
  }

  private noteOverriddenTags(inventory: Inventory, given: Pick<Inventory, 'excludeTags' | 'includeTags'>): void {
    const note = overriddenTagsNote(inventory, given)
    if (note !== undefined) process.stderr.write(`${note}\n`)
  }
}
