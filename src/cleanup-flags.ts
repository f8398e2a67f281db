import {Flags} from '@oclif/core'

import {selectionAliases, pathFlag} from './base-command.js'
import type {PreviewOptions} from './cleanup/preview.js'
import {resolveProtectionRules, resolveSelection} from './cleanup/rules.js'
import type {CleanupResult} from './cleanup/run-plan.js'
import type {PlanSelection, ProtectionRules} from './cleanup/types.js'
import type {CollectProgress} from './collect/run.js'
import {checkNewSnapshotName} from './collect/snapshot.js'
import {type FlagSpelling, TYPES_WANTED, listFlagItems, plainSpelling} from './flag-values.js'
import type {Store} from './store/database.js'
import {validateSnapshotName} from './store/snapshots.js'
import {type CleanupFormat, cleanupFormats, renderExecution, renderPlan} from './render/cleanup.js'
import {collectionProgress} from './render/progress.js'

/**
 * Flags every cleanup command takes. `--type`, `--region`, `--save-as` and `--no-save` shape a plan made
 * now: `exclusive` names the flags that bring a plan of their own (`--plan`).
 */
export function cleanupFlags(exclusive: string[] = []) {
  return {
    type: Flags.string({
      char: 't',
      aliases: selectionAliases('type'),
      multiple: true,
      exclusive,
      description: 'Consider only these services, type ids or type globs (repeatable or comma-separated), e.g. sqs or AWS::SNS::*; other types still count as staying.',
    }),
    region: Flags.string({
      char: 'r',
      aliases: selectionAliases('region'),
      multiple: true,
      exclusive,
      description: 'Consider only these regions (repeatable or comma-separated); global types (IAM) only if "global" is listed.',
    }),
    'protect-tag': Flags.string({multiple: true, description: 'Protect resources tagged KEY=VALUE (VALUE a glob; KEY=* any value). Repeatable; adds to the rules file.'}),
    rules: pathFlag({description: 'Rules file (default: .awsinv-cleanup.yaml in the working directory, when present).'}),
    concurrency: Flags.integer({description: 'Cells collected at once, and plan items at work at once (an item waiting for AWS gives its place up).', default: 16, min: 1, max: 64}),
    format: Flags.string({char: 'f', description: 'Output format (json: the same document as --json).', options: [...cleanupFormats], default: 'table'}),
    'save-as': Flags.string({description: 'Name of the snapshot of the current state (default cleanup-<UTC time>, purge-<UTC time>).', exclusive: ['no-save', ...exclusive]}),
    'no-save': Flags.boolean({description: 'Keep no snapshot of the current state.', exclusive: ['save-as', ...exclusive]}),
  }
}

/** Flags of the commands that delete. */
export const deleteFlags = {
  confirm: Flags.boolean({description: 'Delete (required: without it nothing is deleted).'}),
  yes: Flags.boolean({char: 'y', description: 'Do not ask to type the account id (required when stdin is not a terminal).'}),
}

type CleanupFlagValues = {type?: string[]; region?: string[]; 'protect-tag'?: string[]; rules?: string}

/**
 * The selection (`--type`, `--region`) and the protection rules (rules file and `--protect-tag`), validated.
 * An empty `--type` or `--region` is refused: left out, it would select every type or region. `spelled`
 * gives a flag as the user typed it, for messages.
 */
export function cleanupOptions(flags: CleanupFlagValues, spelled: (name: string) => FlagSpelling = plainSpelling): {selection: PlanSelection; rules: ProtectionRules} {
  // Usage errors of cleanup exit 2 (see docs/cleanup.md).
  const types = listFlagItems(flags.type, spelled('type'), TYPES_WANTED, 2)
  const regions = listFlagItems(flags.region, spelled('region'), 'one or more regions (e.g. us-east-1,global)', 2)
  return {
    selection: resolveSelection({types, regions}),
    rules: resolveProtectionRules({rulesFile: flags.rules, protectTags: flags['protect-tag']}),
  }
}

/** Rules given at execution of a saved plan: undefined when there are none (no rules file, no --protect-tag). */
export function executionRules(flags: CleanupFlagValues): ProtectionRules | undefined {
  const rules = resolveProtectionRules({rulesFile: flags.rules, protectTags: flags['protect-tag']})
  const none = rules.file === null && rules.tags.length === 0
  return none ? undefined : rules
}

/** How the current state is stored (`--save-as`, `--no-save`), validated. */
export function saveOptions(flags: {'save-as'?: string; 'no-save'?: boolean}): Pick<PreviewOptions, 'saveAs' | 'save'> {
  if (flags['save-as'] !== undefined) validateSnapshotName(flags['save-as'])
  return {saveAs: flags['save-as'], save: !flags['no-save']}
}

/** Refuses a `--save-as` name already taken in the store, before any AWS call (the collection would, after planning). */
export function checkSaveAsFree(store: Store, options: Pick<PreviewOptions, 'saveAs'>): void {
  if (options.saveAs !== undefined) checkNewSnapshotName(store, options.saveAs)
}

/**
 * Runs `work` with a signal that the first SIGINT/SIGTERM aborts (the work stops between calls and
 * records the interruption); a second one exits at once.
 */
export async function runInterruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onSignal = () => (controller.signal.aborted ? process.exit(130) : controller.abort())
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal)
  try {
    return await work(controller.signal)
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
  }
}

/** Runs `work` with a collection progress bar on stderr when `show` (a terminal, no --json), cleared after. */
export async function withCollectionProgress<T>(show: boolean, work: (onProgress?: (event: CollectProgress) => void) => Promise<T>): Promise<T> {
  const progress = show ? await collectionProgress() : undefined
  try {
    return await work(progress?.onProgress)
  } finally {
    progress?.stop()
  }
}

/** The result as `--format` prints it: the plan, then the run when there was one; `json`: the whole result. */
export function renderCleanupResult(result: CleanupResult, format: string, options: {planShown?: boolean} = {}): string {
  if ((format as CleanupFormat) === 'json') return JSON.stringify(result, null, 2)
  const parts = options.planShown ? [] : [renderPlan(result.plan, 'table')]
  if (result.planFile) parts.push(`Plan file: ${result.planFile}`)
  if (result.execution) parts.push('', renderExecution(result.execution))
  return parts.join('\n')
}
