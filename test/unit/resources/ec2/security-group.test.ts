import {describe, expect, it} from 'vitest'

import {securityGroup} from '../../../../src/resources/ec2/security-group.js'
import {testContext} from '../../../support/context.js'

describe('AWS::EC2::SecurityGroup', () => {
  const ctx = testContext()
  const item = {
    GroupId: 'sg-db',
    GroupName: 'db',
    Description: 'database',
    VpcId: 'vpc-1',
    OwnerId: '123456789012',
    IpPermissions: [
      {IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{UserId: '123456789012', GroupId: 'sg-web'}]},
      // A rule that references the group itself is not an edge.
      {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{UserId: '123456789012', GroupId: 'sg-db'}]},
      {IpProtocol: 'tcp', FromPort: 6432, ToPort: 6432, UserIdGroupPairs: [{UserId: '123456789012', GroupId: 'sg-web'}]},
      {IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{UserId: '222222222222', GroupId: 'sg-peer', VpcPeeringConnectionId: 'pcx-1'}]},
    ],
    IpPermissionsEgress: [
      {IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]},
      {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: 'sg-proxy'}]},
    ],
    Tags: [{Key: 'team', Value: 'data'}],
  }

  it('builds the canonical resource, named after the group without a Name tag', async () => {
    const resource = await securityGroup.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-db',
      type: 'AWS::EC2::SecurityGroup',
      id: 'sg-db',
      name: 'db',
      createdAt: null,
      tags: {team: 'data'},
      source: 'api',
    })
  })

  it('prefers the Name tag', async () => {
    const resource = await securityGroup.toResource({...item, Tags: [{Key: 'Name', Value: 'Database'}]}, ctx)
    expect(resource.name).toBe('Database')
  })

  it('is in its VPC and references the other groups its rules name, once each', async () => {
    const resource = await securityGroup.toResource(item, ctx)
    expect(securityGroup.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-web', id: 'sg-web', kind: 'uses'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:222222222222:security-group/sg-peer', id: 'sg-peer', kind: 'uses'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-proxy', id: 'sg-proxy', kind: 'uses'},
    ])
  })
})
