import type {UserItem} from '../../resources/iam/user.js'
import {fail, pass, perResource} from '../evaluate.js'
import type {Check} from '../types.js'

export const iamUserPolicyAttached: Check = {
  id: 'iam-user-policy-attached',
  title: 'IAM users receive permissions only through groups',
  severity: 'low',
  cis: {v4: '1.15', v7: '2.13'},
  resourceTypes: ['AWS::IAM::User'],
  risk: 'Policies attached to individual users scatter permissions across the account: they are easy to miss in reviews and tend to survive the job change that should have removed them.',
  remediation: {
    text: 'Put the user in a group that carries the permissions, then detach the managed policies from the user and delete its inline policies.',
    cli: 'aws iam detach-user-policy --user-name <user> --policy-arn <policy-arn> && aws iam delete-user-policy --user-name <user> --policy-name <inline-policy>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::IAM::User', (resource) => {
      const user = resource.configuration as Partial<UserItem>
      const attached = user.AttachedPolicies ?? []
      const inline = user.InlinePolicyNames ?? []
      if (attached.length === 0 && inline.length === 0) return pass('no policy attached to the user itself')
      const parts = [
        ...(attached.length > 0 ? [`managed ${attached.map((p) => p.PolicyArn).join(', ')}`] : []),
        ...(inline.length > 0 ? [`inline ${inline.join(', ')}`] : []),
      ]
      const commands = [
        ...attached.map((p) => `aws iam detach-user-policy --user-name ${resource.id} --policy-arn ${p.PolicyArn}`),
        ...inline.map((name) => `aws iam delete-user-policy --user-name ${resource.id} --policy-name ${name}`),
      ]
      return fail(`user ${resource.id} has policies of its own: ${parts.join('; ')}`, commands.join(' && '))
    })
  },
}
