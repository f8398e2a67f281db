import {describe, expect, it} from 'vitest'

import {eip} from '../../../../src/resources/ec2/eip.js'
import {testContext} from '../../../support/context.js'

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
