import {Flags, Parser} from '@oclif/core'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

const commandsDir = join(import.meta.dirname, '../../src/commands')

/** What the tests read of a command class. */
export type CommandClass = {
  args?: Parser.ArgInput
  baseFlags?: Parser.FlagInput
  enableJsonFlag?: boolean
  examples?: Array<string | {command: string}>
  flags?: Parser.FlagInput
  strict?: boolean
}

/** Every command of src/commands by its id as typed (`snapshot create`). */
export async function loadCommands(): Promise<Map<string, CommandClass>> {
  const commands = new Map<string, CommandClass>()
  for (const file of readdirSync(commandsDir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))) {
    commands.set(file.replace(/\.ts$/, '').split('/').join(' '), ((await import(join(commandsDir, file))) as {default: CommandClass}).default)
  }

  return commands
}

/** A shell command line as its words: quotes removed, `$(…)` as one word, redirections (`> file`) left out. */
export function shellWords(line: string): string[] {
  const words = [...line.replaceAll(/\$\([^)]*\)/g, 'X').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!)
  return words.filter((word, i) => !['>', '<'].includes(word) && !['>', '<'].includes(words[i - 1] ?? ''))
}

/** Parses a command's arguments and flags as oclif does before running it: rejects what the command would refuse. */
export function parseCommandLine(command: CommandClass, argv: string[]): Promise<unknown> {
  const flags = {...command.baseFlags, ...command.flags, ...(command.enableJsonFlag ? {json: Flags.boolean()} : {})}
  return Parser.parse(argv, {args: command.args ?? {}, flags, strict: command.strict ?? true})
}
