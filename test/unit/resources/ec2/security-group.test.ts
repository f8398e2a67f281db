import {DeleteSecurityGroupCommand, DescribeNetworkInterfacesCommand, EC2Client, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {securityGroup} from '../../../../src/resources/ec2/security-group.js'
import {testContext} from '../../../support/context.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {lambdaGroupItem, lambdaInterfaceItems, ordinaryInterfaceItem, referencingGroupItems} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

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

describe('AWS::EC2::SecurityGroup deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const deleter = securityGroup.deleter!
  const groups = () => Promise.all(referencingGroupItems.map((g) => collected(securityGroup.type, g)))

  it('deletes the group by its id', async () => {
    const [a] = await groups()
    expect(deleter.steps(a!)).toEqual([{action: 'delete-security-group', description: 'Delete security group a (sg-ed35663bd9da7ee14)', params: {groupId: 'sg-ed35663bd9da7ee14'}}])
  })

  it('releases a reference by revoking exactly the grants that name the target, inbound and outbound', async () => {
    const [a, b] = await groups()
    // a admits b and 10.0.0.0/8 in the same rule: only b's grant is revoked.
    expect(deleter.releaseSteps!(a!, b!)).toEqual([
      {
        action: 'revoke-security-group-rules',
        description: 'Revoke the 1 rule of a (sg-ed35663bd9da7ee14) that reference b (sg-5d82bf86caae5df9e)',
        params: {
          groupId: 'sg-ed35663bd9da7ee14',
          referencedGroupId: 'sg-5d82bf86caae5df9e',
          ingress: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: 'sg-5d82bf86caae5df9e', UserId: '123456789012', Description: 'from b'}]}],
          egress: [],
        },
      },
    ])
    expect(deleter.releaseSteps!(b!, a!)[0]?.params).toEqual({
      groupId: 'sg-5d82bf86caae5df9e',
      referencedGroupId: 'sg-ed35663bd9da7ee14',
      ingress: [{IpProtocol: '-1', UserIdGroupPairs: [{GroupId: 'sg-ed35663bd9da7ee14', UserId: '123456789012'}]}],
      egress: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: 'sg-ed35663bd9da7ee14', UserId: '123456789012'}]}],
    })
  })

  it('has nothing to release towards a group its rules do not name', async () => {
    const [a] = await groups()
    const other = await collected(securityGroup.type, {...referencingGroupItems[0], GroupId: 'sg-0other', SecurityGroupArn: undefined})
    expect(deleter.releaseSteps!(a!, other)).toEqual([])
  })

  it('revokes permission by permission; one AWS no longer knows does not fail the others', async () => {
    const [a, b] = await groups()
    const revoke = deleter.releaseSteps!(b!, a!)[0]!
    // Current AWS answers success and lists what it did not find; older answers InvalidPermission.NotFound.
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({Return: true, UnknownIpPermissions: [{IpProtocol: '-1'}], $metadata: {requestId: 'in'}})
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({Return: true, $metadata: {requestId: 'out'}})
    expect(await deleter.run(testDeleteContext(), planItemOf(b!), revoke)).toEqual({status: 'done', detail: 'revoked 1 of 2 rules', requestIds: ['in', 'out']})
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(Object.assign(new Error('The specified rule does not exist in this security group.'), {name: 'InvalidPermission.NotFound', $metadata: {httpStatusCode: 400}}))
    expect(await deleter.run(testDeleteContext(), planItemOf(b!), revoke)).toEqual({status: 'gone', detail: 'none of the 2 rules exists any more', requestIds: ['in']})
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0]?.args[0].input).toEqual({GroupId: 'sg-5d82bf86caae5df9e', IpPermissions: [(revoke.params.egress as unknown[])[0]]})
  })

  describe('while a deleted Lambda function’s interfaces use the group', () => {
    const run = async () => {
      const group = planItemOf(await collected(securityGroup.type, lambdaGroupItem))
      return deleter.run(testDeleteContext(), group, group.steps[0]!)
    }

    it('waits while only Lambda’s interfaces use it, naming them, without calling DeleteSecurityGroup', async () => {
      ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: lambdaInterfaceItems, $metadata: {requestId: 'r-eni'}})
      expect(await run()).toEqual({
        status: 'wait',
        detail: 'waiting for AWS Lambda to remove 2 network interfaces it created (eni-0a90066f7213e6286, eni-c328c2c6a160e2360)',
        retryAfterMs: 15_000,
        requestIds: ['r-eni'],
      })
      expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]?.args[0].input).toEqual({Filters: [{Name: 'group-id', Values: ['sg-8ebb428653027e7e2']}], MaxResults: 1000})
      expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0)
    })

    it('deletes when another interface uses it too, or none does', async () => {
      ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [lambdaInterfaceItems[0]!, ordinaryInterfaceItem], $metadata: {requestId: 'r-eni'}})
      ec2.on(DeleteSecurityGroupCommand).resolves({Return: true, GroupId: 'sg-8ebb428653027e7e2', $metadata: {requestId: 'r-del'}})
      expect(await run()).toEqual({status: 'done', requestIds: ['r-eni', 'r-del']})
      ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [], $metadata: {requestId: 'r-none'}})
      expect(await run()).toEqual({status: 'done', requestIds: ['r-none', 'r-del']})
      expect(ec2.commandCalls(DeleteSecurityGroupCommand).map((c) => c.args[0].input)).toEqual([{GroupId: 'sg-8ebb428653027e7e2'}, {GroupId: 'sg-8ebb428653027e7e2'}])
    })

    it('gives AWS 45 minutes to remove them', () => {
      expect(deleter.waitTimeoutMs).toBe(45 * 60_000)
    })
  })
})
