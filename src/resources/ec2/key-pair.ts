import type {KeyPairInfo} from '@aws-sdk/client-ec2'

import {apiResource, isoDate, nameFromTags, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'
import {ec2Arn} from './arn.js'

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
    const keyName = item.KeyName ?? ''
    const id = item.KeyPairId ?? keyName
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      // Key pair ARNs are built from the name, not the key-… id.
      arn: ec2Arn(ctx, keyPair.type, keyName),
      type: keyPair.type,
      id,
      name: nameFromTags(tags, keyName || id),
      createdAt: isoDate(item.CreateTime),
      tags,
      configuration: item,
    })
  },

  sets: {Tags: 'Key'},
}
