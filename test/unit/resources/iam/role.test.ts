import {
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {role, type RoleItem} from '../../../../src/resources/iam/role.js'
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
