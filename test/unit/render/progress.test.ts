import {Writable} from 'node:stream'
import {afterEach, describe, expect, it} from 'vitest'

import type {PlannedCell} from '../../../src/collect/plan.js'
import {collectionProgress} from '../../../src/render/progress.js'

const HIDE_CURSOR = '\u001B[?25l'
const SHOW_CURSOR = '\u001B[?25h'
const WRAP_OFF = '\u001B[?7l'
const WRAP_ON = '\u001B[?7h'
const CLEAR_LINE = '\u001B[2K'

/** A terminal on stderr, as the bar sees one: it keeps what is written to it. */
function fakeTerminal(): NodeJS.WriteStream & {text: () => string} {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  }) as unknown as NodeJS.WriteStream & {text: () => string}
  Object.assign(stream, {isTTY: true, columns: 120, rows: 24, text: () => chunks.join('')})
  return stream
}

const cell = {region: 'us-east-1', spec: {type: 'AWS::EC2::VPC'}} as unknown as PlannedCell

/** The `exit` listeners `collectionProgress` added. */
function addedExitListeners(before: readonly unknown[]): Array<(code: number) => void> {
  return process.listeners('exit').filter((listener) => !before.includes(listener)) as Array<(code: number) => void>
}

describe('collectionProgress', () => {
  const stops: Array<() => void> = []
  afterEach(() => {
    for (const stop of stops.splice(0)) stop()
  })

  it('draws on the terminal with the cursor hidden and line wrapping off, and stop gives both back and clears the line', async () => {
    const terminal = fakeTerminal()
    const progress = await collectionProgress(terminal)
    stops.push(progress.stop)
    progress.onProgress({kind: 'start', cells: 2})
    progress.onProgress({kind: 'cell-start', cell})
    expect(terminal.text()).toContain(HIDE_CURSOR)
    expect(terminal.text()).toContain(WRAP_OFF)
    expect(terminal.text()).toContain('Collecting [')
    progress.stop()
    const after = terminal.text().slice(terminal.text().lastIndexOf(WRAP_OFF))
    expect(after).toContain(SHOW_CURSOR)
    expect(after).toContain(WRAP_ON)
    expect(after.endsWith(CLEAR_LINE)).toBe(true)
  })

  it('restores the terminal when the process exits while the bar is drawn (a second Ctrl-C exits at once)', async () => {
    const terminal = fakeTerminal()
    const before = process.listeners('exit')
    const progress = await collectionProgress(terminal)
    stops.push(progress.stop)
    const [onExit, ...others] = addedExitListeners(before)
    expect(onExit).toBeDefined()
    expect(others).toEqual([])
    progress.onProgress({kind: 'start', cells: 3})
    // What process.exit(130) runs, synchronously, before the process ends.
    onExit!(130)
    const after = terminal.text().slice(terminal.text().lastIndexOf(WRAP_OFF))
    expect(after).toContain(SHOW_CURSOR)
    expect(after).toContain(WRAP_ON)
    expect(after.endsWith(CLEAR_LINE)).toBe(true)
    expect(addedExitListeners(before)).toEqual([])
  })

  it('leaves no exit listener behind once stopped, and a second stop writes nothing', async () => {
    const terminal = fakeTerminal()
    const before = process.listeners('exit')
    const progress = await collectionProgress(terminal)
    progress.onProgress({kind: 'start', cells: 1})
    progress.stop()
    expect(addedExitListeners(before)).toEqual([])
    const written = terminal.text()
    progress.stop()
    expect(terminal.text()).toBe(written)
  })

  it('writes nothing when stopped before the collection started', async () => {
    const terminal = fakeTerminal()
    const progress = await collectionProgress(terminal)
    progress.stop()
    expect(terminal.text()).toBe('')
  })
})
