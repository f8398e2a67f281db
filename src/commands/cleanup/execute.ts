import {Args, Flags} from '@oclif/core'
import {resolve} from 'node:path'

import {BaseCommand, pathFlag} from '../../base-command.js'
import {confirmationMode, requireConfirmFlag} from '../../cleanup/confirm.js'
import {DEFAULT_MAX_PLAN_AGE, parseDuration} from '../../cleanup/plan-file.js'
import {type Preview, previewCleanup} from '../../cleanup/preview.js'
import {type CleanupResult, confirmAndExecute, loadPlanForExecution} from '../../cleanup/run-plan.js'
import {tagFiltersNote} from '../../collect/filters.js'
import {checkSaveAsFree, cleanupFlags, cleanupOptions, deleteFlags, executionRules, renderCleanupResult, runInterruptible, saveOptions, withCollectionProgress} from '../../cleanup-flags.js'
import {UserError} from '../../errors.js'
import {executionProgress, renderPlan} from '../../render/cleanup.js'
import {requireSnapshot} from '../../store/snapshots.js'

export default class CleanupExecute extends BaseCommand<typeof CleanupExecute> {
  static override summary = 'Delete what a cleanup plan lists: made now from a baseline snapshot, or saved by "cleanup preview --out".'
  static override description =
    'With SNAPSHOT, plans as "cleanup preview" does, shows the plan, then deletes it. With --plan FILE, deletes exactly the items of that plan, after checking its hash, that it is for this account, that it is recent (--max-plan-age, checked again once the prompt is answered) and that it does not delete the user or role running it. --confirm is required; without --yes, you are asked to type the account id. Right before each deletion the resource is re-read: gone → reported gone, protected now → skipped with the reason. Exit codes: 0 every item deleted, gone or scheduled (and every preparation done); 1 an item failed or an error; 2 usage; 3 items skipped by the re-check (they still exist), none failed; 130 interrupted.'

  static override examples = [
    '<%= config.bin %> cleanup execute baseline --confirm',
    '<%= config.bin %> cleanup execute --plan plan.json --confirm',
    '<%= config.bin %> cleanup execute --plan plan.json --confirm --yes --max-plan-age 30m --json',
  ]

  static override args = {snapshot: Args.string({description: 'The baseline snapshot (or use --plan).', ignoreStdin: true})}

  static override flags = {
    ...cleanupFlags(['plan']),
    ...deleteFlags,
    plan: pathFlag({char: 'p', description: 'Execute this saved plan (from "cleanup preview --out") instead of planning now.'}),
    'max-plan-age': Flags.string({description: 'Refuse a --plan older than this (e.g. 30m, 2h, 1d).', default: DEFAULT_MAX_PLAN_AGE}),
  }

  async run(): Promise<CleanupResult> {
    const {flags} = this
    requireConfirmFlag(flags.confirm, 'cleanup execute', 'awsinv cleanup preview SNAPSHOT')
    if ((this.args.snapshot === undefined) === (flags.plan === undefined)) throw new UserError('Name the baseline SNAPSHOT or a saved --plan FILE (exactly one of them).', 2)
    const confirmation = confirmationMode({yes: flags.yes, interactive: Boolean(process.stdin.isTTY)})
    const maxAgeMs = parseDuration(flags['max-plan-age'])
    const options = {...cleanupOptions(flags, (name) => this.spelling(name)), ...saveOptions(flags), concurrency: flags.concurrency}
    const extraRules = flags.plan === undefined ? undefined : executionRules(flags)
    // A baseline to compare with has to be stored already: a mistyped path leaves no new database behind.
    const store = this.openStore(this.args.snapshot === undefined ? undefined : 'update')
    checkSaveAsFree(store, options)
    const baseline = this.args.snapshot === undefined ? undefined : requireSnapshot(store, this.args.snapshot)
    const session = await this.openSession()
    const table = !this.jsonEnabled() && flags.format === 'table'
    return runInterruptible(async (signal) => {
      const made: Preview = baseline
        ? await withCollectionProgress(this.showProgress(), (onProgress) => previewCleanup(store, session, baseline, {...options, signal, onProgress}))
        : {plan: loadPlanForExecution(flags.plan!, session, {maxAgeMs, extraRules}), saved: null}
      // Once the plan is made (bad input stays one error line).
      const note = tagFiltersNote(baseline, 'cleanup')
      if (note !== undefined) process.stderr.write(`${note}\n`)
      if (table) this.log(renderPlan(made.plan, 'table'))
      const onProgress = this.showProgress() ? executionProgress((line) => this.logToStderr(line)) : undefined
      const maxAge = flags.plan === undefined ? {} : {maxAgeMs}
      const execution = await confirmAndExecute(store, session, made.plan, {confirmation, concurrency: flags.concurrency, signal, extraRules, onProgress, ...maxAge})
      const result: CleanupResult = {...made, planFile: flags.plan === undefined ? null : resolve(flags.plan), execution}
      if (!this.jsonEnabled()) this.log(renderCleanupResult(result, flags.format, {planShown: true}))
      if (execution) process.exitCode = execution.exitCode
      return result
    })
  }
}
