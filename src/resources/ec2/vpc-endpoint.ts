import type {EC2, VpcEndpoint} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, ec2Of, failureOf, finished, labelOf, markRequested, stepOf, unknownStep, waiting, wasRequested} from './delete-steps.js'

export const vpcEndpoint: ResourceSpec<VpcEndpoint> = {
  type: 'AWS::EC2::VPCEndpoint',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const pages = paginateItems((r) => ec2.describeVpcEndpoints(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'VpcEndpoints')
    for await (const page of pages) {
      // The API answers lower-case states (`deleted`) although the SDK enum is capitalized.
      const live = page.filter((e) => e.State?.toLowerCase() !== 'deleted')
      if (live.length > 0) yield live
    }
  },

  toResource(item, ctx) {
    const id = item.VpcEndpointId ?? ''
    return ec2Resource(ctx, vpcEndpoint.type, item, {id, tags: item.Tags, createdAt: item.CreationTimestamp})
  },

  // Interface endpoints' ENIs are requester-managed and go with the endpoint: no edge to them.
  relationships(resource) {
    const config = resource.configuration as VpcEndpoint
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::Subnet', config.SubnetIds ?? [], 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', (config.Groups ?? []).map((g) => g.GroupId), 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::RouteTable', config.RouteTableIds ?? [], 'uses'),
    ])
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::EC2::RouteTable'],
  // AWS keeps these lists in no meaningful order: a route table associated again may come back anywhere.
  sets: {
    RouteTableIds: '.',
    SubnetIds: '.',
    Groups: 'GroupId',
    NetworkInterfaceIds: '.',
    DnsEntries: 'DnsName',
    'DnsOptions.PrivateDnsSpecifiedDomains': '.',
    Ipv4Prefixes: 'SubnetId',
    'Ipv4Prefixes.*.IpPrefixes': '.',
    Ipv6Prefixes: 'SubnetId',
    'Ipv6Prefixes.*.IpPrefixes': '.',
    Tags: 'Key',
  },

  // A gateway endpoint's routes and an interface endpoint's network interfaces go with it.
  deleter: {
    steps: (resource) => [stepOf('delete-vpc-endpoint', `Delete VPC endpoint ${labelOf(resource)}`, {vpcEndpointId: resource.id})],

    // Its requester-managed interfaces are `in` its subnets: folded into the endpoint, they do not keep them.
    includes: (resource) => ((resource.configuration as VpcEndpoint).NetworkInterfaceIds ?? []).map((id) => ({type: 'AWS::EC2::NetworkInterface', id})),

    async current(ctx, item) {
      const found = await describeEndpoint(await ec2Of(ctx), item.id)
      return isDeleted(found) ? undefined : currentOf(vpcEndpoint, ctx, found)
    },

    async run(ctx, item, step) {
      if (step.action !== 'delete-vpc-endpoint') throw unknownStep(vpcEndpoint.type, step)
      const id = stringParam(step, 'vpcEndpointId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      const found = await describeEndpoint(ec2, id, log)
      if (isDeleted(found)) return finished(step, `${id} is deleted`, log)
      const state = found?.State?.toLowerCase()
      if (state === 'deleting' || wasRequested(step)) return waiting(`${id} is ${state ?? 'deleting'}`, log)
      const out = log.note(await ec2.deleteVpcEndpoints({VpcEndpointIds: [id]}))
      const failure = failureOf(out, id)
      if (failure) throw failure
      markRequested(step)
      return waiting(`${id} is deleting`, log)
    },

    waitTimeoutMs: 600_000,
  },
}

async function describeEndpoint(ec2: EC2, id: string, log = new CallLog()): Promise<VpcEndpoint | undefined> {
  const out = await unlessDeleted(() => ec2.describeVpcEndpoints({VpcEndpointIds: [id]}))
  return out === undefined ? undefined : log.note(out).VpcEndpoints?.find((e) => e.VpcEndpointId === id)
}

/** Gone, or listed as `deleted` (the API answers lower-case states although the SDK enum is capitalized). */
function isDeleted(endpoint: VpcEndpoint | undefined): boolean {
  return endpoint === undefined || endpoint.State?.toLowerCase() === 'deleted'
}
