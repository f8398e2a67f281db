import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

const commandsDir = join(import.meta.dirname, '../../../src/commands')

describe('command arguments', () => {
  it('never take a missing argument from stdin, which oclif would otherwise read into it', async () => {
    const files = readdirSync(commandsDir, {recursive: true, encoding: 'utf8'}).filter((file) => file.endsWith('.ts'))
    const args: Array<[string, boolean | undefined]> = []
    for (const file of files) {
      const command = (await import(join(commandsDir, file))) as {default: {args?: Record<string, {ignoreStdin?: boolean}>}}
      for (const [name, arg] of Object.entries(command.default.args ?? {})) args.push([`${file} ${name}`, arg.ignoreStdin])
    }

    expect(args.length).toBeGreaterThanOrEqual(16)
    expect(args.filter(([, ignored]) => ignored !== true).map(([name]) => name)).toEqual([])
  })
})
