import type {Address} from '@aws-sdk/client-ec2'

import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource, uniqueRelationships} from './arn.js'

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
}
