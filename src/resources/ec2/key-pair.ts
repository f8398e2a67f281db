import type {EC2, KeyPairInfo} from '@aws-sdk/client-ec2'

import type {ResourceSpec} from '../types.js'
import {ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, labelOf, optionalParam, stepOf, unknownStep} from './delete-steps.js'

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
  arnByName: true,

  // By id, so that a key imported again under the same name since the plan was made is not deleted.
  // Instances launched with the key keep running: AWS only removes the public key.
  deleter: {
    steps(resource) {
      const config = resource.configuration as KeyPairInfo
      return [stepOf('delete-key-pair', `Delete key pair ${labelOf(resource)}`, config.KeyPairId ? {keyPairId: config.KeyPairId} : {keyName: resource.id})]
    },

    current: async (ctx, item) => currentOf(keyPair, ctx, await describeKey(await ec2Of(ctx), item.id.startsWith('key-') ? {keyPairId: item.id} : {keyName: item.id})),

    async run(ctx, item, step) {
      if (step.action !== 'delete-key-pair') throw unknownStep(keyPair.type, step)
      const keyPairId = optionalParam(step, 'keyPairId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      if (keyPairId === undefined) {
        log.note(await ec2.deleteKeyPair({KeyName: optionalParam(step, 'keyName')}))
        return doneWith(log)
      }

      // AWS answers with the id of the key it deleted (and succeeds when there was none).
      const existed = await describeKey(ec2, {keyPairId}, log)
      if (existed === undefined) return {status: 'gone', detail: `${keyPairId} does not exist`, requestIds: log.requestIds}
      const out = log.note(await ec2.deleteKeyPair({KeyPairId: keyPairId}))
      // An endpoint that ignores KeyPairId (moto 5.2) deletes nothing: the key, whose name was just read
      // under this id, is then deleted by that name.
      if (out.KeyPairId !== keyPairId && existed.KeyName && (await describeKey(ec2, {keyPairId}, log)) !== undefined) {
        log.note(await ec2.deleteKeyPair({KeyName: existed.KeyName}))
      }

      return doneWith(log)
    },
  },
}

/** The key pair with this id (or name); a filter, because AWS answers an unknown id with an error but a filter with nothing. */
async function describeKey(ec2: EC2, key: {keyPairId: string} | {keyName: string}, log = new CallLog()): Promise<KeyPairInfo | undefined> {
  const filter = 'keyPairId' in key ? {Name: 'key-pair-id', Values: [key.keyPairId]} : {Name: 'key-name', Values: [key.keyName]}
  return log.note(await ec2.describeKeyPairs({Filters: [filter]})).KeyPairs?.[0]
}
