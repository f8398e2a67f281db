import type {EC2, NetworkAcl} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, labelOf, stepOf, unknownStep} from './delete-steps.js'

export const networkAcl: ResourceSpec<NetworkAcl> = {
  type: 'AWS::EC2::NetworkAcl',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeNetworkAcls(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'NetworkAcls')
  },

  toResource(item, ctx) {
    const id = item.NetworkAclId ?? ''
    return ec2Resource(ctx, networkAcl.type, item, {id, tags: item.Tags})
  },

  relationships(resource) {
    const config = resource.configuration as NetworkAcl
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::Subnet', (config.Associations ?? []).map((a) => a.SubnetId), 'associated-with'),
    ])
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet'],
  sets: {
    Associations: 'NetworkAclAssociationId',
    // Rule numbers are unique per direction only: an ingress and an egress entry can share one.
    Entries: ['Egress', 'RuleNumber'],
    Tags: 'Key',
  },

  /**
   * A subnet always has exactly one network ACL, so an association cannot be removed, only moved: each
   * subnet of the ACL is moved back to its VPC's default network ACL (where every new subnet starts),
   * then the ACL is deleted. Going first (`associated-with`), this works whether the subnets go too or
   * stay. The default ACL's id is not in the collected ACL: the step names the VPC, and its default ACL —
   * one per VPC, fixed for the VPC's life — is looked up when the step runs.
   */
  deleter: {
    steps(resource) {
      const config = resource.configuration as NetworkAcl
      // A default ACL is never planned (it goes with its VPC); its associations could not move anyway.
      const associations = config.IsDefault === true ? [] : (config.Associations ?? [])
      const moves = associations
        .filter((a) => a.NetworkAclAssociationId && a.SubnetId)
        .map((a) =>
          stepOf(
            'replace-network-acl-association',
            `Move subnet ${a.SubnetId} from network ACL ${labelOf(resource)} to the default network ACL of ${config.VpcId} (replacing ${a.NetworkAclAssociationId})`,
            {networkAclId: resource.id, associationId: a.NetworkAclAssociationId ?? '', subnetId: a.SubnetId ?? '', vpcId: config.VpcId ?? ''},
          ),
        )
      return [...moves, stepOf('delete-network-acl', `Delete network ACL ${labelOf(resource)}`, {networkAclId: resource.id})]
    },

    async current(ctx, item) {
      return currentOf(networkAcl, ctx, await describeAcl(await ec2Of(ctx), item.id))
    },

    async run(ctx, item, step) {
      const aclId = stringParam(step, 'networkAclId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      switch (step.action) {
        case 'replace-network-acl-association': {
          const associationId = stringParam(step, 'associationId')
          const subnetId = stringParam(step, 'subnetId')
          const vpcId = stringParam(step, 'vpcId')
          // The association is replaced only while it is still this ACL's (its subnet may be gone, or moved).
          const current = (await describeAcl(ec2, aclId, log))?.Associations?.find((a) => a.NetworkAclAssociationId === associationId)
          if (current === undefined) return {status: 'gone', detail: `${subnetId} is no longer associated with ${aclId} (${associationId})`, requestIds: log.requestIds}
          const defaults = log.note(await ec2.describeNetworkAcls({Filters: [{Name: 'vpc-id', Values: [vpcId]}, {Name: 'default', Values: ['true']}]}))
          const defaultAcl = defaults.NetworkAcls?.[0]?.NetworkAclId
          if (defaultAcl === undefined) throw new Error(`${vpcId} has no default network ACL to move ${subnetId} to`)
          const out = log.note(await ec2.replaceNetworkAclAssociation({AssociationId: associationId, NetworkAclId: defaultAcl}))
          return doneWith(log, `${subnetId} now uses ${defaultAcl} (association ${out.NewAssociationId ?? 'unknown'})`)
        }

        case 'delete-network-acl': {
          log.note(await ec2.deleteNetworkAcl({NetworkAclId: aclId}))
          return doneWith(log)
        }

        default: {
          throw unknownStep(networkAcl.type, step)
        }
      }
    },
  },
}

async function describeAcl(ec2: EC2, id: string, log = new CallLog()): Promise<NetworkAcl | undefined> {
  const out = await unlessDeleted(() => ec2.describeNetworkAcls({NetworkAclIds: [id]}))
  return out === undefined ? undefined : log.note(out).NetworkAcls?.find((a) => a.NetworkAclId === id)
}
