import {describe, expect, it} from 'vitest'

import {iamUserPolicyAttached} from '../../../../src/security/checks/iam-user-policy-attached.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {userItem} from '../../../support/security-fixtures.js'

const arn = (name: string) => `arn:aws:iam::123456789012:user/${name}`

describe('iam-user-policy-attached', () => {
  it('fails users with managed or inline policies of their own, with commands removing each', async () => {
    const findings = iamUserPolicyAttached.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          // As the emulator returned bob: two managed policies and one inline policy.
          collected(
            'AWS::IAM::User',
            userItem('bob', {
              AttachedPolicies: [
                {PolicyName: 'AWSSupportAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess'},
                {PolicyName: 'admin', PolicyArn: 'arn:aws:iam::123456789012:policy/admin'},
              ],
              InlinePolicyNames: ['inline'],
            }),
          ),
          collected('AWS::IAM::User', userItem('inline-only', {InlinePolicyNames: ['s3-read']})),
          collected('AWS::IAM::User', userItem('alice', {Groups: [{GroupName: 'devs', GroupId: 'AGPADEVS', Arn: 'arn:aws:iam::123456789012:group/devs', Path: '/', CreateDate: new Date('2025-01-01T00:00:00Z')}]})),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('bob')}`, `FAIL ${arn('inline-only')}`, `PASS ${arn('alice')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.bob?.evidence).toBe('user bob has policies of its own: managed arn:aws:iam::aws:policy/AWSSupportAccess, arn:aws:iam::123456789012:policy/admin; inline inline')
    expect(byName.bob?.remediation?.split(' && ')).toEqual([
      'aws iam detach-user-policy --user-name bob --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess',
      'aws iam detach-user-policy --user-name bob --policy-arn arn:aws:iam::123456789012:policy/admin',
      'aws iam delete-user-policy --user-name bob --policy-name inline',
    ])
    expect(byName['inline-only']?.remediation).toBe('aws iam delete-user-policy --user-name inline-only --policy-name s3-read')
    expect(byName.alice?.evidence).toBe('no policy attached to the user itself')
  })

  it('is UNKNOWN when users were not collected', () => {
    expect(verdicts(iamUserPolicyAttached.evaluate(scanSnapshot({cells: {'AWS::IAM::User': [{region: 'global', status: 'error', error: 'boom'}]}})))).toEqual(['UNKNOWN 123456789012'])
  })
})
