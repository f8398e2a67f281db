import {perResource} from '../evaluate.js'
import {adminPorts, judgeOpenIngress} from '../network-rules.js'
import type {Check} from '../types.js'

export const ec2SgAdminPortsOpenIpv4: Check = {
  id: 'ec2-sg-admin-ports-open-ipv4',
  title: 'No security group allows ingress from 0.0.0.0/0 to remote administration ports (22, 3389)',
  severity: 'high',
  cis: {v4: '5.3', v7: '6.3'},
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  risk: 'SSH and RDP open to every IPv4 address are scanned and brute-forced within minutes; one weak or leaked credential, or one unpatched daemon, gives an attacker a shell on every instance in the group.',
  remediation: {
    text: 'Remove the 0.0.0.0/0 source from the rule (or narrow it to known ranges) and reach instances through Session Manager, a bastion or a VPN instead.',
    cli: `aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region <region>`,
  },

  evaluate(snapshot) {
    // UDP counts too: the benchmark names TCP, UDP and all traffic (RDP also listens on UDP 3389).
    return perResource(snapshot, 'AWS::EC2::SecurityGroup', (resource) => judgeOpenIngress(resource, ['ipv4'], adminPorts, ['tcp', 'udp'], 'administration ports'))
  },
}
