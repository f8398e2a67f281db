import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCommands, parseCommandLine, shellWords} from '../../support/command-lines.js'

const root = join(import.meta.dirname, '../../..')

/**
 * The `awsinv …` command lines of the code blocks of README.md and docs/: what follows two spaces (a comment
 * or a description column) is left out, and so are usage synopses (`$ awsinv …`, `[--snapshot NAME]`).
 */
function documentedCommandLines(): Array<{where: string; line: string}> {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  const lines: Array<{where: string; line: string}> = []
  for (const file of files) {
    let inBlock = false
    for (const [i, text] of readFileSync(join(root, file), 'utf8').split('\n').entries()) {
      if (text.startsWith('```')) inBlock = !inBlock
      else if (inBlock && text.startsWith('awsinv ')) {
        const line = text.split(/ {2,}/)[0]!.trim()
        if (!line.includes('[')) lines.push({where: `${file}:${i + 1}`, line})
      }
    }
  }

  return lines
}

describe('command lines in README.md and docs/', () => {
  it("name a command and parse with that command's flags and arguments", async () => {
    const commands = await loadCommands()
    const documented = documentedCommandLines()
    for (const {where, line} of documented) {
      const words = shellWords(line).slice(1)
      const id = [2, 1].map((n) => words.slice(0, n).join(' ')).find((candidate) => commands.has(candidate))
      expect(id, `${where}: ${line}`).toBeDefined()
      const argv = words.slice(id!.split(' ').length)
      await expect(parseCommandLine(commands.get(id!)!, argv), `${where}: ${line}`).resolves.toBeDefined()
    }

    expect(documented.length).toBeGreaterThanOrEqual(120)
  })
})
