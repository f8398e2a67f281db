import {describe, expect, it} from 'vitest'

import {instanceProfile, type InstanceProfileItem} from '../../../../src/resources/iam/instance-profile.js'
import {testContext} from '../../../support/context.js'

const appProfile: InstanceProfileItem = {
  Path: '/',
  InstanceProfileName: 'app-profile',
  InstanceProfileId: 'AIPAEXAMPLE1',
  Arn: 'arn:aws:iam::123456789012:instance-profile/app-profile',
  CreateDate: new Date('2024-04-04T04:04:04Z'),
  Roles: [{Path: '/app/', RoleName: 'app-role', RoleId: 'AROA1', Arn: 'arn:aws:iam::123456789012:role/app/app-role', CreateDate: new Date('2024-04-01T00:00:00Z')}],
  Tags: [{Key: 'env', Value: 'dev'}],
}

const emptyProfile: InstanceProfileItem = {
  Path: '/',
  InstanceProfileName: 'empty',
  InstanceProfileId: 'AIPA2',
  Arn: 'arn:aws:iam::123456789012:instance-profile/empty',
  CreateDate: undefined,
  Roles: [],
  Tags: [],
}

describe('AWS::IAM::InstanceProfile', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource and uses the roles it holds', async () => {
    const resource = await instanceProfile.toResource(appProfile, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:instance-profile/app-profile',
      type: 'AWS::IAM::InstanceProfile',
      id: 'app-profile',
      name: 'app-profile',
      region: 'global',
      createdAt: '2024-04-04T04:04:04.000Z',
      tags: {env: 'dev'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({Roles: [{RoleName: 'app-role', CreateDate: '2024-04-01T00:00:00.000Z'}]})
    expect(instanceProfile.relationships?.(resource)).toEqual([
      {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/app/app-role', kind: 'uses'},
    ])
  })

  it('uses nothing when it holds no role', async () => {
    const resource = await instanceProfile.toResource(emptyProfile, ctx)
    expect(resource.createdAt).toBeNull()
    expect(instanceProfile.relationships?.(resource)).toEqual([])
  })
})

describe('AWS::IAM::InstanceProfile deleter', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('takes its role out, then deletes the profile', async () => {
    const resource = await instanceProfile.toResource(appProfile, ctx)
    expect(instanceProfile.deleter?.steps(resource)).toEqual([
      {
        action: 'remove-role-from-instance-profile',
        description: 'Remove role app-role from instance profile app-profile',
        params: {instanceProfileName: 'app-profile', roleName: 'app-role'},
      },
      {action: 'delete-instance-profile', description: 'Delete instance profile app-profile', params: {instanceProfileName: 'app-profile'}},
    ])
  })

  it('deletes an empty profile in one step', async () => {
    const resource = await instanceProfile.toResource(emptyProfile, ctx)
    expect(instanceProfile.deleter?.steps(resource)).toEqual([{action: 'delete-instance-profile', description: 'Delete instance profile empty', params: {instanceProfileName: 'empty'}}])
  })
})
