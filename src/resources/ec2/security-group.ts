import type {IpPermission, SecurityGroup} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'

export const securityGroup: ResourceSpec<SecurityGroup> = {
  type: 'AWS::EC2::SecurityGroup',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeSecurityGroups(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'SecurityGroups')
  },

  toResource(item, ctx) {
    const id = item.GroupId ?? ''
    return ec2Resource(ctx, securityGroup.type, item, {id, tags: item.Tags, arn: item.SecurityGroupArn, name: item.GroupName})
  },

  relationships(resource) {
    const config = resource.configuration as SecurityGroup
    const rules: IpPermission[] = [...(config.IpPermissions ?? []), ...(config.IpPermissionsEgress ?? [])]
    const referenced: Relationship[] = []
    for (const rule of rules) {
      for (const pair of rule.UserIdGroupPairs ?? []) {
        if (pair.GroupId === resource.id) continue
        // A group referenced across a peering connection may belong to another account.
        referenced.push(...ec2Edges(resource, securityGroup.type, [pair.GroupId], 'uses', pair.UserId))
      }
    }

    return uniqueRelationships([...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'), ...referenced])
  },

  // A group whose rules reference another group must lose those rules (or go) before that group can be
  // deleted: the self edge is the one cycle allowed, broken by revoking rules.
  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::SecurityGroup'],
  sets: {
    IpPermissions: ['IpProtocol', 'FromPort', 'ToPort'],
    'IpPermissions.*.IpRanges': 'CidrIp',
    'IpPermissions.*.Ipv6Ranges': 'CidrIpv6',
    'IpPermissions.*.PrefixListIds': 'PrefixListId',
    'IpPermissions.*.UserIdGroupPairs': 'GroupId',
    IpPermissionsEgress: ['IpProtocol', 'FromPort', 'ToPort'],
    'IpPermissionsEgress.*.IpRanges': 'CidrIp',
    'IpPermissionsEgress.*.Ipv6Ranges': 'CidrIpv6',
    'IpPermissionsEgress.*.PrefixListIds': 'PrefixListId',
    'IpPermissionsEgress.*.UserIdGroupPairs': 'GroupId',
    Tags: 'Key',
  },
}
