import {counted} from '../../words.js'
import type {RoleItem} from '../../resources/iam/role.js'
import {fail, pass, perCell} from '../evaluate.js'
import {attachedPolicyArns, entityKind} from '../iam.js'
import {shellQuote} from '../policy-document.js'
import type {Check} from '../types.js'

const supportPolicy = /^arn:[^:]+:iam::aws:policy\/AWSSupportAccess$/

/** Name of the role the remediation creates. */
const supportRoleName = 'aws-support'

export const iamSupportRoleMissing: Check = {
  id: 'iam-support-role-missing',
  title: 'A support role with AWSSupportAccess exists to manage incidents with AWS Support',
  severity: 'low',
  cis: {v4: '1.17', v7: '2.15'},
  // Users and groups holding the policy are named in the evidence; the benchmark asks for a role.
  resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  satisfiedBy: ['AWS::IAM::Role'],
  risk: 'Without a role for AWS Support, opening and following up a case during an incident needs someone with broader rights (often root or an administrator), or waits until such a person is found.',
  remediation: {
    text: 'Create a role the incident responders can assume and attach the AWS managed policy AWSSupportAccess to it.',
    cli: `aws iam create-role --role-name ${supportRoleName} --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::<account>:root"},"Action":"sts:AssumeRole"}]}' && aws iam attach-role-policy --role-name ${supportRoleName} --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess`,
  },

  evaluate(snapshot) {
    // One verdict per account: IAM is global, so each account has one cell (UNKNOWN when roles were not collected).
    return perCell(snapshot, 'AWS::IAM::Role', (cell, roles) => {
      const holding = roles.filter((r) => attachedPolicyArns(r).some((arn) => supportPolicy.test(arn)))
      if (holding.length > 0) return {verdict: pass(`AWSSupportAccess is attached to role ${holding.map((r) => r.id).join(', ')}`)}

      const others = ['AWS::IAM::User', 'AWS::IAM::Group']
        .flatMap((type) => snapshot.resources(type))
        .filter((e) => e.accountId === cell.accountId && attachedPolicyArns(e).some((arn) => supportPolicy.test(arn)))
      const note = others.length === 0 ? '' : ` (it is attached to ${others.map((e) => `${entityKind(e)} ${e.id}`).join(', ')}, but the benchmark asks for a role)`
      const partition = roles[0]?.arn.split(':')[1] || snapshot.resources('AWS::IAM::User')[0]?.arn.split(':')[1] || 'aws'
      const attach = `aws iam attach-role-policy --role-name ${supportRoleName} --policy-arn arn:${partition}:iam::aws:policy/AWSSupportAccess`
      // A role of that name may already exist without the policy: then attaching is all that is left.
      const exists = roles.some((r) => (r.configuration as Partial<RoleItem>).RoleName === supportRoleName)
      const trust = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{Effect: 'Allow', Principal: {AWS: `arn:${partition}:iam::${cell.accountId}:root`}, Action: 'sts:AssumeRole'}],
      })
      const remediation = exists ? attach : `aws iam create-role --role-name ${supportRoleName} --assume-role-policy-document ${shellQuote(trust)} && ${attach}`
      return {verdict: fail(`no role in account ${cell.accountId} has AWSSupportAccess attached (${counted(roles.length, 'role')} collected)${note}`, remediation)}
    })
  },
}
