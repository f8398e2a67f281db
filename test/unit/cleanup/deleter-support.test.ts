import {describe, expect, it} from 'vitest'

import {doneAfter, readCurrent, runStepCall, stringParam} from '../../../src/cleanup/deleter-support.js'
import type {DeleteStep} from '../../../src/cleanup/types.js'
import {awsError} from '../../support/aws-error.js'

const step: DeleteStep = {action: 'delete-user', description: 'Delete user alice', params: {userName: 'alice', count: 2}}

describe('stringParam', () => {
  it('reads a string parameter and refuses a missing or mistyped one', () => {
    expect(stringParam(step, 'userName')).toBe('alice')
    expect(() => stringParam(step, 'groupName')).toThrow('step delete-user: parameter groupName is missing')
    expect(() => stringParam(step, 'count')).toThrow('step delete-user: parameter count is missing')
  })
})

describe('runStepCall', () => {
  it('runs the call the action names and answers done with its request id', async () => {
    const calls: string[] = []
    const outcome = await runStepCall(step, {
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
    await expect(runStepCall({...step, action: 'toString'}, {'delete-user': async () => ({$metadata: {}})})).rejects.toThrow('unknown step toString: expected one of delete-user')
  })

  it('lets a not-found error through, for the step runner to count as gone', async () => {
    await expect(runStepCall(step, {'delete-user': () => Promise.reject(awsError('NoSuchEntity', 404))})).rejects.toMatchObject({name: 'NoSuchEntity'})
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
