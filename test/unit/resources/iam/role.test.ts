import {
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam'
import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {role, type RoleItem} from '../../../../src/resources/iam/role.js'
import type {Resource} from '../../../../src/resources/types.js'
import {canonicalJson, sha256} from '../../../../src/store/hash.js'
import {testContext} from '../../../support/context.js'

const trust = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]}

const appRole: RoleItem = {
  Path: '/app/',
  RoleName: 'app-role',
  RoleId: 'AROAEXAMPLE1',
  Arn: 'arn:aws:iam::123456789012:role/app/app-role',
  CreateDate: new Date('2022-02-02T02:02:02Z'),
  AssumeRolePolicyDocument: trust,
  MaxSessionDuration: 3600,
  Tags: [{Key: 'Name', Value: 'App'}],
  AttachedPolicies: [
    {PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'},
    {PolicyName: 'app', PolicyArn: 'arn:aws:iam::123456789012:policy/app'},
  ],
  InlinePolicyNames: ['inline'],
  InstanceProfiles: [{InstanceProfileName: 'app', InstanceProfileId: 'AIPA1', Arn: 'arn:aws:iam::123456789012:instance-profile/app'}],
}

describe('AWS::IAM::Role', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource from the described role', async () => {
    const resource = await role.toResource(appRole, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:role/app/app-role',
      type: 'AWS::IAM::Role',
      id: 'app-role',
      name: 'app-role',
      region: 'global',
      createdAt: '2022-02-02T02:02:02.000Z',
      tags: {Name: 'App'},
      source: 'api',
    })
    expect(resource.configuration.AssumeRolePolicyDocument).toEqual(trust)
    expect(resource.configuration.CreateDate).toBe('2022-02-02T02:02:02.000Z')
  })

  it('is attached to customer managed policies only', async () => {
    const resource = await role.toResource(appRole, ctx)
    expect(role.relationships?.(resource)).toEqual([{type: 'AWS::IAM::Policy', arn: 'arn:aws:iam::123456789012:policy/app', kind: 'attached-to'}])
  })

  it('lists roles with the URL-encoded trust policy parsed', async () => {
    const iam = mockClient(IAMClient)
    try {
      iam.on(ListRolesCommand).resolves({
        Roles: [
          {
            Path: '/aws-service-role/autoscaling.amazonaws.com/',
            RoleName: 'AWSServiceRoleForAutoScaling',
            RoleId: 'AROA2',
            Arn: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
            CreateDate: new Date(0),
            AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
          },
        ],
      })
      iam.on(ListRoleTagsCommand).resolves({Tags: []})
      iam.on(ListAttachedRolePoliciesCommand).resolves({AttachedPolicies: []})
      iam.on(ListRolePoliciesCommand).resolves({PolicyNames: []})
      iam.on(ListInstanceProfilesForRoleCommand).resolves({
        InstanceProfiles: [{Path: '/', InstanceProfileName: 'p', InstanceProfileId: 'AIPA2', Arn: 'arn:aws:iam::123456789012:instance-profile/p', CreateDate: new Date(0), Roles: []}],
      })

      const items: RoleItem[] = []
      for await (const page of role.list(ctx)) items.push(...page)

      expect(items).toHaveLength(1)
      expect(items[0]?.AssumeRolePolicyDocument).toEqual(trust)
      expect(items[0]?.InstanceProfiles).toEqual([{InstanceProfileName: 'p', InstanceProfileId: 'AIPA2', Arn: 'arn:aws:iam::123456789012:instance-profile/p'}])
    } finally {
      iam.restore()
    }
  })
})

describe('AWS::IAM::Role deleter', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('detaches its managed policies and deletes its inline ones, leaving its instance profiles to their own deletion', async () => {
    const resource = await role.toResource(appRole, ctx)
    // The canonical configuration keeps attached policies ordered by ARN.
    expect(role.deleter?.steps(resource)).toEqual([
      {action: 'detach-role-policy', description: 'Detach policy arn:aws:iam::123456789012:policy/app from role app-role', params: {roleName: 'app-role', policyArn: 'arn:aws:iam::123456789012:policy/app'}},
      {
        action: 'detach-role-policy',
        description: 'Detach policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole from role app-role',
        params: {roleName: 'app-role', policyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'},
      },
      {action: 'delete-role-policy', description: 'Delete inline policy inline of role app-role', params: {roleName: 'app-role', policyName: 'inline'}},
      {action: 'delete-role', description: 'Delete role app-role', params: {roleName: 'app-role'}},
    ])
  })
})

describe('AWS::IAM::Role: parity with AWS Config', () => {
  const ctx = testContext({region: 'us-east-1'})

  /** Captured from the emulator (moto 5.2): what role.list() yields for a role with path, tags, policies and an instance profile. */
  const direct: RoleItem = {
    Path: '/app/',
    RoleName: 'app-role',
    RoleId: 'AROARZPUZDIKEZFCY7ZJQ',
    Arn: 'arn:aws:iam::123456789012:role/app/app-role',
    CreateDate: new Date('2026-11-25T02:29:29.701Z'),
    AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]},
    // Not recorded by Config: dropped from the canonical configuration.
    Description: 'App servers',
    MaxSessionDuration: 7200,
    Tags: [
      {Key: 'Name', Value: 'App'},
      {Key: 'team', Value: 'platform'},
    ],
    AttachedPolicies: [{PolicyName: 'parity-policy', PolicyArn: 'arn:aws:iam::123456789012:policy/team/parity-policy'}],
    InlinePolicyNames: ['inline-logs'],
    InstanceProfiles: [{InstanceProfileName: 'app-profile', InstanceProfileId: 't8rp4wjdip7osn7er6i1', Arn: 'arn:aws:iam::123456789012:instance-profile/app/app-profile'}],
  }

  const encodedTrust = '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D'

  /**
   * The same role's BatchGetResourceConfig item from the emulator, timestamps as the SDK returns them. Its
   * quirks: ARNs without the path, the instance profile's ARN named after the role, and a second profile
   * that does not hold this role (moto lists every profile holding any role).
   */
  const motoItem: BaseConfigurationItem = {
    version: '1.3',
    accountId: '123456789012',
    configurationItemCaptureTime: new Date('2026-11-25T02:29:29.701Z'),
    configurationItemStatus: 'ResourceDiscovered',
    configurationStateId: '1795573792',
    arn: 'arn:aws:iam::123456789012:role/app-role',
    resourceType: 'AWS::IAM::Role',
    resourceId: 'app-role',
    resourceName: 'app-role',
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    resourceCreationTime: new Date('2026-11-25T02:29:29.701Z'),
    configuration: JSON.stringify({
      path: '/app/',
      roleName: 'app-role',
      roleId: 'AROARZPUZDIKEZFCY7ZJQ',
      arn: 'arn:aws:iam::123456789012:role/app-role',
      assumeRolePolicyDocument: encodedTrust,
      instanceProfileList: [
        {
          path: '/app/',
          instanceProfileName: 'app-profile',
          instanceProfileId: 't8rp4wjdip7osn7er6i1',
          arn: 'arn:aws:iam::123456789012:instance-profile/app-role',
          createDate: '2026-11-25 02:29:30.062631',
          roles: [{path: '/app/', roleName: 'app-role', roleId: 'AROARZPUZDIKEZFCY7ZJQ', arn: 'arn:aws:iam::123456789012:role/app-role'}],
        },
        {path: '/', instanceProfileName: 'other', instanceProfileId: 'x', arn: 'arn:aws:iam::123456789012:instance-profile/other-role', roles: [{roleName: 'other-role', roleId: 'AROAOTHER'}]},
      ],
      rolePolicyList: [{policyName: 'inline-logs', policyDocument: '%7B%22Version%22%3A%222012-10-17%22%7D'}],
      createDate: '2026-11-25T02:29:29.701417',
      attachedManagedPolicies: [{policyArn: 'arn:aws:iam::123456789012:policy/team/parity-policy', policyName: 'parity-policy'}],
      permissionsBoundary: 'arn:aws:iam::123456789012:policy/team/parity-policy',
      tags: [
        {key: 'team', value: 'platform'},
        {key: 'Name', value: 'App'},
      ],
      roleLastUsed: null,
    }),
    supplementaryConfiguration: {},
  }

  function expectParity(api: Resource, config: Resource | undefined): void {
    expect(config).toBeDefined()
    expect(config?.configuration).toEqual(api.configuration)
    const identity = (r: Resource | undefined) => r && {arn: r.arn, id: r.id, name: r.name, region: r.region, accountId: r.accountId, tags: r.tags, createdAt: r.createdAt}
    expect(identity(config)).toEqual(identity(api))
    expect(sha256(canonicalJson(config?.configuration))).toBe(sha256(canonicalJson(api.configuration)))
    expect(config?.source).toBe('config')
    expect(config && role.relationships?.(config)).toEqual(role.relationships?.(api))
  }

  it('gives the same resource from the emulator’s Config item as from the direct calls', async () => {
    const api = await role.toResource(direct, ctx)
    const config = role.fromConfigItem?.(motoItem, ctx)
    expectParity(api, config)
    expect(config?.arn).toBe('arn:aws:iam::123456789012:role/app/app-role')
    expect(config?.configuration.InstanceProfiles).toEqual([
      {InstanceProfileName: 'app-profile', InstanceProfileId: 't8rp4wjdip7osn7er6i1', Arn: 'arn:aws:iam::123456789012:instance-profile/app/app-profile'},
    ])
    for (const dropped of ['Description', 'MaxSessionDuration', 'PermissionsBoundary', 'RoleLastUsed']) expect(config?.configuration).not.toHaveProperty(dropped)
  })

  it('maps the documented real-AWS item of another account (aggregator)', async () => {
    const accountId = '444455556666'
    const api = await role.toResource(
      {
        Path: '/aws-service-role/autoscaling.amazonaws.com/',
        RoleName: 'AWSServiceRoleForAutoScaling',
        RoleId: 'AROAREAL1',
        Arn: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        CreateDate: new Date('2020-03-11T00:02:27Z'),
        AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'autoscaling.amazonaws.com'}, Action: 'sts:AssumeRole'}]},
        MaxSessionDuration: 3600,
        Tags: [],
        AttachedPolicies: [{PolicyName: 'AutoScalingServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy'}],
        InlinePolicyNames: [],
        InstanceProfiles: [],
      },
      testContext({region: 'us-east-1', accountId}),
    )
    const config = role.fromConfigItem?.(
      {
        accountId,
        configurationItemStatus: 'OK',
        arn: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        resourceType: 'AWS::IAM::Role',
        resourceId: 'AROAREAL1',
        resourceName: 'AWSServiceRoleForAutoScaling',
        awsRegion: 'global',
        resourceCreationTime: new Date('2020-03-11T00:02:27Z'),
        configuration: JSON.stringify({
          path: '/aws-service-role/autoscaling.amazonaws.com/',
          roleName: 'AWSServiceRoleForAutoScaling',
          roleId: 'AROAREAL1',
          arn: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
          createDate: '2020-03-11T00:02:27.000Z',
          assumeRolePolicyDocument: encodeURIComponent(
            JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'autoscaling.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
          ),
          instanceProfileList: [],
          rolePolicyList: [],
          attachedManagedPolicies: [{policyArn: 'arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy', policyName: 'AutoScalingServiceRolePolicy'}],
          permissionsBoundary: {permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess', permissionsBoundaryType: 'PermissionsBoundaryPolicy'},
          tags: [],
          roleLastUsed: {lastUsedDate: '2024-01-01T00:00:00.000Z', region: 'us-east-1'},
        }),
        supplementaryConfiguration: {},
      },
      testContext({region: 'us-east-1'}),
    )
    expectParity(api, config)
    expect(config?.accountId).toBe(accountId)
  })

  it('gives nothing for a deleted role', () => {
    expect(role.fromConfigItem?.({...motoItem, configurationItemStatus: 'ResourceDeleted'}, ctx)).toBeUndefined()
  })
})
