import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {explainUnknownCommand, unexpectedArgumentsMessage, unknownCommandMessage} from '../../../src/hooks/command-not-found.js'

const root = join(import.meta.dirname, '../../..')
// awsinv's own commands and topics, as oclif finds them: a command per file under src/commands.
const commandIds = readdirSync(join(root, 'src/commands'), {recursive: true, encoding: 'utf8'})
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, '').split('/').join(':'))
const topics = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {oclif: {topics: Record<string, unknown>}}).oclif.topics)
const explain = (typed: string) => explainUnknownCommand(typed.split(' '), commandIds, topics)
const message = (typed: string) => unknownCommandMessage(explain(typed))

describe('an unknown command', () => {
  it('suggests the command within a typo or two, word for word, leaving the arguments after it out', () => {
    expect(message('snapshot craete baseline')).toBe('Unknown command "snapshot craete". Did you mean "awsinv snapshot create"?')
    expect(message('snapshots list')).toBe('Unknown command "snapshots list". Did you mean "awsinv snapshot list"?')
    expect(message('cleanup purg')).toBe('Unknown command "cleanup purg". Did you mean "awsinv cleanup purge"?')
    expect(message('inventroy lst')).toBe('Unknown command "inventroy lst". Did you mean "awsinv inventory list"?')
    expect(message('detla')).toBe('Unknown command "detla". Did you mean "awsinv delta"?')
  })

  it('suggests the commands a lone word ends, most alike first', () => {
    expect(message('scan')).toBe('Unknown command "scan". Did you mean "awsinv security scan"?')
    expect(explain('list').suggestions).toEqual(['inventory list', 'snapshot list'])
    expect(message('purge')).toBe('Unknown command "purge". Did you mean "awsinv cleanup purge"?')
  })

  it("lists a topic's commands when the word after the topic is nothing like any of them", () => {
    expect(message('snapshot frobnicate now')).toBe('Unknown command "snapshot frobnicate". The snapshot commands are create, delete, list, rename, report, set-active, show.')
    expect(explain('query frobnicate').topic).toEqual({name: 'query', commands: ['diff', 'history', 'resources', 'sql', 'stats']})
  })

  it('says a flag given where the command belongs is not a command', () => {
    expect(message('--bogus')).toBe('--bogus is a flag, and awsinv needs a command first: awsinv COMMAND [FLAGS]. Run "awsinv --help" to see the commands.')
  })

  it('points at --help when nothing is close', () => {
    expect(message('frobnicate')).toBe('Unknown command "frobnicate". Run "awsinv --help" to see the commands.')
    expect(message('xyz')).toBe('Unknown command "xyz". Run "awsinv --help" to see the commands.')
    // Short words are not stretched into a suggestion: one edit is the most a word of up to five letters takes.
    expect(explain('cat').suggestions).toEqual([])
    expect(explain('snapshot xx').suggestions).toEqual([])
  })
})

describe('words after a command that takes no arguments', () => {
  it('are named as arguments, with the flag they were probably meant for', () => {
    expect(unexpectedArgumentsMessage('delta', ['base'], ['snapshot', 'inventory', 'json'])).toBe(
      'Unexpected argument: base. "awsinv delta" takes no arguments. Did you mean --snapshot base? See more help with --help.',
    )
    expect(unexpectedArgumentsMessage('cost', ['base', 'extra'], ['snapshot'])).toBe('Unexpected arguments: base extra. "awsinv cost" takes no arguments. See more help with --help.')
    expect(unexpectedArgumentsMessage('snapshot list', ['team'], ['inventory'])).toBe(
      'Unexpected argument: team. "awsinv snapshot list" takes no arguments. Did you mean --inventory team? See more help with --help.',
    )
  })
})
