import type {InternetGateway} from '@aws-sdk/client-ec2'

import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, hasCode, labelOf, stepOf, stringParam, unknownStep} from './delete-steps.js'

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
  // gateways): a DependencyViolation the executor retries while those are deleted in the same wave.
  deleter: {
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
      return currentOf(internetGateway, ctx, out?.InternetGateways?.find((g) => g.InternetGatewayId === item.id))
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
