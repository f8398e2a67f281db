import type {SecurityGroup} from '@aws-sdk/client-ec2'

import {counted} from '../../words.js'
import {fail, pass, perCell} from '../evaluate.js'
import {describePermission, revokeCommand} from '../network-rules.js'
import type {Check} from '../types.js'

export const ec2DefaultSgAllowsTraffic: Check = {
  id: 'ec2-default-sg-allows-traffic',
  title: 'The default security group of every VPC restricts all traffic',
  severity: 'medium',
  cis: {v4: '5.5', v7: '6.5'},
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  risk: 'Anything launched without an explicit security group lands in the default group; rules there silently apply to resources nobody meant to expose, and members can reach each other on every port.',
  remediation: {
    text: 'Move resources to purpose-built security groups, then remove every inbound and outbound rule from the default group (it cannot be deleted).',
    cli: `aws ec2 revoke-security-group-ingress --group-id <default-group-id> --ip-permissions '<its inbound rules>' --region <region> && aws ec2 revoke-security-group-egress --group-id <default-group-id> --ip-permissions '<its outbound rules>' --region <region>`,
  },

  evaluate(snapshot) {
    // Only the groups named `default` are judged: every VPC has exactly one, the default VPC's included.
    return perCell(snapshot, 'AWS::EC2::SecurityGroup', (_cell, resources) =>
      resources
        .filter((r) => (r.configuration as SecurityGroup).GroupName === 'default')
        .map((resource) => {
          const group = resource.configuration as SecurityGroup
          const ingress = group.IpPermissions ?? []
          const egress = group.IpPermissionsEgress ?? []
          if (ingress.length === 0 && egress.length === 0) return {resource, verdict: pass(`default group of ${group.VpcId ?? 'its VPC'} has no rules`)}
          const rules = [...ingress.map((p) => `inbound ${describePermission(p, 'ingress')}`), ...egress.map((p) => `outbound ${describePermission(p, 'egress')}`)]
          const commands = [
            ...(ingress.length > 0 ? [revokeCommand('ingress', resource, ingress)] : []),
            ...(egress.length > 0 ? [revokeCommand('egress', resource, egress)] : []),
          ]
          // Whatever still uses the group loses that traffic: the comment says so where the command is copied.
          const warning = '  # instances and interfaces still in the group lose this traffic: move them to groups of their own first'
          return {resource, verdict: fail(`default group ${resource.id} of ${group.VpcId ?? 'its VPC'} has ${counted(rules.length, 'rule')}: ${rules.join('; ')}`, `${commands.join(' && ')}${warning}`)}
        }),
    )
  },
}
