import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {user, type UserItem} from '../../../../src/resources/iam/user.js'
import {testContext} from '../../../support/context.js'
import {collected} from '../../../support/scan.js'

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
  // Ids in the emulator's shapes (moto 5.2: UploadSigningCertificate, UploadSSHPublicKey).
  SigningCertificates: [{CertificateId: '42plua94x763qx9d2zo97py3rnoi5wqt', Status: 'Active', UploadDate: new Date('2023-05-04T00:00:00Z')}],
  SSHPublicKeys: [{SSHPublicKeyId: 'APKAM1CXF9XS4TEHBPEF', Status: 'Active', UploadDate: new Date('2023-05-05T00:00:00Z')}],
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
      iam.on(ListSigningCertificatesCommand).resolves({
        Certificates: [{UserName: 'bob', CertificateId: 'CERT1', CertificateBody: '-----BEGIN CERTIFICATE-----', Status: 'Active', UploadDate: new Date(0)}],
      })
      iam.on(ListSSHPublicKeysCommand).resolves({SSHPublicKeys: [{UserName: 'bob', SSHPublicKeyId: 'APKA1', Status: 'Inactive', UploadDate: new Date(0)}]})

      const items: UserItem[] = []
      for await (const page of user.list(ctx)) items.push(...page)

      expect(iam.commandCalls(ListUsersCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm1'])
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({UserName: 'bob', Tags: [{Key: 'a', Value: 'b'}], InlinePolicyNames: ['p1']})
      expect(items[0]?.AccessKeys).toEqual([{AccessKeyId: 'AKIA2', Status: 'Inactive', CreateDate: new Date(0)}])
      expect(items[0]?.LoginProfile).toBeUndefined()
      // Ids only: the certificate body is not kept.
      expect(items[0]?.SigningCertificates).toEqual([{CertificateId: 'CERT1', Status: 'Active', UploadDate: new Date(0)}])
      expect(items[0]?.SSHPublicKeys).toEqual([{SSHPublicKeyId: 'APKA1', Status: 'Inactive', UploadDate: new Date(0)}])
    } finally {
      iam.restore()
    }
  })
})

describe('AWS::IAM::User deleter', () => {
  const params = {userName: 'alice'}

  it('removes everything DeleteUser requires gone, from the stored configuration, then the user', async () => {
    // A virtual MFA device (its serial is an ARN under mfa/) and a hardware token (a plain serial).
    const resource = await collected(user.type, {
      ...alice,
      MFADevices: [...alice.MFADevices, {SerialNumber: 'GAHT12345678', EnableDate: new Date('2023-05-03T00:00:00Z')}],
    })
    expect(user.deleter?.steps(resource)).toEqual([
      {action: 'delete-access-key', description: 'Delete access key AKIAEXAMPLE1 of user alice', params: {...params, accessKeyId: 'AKIAEXAMPLE1'}},
      {action: 'delete-login-profile', description: 'Delete the console password (login profile) of user alice', params},
      {
        action: 'deactivate-mfa-device',
        description: 'Deactivate MFA device arn:aws:iam::123456789012:mfa/alice of user alice',
        params: {...params, serialNumber: 'arn:aws:iam::123456789012:mfa/alice'},
      },
      {action: 'delete-virtual-mfa-device', description: 'Delete virtual MFA device arn:aws:iam::123456789012:mfa/alice', params: {serialNumber: 'arn:aws:iam::123456789012:mfa/alice'}},
      {action: 'deactivate-mfa-device', description: 'Deactivate MFA device GAHT12345678 of user alice', params: {...params, serialNumber: 'GAHT12345678'}},
      {
        action: 'delete-signing-certificate',
        description: 'Delete signing certificate 42plua94x763qx9d2zo97py3rnoi5wqt of user alice',
        params: {...params, certificateId: '42plua94x763qx9d2zo97py3rnoi5wqt'},
      },
      {action: 'delete-ssh-public-key', description: 'Delete SSH public key APKAM1CXF9XS4TEHBPEF of user alice', params: {...params, sshPublicKeyId: 'APKAM1CXF9XS4TEHBPEF'}},
      {action: 'remove-user-from-group', description: 'Remove user alice from group devs', params: {...params, groupName: 'devs'}},
      {
        action: 'detach-user-policy',
        description: 'Detach policy arn:aws:iam::aws:policy/ReadOnlyAccess from user alice',
        params: {...params, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess'},
      },
      {
        action: 'detach-user-policy',
        description: 'Detach policy arn:aws:iam::123456789012:policy/team/read-things from user alice',
        params: {...params, policyArn: 'arn:aws:iam::123456789012:policy/team/read-things'},
      },
      {action: 'delete-user-policy', description: 'Delete inline policy inline-u of user alice', params: {...params, policyName: 'inline-u'}},
      {action: 'delete-user', description: 'Delete user alice', params},
    ])
  })

  it('deletes a bare user in one step, also from a snapshot taken before certificates and SSH keys were collected', async () => {
    const bare = await collected(user.type, {
      ...alice,
      AccessKeys: [],
      MFADevices: [],
      Groups: [],
      AttachedPolicies: [],
      InlinePolicyNames: [],
      LoginProfile: undefined,
      SigningCertificates: [],
      SSHPublicKeys: [],
    })
    expect(user.deleter?.steps(bare)).toEqual([{action: 'delete-user', description: 'Delete user alice', params}])
    const {SigningCertificates: _c, SSHPublicKeys: _k, ...older} = bare.configuration
    expect(user.deleter?.steps({...bare, configuration: older})).toEqual([{action: 'delete-user', description: 'Delete user alice', params}])
  })
})
