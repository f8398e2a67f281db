import {describe, expect, it} from 'vitest'

import {loadCommands, parseCommandLine, shellWords} from '../../support/command-lines.js'

describe('command help examples', () => {
  it("parse with their command's own flags and arguments", async () => {
    let parsed = 0
    for (const [id, command] of await loadCommands()) {
      for (const example of command.examples ?? []) {
        const line = (typeof example === 'string' ? example : example.command).replace('<%= config.bin %>', 'awsinv').replace('<%= command.id %>', id)
        const words = shellWords(line)
        const idWords = id.split(' ')
        expect(words.slice(0, idWords.length + 1), line).toEqual(['awsinv', ...idWords])
        await expect(parseCommandLine(command, words.slice(idWords.length + 1)), line).resolves.toBeDefined()
        parsed++
      }
    }

    expect(parsed).toBeGreaterThanOrEqual(55)
  })
})
