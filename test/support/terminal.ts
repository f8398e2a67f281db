import {afterEach, beforeEach} from 'vitest'

/** Gives the enclosing describe's tests a terminal `columns` wide (tables fit it), restored after each test. */
export function withTerminalWidth(columns: number): void {
  let before: number | undefined
  beforeEach(() => {
    before = process.stdout.columns
    process.stdout.columns = columns
  })
  afterEach(() => {
    process.stdout.columns = before as number
  })
}
