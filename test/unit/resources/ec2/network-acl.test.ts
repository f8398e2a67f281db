import {describe, expect, it} from 'vitest'

import {networkAcl} from '../../../../src/resources/ec2/network-acl.js'
import {testContext} from '../../../support/context.js'

describe('AWS::EC2::NetworkAcl', () => {
  const ctx = testContext()
  const item = {
    NetworkAclId: 'acl-1',
    VpcId: 'vpc-1',
    IsDefault: false,
    OwnerId: '123456789012',
    Associations: [
      {NetworkAclAssociationId: 'aclassoc-1', NetworkAclId: 'acl-1', SubnetId: 'subnet-1'},
      {NetworkAclAssociationId: 'aclassoc-2', NetworkAclId: 'acl-1', SubnetId: 'subnet-2'},
    ],
    Entries: [
      {RuleNumber: 100, Protocol: '-1', RuleAction: 'allow' as const, Egress: false, CidrBlock: '0.0.0.0/0'},
      {RuleNumber: 100, Protocol: '-1', RuleAction: 'allow' as const, Egress: true, CidrBlock: '0.0.0.0/0'},
    ],
    Tags: [{Key: 'Name', Value: 'private'}],
  }

  it('builds the canonical resource from DescribeNetworkAcls output', async () => {
    const resource = await networkAcl.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:network-acl/acl-1',
      type: 'AWS::EC2::NetworkAcl',
      id: 'acl-1',
      name: 'private',
      createdAt: null,
      tags: {Name: 'private'},
      source: 'api',
    })
  })

  it('is in its VPC and associated with its subnets', async () => {
    const resource = await networkAcl.toResource(item, ctx)
    expect(networkAcl.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'associated-with'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-2', id: 'subnet-2', kind: 'associated-with'},
    ])
  })
})
