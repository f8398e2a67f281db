import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {user, type UserItem} from '../../../../src/resources/iam/user.js'
import {testContext} from '../../../support/context.js'

const alice: UserItem = {
  Path: '/',
  UserName: 'alice',
  UserId: 'AIDAEXAMPLE1',
  Arn: 'arn:aws:iam::123456789012:user/alice',
  CreateDate: new Date('2023-05-01T08:00:00Z'),
  PasswordLastUsed: new Date('2024-06-01T09:00:00Z'),
  Tags: [{Key: 'team', Value: 'platform'}],
  AccessKeys: [{AccessKeyId: 'AKIAEXAMPLE1', Status: 'Active', CreateDate: new Date('2023-05-02T00:00:00Z')}],
  MFADevices: [{SerialNumber: 'arn:aws:iam::123456789012:mfa/alice', EnableDate: new Date('2023-05-03T00:00:00Z')}],
  Groups: [
    {Path: '/eng/', GroupName: 'devs', GroupId: 'AGPAEXAMPLE1', Arn: 'arn:aws:iam::123456789012:group/eng/devs', CreateDate: new Date('2023-01-01T00:00:00Z')},
  ],
  AttachedPolicies: [
    {PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess'},
    {PolicyName: 'read-things', PolicyArn: 'arn:aws:iam::123456789012:policy/team/read-things'},
  ],
  InlinePolicyNames: ['inline-u'],
  LoginProfile: {CreateDate: new Date('2023-05-01T08:05:00Z'), PasswordResetRequired: false},
}

describe('AWS::IAM::User', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource from the described user', async () => {
    const resource = await user.toResource(alice, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:user/alice',
      type: 'AWS::IAM::User',
      id: 'alice',
      name: 'alice',
      region: 'global',
      accountId: '123456789012',
      createdAt: '2023-05-01T08:00:00.000Z',
      tags: {team: 'platform'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({
      PasswordLastUsed: '2024-06-01T09:00:00.000Z',
      AccessKeys: [{AccessKeyId: 'AKIAEXAMPLE1', Status: 'Active', CreateDate: '2023-05-02T00:00:00.000Z'}],
      LoginProfile: {CreateDate: '2023-05-01T08:05:00.000Z'},
      InlinePolicyNames: ['inline-u'],
    })
  })

  it('is in its groups and attached to customer managed policies only', async () => {
    const resource = await user.toResource(alice, ctx)
    expect(user.relationships?.(resource)).toEqual([
      {type: 'AWS::IAM::Group', arn: 'arn:aws:iam::123456789012:group/eng/devs', kind: 'in'},
      {type: 'AWS::IAM::Policy', arn: 'arn:aws:iam::123456789012:policy/team/read-things', kind: 'attached-to'},
    ])
  })

  it('builds the group ARN from its path when a configuration lacks it', async () => {
    const resource = await user.toResource({...alice, Groups: [{GroupName: 'ops', Path: '/x/', GroupId: 'g', Arn: undefined, CreateDate: undefined}]}, ctx)
    expect(user.relationships?.(resource)[0]).toEqual({type: 'AWS::IAM::Group', arn: 'arn:aws:iam::123456789012:group/x/ops', kind: 'in'})
  })

  it('lists users with their details, keeping key metadata only and no login profile when there is none', async () => {
    const iam = mockClient(IAMClient)
    try {
      iam.on(ListUsersCommand).resolves({Users: [{Path: '/', UserName: 'bob', UserId: 'AIDA2', Arn: 'arn:aws:iam::123456789012:user/bob', CreateDate: new Date(0)}], IsTruncated: true, Marker: 'm1'})
      iam.on(ListUsersCommand, {Marker: 'm1'}).resolves({Users: [], IsTruncated: false})
      iam.on(ListUserTagsCommand).resolves({Tags: [{Key: 'a', Value: 'b'}]})
      iam.on(ListAccessKeysCommand).resolves({AccessKeyMetadata: [{UserName: 'bob', AccessKeyId: 'AKIA2', Status: 'Inactive', CreateDate: new Date(0)}]})
      iam.on(ListMFADevicesCommand).resolves({MFADevices: []})
      iam.on(ListGroupsForUserCommand).resolves({Groups: []})
      iam.on(ListAttachedUserPoliciesCommand).resolves({AttachedPolicies: []})
      iam.on(ListUserPoliciesCommand).resolves({PolicyNames: ['p1']})
      iam.on(GetLoginProfileCommand).rejects(new NoSuchEntityException({message: 'no profile', $metadata: {}}))

      const items: UserItem[] = []
      for await (const page of user.list(ctx)) items.push(...page)

      expect(iam.commandCalls(ListUsersCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm1'])
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({UserName: 'bob', Tags: [{Key: 'a', Value: 'b'}], InlinePolicyNames: ['p1']})
      expect(items[0]?.AccessKeys).toEqual([{AccessKeyId: 'AKIA2', Status: 'Inactive', CreateDate: new Date(0)}])
      expect(items[0]?.LoginProfile).toBeUndefined()
    } finally {
      iam.restore()
    }
  })

})
