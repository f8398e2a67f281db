import type {RouteTable} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, labelOf, stepOf, unknownStep} from './delete-steps.js'

export const routeTable: ResourceSpec<RouteTable> = {
  type: 'AWS::EC2::RouteTable',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    // DescribeRouteTables accepts at most 100 per page.
    yield* paginateItems((r) => ec2.describeRouteTables(r), {MaxResults: 100}, 'NextToken', 'NextToken', 'RouteTables')
  },

  toResource(item, ctx) {
    const id = item.RouteTableId ?? ''
    return ec2Resource(ctx, routeTable.type, item, {id, tags: item.Tags})
  },

  relationships(resource) {
    const config = resource.configuration as RouteTable
    const associations = config.Associations ?? []
    const routes = config.Routes ?? []
    const gatewayIds = [...associations.map((a) => a.GatewayId), ...routes.map((r) => r.GatewayId)]
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::Subnet', associations.map((a) => a.SubnetId), 'associated-with'),
      ...ec2Edges(resource, 'AWS::EC2::InternetGateway', gatewayIds.filter((g) => g?.startsWith('igw-')), 'associated-with'),
      ...ec2Edges(resource, 'AWS::EC2::NatGateway', routes.map((r) => r.NatGatewayId), 'associated-with'),
      ...ec2Edges(resource, 'AWS::EC2::NetworkInterface', routes.map((r) => r.NetworkInterfaceId), 'associated-with'),
      // A gateway endpoint's routes are added and removed by the endpoint itself, and the endpoint
      // already `uses` this table: an ordering edge back would make a cycle, so this one only informs.
      ...ec2Edges(resource, 'AWS::EC2::VPCEndpoint', routes.map((r) => r.GatewayId).filter((g) => g?.startsWith('vpce-')), 'references'),
    ])
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::NetworkInterface'],
  sets: {
    Associations: 'RouteTableAssociationId',
    PropagatingVgws: 'GatewayId',
    // A route is identified by its destination, whichever of the three kinds it is.
    Routes: ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'],
    Tags: 'Key',
  },

  // A table with associations cannot be deleted; its routes go with it. The main association is never
  // removed: a main route table is deleted only with its VPC.
  deleter: {
    steps(resource) {
      const associations = (resource.configuration as RouteTable).Associations ?? []
      const disassociate = associations
        .filter((a) => a.Main !== true && a.RouteTableAssociationId && a.AssociationState?.State !== 'disassociated')
        .map((a) =>
          stepOf('disassociate-route-table', `Disassociate route table ${labelOf(resource)} from ${a.SubnetId ?? a.GatewayId ?? 'its target'} (${a.RouteTableAssociationId})`, {
            routeTableId: resource.id,
            associationId: a.RouteTableAssociationId ?? '',
          }),
        )
      return [...disassociate, stepOf('delete-route-table', `Delete route table ${labelOf(resource)}`, {routeTableId: resource.id})]
    },

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeRouteTables({RouteTableIds: [item.id]}))
      return currentOf(routeTable, ctx, out?.RouteTables?.find((t) => t.RouteTableId === item.id))
    },

    async run(ctx, item, step) {
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      switch (step.action) {
        case 'disassociate-route-table': {
          // Gone with its subnet, or removed already: InvalidAssociationID.NotFound, gone.
          log.note(await ec2.disassociateRouteTable({AssociationId: stringParam(step, 'associationId')}))
          return doneWith(log)
        }

        case 'delete-route-table': {
          log.note(await ec2.deleteRouteTable({RouteTableId: stringParam(step, 'routeTableId')}))
          return doneWith(log)
        }

        default: {
          throw unknownStep(routeTable.type, step)
        }
      }
    },
  },
}
