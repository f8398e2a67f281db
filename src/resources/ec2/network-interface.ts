import type {EC2, NetworkInterface} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {DeleteStep} from '../../cleanup/types.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, finished, labelOf, markRequested, stepOf, unknownStep, waiting, wasRequested} from './delete-steps.js'

export const networkInterface: ResourceSpec<NetworkInterface> = {
  type: 'AWS::EC2::NetworkInterface',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeNetworkInterfaces(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'NetworkInterfaces')
  },

  toResource(item, ctx) {
    const id = item.NetworkInterfaceId ?? ''
    return ec2Resource(ctx, networkInterface.type, item, {id, tags: item.TagSet})
  },

  // No edge to the attached instance: the instance points at its ENIs, never the reverse, so the
  // type graph stays acyclic (the instance goes first, its primary ENI goes with it).
  relationships(resource) {
    const config = resource.configuration as NetworkInterface
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::Subnet', [config.SubnetId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in'),
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', (config.Groups ?? []).map((g) => g.GroupId), 'uses'),
    ])
  },

  dependsOn: ['AWS::EC2::Subnet', 'AWS::EC2::VPC', 'AWS::EC2::SecurityGroup'],
  sets: {
    AssociatedSubnets: '.',
    Groups: 'GroupId',
    Ipv4Prefixes: 'Ipv4Prefix',
    Ipv6Addresses: 'Ipv6Address',
    Ipv6Prefixes: 'Ipv6Prefix',
    PrivateIpAddresses: 'PrivateIpAddress',
    TagSet: 'Key',
  },

  deleter: {
    steps(resource) {
      const config = resource.configuration as NetworkInterface
      const attachment = config.Attachment
      const steps: DeleteStep[] = []
      // An instance's primary interface (device 0) cannot be detached: it is deleted with the instance
      // (DeleteOnTermination), or detached by the termination, which comes first.
      if (attachment?.AttachmentId && attachment.DeviceIndex !== 0 && attachment.Status !== 'detached') {
        const from = attachment.InstanceId ? ` from ${attachment.InstanceId}` : ''
        steps.push(
          stepOf('detach-network-interface', `Detach network interface ${labelOf(resource)}${from} (${attachment.AttachmentId})`, {
            networkInterfaceId: resource.id,
            attachmentId: attachment.AttachmentId,
          }),
        )
      }

      steps.push(stepOf('delete-network-interface', `Delete network interface ${labelOf(resource)}`, {networkInterfaceId: resource.id}))
      return steps
    },

    current: async (ctx, item) => currentOf(networkInterface, ctx, await describeInterface(await ec2Of(ctx), item.id)),

    async run(ctx, item, step) {
      const id = stringParam(step, 'networkInterfaceId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      switch (step.action) {
        case 'detach-network-interface': {
          // Acts on the planned attachment only: once it is over (also when the instance's termination
          // ended it), the interface is available.
          const attachmentId = stringParam(step, 'attachmentId')
          const attachment = (await describeInterface(ec2, id, log))?.Attachment
          if (attachment?.AttachmentId !== attachmentId || attachment.Status === 'detached') return finished(step, `${attachmentId} is over`, log)
          if (attachment.Status === 'detaching' || wasRequested(step)) return waiting(`${id} is ${attachment.Status ?? 'detaching'}`, log)
          log.note(await ec2.detachNetworkInterface({AttachmentId: attachmentId}))
          markRequested(step)
          return waiting(`${id} is detaching`, log)
        }

        case 'delete-network-interface': {
          // In use (still detaching after a termination): the executor retries.
          log.note(await ec2.deleteNetworkInterface({NetworkInterfaceId: id}))
          return doneWith(log)
        }

        default: {
          throw unknownStep(networkInterface.type, step)
        }
      }
    },

    waitTimeoutMs: 300_000,
  },
}

async function describeInterface(ec2: EC2, id: string, log = new CallLog()): Promise<NetworkInterface | undefined> {
  const out = await unlessDeleted(() => ec2.describeNetworkInterfaces({NetworkInterfaceIds: [id]}))
  return out === undefined ? undefined : log.note(out).NetworkInterfaces?.find((n) => n.NetworkInterfaceId === id)
}
