import type {EC2, NatGateway} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, ec2Of, finished, labelOf, markRequested, stepOf, unknownStep, waiting, wasRequested} from './delete-steps.js'

export const natGateway: ResourceSpec<NatGateway> = {
  type: 'AWS::EC2::NatGateway',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const pages = paginateItems((r) => ec2.describeNatGateways(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'NatGateways')
    for await (const page of pages) {
      // Deleted NAT gateways stay visible for about an hour but no longer exist.
      const live = page.filter((n) => n.State !== 'deleted')
      if (live.length > 0) yield live
    }
  },

  toResource(item, ctx) {
    const id = item.NatGatewayId ?? ''
    return ec2Resource(ctx, natGateway.type, item, {id, tags: item.Tags, createdAt: item.CreateTime})
  },

  // The gateway's own ENI is requester-managed and goes with it: no edge to it.
  relationships(resource) {
    const config = resource.configuration as NatGateway
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::Subnet', [config.SubnetId], 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::EIP', (config.NatGatewayAddresses ?? []).map((a) => a.AllocationId), 'uses'),
    ])
  },

  dependsOn: ['AWS::EC2::Subnet', 'AWS::EC2::EIP'],
  // Every address has a private IP; public ones also an allocation id.
  sets: {NatGatewayAddresses: 'PrivateIp', Tags: 'Key'},

  // Deleting the gateway deletes its network interfaces and frees its Elastic IPs: the gateway uses those,
  // so they are released, as items of their own, after it.
  deleter: {
    steps: (resource) => [stepOf('delete-nat-gateway', `Delete NAT gateway ${labelOf(resource)}`, {natGatewayId: resource.id})],

    includes: (resource) =>
      ((resource.configuration as NatGateway).NatGatewayAddresses ?? [])
        .map((a) => a.NetworkInterfaceId)
        .filter((id): id is string => id !== undefined && id !== '')
        .map((id) => ({type: 'AWS::EC2::NetworkInterface', id})),

    async current(ctx, item) {
      const found = await describeNatGateway(await ec2Of(ctx), item.id)
      return found?.State === 'deleted' ? undefined : currentOf(natGateway, ctx, found)
    },

    async run(ctx, item, step) {
      if (step.action !== 'delete-nat-gateway') throw unknownStep(natGateway.type, step)
      const id = stringParam(step, 'natGatewayId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      const state = (await describeNatGateway(ec2, id, log))?.State
      if (state === undefined || state === 'deleted') return finished(step, `${id} is deleted`, log)
      if (state === 'deleting' || wasRequested(step)) return waiting(`${id} is ${state}`, log)
      log.note(await ec2.deleteNatGateway({NatGatewayId: id}))
      markRequested(step)
      return waiting(`${id} is deleting`, log)
    },

    // Usually a minute or two.
    waitTimeoutMs: 600_000,
  },
}

/** The gateway with this id; AWS answers NatGatewayNotFound for an unknown one, some endpoints an empty list. */
async function describeNatGateway(ec2: EC2, id: string, log = new CallLog()): Promise<NatGateway | undefined> {
  const out = await unlessDeleted(() => ec2.describeNatGateways({NatGatewayIds: [id]}))
  return out === undefined ? undefined : log.note(out).NatGateways?.find((n) => n.NatGatewayId === id)
}
