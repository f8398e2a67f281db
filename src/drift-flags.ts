import {Flags} from '@oclif/core'

import {selectionAliases, pathFlag} from './base-command.js'
import {KNOWN_REGIONS} from './collect/regions.js'
import {selectSpecs} from './collect/types.js'
import {loadIgnoreRules} from './diff/ignore.js'
import {type DiffOptions, type DriftReport, parseCategories} from './diff/snapshots.js'
import {UserError} from './errors.js'
import {type FlagSpelling, REGIONS_WANTED, TYPES_WANTED, listFlagItems, listItems, plainSpelling} from './flag-values.js'
import {driftCsv, formatDrift} from './render/drift.js'
import {checkExportFile, writeFileAtomically} from './render/write-file.js'
import {didYouMean} from './suggest.js'

/** Flags shared by `delta` and `query diff`. */
export const driftFlags = {
  'show-diff': Flags.boolean({description: 'Show every field change under its resource (path: before → after).'}),
  'resource-type': Flags.string({
    char: 't',
    aliases: selectionAliases('resource-type'),
    multiple: true,
    description: 'Compare only these services, type ids or type globs (comma-separated or repeated), e.g. ec2,AWS::IAM::*.',
  }),
  region: Flags.string({char: 'r', aliases: selectionAliases('region'), multiple: true, description: 'Compare only these regions (comma-separated or repeated); global types are always compared.'}),
  category: Flags.string({multiple: true, description: 'Report only drift of these categories: tags, security, configuration, state.'}),
  ignore: pathFlag({description: 'Ignore file (default: .awsinv-ignore.yaml in the working directory, when present).'}),
  format: Flags.string({char: 'f', description: 'Output format.', options: ['table', 'json', 'md'], default: 'table'}),
  export: pathFlag({description: 'Also write the report to FILE.json, FILE.md or FILE.csv.'}),
  'exit-code': Flags.boolean({description: 'Exit 2 when drift is found, 0 when there is none, 1 on error (for CI).'}),
  'allow-partial': Flags.boolean({description: 'Accept an interrupted snapshot; only the cells it collected are compared.'}),
}

type DriftFlagValues = {
  'resource-type'?: string[]
  region?: string[]
  category?: string[]
  ignore?: string
  export?: string
  'allow-partial': boolean
}

/**
 * Validates the filter flags (empty values, unknown types and categories, a bad ignore file) into differ
 * options. `spelled` gives a flag as the user typed it, for messages.
 */
export function driftOptions(flags: DriftFlagValues, spelled: (name: string) => FlagSpelling = plainSpelling): DiffOptions {
  if (flags.export !== undefined) checkExportFile(flags.export, ['json', 'md', 'csv'])
  const types = listFlagItems(flags['resource-type'], spelled('resource-type'), TYPES_WANTED)
  // Region ids are lower case: US-EAST-1 is us-east-1.
  const regions = listFlagItems(flags.region, spelled('region'), REGIONS_WANTED)?.map((r) => r.toLowerCase())
  const unknown = regions?.find((r) => r !== 'global' && !KNOWN_REGIONS.includes(r))
  if (unknown !== undefined) {
    const flag = spelled('region')((item) => listItems(item).some((r) => r.toLowerCase() === unknown))
    throw new UserError(`Unknown region "${unknown}" for ${flag}.${didYouMean(unknown, KNOWN_REGIONS)} Use names like us-east-1, or "global" for the global types.`)
  }

  return {
    resourceTypes: types === undefined ? undefined : selectSpecs(types).map((s) => s.type),
    regions,
    categories: parseCategories(flags.category),
    ignore: loadIgnoreRules(flags.ignore),
    allowPartial: flags['allow-partial'],
  }
}

/** The report as the chosen format prints it (`json`: the same document `--json` prints). */
export function renderDriftReport(report: DriftReport, format: string, showDiff: boolean): string {
  if (format === 'json') return JSON.stringify(report, null, 2)
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
  return formatDrift(report, {format: format === 'md' ? 'md' : 'table', showDiff, color})
}

/** Writes `--export FILE` in the format its extension names. */
export function exportDriftReport(report: DriftReport, file: string, showDiff: boolean): void {
  const text = file.toLowerCase().endsWith('.csv') ? driftCsv(report) : file.toLowerCase().endsWith('.md') ? formatDrift(report, {format: 'md', showDiff, color: false}) : JSON.stringify(report, null, 2)
  writeFileAtomically(file, `${text}\n`)
}
