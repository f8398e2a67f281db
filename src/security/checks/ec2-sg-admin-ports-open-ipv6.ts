import {perResource} from '../evaluate.js'
import {adminPorts, judgeOpenIngress} from '../network-rules.js'
import type {Check} from '../types.js'

export const ec2SgAdminPortsOpenIpv6: Check = {
  id: 'ec2-sg-admin-ports-open-ipv6',
  title: 'No security group allows ingress from ::/0 to remote administration ports (22, 3389)',
  severity: 'high',
  cis: {v4: '5.4', v7: '6.4'},
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  risk: 'SSH and RDP open to every IPv6 address are as exposed as over IPv4: a rule for ::/0 is easily overlooked when only 0.0.0.0/0 is reviewed.',
  remediation: {
    text: 'Remove the ::/0 source from the rule (or narrow it to known ranges) and reach instances through Session Manager, a bastion or a VPN instead.',
    cli: `aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]' --region <region>`,
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::EC2::SecurityGroup', (resource) => judgeOpenIngress(resource, ['ipv6'], adminPorts, ['tcp', 'udp'], 'administration ports'))
  },
}
