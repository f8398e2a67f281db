import type {KeyPairInfo} from '@aws-sdk/client-ec2'

import type {ResourceSpec} from '../types.js'
import {ec2Resource} from './arn.js'

export const keyPair: ResourceSpec<KeyPairInfo> = {
  type: 'AWS::EC2::KeyPair',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeKeyPairs.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    // Not paginated. No IncludePublicKey: key material is never collected.
    const response = await ec2.describeKeyPairs({})
    yield response.KeyPairs ?? []
  },

  toResource(item, ctx) {
    // Key pair ARNs are built from the name, not the key-… id.
    const keyName = item.KeyName ?? ''
    const id = item.KeyPairId ?? keyName
    return ec2Resource(ctx, keyPair.type, item, {id, tags: item.Tags, arnId: keyName, name: keyName || id, createdAt: item.CreateTime})
  },

  sets: {Tags: 'Key'},
  // The ARN is built from the key's name; a key pair imported again under that name gets a new id.
  uniqueId: 'KeyPairId',
}
