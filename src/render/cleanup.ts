import type {ExecutionProgress, ExecutionResult, ItemResult} from '../cleanup/execute.js'
import {countPlan} from '../cleanup/plan.js'
import {leavesOutGlobalTypes, regionsOfSelectedTypes} from '../cleanup/rules.js'
import type {CleanupPlan, PlanItem, ProtectionRules, ResourceRef, StateRef} from '../cleanup/types.js'
import {type Column, displayText, renderRows} from './format.js'
import {counted} from '../words.js'

/** `--format` of the cleanup commands. */
export const cleanupFormats = ['table', 'json'] as const
export type CleanupFormat = (typeof cleanupFormats)[number]

/** `name (id)`, or `id` when the name is the id; on one line, control characters neutralised. */
function resourceText(r: Pick<ResourceRef, 'name' | 'id'>): string {
  return displayText(r.name === r.id ? r.id : `${r.name} (${r.id})`)
}

function stateText(state: StateRef | null): string {
  if (state === null) return 'none'
  return `${state.name === null ? 'not stored' : `snapshot "${state.name}"`} (captured ${state.capturedAt})`
}

function rulesText(rules: ProtectionRules): string {
  const parts = [
    ...rules.tags.map((t) => `tag ${t.key}=${t.value} (${t.source})`),
    ...rules.types.map((t) => `type ${t.pattern}`),
    ...rules.names.map((n) => `name ${n.pattern}`),
    ...(rules.ageDaysMinimum ? [`older than ${rules.ageDaysMinimum.days} days`] : []),
    ...(rules.maxDeletions ? [`max_deletions ${rules.maxDeletions.limit}`] : []),
  ]
  return `${rules.file ?? 'no rules file'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`
}

/**
 * `types all; regions us-east-1 (global types, such as IAM's, left out: add --region global)`; without
 * `--region`, the regions the current state was collected in: `regions global, us-east-1 (all collected)`
 * (those of the selected types: `types AWS::SQS::Queue; regions us-east-1 (all collected)`).
 */
function selectionText(plan: Pick<CleanupPlan, 'selection' | 'current'>): string {
  const {selection} = plan
  const leftOut = leavesOutGlobalTypes(selection) ? " (global types, such as IAM's, left out: add --region global)" : ''
  // Those where the selected types can be: `--type sqs` is not looked for in `global`.
  const collected = plan.current.regions && regionsOfSelectedTypes(selection, plan.current.regions)
  const all = collected === undefined ? 'all collected' : collected.length === 0 ? 'none collected' : `${collected.join(', ')} (all collected)`
  return `types ${selection.types?.join(', ') ?? 'all'}; regions ${selection.regions?.join(', ') ?? all}${leftOut}`
}

const itemColumns: ReadonlyArray<Column<PlanItem>> = [
  {header: 'Type', value: (i) => i.type},
  {header: 'Region', value: (i) => i.region},
  {header: 'Resource', value: (i) => resourceText(i)},
  {header: 'Why', value: (i) => i.why.explanation},
  {
    header: 'Steps',
    value: (i) => [...i.steps.map((s) => s.description), ...(i.includes.length > 0 ? [`AWS also deletes ${i.includes.map((x) => x.id).join(', ')}`] : [])].join('; '),
  },
]

/** The plan for people: header, waves with their items and steps, protected, skipped, not comparable, summary. */
export function renderPlan(plan: CleanupPlan, format: CleanupFormat): string {
  if (format === 'json') return JSON.stringify(plan, null, 2)
  const lines = [
    `${plan.mode === 'purge' ? 'Purge' : 'Cleanup'} plan ${plan.id} for account ${plan.accountId}, made ${plan.createdAt} as ${plan.caller.arn}`,
    `${plan.mode === 'purge' ? 'Limited to' : 'Baseline'}: ${stateText(plan.baseline)}; current state: ${stateText(plan.current)}`,
    `Rules: ${rulesText(plan.rules)}`,
  ]
  if (plan.selection.types || plan.selection.regions || plan.current.regions) lines.push(`Selection: ${selectionText(plan)}`)
  for (const wave of plan.waves) {
    lines.push('', `Wave ${wave.index + 1} of ${plan.waves.length}: ${counted(wave.items.length, 'item')}`, renderRows(wave.items, itemColumns, 'table'))
  }

  if (plan.waves.length === 0) lines.push('', 'Nothing to delete.')
  if (plan.protected.length > 0) {
    lines.push('', `Protected (${plan.protected.length}):`, renderRows(plan.protected, refColumns((p) => p.reasons.map((r) => r.explanation).join('; '), 'Protected by'), 'table'))
  }

  if (plan.skipped.length > 0) {
    lines.push('', `Skipped (${plan.skipped.length}):`, renderRows(plan.skipped, refColumns((s) => `${s.reason.kind}: ${s.reason.explanation}`, 'Reason'), 'table'))
  }

  if (plan.notComparable.length > 0) {
    const columns: ReadonlyArray<Column<CleanupPlan['notComparable'][number]>> = [
      {header: 'Type', value: (c) => c.resourceType},
      {header: 'Region', value: (c) => c.region},
      {header: 'Baseline', value: (c) => c.baseline ?? ''},
      {header: 'Current', value: (c) => c.current},
      {header: 'Reason', value: (c) => c.reason},
    ]
    lines.push('', `Not comparable (${plan.notComparable.length}): their resources are neither deleted nor compared`, renderRows(plan.notComparable, columns, 'table'))
  }

  lines.push('', planSummaryLine(plan))
  return lines.join('\n')
}

function refColumns<T extends ResourceRef>(reason: (row: T) => string, header: string): ReadonlyArray<Column<T>> {
  return [
    {header: 'Type', value: (r) => r.type},
    {header: 'Region', value: (r) => r.region},
    {header: 'Resource', value: (r) => resourceText(r)},
    {header, value: reason},
  ]
}

/** `3 deletions (+1 deleted along), 1 preparation, 2 waves; 2 protected, 1 skipped, 1 cell not comparable.` */
export function planSummaryLine(plan: CleanupPlan): string {
  // Counted from the plan's lists, not its summary: a saved plan is shown as it will run.
  const s = countPlan(plan)
  const along = s.included > 0 ? ` (+${s.included} deleted along)` : ''
  return `${counted(s.deletions, 'deletion')}${along}, ${counted(s.preparations, 'preparation')}, ${counted(s.waves, 'wave')}; ${plan.protected.length} protected, ${plan.skipped.length} skipped, ${counted(plan.notComparable.length, 'cell')} not comparable.`
}

const resultColumns: ReadonlyArray<Column<ItemResult>> = [
  {header: 'Wave', value: (i) => i.wave + 1},
  {header: 'Type', value: (i) => (i.kind === 'prepare' ? `${i.type} (prepare)` : i.type)},
  {header: 'Region', value: (i) => i.region},
  {header: 'Resource', value: (i) => resourceText(i)},
  {header: 'Result', value: (i) => i.result},
  {header: 'Detail', value: (i) => i.reason ?? ''},
]

/** The run for people: every item with its outcome, then the summary and where the audit log is. */
export function renderExecution(result: ExecutionResult): string {
  const head = `Run ${result.runId} of plan ${result.planId} in account ${result.accountId}: ${result.status} (exit ${result.exitCode})`
  const lines = [head, renderRows(result.items, resultColumns, 'table'), executionSummaryLine(result)]
  if (result.auditLog) lines.push(`Audit log: ${result.auditLog}`)
  return lines.join('\n')
}

/**
 * `2 deleted, 1 already gone, 0 scheduled for deletion, 1 skipped, 0 failed (of 4 items).`: the preparations
 * done after the deletions when the plan has any (they delete nothing), the interruption counts before the
 * total when any.
 */
export function executionSummaryLine(result: ExecutionResult): string {
  const s = result.summary
  const prepared = result.items.some((i) => i.kind === 'prepare') ? [`${counted(s.prepared, 'preparation')} done`] : []
  const parts = [`${s.deleted} deleted`, ...prepared, `${s.gone} already gone`, `${s.scheduled} scheduled for deletion`, `${s.skipped} skipped`, `${s.failed} failed`]
  if (s.interrupted + s.notAttempted > 0) parts.push(`${s.interrupted} interrupted`, `${s.notAttempted} not attempted`)
  return `${parts.join(', ')} (of ${counted(s.items, 'item')}).`
}

/** Progress lines on stderr while a plan runs: one per wave, one per settled item. */
export function executionProgress(write: (line: string) => void): (event: ExecutionProgress) => void {
  let waves = 0
  return (event) => {
    switch (event.kind) {
      case 'start': {
        waves = event.waves
        break
      }

      case 'wave': {
        write(`Wave ${event.index + 1} of ${waves}: ${counted(event.items, 'item')}`)
        break
      }

      case 'item-done': {
        const r = event.result
        write(`  ${r.result.padEnd(13)} ${r.type} ${resourceText(r)}${r.reason ? `: ${displayText(r.reason)}` : ''}`)
        break
      }

      default: {
        break
      }
    }
  }
}
