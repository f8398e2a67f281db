import {describe, expect, it} from 'vitest'

import {subnet} from '../../../../src/resources/ec2/subnet.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::Subnet', () => {
  const ctx = testContext({region: 'eu-west-1'})
  const item = {
    SubnetId: 'subnet-1',
    SubnetArn: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1',
    VpcId: 'vpc-1',
    CidrBlock: '10.0.1.0/24',
    AvailabilityZone: 'eu-west-1a',
    AvailableIpAddressCount: 250,
    OwnerId: '123456789012',
    Tags: [{Key: 'Name', Value: 'private-a'}, {Key: 'tier', Value: 'private'}],
  }

  it('builds the canonical resource from DescribeSubnets output', async () => {
    const resource = await subnet.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1',
      type: 'AWS::EC2::Subnet',
      id: 'subnet-1',
      name: 'private-a',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {Name: 'private-a', tier: 'private'},
      source: 'api',
    })
    expect(resource.configuration.CidrBlock).toBe('10.0.1.0/24')
  })

  it('keeps the ARN AWS gives (a shared subnet carries its owner account)', async () => {
    const shared = await subnet.toResource({...item, SubnetArn: 'arn:aws:ec2:eu-west-1:999999999999:subnet/subnet-1'}, ctx)
    expect(shared.arn).toBe('arn:aws:ec2:eu-west-1:999999999999:subnet/subnet-1')
  })

  it('constructs the ARN when the API gives none and falls back to the id for the name', async () => {
    const resource = await subnet.toResource({SubnetId: 'subnet-2', VpcId: 'vpc-1'}, ctx)
    expect(resource.arn).toBe('arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-2')
    expect(resource.name).toBe('subnet-2')
  })

  it('is in its VPC', async () => {
    const resource = await subnet.toResource(item, ctx)
    expect(subnet.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
    ])
  })
})

describe('AWS::EC2::Subnet deleter', () => {
  it('deletes the subnet by its id', async () => {
    const item = currentItems['AWS::EC2::Subnet']!.find((s) => (s as {SubnetId: string}).SubnetId === 'subnet-69a648a085f465748')
    expect(subnet.deleter!.steps(await collected(subnet.type, item))).toEqual([
      {action: 'delete-subnet', description: 'Delete subnet sbx-subnet (subnet-69a648a085f465748)', params: {subnetId: 'subnet-69a648a085f465748'}},
    ])
  })
})
