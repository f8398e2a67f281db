import {describe, expect, it} from 'vitest'

import {collectPages, paginate, paginateItems} from '../../../src/aws/paginate.js'

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
