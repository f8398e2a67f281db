import type {PublicAccessBlockConfiguration} from '@aws-sdk/client-s3-control'

import {classifyError} from '../../aws/errors.js'
import {accountSettingFromConfig, accountSettingResource, accountSettingTraits} from '../account-setting.js'
import {isCurrentItem, itemConfiguration} from '../config-item.js'
import type {ResourceSpec} from '../types.js'

/** The account-level S3 Block Public Access settings as S3 Control's GetPublicAccessBlock returns them. */
export interface AccountPublicAccessBlockItem {
  /** The four settings, or null: no account-level block is configured (each bucket's own settings decide). */
  PublicAccessBlockConfiguration: PublicAccessBlockConfiguration | null
}

const settingName = 'account-public-access-block'
const flags = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const

export const accountPublicAccessBlock: ResourceSpec<AccountPublicAccessBlockItem> = {
  type: 'AWS::S3::AccountPublicAccessBlock',
  service: 's3',
  // One setting for the whole account, whatever the region.
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html',
  ...accountSettingTraits,

  async *list(ctx) {
    const s3control = await ctx.clients.get('s3control', ctx.region)
    try {
      const {PublicAccessBlockConfiguration: configuration} = await s3control.getPublicAccessBlock({AccountId: ctx.accountId})
      yield [{PublicAccessBlockConfiguration: configuration ?? null}]
    } catch (error) {
      // NoSuchPublicAccessBlockConfiguration: none is configured, a value rather than a gap.
      if (classifyError(error).kind !== 'not_found') throw error
      yield [{PublicAccessBlockConfiguration: null}]
    }
  },

  toResource(item, ctx) {
    return accountSettingResource(ctx, accountPublicAccessBlock, settingName, blockConfiguration(item.PublicAccessBlockConfiguration))
  },

  fromConfigItem(item, ctx) {
    if (!isCurrentItem(item)) return undefined
    // Config records the four flags camelCase (`blockPublicAcls`), one item per account in each recording region.
    const recorded = itemConfiguration(item)
    const settings: PublicAccessBlockConfiguration = {}
    for (const flag of flags) {
      const value = recorded[flag.charAt(0).toLowerCase() + flag.slice(1)] ?? recorded[flag]
      settings[flag] = value === true || value === 'true'
    }

    return accountSettingFromConfig(item, ctx, accountPublicAccessBlock, settingName, blockConfiguration(settings))
  },

  securityFields: ['PublicAccessBlockConfiguration'],
}

/** The configuration from either source: the four flags as booleans (an unset flag is off), or null. */
function blockConfiguration(settings: PublicAccessBlockConfiguration | null): AccountPublicAccessBlockItem {
  if (settings === null) return {PublicAccessBlockConfiguration: null}
  const configuration: Record<string, boolean> = {}
  for (const flag of flags) configuration[flag] = settings[flag] === true
  return {PublicAccessBlockConfiguration: configuration}
}
