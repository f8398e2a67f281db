import {describe, expect, it} from 'vitest'

import {iamPolicyFullAdmin} from '../../../../src/security/checks/iam-policy-full-admin.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {policyItem, roleItem, userItem} from '../../../support/security-fixtures.js'

const policyArn = (name: string) => `arn:aws:iam::123456789012:policy/${name}`
const policy = (name: string, document: unknown, attachments = 1) => collected('AWS::IAM::Policy', policyItem(name, document, attachments))
// The emulator's default version document of `aws iam create-policy` with "*" on "*".
const adminDocument = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}

describe('iam-policy-full-admin', () => {
  it('fails an attached policy allowing "*" on "*", naming its holders and detaching it from each', async () => {
    const findings = iamPolicyFullAdmin.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          policy('admin', adminDocument, 2),
          collected('AWS::IAM::User', userItem('bob', {AttachedPolicies: [{PolicyName: 'admin', PolicyArn: policyArn('admin')}]})),
          collected('AWS::IAM::Role', roleItem('ops', [policyArn('admin'), 'arn:aws:iam::aws:policy/AWSSupportAccess'])),
          collected('AWS::IAM::User', userItem('alice')),
        ]),
      }),
    )
    expect(findings).toMatchObject([
      {
        status: 'FAIL',
        resource: policyArn('admin'),
        evidence: 'default version v1 of admin allows "*" on "*" (statement #1) and is attached to user bob, role ops',
      },
    ])
    expect(findings[0]?.remediation?.split(' && ')).toEqual([
      `aws iam detach-user-policy --user-name bob --policy-arn ${policyArn('admin')}`,
      `aws iam detach-role-policy --role-name ops --policy-arn ${policyArn('admin')}`,
    ])
  })

  it('reads a single statement object and arrays of actions and resources', async () => {
    const findings = iamPolicyFullAdmin.evaluate(
      scanSnapshot({
        resources: [await policy('object', {Version: '2012-10-17', Statement: {Sid: 'Everything', Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['arn:aws:s3:::b', '*']}})],
        cells: {'AWS::IAM::User': [], 'AWS::IAM::Group': [], 'AWS::IAM::Role': []},
      }),
    )
    expect(findings).toMatchObject([{status: 'FAIL', evidence: 'default version v1 of object allows "*" on "*" (statement Everything) and is attached to 1 entity not in the snapshot'}])
    expect(findings[0]?.remediation).toBe(`aws iam list-entities-for-policy --policy-arn ${policyArn('object')}  # then detach it from each entity listed`)
  })

  it('passes narrower, denying, NotAction and unattached policies', async () => {
    const findings = iamPolicyFullAdmin.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          policy('s3-all', {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]}),
          policy('one-bucket', {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*'}]}),
          policy('deny-all', {Version: '2012-10-17', Statement: [{Effect: 'Deny', Action: '*', Resource: '*'}]}),
          policy('power-user', {Version: '2012-10-17', Statement: [{Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*'}]}),
          policy('unused-admin', adminDocument, 0),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual(['deny-all', 'one-bucket', 'power-user', 's3-all', 'unused-admin'].map((n) => `PASS ${policyArn(n)}`))
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName['power-user']?.evidence).toBe('default version v1 allows no action "*" on resource "*"')
    expect(byName['unused-admin']?.evidence).toBe('default version v1 of unused-admin allows "*" on "*" (statement #1) but is attached to nothing')
  })

  it('is UNKNOWN without the default version document, and when policies were not collected', async () => {
    const findings = iamPolicyFullAdmin.evaluate(scanSnapshot({resources: [await policy('blank', undefined)]}))
    expect(findings).toMatchObject([{status: 'UNKNOWN', evidence: 'the default version (v1) of blank was not recorded'}])
    expect(verdicts(iamPolicyFullAdmin.evaluate(scanSnapshot({cells: {'AWS::IAM::Policy': []}})))).toEqual(['UNKNOWN 123456789012'])
  })
})
