import {globRegExp} from '../diff/ignore.js'
import {UserError} from '../errors.js'
import {specs} from '../resources/registry.js'
import type {ResourceSpec} from '../resources/types.js'
import {didYouMean} from '../suggest.js'

/** Services awsinv can collect, from the registry. */
export function knownServices(): string[] {
  return [...new Set(specs.map((s) => s.service))].sort()
}

/**
 * Resolves `--resource-types` entries (service names like `ec2`, type ids like `AWS::EC2::VPC`, or type
 * globs like `AWS::EC2::*`, case-insensitive) to specs, in registry order. No selection means every type.
 */
export function selectSpecs(selection: readonly string[] | undefined): ResourceSpec[] {
  if (!selection || selection.length === 0) return [...specs]
  const chosen = new Set<ResourceSpec>()
  for (const raw of selection) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    const glob = /[*?]/.test(entry) ? new RegExp(globRegExp(entry).source, 'i') : undefined
    const matched = specs.filter((s) => (glob ? glob.test(s.type) : s.service === entry || s.type.toLowerCase() === entry))
    if (matched.length === 0 && glob) {
      throw new UserError(`"${raw.trim()}" matches no resource type. Use type ids or globs such as AWS::EC2::Instance or AWS::IAM::*, or services: ${knownServices().join(', ')}.`)
    }

    if (matched.length === 0) {
      const hint = didYouMean(entry, [...knownServices(), ...specs.map((s) => s.type)], {ignoreCase: true})
      throw new UserError(
        `Unknown resource type or service "${raw.trim()}".${hint} Services: ${knownServices().join(', ')}; or a type id such as AWS::EC2::VPC (see "awsinv snapshot create --help").`,
      )
    }

    for (const spec of matched) chosen.add(spec)
  }

  if (chosen.size === 0) throw new UserError('--resource-types needs at least one service or type.')
  return specs.filter((s) => chosen.has(s))
}
