import {Flags, Parser} from '@oclif/core'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

const commandsDir = join(import.meta.dirname, '../../../src/commands')

type CommandClass = {
  args?: Parser.ArgInput
  baseFlags?: Parser.FlagInput
  enableJsonFlag?: boolean
  examples?: Array<string | {command: string}>
  flags?: Parser.FlagInput
  strict?: boolean
}

/** A shell command line as its words: quotes removed, redirections (`> file`, `< file`) left out. */
function shellWords(line: string): string[] {
  const words: string[] = []
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!)
  const kept: string[] = []
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '>' || words[i] === '<') i++
    else kept.push(words[i]!)
  }

  return kept
}

describe('command help examples', () => {
  it("parse with their command's own flags and arguments", async () => {
    const files = readdirSync(commandsDir, {recursive: true, encoding: 'utf8'}).filter((file) => file.endsWith('.ts'))
    let parsed = 0
    for (const file of files) {
      const command = ((await import(join(commandsDir, file))) as {default: CommandClass}).default
      const id = file.replace(/\.ts$/, '').split('/')
      const flags = {...command.baseFlags, ...command.flags, ...(command.enableJsonFlag ? {json: Flags.boolean()} : {})}
      for (const example of command.examples ?? []) {
        const line = (typeof example === 'string' ? example : example.command).replace('<%= config.bin %>', 'awsinv').replace('<%= command.id %>', id.join(' '))
        const words = shellWords(line)
        expect(words.slice(0, id.length + 1), line).toEqual(['awsinv', ...id])
        await expect(Parser.parse(words.slice(id.length + 1), {args: command.args ?? {}, flags, strict: command.strict ?? true}), line).resolves.toBeDefined()
        parsed++
      }
    }

    expect(parsed).toBeGreaterThanOrEqual(55)
  })
})
