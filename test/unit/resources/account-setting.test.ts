import {describe, expect, it} from 'vitest'

import {accountSettingArn, accountSettingFromConfig, accountSettingResource} from '../../../src/resources/account-setting.js'
import {testContext} from '../../support/context.js'

const global = {type: 'Account::IAM::PasswordPolicy', service: 'iam', scope: 'global'} as const
const regional = {type: 'Account::EC2::EbsEncryptionByDefault', service: 'ec2', scope: 'regional'} as const

describe('account settings', () => {
  it('have a stable pseudo-ARN: no region for a global setting, the region for a regional one', () => {
    expect(accountSettingArn('aws', 'iam', 'global', '123456789012', 'account-password-policy')).toBe('arn:aws:iam::123456789012:account-password-policy')
    expect(accountSettingArn('aws-cn', 'ec2', 'cn-north-1', '123456789012', 'ebs-encryption-by-default')).toBe(
      'arn:aws-cn:ec2:cn-north-1:123456789012:ebs-encryption-by-default',
    )
  })

  it('are resources with the account as id, the setting as name, no tags and no creation time', () => {
    const ctx = testContext({region: 'eu-west-1'})
    expect(accountSettingResource(ctx, global, 'account-password-policy', {PasswordPolicy: null, Extra: undefined})).toEqual({
      arn: 'arn:aws:iam::123456789012:account-password-policy',
      type: 'Account::IAM::PasswordPolicy',
      id: '123456789012',
      name: 'account-password-policy',
      region: 'global',
      accountId: '123456789012',
      createdAt: null,
      tags: {},
      // "Not configured" stays explicit; undefined fields are dropped as everywhere.
      configuration: {PasswordPolicy: null},
      source: 'api',
      relationships: [],
    })
    expect(accountSettingResource(ctx, regional, 'ebs-encryption-by-default', {EbsEncryptionByDefault: true})).toMatchObject({
      arn: 'arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default',
      region: 'eu-west-1',
    })
  })

  it('read from a Config item take account and region from the item, a global one stored in global', () => {
    const ctx = testContext({region: 'us-east-1'})
    const item = {accountId: '444455556666', awsRegion: 'eu-central-1', resourceId: '444455556666'}
    expect(accountSettingFromConfig(item, ctx, global, 'account-password-policy', {PasswordPolicy: null})).toMatchObject({
      arn: 'arn:aws:iam::444455556666:account-password-policy',
      id: '444455556666',
      accountId: '444455556666',
      region: 'global',
      source: 'config',
    })
    expect(accountSettingFromConfig(item, ctx, regional, 'ebs-encryption-by-default', {})).toMatchObject({
      arn: 'arn:aws:ec2:eu-central-1:444455556666:ebs-encryption-by-default',
      region: 'eu-central-1',
    })
  })
})
