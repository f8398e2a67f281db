import type {FieldChange} from '../diff/fields.js'
import type {DriftReport, ResourceChange, ResourceDrift} from '../diff/snapshots.js'
import {csvCell, displayText, mdCell} from './format.js'
import {counted} from '../words.js'

export type DriftFormat = 'table' | 'md'

export interface DriftRenderOptions {
  format: DriftFormat
  /** Show every field change under its resource. */
  showDiff: boolean
  /** ANSI colours (a terminal, and NO_COLOR unset). */
  color: boolean
}

const markers: Record<ResourceChange, string> = {added: '+', removed: '-', replaced: '±', modified: '~'}
const fieldMarkers: Record<FieldChange['kind'], string> = {added: '+', removed: '-', changed: '~'}
const colors: Record<string, number> = {'+': 32, '-': 31, '±': 35, '~': 33}

/** The drift report for people: a summary, then a line per resource and, with `showDiff`, per field. */
export function formatDrift(report: DriftReport, options: DriftRenderOptions): string {
  return options.format === 'md' ? formatMarkdown(report, options.showDiff) : formatText(report, options)
}

function formatText(report: DriftReport, options: DriftRenderOptions): string {
  const paint = (marker: string, text: string) => (options.color ? `\u001B[${colors[marker] ?? 0}m${text}\u001B[0m` : text)
  const after = report.after.name === null ? 'the current state (not saved)' : `"${report.after.name}"`
  const lines = [`Drift from "${report.before.name}" (${report.before.startedAt}) to ${after} (${report.after.startedAt})`, ...summaryLines(report).map((l) => `  ${l}`)]
  if (report.resources.length > 0) lines.push('')
  for (const r of report.resources) {
    const marker = markers[r.change]
    lines.push(paint(marker, `${marker} ${resourceLine(r)}`))
    if (!options.showDiff) continue
    for (const c of r.changes ?? []) {
      lines.push(paint(fieldMarkers[c.kind], `    ${markedFieldLine(c)}`))
    }
  }

  if (report.resources.length === 0) lines.push('', 'No drift.')
  lines.push(...notComparableLines(report))
  return lines.join('\n')
}

function summaryLines(report: DriftReport): string[] {
  const s = report.summary
  const counts = [
    `added ${s.added}`,
    `removed ${s.removed}`,
    `replaced ${s.replaced}`,
    `modified ${s.modified}`,
    `unchanged ${s.unchanged}`,
    `not comparable ${counted(s.notComparable, 'cell')}`,
  ].join(' · ')
  const categories = Object.entries(s.byCategory)
    .map(([c, n]) => `${c} ${n}`)
    .join(' · ')
  const ignored = s.ignoredResources + s.ignoredChanges > 0 ? [`ignored: ${counted(s.ignoredResources, 'resource')}, ${counted(s.ignoredChanges, 'field change')} (${report.filters.ignoreFile})`] : []
  const outside =
    s.outsideTagFilters > 0
      ? [`outside the other snapshot's tag filters: ${counted(s.outsideTagFilters, 'resource')} in one snapshot only, that the other's filters leave out (not compared)`]
      : []
  return [counts, `by category: ${categories}`, ...ignored, ...outside]
}

/** `vol-1 (data)`, or the id alone when the name adds nothing; on one line, control characters neutralised. */
function label(r: ResourceDrift): string {
  return displayText(r.name && r.name !== r.id ? `${r.id} (${r.name})` : r.id)
}

function resourceLine(r: ResourceDrift): string {
  const detail =
    r.change === 'replaced' ? `  (${r.reason})` : r.change === 'modified' ? `  ${counted(r.changes?.length ?? 0, 'change')}: ${r.categories.join(', ')}` : ''
  return `${r.type}  ${r.region}  ${label(r)}${detail}`
}

/** `~ path: before → after`, `+ path: value`, `- path: value`. */
export function markedFieldLine(c: FieldChange): string {
  return `${fieldMarkers[c.kind]} ${fieldLine(c)}`
}

/** `path: before → after` (or the one value of an addition or removal). Paths hold tag keys: made safe to print. */
function fieldLine(c: FieldChange): string {
  const path = displayText(c.path)
  if (c.kind === 'added') return `${path}: ${show(c.after)}`
  if (c.kind === 'removed') return `${path}: ${show(c.before)}`
  return `${path}: ${show(c.before)} → ${show(c.after)}`
}

function notComparableLines(report: DriftReport): string[] {
  if (report.notComparable.length === 0) return []
  return [
    '',
    `Not comparable (${counted(report.notComparable.length, 'cell')}, never reported as added or removed):`,
    ...report.notComparable.map((c) => `  ${c.resourceType}  ${c.region}  ${c.accountId}  ${c.reason}`),
  ]
}

/** A value on one line, long ones shortened. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null'
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}

function formatMarkdown(report: DriftReport, showDiff: boolean): string {
  const s = report.summary
  const lines = [
    `### Drift from \`${report.before.name}\` to ${report.after.name === null ? 'the current state (not saved)' : `\`${report.after.name}\``}`,
    '',
    '| Added | Removed | Replaced | Modified | Unchanged | Not comparable |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${s.added} | ${s.removed} | ${s.replaced} | ${s.modified} | ${s.unchanged} | ${s.notComparable} |`,
    '',
    `By category: ${Object.entries(s.byCategory)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  ]
  if (report.resources.length === 0) lines.push('', 'No drift.')
  else {
    lines.push('', '| | Type | Region | Resource | Details |', '|---|---|---|---|---|')
    for (const r of report.resources) {
      const details = r.change === 'replaced' ? (r.reason ?? '') : r.change === 'modified' ? (r.changes ?? []).map((c) => `\`${displayText(c.path)}\` ${c.kind}`).join(', ') : ''
      lines.push(`| ${markers[r.change]} | ${r.type} | ${r.region} | ${mdCell(label(r))} | ${mdCell(details)} |`)
    }
  }

  if (showDiff) {
    for (const r of report.resources.filter((x) => x.changes && x.changes.length > 0)) {
      lines.push('', `<details><summary>${r.type} ${displayText(r.id)}</summary>`, '', '```diff')
      for (const c of r.changes ?? []) lines.push(`${c.kind === 'changed' ? '!' : fieldMarkers[c.kind]} ${fieldLine(c)}`)
      lines.push('```', '', '</details>')
    }
  }

  if (report.notComparable.length > 0) {
    lines.push('', `Not comparable: ${report.notComparable.map((c) => `${c.resourceType} in ${c.region} (${c.reason})`).join('; ')}`)
  }

  return lines.join('\n')
}

/** One CSV row per change: resource-level changes once, modified resources once per field. RFC 4180. */
export function driftCsv(report: DriftReport): string {
  const header = ['change', 'type', 'region', 'account_id', 'arn', 'id', 'name', 'category', 'path', 'field_change', 'before', 'after', 'reason']
  const rows: string[][] = [header]
  for (const r of report.resources) {
    const base = [r.change, r.type, r.region, r.accountId, r.arn, r.id, r.name]
    if (!r.changes) rows.push([...base, r.categories.join(' '), '', '', '', '', r.reason ?? ''])
    else for (const c of r.changes) rows.push([...base, c.category, c.path, c.kind, json(c.before), json(c.after), ''])
  }

  return rows.map((cells) => cells.map((c) => csvCell(c)).join(',')).join('\r\n')
}

function json(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value)
}
