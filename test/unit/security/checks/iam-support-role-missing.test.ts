import {describe, expect, it} from 'vitest'

import {iamSupportRoleMissing} from '../../../../src/security/checks/iam-support-role-missing.js'
import {collected, scanSnapshot} from '../../../support/scan.js'
import {roleItem, userItem} from '../../../support/security-fixtures.js'

const supportAccess = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const createRole = `aws iam create-role --role-name aws-support --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'`
const attach = `aws iam attach-role-policy --role-name aws-support --policy-arn ${supportAccess}`

describe('iam-support-role-missing', () => {
  it('passes an account with a role holding AWSSupportAccess: one verdict for the account', async () => {
    const findings = iamSupportRoleMissing.evaluate(
      scanSnapshot({resources: await Promise.all([collected('AWS::IAM::Role', roleItem('support', [supportAccess])), collected('AWS::IAM::Role', roleItem('app'))])}),
    )
    expect(findings).toEqual([
      {
        status: 'PASS',
        evidence: 'AWSSupportAccess is attached to role support',
        resource: '123456789012',
        resourceType: 'AWS::IAM::Role',
        name: '123456789012',
        accountId: '123456789012',
        region: 'global',
      },
    ])
  })

  it('fails when no role holds it, noting users that do, with commands creating the role', async () => {
    const findings = iamSupportRoleMissing.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          collected('AWS::IAM::Role', roleItem('app')),
          collected('AWS::IAM::User', userItem('bob', {AttachedPolicies: [{PolicyName: 'AWSSupportAccess', PolicyArn: supportAccess}]})),
        ]),
      }),
    )
    expect(findings).toMatchObject([
      {
        status: 'FAIL',
        resource: '123456789012',
        evidence: 'no role in account 123456789012 has AWSSupportAccess attached (1 role collected) (it is attached to user bob, but the benchmark asks for a role)',
        remediation: `${createRole} && ${attach}`,
      },
    ])
  })

  it('fails an account whose roles were collected and none exist, and only attaches when the role exists', async () => {
    const empty = iamSupportRoleMissing.evaluate(scanSnapshot({cells: {'AWS::IAM::Role': [{region: 'global'}]}}))
    expect(empty).toMatchObject([{status: 'FAIL', evidence: 'no role in account 123456789012 has AWSSupportAccess attached (0 roles collected)', remediation: `${createRole} && ${attach}`}])

    const existing = iamSupportRoleMissing.evaluate(scanSnapshot({resources: [await collected('AWS::IAM::Role', roleItem('aws-support'))]}))
    expect(existing).toMatchObject([{status: 'FAIL', remediation: attach}])
  })

  it('is UNKNOWN when roles were not collected, even if a user holds the policy', async () => {
    const findings = iamSupportRoleMissing.evaluate(
      scanSnapshot({
        resources: [await collected('AWS::IAM::User', userItem('bob', {AttachedPolicies: [{PolicyName: 'AWSSupportAccess', PolicyArn: supportAccess}]}))],
        cells: {'AWS::IAM::Role': [{region: 'global', status: 'access_denied', error: 'iam:ListRoles denied'}]},
      }),
    )
    expect(findings).toMatchObject([{status: 'UNKNOWN', resource: '123456789012', evidence: 'AWS::IAM::Role was not collected in 123456789012: access_denied (iam:ListRoles denied)'}])
  })
})
