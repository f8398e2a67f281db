import {describe, expect, it} from 'vitest'

import {type DeleteProgress, deleteUntilGone, numberParam, optionalBooleanParam, requestIdsOf, stringListParam, stringParam} from '../../../src/cleanup/deleting.js'
import type {DeleteStep} from '../../../src/cleanup/types.js'

/** An asynchronous delete whose target answers the given states in turn, counting the requests sent. */
function fakeDelete(states: DeleteProgress[]) {
  const answers = [...states]
  let requests = 0
  return {
    deletion: {
      what: 'thing t-1',
      retryAfterMs: 1000,
      read: async () => answers.shift() ?? 'gone',
      async request() {
        requests++
        return [`req-${requests}`]
      },
    },
    requests: () => requests,
  }
}

const step = (): DeleteStep => ({action: 'delete-thing', description: 'Delete t-1', params: {id: 't-1', ids: ['a', 'b'], days: 7, skip: true}})

describe('deleteUntilGone', () => {
  it('sends the request once, waits while the target is being deleted, and reports it deleted once it is gone', async () => {
    const fake = fakeDelete(['present', 'deleting', 'deleting', 'gone'])
    const s = step()
    expect(await deleteUntilGone(s, fake.deletion)).toEqual({status: 'wait', detail: 'thing t-1 is being deleted', retryAfterMs: 1000, requestIds: ['req-1']})
    expect(await deleteUntilGone(s, fake.deletion)).toEqual({status: 'wait', detail: 'thing t-1 is being deleted', retryAfterMs: 1000})
    expect(await deleteUntilGone(s, fake.deletion)).toEqual({status: 'done', detail: 'thing t-1 deleted'})
    expect(fake.requests()).toBe(1)
    // Run again later: the target is gone, and this step no longer claims it.
    expect(await deleteUntilGone(s, fake.deletion)).toEqual({status: 'gone', detail: 'thing t-1 no longer exists'})
  })

  it('answers done at once when the target is gone right after the request', async () => {
    const fake = fakeDelete(['present', 'gone'])
    expect(await deleteUntilGone(step(), fake.deletion)).toEqual({status: 'done', detail: 'thing t-1 deleted', requestIds: ['req-1']})
  })

  it('reports a target gone before the step, or deleted by someone else, as gone, without a request', async () => {
    expect(await deleteUntilGone(step(), fakeDelete(['gone']).deletion)).toEqual({status: 'gone', detail: 'thing t-1 no longer exists'})
    const elsewhere = fakeDelete(['deleting', 'gone'])
    const s = step()
    expect(await deleteUntilGone(s, elsewhere.deletion)).toMatchObject({status: 'wait'})
    expect(await deleteUntilGone(s, elsewhere.deletion)).toMatchObject({status: 'gone'})
    expect(elsewhere.requests()).toBe(0)
  })
})

describe('step parameters', () => {
  it('reads what the plan carries and refuses a step without it', () => {
    expect([stringParam(step(), 'id'), stringListParam(step(), 'ids'), numberParam(step(), 'days'), optionalBooleanParam(step(), 'skip')]).toEqual(['t-1', ['a', 'b'], 7, true])
    expect(optionalBooleanParam(step(), 'other')).toBeUndefined()
    expect(() => stringParam(step(), 'days')).toThrow('step delete-thing has no days parameter')
    expect(() => stringListParam(step(), 'id')).toThrow('step delete-thing has no id list parameter')
    expect(() => numberParam(step(), 'id')).toThrow('step delete-thing has no id parameter')
  })

  it('collects the request ids of call outputs', () => {
    expect(requestIdsOf({$metadata: {requestId: 'a'}}, undefined, {$metadata: {}}, {$metadata: {requestId: 'b'}})).toEqual(['a', 'b'])
  })
})
