import type {EC2} from '@aws-sdk/client-ec2'

import {isForeignServerError} from '../../aws/errors.js'
import {accountSettingResource, accountSettingTraits} from '../account-setting.js'
import type {ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/** A region's EBS default encryption: GetEbsEncryptionByDefault + GetEbsDefaultKmsKeyId. */
export interface EbsEncryptionByDefaultItem {
  /** Whether new EBS volumes and snapshot copies in the region are encrypted by default. */
  EbsEncryptionByDefault: boolean
  /** `sse-ebs` or `sse-kms`, where EC2 reports it. */
  SseType?: string
  /**
   * The KMS key new volumes are encrypted with by default (`alias/aws/ebs` unless changed). Null only when
   * the endpoint does not implement GetEbsDefaultKmsKeyId (an emulator): AWS itself always answers.
   */
  KmsKeyId: string | null
}

export const ebsEncryptionByDefault: ResourceSpec<EbsEncryptionByDefaultItem> = {
  type: 'Account::EC2::EbsEncryptionByDefault',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsEncryptionByDefault.html',
  ...accountSettingTraits,

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const [encryption, KmsKeyId] = await Promise.all([ec2.getEbsEncryptionByDefault({}), defaultKmsKey(ec2)])
    yield [{EbsEncryptionByDefault: encryption.EbsEncryptionByDefault === true, SseType: encryption.SseType, KmsKeyId}]
  },

  toResource(item, ctx) {
    return accountSettingResource(ctx, ebsEncryptionByDefault, 'ebs-encryption-by-default', item)
  },

  // New encrypted volumes of the region use this key: cleanup keeps it (a setting always stays).
  relationships: (resource) => kmsKeyEdges(resource, [resource.configuration.KmsKeyId as string | null | undefined], 'uses'),

  securityFields: ['EbsEncryptionByDefault', 'KmsKeyId'],
}

/**
 * The region's default EBS KMS key. An endpoint that does not implement the call at all (it answers an
 * HTML error page, as the emulator does) leaves the key unknown rather than the whole setting; a denial,
 * throttling or an AWS error still fails the cell.
 */
async function defaultKmsKey(ec2: EC2): Promise<string | null> {
  try {
    return (await ec2.getEbsDefaultKmsKeyId({})).KmsKeyId ?? null
  } catch (error) {
    if (isForeignServerError(error)) return null
    throw error
  }
}
