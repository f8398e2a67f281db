import type {IpPermission, RevokeSecurityGroupEgressCommandOutput, RevokeSecurityGroupIngressCommandOutput, SecurityGroup} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {JsonValue} from '../../cleanup/types.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, hasCode, labelOf, stepOf, unknownStep, waitForLambdaInterfaces} from './delete-steps.js'

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

  deleter: {
    // Deleting a group deletes its rules; AWS refuses while an interface uses it or another group's rules
    // name it (those go first, or release their rules: releaseSteps). While only a deleted Lambda
    // function's interfaces use it, which AWS removes on its own, the delete step waits for them.
    steps: (resource) => [stepOf('delete-security-group', `Delete security group ${labelOf(resource)}`, {groupId: resource.id})],

    releaseSteps(resource, target) {
      const config = resource.configuration as SecurityGroup
      const ingress = permissionsNaming(config.IpPermissions, target.id)
      const egress = permissionsNaming(config.IpPermissionsEgress, target.id)
      const count = ingress.length + egress.length
      if (count === 0) return []
      return [
        stepOf('revoke-security-group-rules', `Revoke the ${count} rule${count === 1 ? '' : 's'} of ${labelOf(resource)} that reference ${labelOf(target)}`, {
          groupId: resource.id,
          referencedGroupId: target.id,
          ingress,
          egress,
        }),
      ]
    },

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeSecurityGroups({GroupIds: [item.id]}))
      return currentOf(securityGroup, ctx, out?.SecurityGroups?.find((g) => g.GroupId === item.id))
    },

    async run(ctx, item, step) {
      const groupId = stringParam(step, 'groupId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      switch (step.action) {
        case 'revoke-security-group-rules': {
          const ingress = (step.params.ingress ?? []) as IpPermission[]
          const egress = (step.params.egress ?? []) as IpPermission[]
          let revoked = 0
          // One call per permission: a permission already revoked then says so alone, without failing the others.
          for (const permission of ingress) if (await revoke(() => ec2.revokeSecurityGroupIngress({GroupId: groupId, IpPermissions: [permission]}), log)) revoked++
          for (const permission of egress) if (await revoke(() => ec2.revokeSecurityGroupEgress({GroupId: groupId, IpPermissions: [permission]}), log)) revoked++
          const total = ingress.length + egress.length
          if (revoked === 0) return {status: 'gone', detail: `none of the ${total} rules exists any more`, requestIds: log.requestIds}
          return doneWith(log, `revoked ${revoked} of ${total} rules`)
        }

        case 'delete-security-group': {
          const lambdaLeft = await waitForLambdaInterfaces(ec2, 'group-id', groupId, log)
          if (lambdaLeft !== undefined) return lambdaLeft
          log.note(await ec2.deleteSecurityGroup({GroupId: groupId}))
          return doneWith(log)
        }

        default: {
          throw unknownStep(securityGroup.type, step)
        }
      }
    },

    // Lambda's hyperplane interfaces can take up to ~40 minutes to be released after their function is deleted.
    waitTimeoutMs: 45 * 60_000,
  },
}

/**
 * The parts of these permissions that grant access to or from group `target`, as Revoke… takes them:
 * protocol and ports, with only the pairs naming the target (the rule's other sources stay).
 */
function permissionsNaming(permissions: readonly IpPermission[] | undefined, target: string): Array<Record<string, JsonValue>> {
  const naming: Array<Record<string, JsonValue>> = []
  for (const p of permissions ?? []) {
    const pairs = (p.UserIdGroupPairs ?? []).filter((pair) => pair.GroupId === target)
    if (pairs.length === 0) continue
    const permission: Record<string, JsonValue> = {IpProtocol: p.IpProtocol ?? '-1'}
    if (p.FromPort !== undefined) permission.FromPort = p.FromPort
    if (p.ToPort !== undefined) permission.ToPort = p.ToPort
    // The pair as described, without its read-only fields; the description does not select the rule for AWS.
    permission.UserIdGroupPairs = pairs.map((pair) => {
      const kept: Record<string, JsonValue> = {GroupId: target}
      if (pair.UserId) kept.UserId = pair.UserId
      if (pair.VpcPeeringConnectionId) kept.VpcPeeringConnectionId = pair.VpcPeeringConnectionId
      if (pair.Description) kept.Description = pair.Description
      return kept
    })
    naming.push(permission)
  }

  return naming
}

/** Runs one revoke call: whether it removed something (false when the permission no longer exists). */
async function revoke(call: () => Promise<RevokeSecurityGroupIngressCommandOutput | RevokeSecurityGroupEgressCommandOutput>, log: CallLog): Promise<boolean> {
  try {
    const out = log.note(await call())
    // Current AWS answers success and lists the permissions it did not find.
    return (out.UnknownIpPermissions ?? []).length === 0
  } catch (error) {
    if (hasCode(error, 'InvalidPermission.NotFound')) return false
    throw error
  }
}
