import {Flags} from '@oclif/core'

import {BaseCommand, pathFlag} from '../../base-command.js'
import {confirmationMode} from '../../cleanup/confirm.js'
import {writePlanFile} from '../../cleanup/plan-file.js'
import {checkPurgeRegionChosen, previewPurge} from '../../cleanup/preview.js'
import {type CleanupResult, confirmAndExecute} from '../../cleanup/run-plan.js'
import {tagFiltersNote} from '../../collect/filters.js'
import {checkSaveAsFree, cleanupFlags, cleanupOptions, deleteFlags, renderCleanupResult, runInterruptible, saveOptions, withCollectionProgress} from '../../cleanup-flags.js'
import {resolveRegions} from '../../collect/regions.js'
import {UserError} from '../../errors.js'
import {executionProgress, renderPlan} from '../../render/cleanup.js'
import {requireSnapshot} from '../../store/snapshots.js'
import {checkWritable} from '../../render/write-file.js'

export default class CleanupPurge extends BaseCommand<typeof CleanupPurge> {
  static override summary = 'Delete everything in the account that is not protected (no baseline). --preview shows the plan; --confirm deletes it.'
  static override description =
    'Collects every type (through the direct APIs) in the --region regions, else the home region (AWSINV_REGION, the profile or AWS_REGION; with none of them set, --region is required), and plans the deletion of every resource that no rule and no always-protected kind protects. With --from-snapshot NAME, the state is collected like that snapshot and only the resources it lists (and that were not replaced since) are considered. Same safety as "cleanup execute": --confirm, the account-id prompt unless --yes, the re-check before each deletion, the audit log. Exit codes: 0 every item deleted, gone or scheduled (and every preparation done); 1 an item failed or an error; 2 usage; 3 items skipped by the re-check (they still exist), none failed; 130 interrupted.'

  static override examples = [
    '<%= config.bin %> cleanup purge --preview --region us-east-1 --region global --protect-tag keep=*',
    '<%= config.bin %> cleanup purge --confirm --rules sandbox-rules.yaml',
    '<%= config.bin %> cleanup purge --confirm --yes --from-snapshot test-run-42',
  ]

  static override flags = {
    ...cleanupFlags(),
    ...deleteFlags,
    preview: Flags.boolean({description: 'Only show the plan (deletes nothing).'}),
    'from-snapshot': Flags.string({description: 'Purge only the resources this stored snapshot lists.'}),
    out: pathFlag({char: 'o', description: 'Save the plan (JSON) to this file, for "cleanup execute --plan FILE".'}),
  }

  async run(): Promise<CleanupResult> {
    const {flags} = this
    if (flags.preview === flags.confirm) throw new UserError('Nothing was deleted: choose --preview (show the plan) or --confirm (delete it), exactly one.', 2)
    const confirmation = flags.confirm ? confirmationMode({yes: flags.yes, interactive: Boolean(process.stdin.isTTY)}) : undefined
    const options = {...cleanupOptions(flags, (name) => this.spelling(name)), ...saveOptions(flags), concurrency: flags.concurrency}
    if (flags.out !== undefined) checkWritable(flags.out)
    const store = this.openStore(flags['from-snapshot'] === undefined ? undefined : 'update')
    checkSaveAsFree(store, options)
    const fromSnapshot = flags['from-snapshot'] === undefined ? undefined : requireSnapshot(store, flags['from-snapshot'])
    const session = await this.openSession()
    if (fromSnapshot === undefined) await checkPurgeRegionChosen(options.selection, session.clients.options.profile)
    const regions = await resolveRegions(session, await this.regionSelection(undefined))
    const table = !this.jsonEnabled() && flags.format === 'table'
    return runInterruptible(async (signal) => {
      const made = await withCollectionProgress(this.showProgress(), (onProgress) => previewPurge(store, session, {...options, fromSnapshot, regions, signal, onProgress}))
      // Once the plan is made (bad input stays one error line).
      const note = tagFiltersNote(fromSnapshot, 'cleanup')
      if (note !== undefined) process.stderr.write(`${note}\n`)
      const planFile = flags.out === undefined ? null : writePlanFile(flags.out, made.plan)
      if (table && confirmation) this.log(renderPlan(made.plan, 'table'))
      const onProgress = this.showProgress() ? executionProgress((line) => this.logToStderr(line)) : undefined
      const execution = confirmation ? await confirmAndExecute(store, session, made.plan, {confirmation, concurrency: flags.concurrency, signal, onProgress}) : null
      const result: CleanupResult = {...made, planFile, execution}
      if (!this.jsonEnabled()) this.log(renderCleanupResult(result, flags.format, {planShown: confirmation !== undefined}))
      if (execution) process.exitCode = execution.exitCode
      return result
    })
  }
}
