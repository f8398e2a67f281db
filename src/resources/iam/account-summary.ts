import type {SummaryKeyType} from '@aws-sdk/client-iam'

import {accountSettingResource, accountSettingTraits} from '../account-setting.js'
import type {ResourceSpec} from '../types.js'

/** GetAccountSummary's answer: IAM entity counts, quotas and the root user's credential flags. */
export interface AccountSummaryItem {
  /** e.g. `AccountMFAEnabled` (1 when the root user has MFA), `AccountAccessKeysPresent`, `Users`, `UsersQuota`. */
  SummaryMap: Partial<Record<SummaryKeyType, number>>
}

/** Counts of IAM entities: they move whenever someone adds a user or a role, which those resources report themselves. */
const entityCounts = [
  'Users',
  'Groups',
  'Roles',
  'Policies',
  'PolicyVersionsInUse',
  'InstanceProfiles',
  'MFADevices',
  'MFADevicesInUse',
  'ServerCertificates',
  'Providers',
] as const

export const accountSummary: ResourceSpec<AccountSummaryItem> = {
  type: 'Account::IAM::AccountSummary',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html',
  ...accountSettingTraits,

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    const {SummaryMap} = await iam.getAccountSummary({})
    yield [{SummaryMap: SummaryMap ?? {}}]
  },

  toResource(item, ctx) {
    return accountSettingResource(ctx, accountSummary, 'account-summary', item)
  },

  volatile: entityCounts.map((key) => `SummaryMap.${key}`),
  // The root user's MFA, access keys and signing certificates.
  securityFields: ['SummaryMap.AccountMFAEnabled', 'SummaryMap.AccountAccessKeysPresent', 'SummaryMap.AccountSigningCertificatesPresent'],
  // The rest are quotas AWS sets (`PolicySizeQuota`, `AttachedPoliciesPerRoleQuota`…): limits, not permissions.
  configurationFields: ['SummaryMap'],
}
