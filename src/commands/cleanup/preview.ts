import {Args} from '@oclif/core'

import {BaseCommand, pathFlag} from '../../base-command.js'
import {writePlanFile} from '../../cleanup/plan-file.js'
import {previewCleanup} from '../../cleanup/preview.js'
import type {CleanupResult} from '../../cleanup/run-plan.js'
import {tagFiltersNote} from '../../collect/filters.js'
import {checkSaveAsFree, cleanupFlags, cleanupOptions, renderCleanupResult, runInterruptible, saveOptions, withCollectionProgress} from '../../cleanup-flags.js'
import {requireSnapshot} from '../../store/snapshots.js'
import {checkWritable} from '../../render/write-file.js'

export default class CleanupPreview extends BaseCommand<typeof CleanupPreview> {
  static override summary = 'Show what a cleanup would delete: everything created since a baseline snapshot, minus what is protected. Deletes nothing.'
  static override storeAccess = 'update' as const
  static override description =
    'Collects the current state with the baseline\'s account, regions, types and source, without its tag filters (stored as cleanup-<UTC time>, --save-as NAME, or not with --no-save: what the filters leave out is never a candidate, but keeps what it uses), and shows the plan: the resources created since the baseline in deletion waves with why each is selected, the protected ones with the rule that protects them, the skipped ones and the cells not comparable, with reasons. --out saves the plan for "cleanup execute --plan".'

  static override examples = [
    '<%= config.bin %> cleanup preview baseline',
    '<%= config.bin %> cleanup preview baseline --protect-tag keep=* --type "AWS::EC2::*" --out plan.json',
    '<%= config.bin %> cleanup preview baseline --rules sandbox-rules.yaml --format json',
  ]

  static override args = {snapshot: Args.string({description: 'The baseline snapshot: what existed before, and stays.', required: true, ignoreStdin: true})}

  static override flags = {
    ...cleanupFlags(),
    out: pathFlag({char: 'o', description: 'Save the plan (JSON) to this file, for "cleanup execute --plan FILE".'}),
  }

  async run(): Promise<CleanupResult> {
    const {flags} = this
    const options = {...cleanupOptions(flags, (name) => this.spelling(name)), ...saveOptions(flags), concurrency: flags.concurrency}
    if (flags.out !== undefined) checkWritable(flags.out)
    const store = this.openStore()
    checkSaveAsFree(store, options)
    const baseline = requireSnapshot(store, this.args.snapshot)
    const session = await this.openSession()
    const {plan, saved} = await runInterruptible((signal) =>
      withCollectionProgress(this.showProgress(), (onProgress) => previewCleanup(store, session, baseline, {...options, signal, onProgress})),
    )
    // Once the plan is made (bad input stays one error line).
    const note = tagFiltersNote(baseline, 'cleanup')
    if (note !== undefined) process.stderr.write(`${note}\n`)
    const result: CleanupResult = {plan, saved, planFile: flags.out === undefined ? null : writePlanFile(flags.out, plan), execution: null}
    if (!this.jsonEnabled()) this.log(renderCleanupResult(result, flags.format))
    return result
  }
}
