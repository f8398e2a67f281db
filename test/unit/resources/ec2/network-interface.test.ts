import {describe, expect, it} from 'vitest'

import {networkInterface} from '../../../../src/resources/ec2/network-interface.js'
import {testContext} from '../../../support/context.js'

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
