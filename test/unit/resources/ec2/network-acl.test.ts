import {describe, expect, it} from 'vitest'

import {networkAcl} from '../../../../src/resources/ec2/network-acl.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {associatedAclItem} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

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

describe('AWS::EC2::NetworkAcl deleter', () => {
  it('moves each associated subnet to its VPC’s default ACL, then deletes the ACL', async () => {
    expect(networkAcl.deleter!.steps(await collected(networkAcl.type, associatedAclItem))).toEqual([
      {
        action: 'replace-network-acl-association',
        description:
          'Move subnet subnet-99197222fe1c30f10 from network ACL acl-9aa434201e97159a9 to the default network ACL of vpc-6aff1d9c83c5e810a (replacing aclassoc-da94526a88ef72e4e)',
        params: {networkAclId: 'acl-9aa434201e97159a9', associationId: 'aclassoc-da94526a88ef72e4e', subnetId: 'subnet-99197222fe1c30f10', vpcId: 'vpc-6aff1d9c83c5e810a'},
      },
      {action: 'delete-network-acl', description: 'Delete network ACL acl-9aa434201e97159a9', params: {networkAclId: 'acl-9aa434201e97159a9'}},
    ])
  })

  it('only deletes an ACL no subnet uses; never moves a default ACL’s subnets', async () => {
    const [defaultAcl, , unused] = currentItems['AWS::EC2::NetworkAcl']!
    expect(networkAcl.deleter!.steps(await collected(networkAcl.type, unused)).map((s) => s.action)).toEqual(['delete-network-acl'])
    expect(networkAcl.deleter!.steps(await collected(networkAcl.type, defaultAcl)).map((s) => s.action)).toEqual(['delete-network-acl'])
  })
})
