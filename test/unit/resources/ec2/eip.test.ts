import {describe, expect, it} from 'vitest'

import {eip} from '../../../../src/resources/ec2/eip.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::EIP', () => {
  const ctx = testContext()
  const item = {
    AllocationId: 'eipalloc-1',
    AssociationId: 'eipassoc-1',
    Domain: 'vpc' as const,
    InstanceId: 'i-1',
    NetworkInterfaceId: 'eni-1',
    NetworkInterfaceOwnerId: '123456789012',
    PrivateIpAddress: '10.0.1.10',
    PublicIp: '203.0.113.10',
    Tags: [{Key: 'Name', Value: 'bastion-ip'}],
  }

  it('builds the canonical resource from DescribeAddresses output', async () => {
    const resource = await eip.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-1',
      type: 'AWS::EC2::EIP',
      id: 'eipalloc-1',
      name: 'bastion-ip',
      createdAt: null,
      tags: {Name: 'bastion-ip'},
      source: 'api',
    })
  })

  it('is named after its public IP without a Name tag, and identified by it without an allocation id', async () => {
    const resource = await eip.toResource({PublicIp: '198.51.100.1', Domain: 'standard'}, ctx)
    expect(resource).toMatchObject({id: '198.51.100.1', name: '198.51.100.1', arn: 'arn:aws:ec2:us-east-1:123456789012:elastic-ip/198.51.100.1'})
  })

  it('is associated with its instance and ENI', async () => {
    const resource = await eip.toResource(item, ctx)
    expect(eip.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::Instance', arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1', id: 'i-1', kind: 'associated-with'},
      {type: 'AWS::EC2::NetworkInterface', arn: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1', id: 'eni-1', kind: 'associated-with'},
    ])
  })

  it('has no edges when unassociated (empty ids are ignored)', async () => {
    const resource = await eip.toResource({AllocationId: 'eipalloc-2', InstanceId: '', PublicIp: '203.0.113.11'}, ctx)
    expect(eip.relationships?.(resource)).toEqual([])
  })

  it('lists in one unpaginated call', async () => {
    const ec2 = {describeAddresses: async () => ({Addresses: [item]})}
    const pages = []
    for await (const page of eip.list(testContext({clients: {get: async () => ec2} as never}))) pages.push(page)
    expect(pages).toEqual([[item]])
  })
})

describe('AWS::EC2::EIP deleter', () => {
  const [onInstance, onNat] = currentItems['AWS::EC2::EIP']! as Array<Record<string, unknown>>

  it('disassociates the address by its association id, then releases it by its allocation id', async () => {
    expect(eip.deleter!.steps(await collected(eip.type, onInstance))).toEqual([
      {action: 'disassociate-address', description: 'Disassociate Elastic IP 127.215.75.189 from i-766e2671bc588d6ff (eni-cae5c8f9d79a80aba)', params: {associationId: 'eipassoc-300d06d3474284854'}},
      {action: 'release-address', description: 'Release Elastic IP 127.215.75.189 (eipalloc-40ea8c4d74bcc6f8f)', params: {allocationId: 'eipalloc-40ea8c4d74bcc6f8f'}},
    ])
    // A NAT gateway's address is on the gateway's interface (no instance).
    expect(eip.deleter!.steps(await collected(eip.type, onNat))[0]?.description).toBe('Disassociate Elastic IP 127.167.186.41 from eni-d684a13bfaf811401')
  })

  it('only releases an address that is not associated', async () => {
    const {AssociationId: _a, InstanceId: _i, NetworkInterfaceId: _n, NetworkInterfaceOwnerId: _o, PrivateIpAddress: _p, ...loose} = onInstance!
    expect(eip.deleter!.steps(await collected(eip.type, loose)).map((s) => s.action)).toEqual(['release-address'])
  })

  it('releases a Local Zone address in its network border group, an EC2-Classic one by its public IP', async () => {
    const local = await collected(eip.type, {...onNat, NetworkBorderGroup: 'us-east-1-bos-1'})
    expect(eip.deleter!.steps(local)[1]?.params).toEqual({allocationId: 'eipalloc-1737e734faecbc6e9', networkBorderGroup: 'us-east-1-bos-1'})
    const regional = await collected(eip.type, {...onNat, NetworkBorderGroup: 'us-east-1'})
    expect(eip.deleter!.steps(regional)[1]?.params).toEqual({allocationId: 'eipalloc-1737e734faecbc6e9'})
    const classic = await collected(eip.type, {PublicIp: '198.51.100.7', Domain: 'standard'})
    expect(eip.deleter!.steps(classic)).toEqual([{action: 'release-address', description: 'Release Elastic IP 198.51.100.7', params: {publicIp: '198.51.100.7'}}])
  })
})
