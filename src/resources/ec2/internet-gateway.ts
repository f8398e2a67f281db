import type {Address, Instance, InternetGateway, NatGateway, NetworkInterface} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceLookup, ResourceLink} from '../../cleanup/types.js'
import type {Resource, ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, hasCode, labelOf, stepOf, unknownStep} from './delete-steps.js'

export const internetGateway: ResourceSpec<InternetGateway> = {
  type: 'AWS::EC2::InternetGateway',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeInternetGateways(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'InternetGateways')
  },

  toResource(item, ctx) {
    const id = item.InternetGatewayId ?? ''
    return ec2Resource(ctx, internetGateway.type, item, {id, tags: item.Tags})
  },

  relationships(resource) {
    const config = resource.configuration as InternetGateway
    return ec2Edges(resource, 'AWS::EC2::VPC', (config.Attachments ?? []).map((a) => a.VpcId), 'attached-to')
  },

  dependsOn: ['AWS::EC2::VPC'],
  sets: {Attachments: 'VpcId', Tags: 'Key'},

  // AWS refuses the detach while the VPC still has public addresses mapped (instances, Elastic IPs, NAT
  // gateways): those are deleted first (`deleteAfter`), and one that stays keeps the gateway.
  deleter: {
    deleteAfter(resource, current) {
      const vpcs = new Set(((resource.configuration as InternetGateway).Attachments ?? []).flatMap((a) => (a.VpcId && a.State !== 'detached' ? [a.VpcId] : [])))
      return vpcs.size === 0 ? [] : publicAddressHolders(resource, vpcs, current)
    },

    steps(resource) {
      const attachments = (resource.configuration as InternetGateway).Attachments ?? []
      const detach = attachments
        .filter((a) => a.VpcId && a.State !== 'detached')
        .map((a) => stepOf('detach-internet-gateway', `Detach internet gateway ${labelOf(resource)} from ${a.VpcId}`, {internetGatewayId: resource.id, vpcId: a.VpcId ?? ''}))
      return [...detach, stepOf('delete-internet-gateway', `Delete internet gateway ${labelOf(resource)}`, {internetGatewayId: resource.id})]
    },

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeInternetGateways({InternetGatewayIds: [item.id]}))
      const state = await currentOf(internetGateway, ctx, out?.InternetGateways?.find((g) => g.InternetGatewayId === item.id))
      if (state === undefined) return undefined
      // The default VPC's gateway is always protected; whether a VPC is the default is read again here, since
      // the plan's word for it could be edited.
      const vpcIds = ((state.configuration as InternetGateway | undefined)?.Attachments ?? []).flatMap((a) => (a.VpcId ? [a.VpcId] : []))
      const vpcs = vpcIds.length === 0 ? [] : ((await unlessDeleted(() => ec2.describeVpcs({VpcIds: vpcIds})))?.Vpcs ?? [])
      const defaultVpc = vpcs.find((v) => v.IsDefault === true)
      if (defaultVpc === undefined) return state
      return {...state, alwaysProtected: [{kind: 'default-vpc', explanation: `the internet gateway of the default VPC ${defaultVpc.VpcId ?? ''}`}]}
    },

    async run(ctx, item, step) {
      const id = stringParam(step, 'internetGatewayId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      switch (step.action) {
        case 'detach-internet-gateway': {
          const vpcId = stringParam(step, 'vpcId')
          try {
            log.note(await ec2.detachInternetGateway({InternetGatewayId: id, VpcId: vpcId}))
          } catch (error) {
            if (hasCode(error, 'Gateway.NotAttached')) return {status: 'gone', detail: `${id} is not attached to ${vpcId}`, requestIds: log.requestIds}
            throw error
          }

          return doneWith(log)
        }

        case 'delete-internet-gateway': {
          log.note(await ec2.deleteInternetGateway({InternetGatewayId: id}))
          return doneWith(log)
        }

        default: {
          throw unknownStep(internetGateway.type, step)
        }
      }
    },
  },
}

/**
 * What maps public addresses in the gateway's VPCs (same account and region): instances with a public IP,
 * public NAT gateways, the Elastic IPs associated with an instance or an interface there, and other
 * interfaces with a public IP.
 */
function publicAddressHolders(gateway: Resource, vpcs: ReadonlySet<string>, current: ResourceLookup): ResourceLink[] {
  const near = (type: string) => current.ofType(type).filter((r) => r.region === gateway.region && r.accountId === gateway.accountId)
  const link = (r: Resource): ResourceLink => ({type: r.type, arn: r.arn, id: r.id})
  const inVpcs = (vpcId: string | undefined) => vpcId !== undefined && vpcs.has(vpcId)

  const instances = near('AWS::EC2::Instance').filter((r) => inVpcs((r.configuration as Instance).VpcId))
  const interfaces = near('AWS::EC2::NetworkInterface').filter((r) => inVpcs((r.configuration as NetworkInterface).VpcId))
  const instanceIds = new Set(instances.map((r) => r.id))
  const interfaceIds = new Set(interfaces.map((r) => r.id))
  const isPublic = (config: Instance) => config.PublicIpAddress !== undefined || (config.NetworkInterfaces ?? []).some((n) => n.Association?.PublicIp !== undefined)

  return [
    ...instances.filter((r) => isPublic(r.configuration as Instance)),
    // An interface's public IP is an Elastic IP's (ordered below) or its instance's, except for interfaces
    // AWS manages for a service (a load balancer's), which stay and keep the gateway.
    ...interfaces.filter((r) => {
      const config = r.configuration as NetworkInterface
      const instanceId = config.Attachment?.InstanceId
      return config.Association?.PublicIp !== undefined && config.Association.AllocationId === undefined && !(instanceId !== undefined && instanceIds.has(instanceId))
    }),
    ...near('AWS::EC2::NatGateway').filter((r) => {
      const config = r.configuration as NatGateway
      return inVpcs(config.VpcId) && config.ConnectivityType !== 'private'
    }),
    ...near('AWS::EC2::EIP').filter((r) => {
      const config = r.configuration as Address
      return (config.InstanceId !== undefined && instanceIds.has(config.InstanceId)) || (config.NetworkInterfaceId !== undefined && interfaceIds.has(config.NetworkInterfaceId))
    }),
  ].map(link)
}
