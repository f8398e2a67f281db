import {describe, expect, it} from 'vitest'

import {keyPair} from '../../../../src/resources/ec2/key-pair.js'
import {testContext} from '../../../support/context.js'

describe('AWS::EC2::KeyPair', () => {
  const ctx = testContext()
  const item = {
    KeyPairId: 'key-0abc',
    KeyName: 'deploy',
    KeyType: 'ed25519' as const,
    KeyFingerprint: 'ab:cd',
    CreateTime: new Date('2023-06-01T00:00:00Z'),
    Tags: [{Key: 'owner', Value: 'ops'}],
  }

  it('builds the canonical resource: id from KeyPairId, ARN and name from KeyName', async () => {
    const resource = await keyPair.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:key-pair/deploy',
      type: 'AWS::EC2::KeyPair',
      id: 'key-0abc',
      name: 'deploy',
      createdAt: '2023-06-01T00:00:00.000Z',
      tags: {owner: 'ops'},
      source: 'api',
    })
  })

  it('falls back to the name for the id', async () => {
    const resource = await keyPair.toResource({KeyName: 'legacy'}, ctx)
    expect(resource.id).toBe('legacy')
    expect(resource.createdAt).toBeNull()
  })

  it('lists in one unpaginated call without asking for public key material', async () => {
    const requests: unknown[] = []
    const ec2 = {
      describeKeyPairs: async (request: unknown) => {
        requests.push(request)
        return {KeyPairs: [item]}
      },
    }
    const pages = []
    for await (const page of keyPair.list(testContext({clients: {get: async () => ec2} as never}))) pages.push(page)
    expect(pages).toEqual([[item]])
    expect(requests).toEqual([{}])
  })
})
