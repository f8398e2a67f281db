import {GetAccountSummaryCommand, IAMClient} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {prepareForDiff} from '../../../../src/diff/normalize.js'
import {accountSummary, type AccountSummaryItem} from '../../../../src/resources/iam/account-summary.js'
import {testContext} from '../../../support/context.js'

/** Captured from the emulator (moto 5.2) with two users: what accountSummary.list() yields. */
const summary: AccountSummaryItem = {
  SummaryMap: {
    GroupPolicySizeQuota: 5120,
    InstanceProfilesQuota: 1000,
    Policies: 0,
    GroupsPerUserQuota: 10,
    InstanceProfiles: 0,
    AttachedPoliciesPerUserQuota: 10,
    Users: 2,
    PoliciesQuota: 1500,
    Providers: 0,
    AccountMFAEnabled: 0,
    AccessKeysPerUserQuota: 2,
    AssumeRolePolicySizeQuota: 2048,
    PolicyVersionsInUseQuota: 10000,
    GlobalEndpointTokenVersion: 1,
    VersionsPerPolicyQuota: 5,
    AttachedPoliciesPerGroupQuota: 10,
    PolicySizeQuota: 6144,
    Groups: 0,
    AccountSigningCertificatesPresent: 0,
    UsersQuota: 5000,
    ServerCertificatesQuota: 20,
    MFADevices: 0,
    UserPolicySizeQuota: 2048,
    PolicyVersionsInUse: 0,
    ServerCertificates: 0,
    Roles: 0,
    RolesQuota: 1000,
    SigningCertificatesPerUserQuota: 2,
    MFADevicesInUse: 0,
    RolePolicySizeQuota: 10240,
    AttachedPoliciesPerRoleQuota: 10,
    AccountAccessKeysPresent: 0,
    GroupsQuota: 300,
  },
}

describe('Account::IAM::AccountSummary', () => {
  it('is one global setting holding the summary map', async () => {
    const resource = await accountSummary.toResource(summary, testContext())
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:account-summary',
      id: '123456789012',
      name: 'account-summary',
      region: 'global',
      createdAt: null,
      tags: {},
      configuration: summary,
    })
    expect(accountSummary).toMatchObject({untagged: true, singleton: true})
  })

  it('ignores the entity counts when comparing (they move with every user or role), not the root flags or quotas', async () => {
    const {configuration} = await accountSummary.toResource(summary, testContext())
    const compared = prepareForDiff(configuration, accountSummary).SummaryMap as Record<string, number>
    expect(compared).not.toHaveProperty('Users')
    expect(compared).not.toHaveProperty('MFADevicesInUse')
    expect(compared).toMatchObject({AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, UsersQuota: 5000, GlobalEndpointTokenVersion: 1})
  })

  it('counts the root user’s credentials as security and the quotas as configuration, even those named after policies', async () => {
    const before = await accountSummary.toResource(summary, testContext())
    const after = await accountSummary.toResource({SummaryMap: {...summary.SummaryMap, AccountMFAEnabled: 1, RolePolicySizeQuota: 20480, GroupsQuota: 600}}, testContext())
    expect(diffResource(before, after, accountSummary).map((c) => [c.path, c.category])).toEqual([
      ['SummaryMap.AccountMFAEnabled', 'security'],
      ['SummaryMap.GroupsQuota', 'configuration'],
      ['SummaryMap.RolePolicySizeQuota', 'configuration'],
    ])
  })

  it('yields the one summary GetAccountSummary returns', async () => {
    const iam = mockClient(IAMClient)
    try {
      iam.on(GetAccountSummaryCommand).resolves(summary)
      const items: AccountSummaryItem[] = []
      for await (const page of accountSummary.list(testContext())) items.push(...page)
      expect(items).toEqual([summary])
    } finally {
      iam.restore()
    }
  })
})
