import type {PasswordPolicy} from '@aws-sdk/client-iam'

import {classifyError} from '../../aws/errors.js'
import {accountSettingResource, accountSettingTraits} from '../account-setting.js'
import type {ResourceSpec} from '../types.js'

/** The account's IAM password policy as GetAccountPasswordPolicy returns it; null when none is set. */
export interface PasswordPolicyItem {
  /** The policy, or null: the account has no password policy (IAM's defaults apply). */
  PasswordPolicy: PasswordPolicy | null
}

export const passwordPolicy: ResourceSpec<PasswordPolicyItem> = {
  type: 'Account::IAM::PasswordPolicy',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountPasswordPolicy.html',
  ...accountSettingTraits,

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    try {
      const {PasswordPolicy: policy} = await iam.getAccountPasswordPolicy({})
      yield [{PasswordPolicy: policy ?? null}]
    } catch (error) {
      // NoSuchEntity is IAM's way of saying the account has no password policy: a value, not a gap.
      if (classifyError(error).kind !== 'not_found') throw error
      yield [{PasswordPolicy: null}]
    }
  },

  toResource(item, ctx) {
    return accountSettingResource(ctx, passwordPolicy, 'account-password-policy', item)
  },

  // Every field of the policy governs how people sign in.
  securityFields: ['PasswordPolicy'],
}
