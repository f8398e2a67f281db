import {DeleteKeyPairCommand, DescribeKeyPairsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {keyPair} from '../../../../src/resources/ec2/key-pair.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {collected} from '../../../support/scan.js'

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

describe('AWS::EC2::KeyPair deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const sandboxKey = () => collected(keyPair.type, currentItems['AWS::EC2::KeyPair']![0])

  it('deletes the key pair by its id, not its name', async () => {
    expect(keyPair.deleter!.steps(await sandboxKey())).toEqual([{action: 'delete-key-pair', description: 'Delete key pair sbx-key (key-08c7330398f9f3cd9)', params: {keyPairId: 'key-08c7330398f9f3cd9'}}])
  })

  it('sends one delete by id when AWS confirms the id it deleted', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({KeyPairs: [currentItems['AWS::EC2::KeyPair']![0] as never]})
    ec2.on(DeleteKeyPairCommand).resolves({Return: true, KeyPairId: 'key-08c7330398f9f3cd9'})
    const item = planItemOf(await sandboxKey())
    expect(await keyPair.deleter!.run(testDeleteContext(), item, item.steps[0]!)).toMatchObject({status: 'done'})
    expect(ec2.commandCalls(DeleteKeyPairCommand).map((c) => c.args[0].input)).toEqual([{KeyPairId: 'key-08c7330398f9f3cd9'}])
    expect(ec2.commandCalls(DescribeKeyPairsCommand).map((c) => c.args[0].input)).toEqual([{Filters: [{Name: 'key-pair-id', Values: ['key-08c7330398f9f3cd9']}]}])
  })
})
