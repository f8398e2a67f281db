import type {Address} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import type {DeleteStep, JsonValue} from '../../cleanup/types.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, optionalParam, stepOf, unknownStep} from './delete-steps.js'

export const eip: ResourceSpec<Address> = {
  type: 'AWS::EC2::EIP',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    // Not paginated.
    const response = await ec2.describeAddresses({})
    yield response.Addresses ?? []
  },

  toResource(item, ctx) {
    // EC2-Classic addresses had no allocation id; the public IP was their identity.
    const id = item.AllocationId ?? item.PublicIp ?? ''
    return ec2Resource(ctx, eip.type, item, {id, tags: item.Tags, name: item.PublicIp})
  },

  relationships(resource) {
    const config = resource.configuration as Address
    return uniqueRelationships([
      ...ec2Edges(resource, 'AWS::EC2::Instance', [config.InstanceId], 'associated-with'),
      ...ec2Edges(resource, 'AWS::EC2::NetworkInterface', [config.NetworkInterfaceId], 'associated-with'),
    ])
  },

  dependsOn: ['AWS::EC2::Instance', 'AWS::EC2::NetworkInterface'],
  sets: {Tags: 'Key'},

  deleter: {
    steps(resource) {
      const config = resource.configuration as Address
      const steps: DeleteStep[] = []
      const ip = config.PublicIp ?? resource.id
      if (config.AssociationId) {
        const [holder, through] = [config.InstanceId, config.NetworkInterfaceId].filter((h) => h !== undefined && h !== '')
        const from = holder === undefined ? '' : ` from ${holder}${through === undefined ? '' : ` (${through})`}`
        steps.push(stepOf('disassociate-address', `Disassociate Elastic IP ${ip}${from}`, {associationId: config.AssociationId}))
      }

      // EC2-Classic addresses had no allocation id: they are released by their public IP.
      const params: Record<string, JsonValue> = config.AllocationId ? {allocationId: config.AllocationId} : {publicIp: ip}
      // An address of a Local Zone is released in its network border group (AWS answers not-found elsewhere).
      if (config.NetworkBorderGroup && config.NetworkBorderGroup !== resource.region) params.networkBorderGroup = config.NetworkBorderGroup
      steps.push(stepOf('release-address', `Release Elastic IP ${ip}${config.AllocationId ? ` (${config.AllocationId})` : ''}`, params))
      return steps
    },

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const byId = item.id.startsWith('eipalloc-') ? {AllocationIds: [item.id]} : {PublicIps: [item.id]}
      const out = await unlessDeleted(() => ec2.describeAddresses(byId))
      return currentOf(eip, ctx, out?.Addresses?.find((a) => (a.AllocationId ?? a.PublicIp) === item.id))
    },

    async run(ctx, item, step) {
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      switch (step.action) {
        case 'disassociate-address': {
          // Already disassociated (the instance was terminated, the NAT gateway deleted): InvalidAssociationID.NotFound, gone.
          log.note(await ec2.disassociateAddress({AssociationId: stringParam(step, 'associationId')}))
          return doneWith(log)
        }

        case 'release-address': {
          const allocationId = optionalParam(step, 'allocationId')
          const border = optionalParam(step, 'networkBorderGroup')
          log.note(
            await ec2.releaseAddress({
              ...(allocationId ? {AllocationId: allocationId} : {PublicIp: optionalParam(step, 'publicIp')}),
              ...(border ? {NetworkBorderGroup: border} : {}),
            }),
          )
          return doneWith(log)
        }

        default: {
          throw unknownStep(eip.type, step)
        }
      }
    },
  },
}
