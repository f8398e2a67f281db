import type {HistoryEntry, ResourceHistory, TagChanges} from '../query/history.js'
import {markedFieldLine} from './drift.js'
import {type Column, type OutputFormat, displayText, renderRows} from './format.js'

const columns: Array<Column<HistoryEntry>> = [
  {header: 'Snapshot', value: (e) => e.snapshot},
  {header: 'Inventory', value: (e) => e.inventory},
  {header: 'Started', value: (e) => e.startedAt},
  {header: 'Event', value: (e) => (e.coverage ? `${e.event} (${e.coverage})` : e.reason ? `${e.event} (${e.reason})` : e.event)},
  {header: 'Config', value: (e) => e.configHash?.slice(0, 12)},
  {header: 'Tag changes', value: (e) => (e.tagChanges ? describeTagChanges(e.tagChanges) : '')},
]

/** `query history` for people (the resource, then one row per snapshot) or as one json, csv or md document. */
export function formatHistory(history: ResourceHistory, format: OutputFormat): string {
  const table = renderRows(history.entries, columns, format)
  if (format !== 'table') return table
  const scope = history.inventory === null ? '' : ` in inventory ${history.inventory}`
  const diffs = history.entries
    .filter((e) => e.changes && e.changes.length > 0)
    .map((e) => [`\nChanges in ${e.snapshot}:`, ...e.changes!.map((c) => `  ${markedFieldLine(c)}`)].join('\n'))
  const head = displayText(`${history.type} ${history.resourceId} (${history.name}) · ${history.region} · account ${history.accountId}${scope}`)
  return [`${displayText(history.arn)}\n  ${head}\n${table}`, ...diffs].join('\n')
}

/** `+env=dev ~owner=a→b -team=x`. */
export function describeTagChanges(changes: TagChanges): string {
  return [
    ...Object.entries(changes.added).map(([k, v]) => `+${k}=${v}`),
    ...Object.entries(changes.changed).map(([k, v]) => `~${k}=${v.from}→${v.to}`),
    ...Object.entries(changes.removed).map(([k, v]) => `-${k}=${v}`),
  ].join(' ')
}
