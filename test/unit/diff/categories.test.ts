import {describe, expect, it} from 'vitest'

import {categorize, pathStartsWith, resourceCategory} from '../../../src/diff/categories.js'
import type {PathSegment} from '../../../src/diff/path.js'

const path = (...names: Array<string | number>): PathSegment[] => names.map((n) => (typeof n === 'number' ? {index: n} : n.startsWith('#') ? {key: n.slice(1)} : {field: n}))

describe('categorize', () => {
  it('puts tags, state, security and configuration apart', () => {
    expect(categorize(path('Tags', '#env'))).toBe('tags')
    expect(categorize(path('State', 'Name'))).toBe('state')
    expect(categorize(path('Status'))).toBe('state')
    expect(categorize(path('IpPermissions', '#tcp:22'))).toBe('security')
    expect(categorize(path('Policy', 'Statement', '#A', 'Effect'))).toBe('security')
    expect(categorize(path('AssumeRolePolicyDocument'))).toBe('security')
    expect(categorize(path('PublicAccessBlockConfiguration', 'BlockPublicAcls'))).toBe('security')
    expect(categorize(path('ServerSideEncryptionConfiguration'))).toBe('security')
    expect(categorize(path('AttachedPolicies', '#arn'))).toBe('security')
    expect(categorize(path('SecurityGroups', '#sg-1'))).toBe('security')
    expect(categorize(path('InstanceType'))).toBe('configuration')
    expect(categorize(path('CidrBlock'))).toBe('configuration')
  })

  it('takes the spec first: its state fields, then its security fields', () => {
    expect(categorize(path('PublicIpAddress'), {stateFields: ['PublicIpAddress']})).toBe('state')
    expect(categorize(path('NetworkInterfaces', '#eni-1', 'Association', 'PublicIp'), {stateFields: ['NetworkInterfaces.*.Association']})).toBe('state')
    expect(categorize(path('Runtime'), {securityFields: ['Runtime']})).toBe('security')
  })

  it('counts every change inside a policy document as security, whatever the field holding it is called', () => {
    expect(categorize(path('Document', 'Statement', '#Read', 'Action', 0))).toBe('security')
    expect(categorize(path('Document', 'Statement', '#{"Action":["s3:*"]}'))).toBe('security')
    expect(categorize(path('DataProtectionPolicy', 'Statement', '#Audit', 'Operation'))).toBe('security')
  })

  it('takes the spec’s configuration fields over names that read as security, but not over its security fields', () => {
    const queue = {configurationFields: ['RedrivePolicy', 'RedriveAllowPolicy']}
    expect(categorize(path('RedrivePolicy', 'maxReceiveCount'), queue)).toBe('configuration')
    expect(categorize(path('RedriveAllowPolicy'), queue)).toBe('configuration')
    expect(categorize(path('Policy', 'Statement', '#A'), queue)).toBe('security')
    const summary = {configurationFields: ['SummaryMap'], securityFields: ['SummaryMap.AccountMFAEnabled']}
    expect(categorize(path('SummaryMap', 'PolicySizeQuota'), summary)).toBe('configuration')
    expect(categorize(path('SummaryMap', 'AccountMFAEnabled'), summary)).toBe('security')
    expect(categorize(path('Status'), {configurationFields: ['Status']})).toBe('configuration')
    expect(categorize(path('Status'), {configurationFields: ['Status'], stateFields: ['Status']})).toBe('state')
  })
})

describe('pathStartsWith', () => {
  it('matches at or under a spec path, `*` for any element', () => {
    expect(pathStartsWith(['A', '*', 'B', 'C'], 'A.*.B')).toBe(true)
    expect(pathStartsWith(['A', '*', 'X'], 'A.*.B')).toBe(false)
    expect(pathStartsWith(['A'], 'A.*.B')).toBe(false)
  })
})

describe('resourceCategory', () => {
  it('counts identity and network-access types as security', () => {
    expect(resourceCategory('AWS::IAM::Role')).toBe('security')
    expect(resourceCategory('AWS::EC2::SecurityGroup')).toBe('security')
    expect(resourceCategory('AWS::EC2::Volume')).toBe('configuration')
  })
})
