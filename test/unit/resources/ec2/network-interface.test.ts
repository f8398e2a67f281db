import {DescribeNetworkInterfacesCommand, DetachNetworkInterfaceCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {networkInterface} from '../../../../src/resources/ec2/network-interface.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {attachedInterfaceItem, primaryInterfaceItem} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::NetworkInterface', () => {
  const ctx = testContext()
  const item = {
    NetworkInterfaceId: 'eni-1',
    SubnetId: 'subnet-1',
    VpcId: 'vpc-1',
    InterfaceType: 'interface' as const,
    Status: 'in-use' as const,
    Groups: [{GroupId: 'sg-1', GroupName: 'web'}, {GroupId: 'sg-2', GroupName: 'ssh'}],
    Attachment: {AttachmentId: 'eni-attach-1', InstanceId: 'i-1', DeviceIndex: 0, AttachTime: new Date('2024-03-01T10:00:00Z')},
    PrivateIpAddress: '10.0.1.10',
    TagSet: [{Key: 'Name', Value: 'app-eni'}],
  }

  it('builds the canonical resource with tags from TagSet and ISO dates', async () => {
    const resource = await networkInterface.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1',
      type: 'AWS::EC2::NetworkInterface',
      id: 'eni-1',
      name: 'app-eni',
      createdAt: null,
      tags: {Name: 'app-eni'},
      source: 'api',
    })
    expect(resource.configuration.Attachment).toMatchObject({AttachTime: '2024-03-01T10:00:00.000Z'})
  })

  it('compares its groups, addresses and associated subnets without order', async () => {
    const before = await networkInterface.toResource({...item, AssociatedSubnets: ['subnet-1', 'subnet-2']}, ctx)
    const after = await networkInterface.toResource({...item, Groups: [...item.Groups].reverse(), AssociatedSubnets: ['subnet-2', 'subnet-1']}, ctx)
    expect(diffResource(before, after, networkInterface)).toEqual([])
  })

  it('is in its subnet and VPC and uses its groups, with no edge to the attached instance', async () => {
    const resource = await networkInterface.toResource(item, ctx)
    expect(networkInterface.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'in'},
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1', id: 'sg-1', kind: 'uses'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-2', id: 'sg-2', kind: 'uses'},
    ])
    expect(networkInterface.dependsOn).not.toContain('AWS::EC2::Instance')
  })
})

describe('AWS::EC2::NetworkInterface deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const deleter = networkInterface.deleter!

  it('detaches an interface attached as a secondary one (by its attachment id), then deletes it', async () => {
    expect(deleter.steps(await collected(networkInterface.type, attachedInterfaceItem))).toEqual([
      {
        action: 'detach-network-interface',
        description: 'Detach network interface eni-4e268c9ad09a5d9a7 from i-1e7798123a0775a62 (eni-attach-11ba1cb91d7d0c876)',
        params: {networkInterfaceId: 'eni-4e268c9ad09a5d9a7', attachmentId: 'eni-attach-11ba1cb91d7d0c876'},
      },
      {action: 'delete-network-interface', description: 'Delete network interface eni-4e268c9ad09a5d9a7', params: {networkInterfaceId: 'eni-4e268c9ad09a5d9a7'}},
    ])
  })

  it('never detaches a primary interface (it goes with its instance, or is detached by the termination); a loose one is just deleted', async () => {
    expect(deleter.steps(await collected(networkInterface.type, primaryInterfaceItem)).map((s) => s.action)).toEqual(['delete-network-interface'])
    const loose = currentItems['AWS::EC2::NetworkInterface']![1]
    expect(deleter.steps(await collected(networkInterface.type, loose))).toEqual([
      {action: 'delete-network-interface', description: 'Delete network interface sbx-eni (eni-31bd44267c9bef3c4)', params: {networkInterfaceId: 'eni-31bd44267c9bef3c4'}},
    ])
  })

  it('waits while the planned attachment is detaching, without detaching again', async () => {
    const detaching = {...attachedInterfaceItem, Attachment: {...attachedInterfaceItem.Attachment, Status: 'detaching'}}
    ec2.on(DescribeNetworkInterfacesCommand).resolvesOnce({NetworkInterfaces: [detaching as never]}).resolves({NetworkInterfaces: [{...attachedInterfaceItem, Attachment: undefined, Status: 'available'} as never]})
    const item = planItemOf(await collected(networkInterface.type, attachedInterfaceItem))
    const detach = item.steps[0]!
    expect(await deleter.run(testDeleteContext(), item, detach)).toMatchObject({status: 'wait', detail: 'eni-4e268c9ad09a5d9a7 is detaching'})
    // Detached by someone else (the instance's termination): that attachment is over.
    expect(await deleter.run(testDeleteContext(), item, detach)).toMatchObject({status: 'gone', detail: 'eni-attach-11ba1cb91d7d0c876 is over'})
    expect(ec2.commandCalls(DetachNetworkInterfaceCommand)).toHaveLength(0)
  })
})
