import {describe, expect, it} from 'vitest'

import {group} from '../../../../src/resources/iam/group.js'
import {testContext} from '../../../support/context.js'

const devs = {
  Path: '/eng/',
  GroupName: 'devs',
  GroupId: 'AGPAEXAMPLE1',
  Arn: 'arn:aws:iam::123456789012:group/eng/devs',
  CreateDate: new Date('2021-07-07T07:07:07Z'),
  AttachedPolicies: [
    {PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess'},
    {PolicyName: 'read-things', PolicyArn: 'arn:aws:iam::123456789012:policy/team/read-things'},
  ],
  InlinePolicyNames: ['inline-g'],
}

describe('AWS::IAM::Group', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource from the described group', async () => {
    const resource = await group.toResource(devs, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:group/eng/devs',
      type: 'AWS::IAM::Group',
      id: 'devs',
      name: 'devs',
      region: 'global',
      accountId: '123456789012',
      createdAt: '2021-07-07T07:07:07.000Z',
      tags: {},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({CreateDate: '2021-07-07T07:07:07.000Z', InlinePolicyNames: ['inline-g']})
  })

  it('is attached to customer managed policies only', async () => {
    const resource = await group.toResource(devs, ctx)
    expect(group.relationships?.(resource)).toEqual([
      {type: 'AWS::IAM::Policy', arn: 'arn:aws:iam::123456789012:policy/team/read-things', kind: 'attached-to'},
    ])
  })

  it('is attached to nothing in another partition when only AWS managed policies are attached', async () => {
    const resource = await group.toResource(
      {...devs, Arn: 'arn:aws-cn:iam::123456789012:group/eng/devs', AttachedPolicies: [{PolicyName: 'X', PolicyArn: 'arn:aws-cn:iam::aws:policy/X'}]},
      ctx,
    )
    expect(group.relationships?.(resource)).toEqual([])
  })
})

describe('AWS::IAM::Group deleter', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('detaches its managed policies and deletes its inline ones before the group; members leave through their own steps', async () => {
    const resource = await group.toResource(devs, ctx)
    expect(group.deleter?.steps(resource)).toEqual([
      {
        action: 'detach-group-policy',
        description: 'Detach policy arn:aws:iam::aws:policy/ReadOnlyAccess from group devs',
        params: {groupName: 'devs', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess'},
      },
      {
        action: 'detach-group-policy',
        description: 'Detach policy arn:aws:iam::123456789012:policy/team/read-things from group devs',
        params: {groupName: 'devs', policyArn: 'arn:aws:iam::123456789012:policy/team/read-things'},
      },
      {action: 'delete-group-policy', description: 'Delete inline policy inline-g of group devs', params: {groupName: 'devs', policyName: 'inline-g'}},
      {action: 'delete-group', description: 'Delete group devs', params: {groupName: 'devs'}},
    ])
  })

  it('deletes a group with no policies in one step', async () => {
    const resource = await group.toResource({...devs, AttachedPolicies: [], InlinePolicyNames: []}, ctx)
    expect(group.deleter?.steps(resource)).toEqual([{action: 'delete-group', description: 'Delete group devs', params: {groupName: 'devs'}}])
  })
})
