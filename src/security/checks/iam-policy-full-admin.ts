import type {PolicyItem} from '../../resources/iam/policy.js'
import {fail, pass, perResource, unknown} from '../evaluate.js'
import {attachedPolicyArns, entityKind, iamEntities} from '../iam.js'
import {allowsEverything, statementsOf} from '../policy-document.js'
import type {Check} from '../types.js'

export const iamPolicyFullAdmin: Check = {
  id: 'iam-policy-full-admin',
  title: 'No attached customer managed policy allows full "*:*" administrative privileges',
  severity: 'high',
  cis: {v4: '1.16', v7: '2.14'},
  // Users, groups and roles only name who holds the policy (evidence and the detach commands).
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
  risk: 'Whoever holds a policy allowing every action on every resource can do anything in the account, including covering their tracks and locking everyone else out; one compromised holder is a full account compromise.',
  remediation: {
    text: 'Detach the policy from every user, group and role, and grant each of them only the actions they need (a new policy version without the "*" on "*" statement).',
    cli: 'aws iam detach-role-policy --role-name <role> --policy-arn <policy-arn>',
  },

  evaluate(snapshot) {
    const entities = iamEntities(snapshot)
    return perResource(snapshot, 'AWS::IAM::Policy', (resource) => {
      const policy = resource.configuration as Partial<PolicyItem>
      if (policy.Document === undefined) return unknown(`the default version (${policy.DefaultVersionId ?? '?'}) of ${resource.name} was not recorded`)
      const statements = statementsOf(policy.Document)
      const offending = statements.map((s, i) => ({s, i})).filter(({s}) => allowsEverything(s))
      if (offending.length === 0) return pass(`default version ${policy.DefaultVersionId ?? '?'} allows no action "*" on resource "*"`)
      const which = offending.map(({s, i}) => (s.Sid ? `statement ${s.Sid}` : `statement #${i + 1}`)).join(', ')
      const grants = `default version ${policy.DefaultVersionId ?? '?'} of ${resource.name} allows "*" on "*" (${which})`
      if (policy.AttachmentCount === 0) return pass(`${grants} but is attached to nothing`)
      if (policy.AttachmentCount === undefined) return unknown(`${grants}; whether it is attached was not recorded`)

      const holders = entities.filter((e) => e.accountId === resource.accountId && attachedPolicyArns(e).includes(resource.arn))
      const named = holders.map((e) => `${entityKind(e)} ${e.id}`)
      const unnamed = policy.AttachmentCount - holders.length
      const attachedTo = [...named, ...(unnamed > 0 ? [`${unnamed} ${named.length > 0 ? 'more ' : ''}entit${unnamed === 1 ? 'y' : 'ies'} not in the snapshot`] : [])]
      const commands = holders.map((e) => `aws iam detach-${entityKind(e)}-policy --${entityKind(e)}-name ${e.id} --policy-arn ${resource.arn}`)
      // Holders outside the snapshot (their type was not collected) are found with list-entities-for-policy.
      if (unnamed > 0) commands.push(`aws iam list-entities-for-policy --policy-arn ${resource.arn}  # then detach it from each entity listed`)
      return fail(`${grants} and is attached to ${attachedTo.join(', ')}`, commands.join(' && '))
    })
  },
}
