import {UserError} from './errors.js'

/** How a flag can be written on the command line besides `--NAME`, and the environment variable it defaults to. */
export interface FlagSpellings {
  aliases?: string[]
  char?: string
  env?: string
}

/**
 * A flag as the user typed it (`--type`, `-t`, `--resource-types`…), for a message about its value: given
 * a test of bad values, the spelling of the occurrence holding one.
 */
export type FlagSpelling = (isBad: (value: string) => boolean) => string

/**
 * The spelling flag `name` was typed with on `argv` (`--NAME` for its one-letter form, which says less):
 * that of the first occurrence whose value `isBad` refuses, else of the first occurrence. Not typed, its value
 * came from its environment variable when that is set (the variable's name, which {@link isVariable} tells
 * apart), else `--NAME`.
 */
export function typedFlag(
  argv: readonly string[],
  name: string,
  flag: FlagSpellings,
  isBad: (value: string) => boolean = () => false,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const longs = [name, ...(flag.aliases ?? [])].map((n) => `--${n}`)
  const short = flag.char === undefined ? undefined : `-${flag.char}`
  let first: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    // What follows "--" is arguments.
    if (arg === '--') break
    let spelling: string | undefined
    let value: string | undefined
    const long = longs.find((l) => arg === l || arg.startsWith(`${l}=`))
    if (long !== undefined) {
      spelling = long
      value = arg === long ? argv[i + 1] : arg.slice(long.length + 1)
    } else if (short !== undefined && arg.startsWith(short) && !arg.startsWith('--')) {
      spelling = `--${name}`
      value = arg === short ? argv[i + 1] : arg.slice(short.length).replace(/^=/, '')
    }

    if (spelling === undefined) continue
    first ??= spelling
    if (value !== undefined && isBad(value)) return spelling
  }

  if (first !== undefined) return first
  // As oclif reads it: an empty variable gives no value.
  return flag.env !== undefined && env[flag.env] ? flag.env : `--${name}`
}

/** Whether a spelling names an environment variable (`AWSINV_REGIONS`) rather than a flag (`--regions`). */
export function isVariable(spelling: string): boolean {
  return !spelling.startsWith('-')
}

/** The items of a comma-separated value, trimmed, without the empty ones (`a, b,` is `a` and `b`). */
export function listItems(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

/**
 * The items of a list flag's values (repeated, each comma-separated), or undefined when it was not given.
 * A value holding no item at all (`''`, `,`) would silently select nothing, or everything: refused in one
 * line naming the flag as typed and what it takes (`what`: "one or more regions (e.g. us-east-1,eu-*)"),
 * exiting with `exitCode` (cleanup's usage errors exit 2).
 */
export function listFlagItems(values: string | readonly string[] | undefined, spelled: FlagSpelling, what: string, exitCode = 1): string[] | undefined {
  if (values === undefined) return undefined
  const all = typeof values === 'string' ? [values] : values
  const isEmpty = (value: string) => listItems(value).length === 0
  const empty = all.find((value) => isEmpty(value))
  if (empty !== undefined) throw new UserError(emptyValueMessage(spelled(isEmpty), empty, what), exitCode)
  return all.flatMap((value) => listItems(value))
}

/** A pattern flag's value (`--name`, `--arn`): an empty or blank one, which matches nothing, is refused. */
export function patternFlagValue(value: string | undefined, spelled: FlagSpelling, what: string): string | undefined {
  const isBlank = (text: string) => text.trim() === ''
  if (value !== undefined && isBlank(value)) throw new UserError(emptyValueMessage(spelled(isBlank), value, what))
  return value
}

function emptyValueMessage(flag: string, value: string, what: string): string {
  return `${flag} ${JSON.stringify(value)} is empty: give ${what}, or ${isVariable(flag) ? 'unset' : 'leave'} ${flag}${isVariable(flag) ? '' : ' out'}.`
}

/** What a type selection flag takes, for its messages. */
export const TYPES_WANTED = 'one or more services, type ids or globs (e.g. ec2,AWS::IAM::*)'

/** What a region selection flag takes, for its messages. */
export const REGIONS_WANTED = 'one or more regions (e.g. us-east-1,eu-west-1)'

/** `--NAME` whatever was typed: for callers that have no command line at hand. */
export function plainSpelling(name: string): FlagSpelling {
  return () => `--${name}`
}

/** The environment variable `name`: for a value read from it, not from a flag. */
export function variableSpelling(name: string): FlagSpelling {
  return () => name
}
