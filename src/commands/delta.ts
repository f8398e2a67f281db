import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {tagFiltersNote} from '../collect/filters.js'
import {checkNewSnapshotName} from '../collect/snapshot.js'
import {selectSpecs} from '../collect/types.js'
import {type DeltaResult, runDelta} from '../diff/delta.js'
import {driftFlags, driftOptions, exportDriftReport, renderDriftReport} from '../drift-flags.js'
import {UserError} from '../errors.js'
import {collectionProgress} from '../render/progress.js'
import {DEFAULT_INVENTORY} from '../store/inventories.js'
import {activeSnapshot, activeSnapshotAdvice, requireSnapshot} from '../store/snapshots.js'

export default class Delta extends BaseCommand<typeof Delta> {
  static override storeAccess = 'update' as const
  static override summary = 'What changed in the account since a snapshot: collects the current state and compares, field by field.'
  static override description =
    'The current state is collected with the reference snapshot\'s regions, types, tag filters and source, and stored as a snapshot (delta-<time>, or --save-as; --no-save keeps nothing). Exit codes with --exit-code: 0 no drift, 2 drift, 1 error.'

  static override examples = [
    '<%= config.bin %> delta --show-diff',
    '<%= config.bin %> delta --snapshot baseline --category security --exit-code',
    '<%= config.bin %> delta --snapshot baseline --no-save --format md --export drift.md',
  ]

  static override flags = {
    snapshot: Flags.string({char: 's', description: 'Reference snapshot (default: the active snapshot of --inventory).'}),
    inventory: Flags.string({char: 'i', description: 'Inventory whose active snapshot is the reference.', env: 'AWSINV_INVENTORY'}),
    'save-as': Flags.string({description: 'Name of the snapshot of the current state (default delta-<UTC time>).', exclusive: ['no-save']}),
    'no-save': Flags.boolean({description: 'Keep no snapshot of the current state.', exclusive: ['save-as']}),
    concurrency: Flags.integer({description: 'Cells (region × type) collected at once.', default: 8, min: 1, max: 64}),
    ...driftFlags,
  }

  async run(): Promise<DeltaResult> {
    const {flags} = this
    const options = driftOptions(flags, (name) => this.spelling(name))
    const store = this.openStore()
    // Before any AWS call: a taken name would otherwise be refused once the collection is planned.
    if (flags['save-as'] !== undefined) checkNewSnapshotName(store, flags['save-as'])
    const inventory = flags.inventory ?? DEFAULT_INVENTORY
    const reference = flags.snapshot === undefined ? activeSnapshot(store, inventory) : requireSnapshot(store, flags.snapshot)
    if (!reference) throw new UserError(`No active snapshot to compare with. Name one with --snapshot, or ${activeSnapshotAdvice(store, inventory)}.`)
    const session = await this.openSession()

    const controller = new AbortController()
    const onSignal = () => (controller.signal.aborted ? process.exit(130) : controller.abort())
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal)
    const progress = this.showProgress() ? await collectionProgress() : undefined
    try {
      const result = await runDelta(store, session, reference, {
        ...options,
        saveAs: flags['save-as'],
        save: !flags['no-save'],
        specs: selectSpecs(options.resourceTypes),
        concurrency: flags.concurrency,
        signal: controller.signal,
        onProgress: progress?.onProgress,
      })
      progress?.stop()
      // Once the state is collected (bad input stays one error line).
      const note = tagFiltersNote(reference)
      if (note !== undefined) process.stderr.write(`${note}\n`)
      if (flags.export !== undefined) exportDriftReport(result, flags.export, flags['show-diff'])
      if (!this.jsonEnabled()) this.log(renderDriftReport(result, flags.format, flags['show-diff']))
      if (flags['exit-code'] && result.drift) process.exitCode = 2
      return result
    } finally {
      progress?.stop()
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    }
  }
}
