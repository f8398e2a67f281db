import {describe, expect, it} from 'vitest'

import {credentialNotes} from '../../../src/aws/session.js'

describe('credentialNotes', () => {
  const keys = {AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret'}

  it('says which profile wins over access keys in the environment, and where the profile came from', () => {
    expect(credentialNotes('sandbox', keys)).toEqual([
      'profile "sandbox" is in use; the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set in the environment are ignored.',
    ])
    expect(credentialNotes(undefined, {...keys, AWS_PROFILE: 'dev'})).toEqual([
      'profile "dev" (AWS_PROFILE) is in use; the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set in the environment are ignored.',
    ])
    expect(credentialNotes('sandbox', {...keys, AWS_PROFILE: 'dev'})[0]).toMatch(/^profile "sandbox" is in use/)
  })

  it('says nothing when only one source of credentials is set', () => {
    expect(credentialNotes(undefined, keys)).toEqual([])
    expect(credentialNotes('sandbox', {})).toEqual([])
    expect(credentialNotes(undefined, {AWS_PROFILE: 'dev'})).toEqual([])
    expect(credentialNotes('sandbox', {AWS_ACCESS_KEY_ID: 'AKIA'})).toEqual([])
  })
})
