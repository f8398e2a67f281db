import {stripVTControlCharacters} from 'node:util'

import {counted} from './words.js'
import {closestWords} from './suggest.js'

/** What a usage error is read against: the command line and the flags of the command that refused it. */
export interface UsageContext {
  argv: readonly string[]
  flags: Record<string, {aliases?: string[]; char?: string; multiple?: boolean; type: string}>
  /** Whether the command takes `--json` (oclif adds it outside the declared flags). */
  jsonFlag?: boolean
}

/**
 * An oclif usage error in awsinv's words: a missing argument named with its description, an unknown flag with
 * the flag it is probably a typo of, exclusive flags named once as a pair. Other errors keep their message.
 */
export function usageErrorMessage(error: Error, context: UsageContext): string {
  const {args, flags} = error as {args?: unknown; flags?: unknown}
  if (/^Missing \d+ required args?\b/.test(error.message) && Array.isArray(args)) return missingArgsMessage(args as Array<{description?: string; name: string}>, context)
  if (/^Nonexistent flags?: /.test(error.message) && Array.isArray(flags)) return nonexistentFlagsMessage(flags as string[], context)
  // A flag's own parse refused its value: oclif puts the flag's name on a line of its own above the reason.
  const parsing = /^Parsing (--[\w-]+) \n\t([\s\S]*?)\nSee more help with --help$/.exec(error.message)
  if (parsing) return `${parsing[1]}: ${parsing[2]}\nSee more help with --help`
  return withoutFlagErrorHeading(error.message)
}

/**
 * A message as one line, unwrapped whatever the terminal width, ending as a sentence does: the lines of a
 * multi-line (oclif) message become sentences.
 */
export function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  return lines.map((line, i) => (/[.!?]$/.test(line) || (/[:;]$/.test(line) && i < lines.length - 1) ? line : `${line}.`)).join(' ')
}

/** Each missing argument with its description, and oclif's advice on multiple-value flags only when one was given. */
function missingArgsMessage(args: ReadonlyArray<{description?: string; name: string}>, {argv, flags}: UsageContext): string {
  const named = args.map(({description, name}) => (description ? `${name} (${sentenceFragment(description)})` : name))
  // A flag that takes several values swallows the arguments after it.
  const given = Object.entries(flags)
    .filter(([, flag]) => flag.type === 'option' && flag.multiple)
    .filter(([name, flag]) =>
      argv.some((arg) => [name, ...(flag.aliases ?? [])].some((long) => arg === `--${long}` || arg.startsWith(`--${long}=`)) || (flag.char !== undefined && arg.startsWith(`-${flag.char}`))),
    )
    .map(([name]) => `--${name}`)
  const note =
    given.length === 0
      ? ''
      : ` ${given.join(', ').replace(/, ([^,]+)$/, ' and $1')} ${given.length === 1 ? 'takes' : 'take'} several values: give arguments before ${given.length === 1 ? 'it' : 'them'}, or after "--".`
  return `Missing ${counted(args.length, 'required arg')}: ${named.join(', ')}.${note} See more help with --help.`
}

/** A description as a fragment inside a sentence: no final period, and a capitalised first word in lower case. */
function sentenceFragment(description: string): string {
  const text = description.replace(/\.$/, '')
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text
}

/** Each unknown flag with the flag of the command it is probably a typo of. */
function nonexistentFlagsMessage(given: readonly string[], {flags, jsonFlag}: UsageContext): string {
  // No flag holds a space: this is an argument starting with a dash (SQL opening with a -- comment).
  const text = given.find((flag) => /\s/.test(flag))
  if (text !== undefined) {
    const first = text.split('\n')[0]!.trim()
    const shown = first.length > 40 || first !== text.trim() ? `${first.slice(0, 40)}…` : first
    return `"${shown}" starts with a dash, so it is read as a flag: put -- before it to give it as an argument (-- "${shown}"). See more help with --help.`
  }

  const names = [...Object.keys(flags), ...(jsonFlag ? ['json'] : [])]
  const described = given.map((flag) => {
    const match = /^--([^=]+)/.exec(flag)
    const [closest] = match ? closestWords(match[1]!, names, 1) : []
    return closest ? `${flag} (did you mean --${closest}?)` : flag
  })
  return `Nonexistent ${given.length === 1 ? 'flag' : 'flags'}: ${described.join(', ')}. See more help with --help.`
}

/**
 * oclif's flag validation errors without their "The following errors occurred:" heading, and each pair of
 * exclusive flags said once: oclif reports `--a=x cannot also be provided when using --b` from both sides.
 */
function withoutFlagErrorHeading(message: string): string {
  const [heading, ...rest] = stripVTControlCharacters(message).split('\n')
  if (!/^The following errors? occurred:$/.test(heading ?? '')) return message
  const help = rest.at(-1)?.startsWith('See more help') ? rest.pop() : undefined
  const pairs = new Set<string>()
  const said = rest
    .map((line) => line.trim())
    .filter(Boolean)
    .flatMap((reason) => {
      const exclusive = /^--([\w-]+)(?:=\S*)? cannot also be provided when using --([\w-]+)$/.exec(reason)
      if (!exclusive) return [reason]
      const pair = [exclusive[1]!, exclusive[2]!].sort().map((name) => `--${name}`)
      if (pairs.has(pair.join())) return []
      pairs.add(pair.join())
      return [`${pair[0]} and ${pair[1]} cannot be used together`]
    })
  return [...said, ...(help ? [help] : [])].join('\n')
}
