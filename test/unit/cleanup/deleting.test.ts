import {describe, expect, it} from 'vitest'

import {
  type DeleteProgress,
  currentStateFrom,
  currentStateOf,
  deleteUntilGone,
  doneAfter,
  numberParam,
  optionalBooleanParam,
  readCurrent,
  requestIdsOf,
  runStepCall,
  stringListParam,
  stringParam,
  uniqueIdOf,
} from '../../../src/cleanup/deleting.js'
import type {DeleteStep} from '../../../src/cleanup/types.js'
import type {Resource} from '../../../src/resources/types.js'
import {awsError} from '../../support/aws-error.js'

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

const userStep: DeleteStep = {action: 'delete-user', description: 'Delete user alice', params: {userName: 'alice', count: 2}}

describe('stringParam', () => {
  it('reads a string parameter and refuses a missing or mistyped one', () => {
    expect(stringParam(userStep, 'userName')).toBe('alice')
    expect(() => stringParam(userStep, 'groupName')).toThrow('step delete-user has no groupName parameter')
    expect(() => stringParam(userStep, 'count')).toThrow('step delete-user has no count parameter')
  })
})

describe('runStepCall', () => {
  it('runs the call the action names and answers done with its request id', async () => {
    const calls: string[] = []
    const outcome = await runStepCall(userStep, {
      'delete-user': async () => {
        calls.push('delete-user')
        return {$metadata: {requestId: 'req-1'}}
      },
      'delete-login-profile': async () => {
        calls.push('delete-login-profile')
        return {$metadata: {}}
      },
    })
    expect(outcome).toEqual({status: 'done', requestIds: ['req-1']})
    expect(calls).toEqual(['delete-user'])
  })

  it('refuses an action the type does not know', async () => {
    await expect(runStepCall({...userStep, action: 'toString'}, {'delete-user': async () => ({$metadata: {}})})).rejects.toThrow('unknown step toString: expected one of delete-user')
  })

  it('lets a not-found error through, for the step runner to count as gone', async () => {
    await expect(runStepCall(userStep, {'delete-user': () => Promise.reject(awsError('NoSuchEntity', 404))})).rejects.toMatchObject({name: 'NoSuchEntity'})
  })
})

describe('doneAfter', () => {
  it('keeps the request ids there are', () => {
    expect(doneAfter({$metadata: {requestId: 'a'}}, {$metadata: {}}, {$metadata: {requestId: 'b'}})).toEqual({status: 'done', requestIds: ['a', 'b']})
    expect(doneAfter({$metadata: {}})).toEqual({status: 'done'})
  })
})

describe('readCurrent', () => {
  it('gives the state read, undefined when the resource is gone, null tags when they may not be read', async () => {
    expect(await readCurrent(async () => ({tags: {env: 'dev'}}))).toEqual({tags: {env: 'dev'}})
    expect(await readCurrent(() => Promise.reject(awsError('NoSuchEntity', 404)))).toBeUndefined()
    expect(await readCurrent(() => Promise.reject(awsError('AccessDenied', 403)))).toEqual({tags: null})
  })

  it('lets any other error through', async () => {
    await expect(readCurrent(() => Promise.reject(awsError('Throttling', 400)))).rejects.toMatchObject({name: 'Throttling'})
  })
})

describe('unique ids in the state read', () => {
  const role = {uniqueId: 'RoleId'}
  it('reads the spec’s unique id field of a configuration, when it is a non-empty string', () => {
    expect(uniqueIdOf(role, {RoleId: 'AROARZPUZDIKMOLXFZ2QZ'})).toBe('AROARZPUZDIKMOLXFZ2QZ')
    expect(uniqueIdOf(role, {RoleId: ''})).toBeUndefined()
    expect(uniqueIdOf(role, {RoleName: 'app'})).toBeUndefined()
    expect(uniqueIdOf({}, {RoleId: 'AROARZPUZDIKMOLXFZ2QZ'})).toBeUndefined()
    expect(uniqueIdOf(undefined, {RoleId: 'AROARZPUZDIKMOLXFZ2QZ'})).toBeUndefined()
  })

  it('adds it to the state of a resource read again, and to tags read with it', () => {
    const resource: Resource = {
      arn: 'arn:aws:iam::123456789012:role/app',
      type: 'AWS::IAM::Role',
      id: 'app',
      name: 'app',
      region: 'global',
      accountId: '123456789012',
      createdAt: null,
      tags: {env: 'dev'},
      configuration: {RoleId: 'AROARZPUZDIKMOLXFZ2QZ'},
      source: 'api',
      relationships: [],
    }
    const read = {tags: {env: 'dev'}, name: 'app', configuration: {RoleId: 'AROARZPUZDIKMOLXFZ2QZ'}}
    expect(currentStateOf(resource, role)).toEqual({...read, uniqueId: 'AROARZPUZDIKMOLXFZ2QZ'})
    expect(currentStateOf(resource)).toEqual(read)
    expect(currentStateFrom([{Key: 'env', Value: 'dev'}], 'AIDARZPUZDIKM2P4IO2C')).toEqual({tags: {env: 'dev'}, uniqueId: 'AIDARZPUZDIKM2P4IO2C'})
    expect(currentStateFrom(undefined, undefined)).toEqual({tags: {}})
  })
})
