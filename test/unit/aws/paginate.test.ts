import {describe, expect, it} from 'vitest'

import {collectPages, describeInBatches, paginate, paginateItems} from '../../../src/aws/paginate.js'

interface Request {
  Filter?: string
  NextToken?: unknown
}

interface Response {
  Items?: string[]
  NextToken?: unknown
}

/** A fake API call serving `pages` in turn and recording each request. */
function fakeCall(pages: Response[]) {
  const requests: Request[] = []
  const call = async (request: Request): Promise<Response> => {
    requests.push(request)
    const page = pages[requests.length - 1]
    if (!page) throw new Error(`unexpected call #${requests.length}`)
    return page
  }

  return {call, requests}
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

describe('paginate', () => {
  it('follows tokens until none comes back, keeping the rest of the request', async () => {
    const pages = [
      {Items: ['a'], NextToken: 't1'},
      {Items: ['b'], NextToken: 't2'},
      {Items: ['c']},
    ]
    const {call, requests} = fakeCall(pages)
    expect(await all(paginate(call, {Filter: 'f'}, 'NextToken', 'NextToken'))).toEqual(pages)
    expect(requests).toEqual([{Filter: 'f'}, {Filter: 'f', NextToken: 't1'}, {Filter: 'f', NextToken: 't2'}])
  })

  it('uses different request and response token fields', async () => {
    const requests: Array<Record<string, unknown>> = []
    const call = async (request: Record<string, unknown>) => {
      requests.push(request)
      return requests.length === 1 ? {Marker: 'm1', IsTruncated: true} : {IsTruncated: false}
    }

    expect(await all(paginate(call, {}, 'Marker', 'Marker'))).toHaveLength(2)
    const s3 = async (request: Record<string, unknown>) => {
      requests.push(request)
      return request.ContinuationToken ? {} : {NextContinuationToken: 'c1'}
    }

    requests.length = 0
    await all(paginate(s3, {Bucket: 'b'}, 'ContinuationToken', 'NextContinuationToken'))
    expect(requests).toEqual([{Bucket: 'b'}, {Bucket: 'b', ContinuationToken: 'c1'}])
  })

  it.each([
    ['absent', {}],
    ['empty', {NextToken: ''}],
    ['null', {NextToken: null}],
  ])('stops on an %s token', async (_label, last) => {
    const {call, requests} = fakeCall([{Items: ['a'], NextToken: 't1'}, {Items: ['b'], ...last}, {Items: ['never']}])
    const pages = await all(paginate(call, {}, 'NextToken', 'NextToken'))
    expect(pages.map((p) => p.Items)).toEqual([['a'], ['b']])
    expect(requests).toHaveLength(2)
  })

  it('stops when a token comes back again instead of looping forever', async () => {
    const {call, requests} = fakeCall([
      {Items: ['a'], NextToken: 't1'},
      {Items: ['b'], NextToken: 't2'},
      {Items: ['c'], NextToken: 't1'},
      {Items: ['never'], NextToken: 't3'},
    ])
    const pages = await all(paginate(call, {}, 'NextToken', 'NextToken'))
    expect(pages.map((p) => p.Items)).toEqual([['a'], ['b'], ['c']])
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, 't1', 't2'])
  })

  it('stops when a page returns its own token', async () => {
    const {call, requests} = fakeCall([{Items: ['a'], NextToken: 'same'}, {Items: ['b'], NextToken: 'same'}, {Items: ['never']}])
    expect(await all(paginate(call, {}, 'NextToken', 'NextToken'))).toHaveLength(2)
    expect(requests).toHaveLength(2)
  })

  it('makes a single call when the first page has no token', async () => {
    const {call, requests} = fakeCall([{Items: []}])
    expect(await all(paginate(call, {}, 'NextToken', 'NextToken'))).toEqual([{Items: []}])
    expect(requests).toEqual([{}])
  })

  it('passes errors on', async () => {
    const {call} = fakeCall([{Items: ['a'], NextToken: 't1'}])
    const seen: Response[] = []
    await expect(async () => {
      for await (const page of paginate(call, {}, 'NextToken', 'NextToken')) seen.push(page)
    }).rejects.toThrow('unexpected call #2')
    expect(seen).toHaveLength(1)
  })

  it('is lazy: a consumer that stops early makes no further calls', async () => {
    const {call, requests} = fakeCall([{Items: ['a'], NextToken: 't1'}, {Items: ['b'], NextToken: 't2'}])
    for await (const page of paginate(call, {}, 'NextToken', 'NextToken')) {
      expect(page.Items).toEqual(['a'])
      break
    }

    expect(requests).toHaveLength(1)
  })
})

describe('paginateItems', () => {
  it('yields the items of each page and skips pages without the key', async () => {
    const {call} = fakeCall([{Items: ['a', 'b'], NextToken: 't1'}, {NextToken: 't2'}, {Items: [], NextToken: 't3'}, {Items: ['c']}])
    expect(await all(paginateItems(call, {}, 'NextToken', 'NextToken', 'Items'))).toEqual([['a', 'b'], [], ['c']])
  })
})

describe('collectPages', () => {
  it('flattens every page', async () => {
    const {call} = fakeCall([{Items: ['a', 'b'], NextToken: 't1'}, {Items: ['c']}])
    expect(await collectPages(paginateItems(call, {}, 'NextToken', 'NextToken', 'Items'))).toEqual(['a', 'b', 'c'])
  })
})

describe('describeInBatches', () => {
  /** A describe function that records how many calls are in flight at once and settles on the next macrotask. */
  function tracked<R>(answer: (item: number) => R | undefined | Promise<never>) {
    let inFlight = 0
    const batches: number[][] = []
    let current: number[] = []
    const stats = {maxInFlight: 0, batches, calls: [] as number[]}
    const describe = async (item: number): Promise<R | undefined> => {
      stats.calls.push(item)
      if (inFlight === 0) {
        current = []
        batches.push(current)
      }

      current.push(item)
      inFlight++
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight)
      try {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return await answer(item)
      } finally {
        inFlight--
      }
    }

    return {describe, stats}
  }

  const items = [1, 2, 3, 4, 5, 6, 7]

  it('describes at most `size` items at a time, in order, one batch per yield', async () => {
    const {describe: fn, stats} = tracked((n) => n * 10)
    const pages = await all(describeInBatches(items, 3, new AbortController().signal, fn))
    expect(pages).toEqual([[10, 20, 30], [40, 50, 60], [70]])
    expect(stats.maxInFlight).toBe(3)
    expect(stats.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]])
  })

  it('keeps the order of each batch, whatever order the descriptions settle in', async () => {
    const fn = async (n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 10 - n))
      return n
    }

    expect(await all(describeInBatches(items, 4, new AbortController().signal, fn))).toEqual([[1, 2, 3, 4], [5, 6, 7]])
  })

  it('drops undefined results (vanished items) and yields no empty batch', async () => {
    // 1-3: only 2 survives; 4-6: none; 7: survives. Falsy results other than undefined are kept.
    const answers = new Map<number, number | string | undefined>([
      [1, undefined],
      [2, 0],
      [3, undefined],
      [7, ''],
    ])
    const {describe: fn} = tracked((n) => answers.get(n))
    expect(await all(describeInBatches(items, 3, new AbortController().signal, fn))).toEqual([[0], ['']])
  })

  it('yields nothing and describes nothing for no items', async () => {
    const {describe: fn, stats} = tracked((n) => n)
    expect(await all(describeInBatches([], 3, new AbortController().signal, fn))).toEqual([])
    expect(stats.calls).toEqual([])
  })

  it('is lazy: the next batch starts only when the consumer asks for it', async () => {
    const {describe: fn, stats} = tracked((n) => n)
    for await (const page of describeInBatches(items, 2, new AbortController().signal, fn)) {
      expect(page).toEqual([1, 2])
      break
    }

    expect(stats.calls).toEqual([1, 2])
  })

  it('checks the signal before each batch and throws its reason once aborted', async () => {
    const controller = new AbortController()
    const {describe: fn, stats} = tracked((n) => n)
    const seen: number[][] = []
    await expect(async () => {
      for await (const page of describeInBatches(items, 3, controller.signal, fn)) {
        seen.push(page)
        controller.abort(new Error('stop'))
      }
    }).rejects.toThrow('stop')
    expect(seen).toEqual([[1, 2, 3]])
    expect(stats.calls).toEqual([1, 2, 3])
  })

  it('throws before describing anything when already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const {describe: fn, stats} = tracked((n) => n)
    await expect(all(describeInBatches(items, 3, controller.signal, fn))).rejects.toMatchObject({name: 'AbortError'})
    expect(stats.calls).toEqual([])
  })

  it('passes on an error from a description and describes no further batch', async () => {
    const {describe: fn, stats} = tracked((n) => (n === 5 ? Promise.reject(new Error('denied')) : n))
    const seen: number[][] = []
    await expect(async () => {
      for await (const page of describeInBatches(items, 3, new AbortController().signal, fn)) seen.push(page)
    }).rejects.toThrow('denied')
    expect(seen).toEqual([[1, 2, 3]])
    expect(stats.calls).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('rejects a batch size that would never advance', async () => {
    const {describe: fn} = tracked((n) => n)
    for (const size of [0, -1, 1.5, Number.NaN]) {
      await expect(all(describeInBatches(items, size, new AbortController().signal, fn))).rejects.toThrow(RangeError)
    }
  })

  it('composes with collectPages into one array', async () => {
    const {describe: fn} = tracked((n) => (n % 2 === 0 ? undefined : n))
    expect(await collectPages(describeInBatches(items, 2, new AbortController().signal, fn))).toEqual([1, 3, 5, 7])
  })
})
