import {describe, expect, it} from 'vitest'

import {UnprocessedKeysError, chunk, fetchBatchWithRetry} from '../../../../src/collect/config/batch.js'

const fast = {attempts: 3, baseDelayMs: 1, maxDelayMs: 2}

async function drain<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const page of pages) out.push(page)
  return out
}

describe('chunk', () => {
  it('splits into groups of at most the size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([], 100)).toEqual([])
    expect(chunk(Array.from({length: 250}, (_, i) => i), 100).map((c) => c.length)).toEqual([100, 100, 50])
  })

  it('refuses a size that would never advance', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError)
  })
})

describe('fetchBatchWithRetry', () => {
  it('asks again for the unprocessed keys only, until none is left', async () => {
    const asked: string[][] = []
    const answers = [
      {items: ['a', 'b'], unprocessed: ['c', 'd']},
      {items: ['c'], unprocessed: ['d']},
      {items: ['d'], unprocessed: []},
    ]
    const pages = await drain(
      fetchBatchWithRetry(['a', 'b', 'c', 'd'], async (keys) => {
        asked.push(keys)
        return answers.shift()!
      }, fast, new AbortController().signal),
    )
    expect(asked).toEqual([['a', 'b', 'c', 'd'], ['c', 'd'], ['d']])
    expect(pages).toEqual([['a', 'b'], ['c'], ['d']])
  })

  it('gives up with UnprocessedKeysError when the attempts run out', async () => {
    let calls = 0
    const run = drain(
      fetchBatchWithRetry(['a', 'b'], async (keys) => {
        calls++
        return {items: [], unprocessed: keys.slice(0, 1)}
      }, fast, new AbortController().signal),
    )
    await expect(run).rejects.toThrow(UnprocessedKeysError)
    await expect(run).rejects.toMatchObject({name: 'UnprocessedResourceKeys', unprocessed: 1, attempts: 3})
    expect(calls).toBe(3)
  })

  it('stops waiting between attempts when the signal aborts', async () => {
    const controller = new AbortController()
    const run = drain(
      fetchBatchWithRetry(['a'], async (keys) => {
        setTimeout(() => controller.abort(), 5)
        return {items: [], unprocessed: keys}
      }, {attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000}, controller.signal),
    )
    await expect(run).rejects.toBeDefined()
    expect(controller.signal.aborted).toBe(true)
  })
})
