import type {Hook, Interfaces} from '@oclif/core'

import {editDistance, typoAllowance} from '../suggest.js'

/** What awsinv says about a command it does not have, given the words typed and the commands and topics it has. */
export interface UnknownCommand {
  /** The words that name no command, as typed (arguments after the unknown word left out). */
  typed: string
  /** The closest commands, most likely first (at most three). */
  suggestions: string[]
  /** When the typed words start with a topic: that topic and its commands. */
  topic?: {name: string; commands: string[]}
}

/**
 * Works out what the user meant by words that name no command: commands within two typos of them, word for
 * word (`snapshot craete`, `snapshots list`), or whose last word they typed alone (`scan` for `security scan`).
 */
export function explainUnknownCommand(words: readonly string[], commandIds: readonly string[], topicNames: readonly string[]): UnknownCommand {
  const commands = commandIds.map((id) => id.split(':'))
  const topics = new Set(topicNames)
  // The unknown word is the first that makes the typed prefix no topic; what follows it is an argument.
  let known = 0
  while (known < words.length - 1 && topics.has(words.slice(0, known + 1).join(':'))) known++
  const ranked = commands
    .map((parts) => ({parts, distance: commandDistance(words, parts)}))
    .filter((c): c is {parts: string[]; distance: number} => c.distance !== undefined)
    .sort((a, b) => a.distance - b.distance || a.parts.join(' ').localeCompare(b.parts.join(' ')))
  const suggestions = ranked.slice(0, 3).map((c) => c.parts.join(' '))
  const typedLength = Math.max(known + 1, ranked[0]?.parts.length ?? 0)
  const topicName = known > 0 ? words.slice(0, known).join(':') : undefined
  return {
    typed: words.slice(0, Math.min(typedLength, words.length)).join(' '),
    suggestions,
    ...(topicName && {
      topic: {
        name: topicName.replaceAll(':', ' '),
        commands: commands.filter((parts) => parts.length === known + 1 && parts.slice(0, known).join(':') === topicName).map((parts) => parts[known]!).sort(),
      },
    }),
  }
}

/** The typed words' distance from a command (sum of edits, word by word), or undefined when not close. */
function commandDistance(words: readonly string[], command: readonly string[]): number | undefined {
  if (words.length === 1 && command.length > 1 && command.at(-1) === words[0]) return 1
  if (words.length < command.length) return undefined
  let total = 0
  for (const [i, part] of command.entries()) {
    const distance = editDistance(words[i]!, part)
    if (distance > typoAllowance(part)) return undefined
    total += distance
  }

  return total <= 2 ? total : undefined
}

/** The one-line message for an unknown command. */
export function unknownCommandMessage({suggestions, topic, typed}: UnknownCommand): string {
  const quoted = (words: string) => `"awsinv ${words}"`
  if (typed.startsWith('-')) return `${typed} is a flag, and awsinv needs a command first: awsinv COMMAND [FLAGS]. Run "awsinv --help" to see the commands.`
  if (suggestions.length > 0) {
    const list = suggestions.map(quoted)
    const choices = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`
    return `Unknown command "${typed}". Did you mean ${choices}?`
  }

  if (topic) return `Unknown command "${typed}". The ${topic.name} commands are ${topic.commands.join(', ')}.`
  return `Unknown command "${typed}". Run "awsinv --help" to see the commands.`
}

/**
 * Words after a command that takes no arguments (`awsinv delta base`): oclif reads them as more of the
 * command's name. The message names them as arguments, and the flag they were probably meant for.
 */
export function unexpectedArgumentsMessage(command: string, words: readonly string[], flags: readonly string[]): string {
  const hint = ['snapshot', 'inventory'].find((flag) => flags.includes(flag))
  const meant = hint !== undefined && words.length === 1 ? ` Did you mean --${hint} ${words[0]}?` : ''
  return `Unexpected argument${words.length === 1 ? '' : 's'}: ${words.join(' ')}. "awsinv ${command}" takes no arguments.${meant} See more help with --help.`
}

/** The one-line message for the command id oclif found no command for, against the commands this CLI has. */
export function unknownCommandLine(config: Interfaces.Config, id: string): string {
  const visible = config.commands.filter((command) => !command.hidden)
  const commandIds = visible.flatMap((command) => [command.id, ...command.aliases])
  const words = id.split(':')
  for (let length = words.length - 1; length > 0; length--) {
    const command = visible.find((c) => c.id === words.slice(0, length).join(':') || c.aliases.includes(words.slice(0, length).join(':')))
    if (command) return unexpectedArgumentsMessage(words.slice(0, length).join(' '), words.slice(length), Object.keys(command.flags))
  }

  return unknownCommandMessage(explainUnknownCommand(words, commandIds, config.topics.map((topic) => topic.name)))
}

/**
 * oclif's "command x:y not found" as awsinv's one-line error, with the commands the user probably meant; exit
 * code 2, as for any usage error. With --json the error is the JSON document the other commands print.
 */
const hook: Hook.CommandNotFound = async function ({argv, config, id}) {
  const message = unknownCommandLine(config, id)
  if (argv?.includes('--json')) process.stdout.write(`${JSON.stringify({error: {oclif: {exit: 2}, message, name: 'Error'}}, null, 2)}\n`)
  else process.stderr.write(`Error: ${message}\n`)
  this.exit(2)
}

export default hook
