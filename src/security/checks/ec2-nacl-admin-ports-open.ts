import type {NetworkAcl} from '@aws-sdk/client-ec2'

import {fail, pass, perResource} from '../evaluate.js'
import {adminPorts, anywhere, describeNaclEntry, naclIngress, naclRemediation} from '../network-rules.js'
import type {Check} from '../types.js'

export const ec2NaclAdminPortsOpen: Check = {
  id: 'ec2-nacl-admin-ports-open',
  title: 'No network ACL allows ingress from 0.0.0.0/0 or ::/0 to remote administration ports (22, 3389)',
  severity: 'medium',
  cis: {v4: '5.2', v7: '6.2'},
  resourceTypes: ['AWS::EC2::NetworkAcl'],
  risk: 'A network ACL that lets the internet reach SSH or RDP leaves a single security group mistake between every instance in its subnets and an attacker; the ACL is the layer meant to stop that.',
  remediation: {
    text: 'Add deny entries for ports 22 and 3389 from 0.0.0.0/0 and ::/0 numbered below the allow entry that admits them, or narrow the allow entry to known ranges.',
    cli: 'aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <number below the allow entry> --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny --region <region>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::EC2::NetworkAcl', (resource) => {
      const entries = (resource.configuration as NetworkAcl).Entries ?? []
      const {open, shadowed} = naclIngress(entries, adminPorts)
      if (open.length === 0) {
        const note = shadowed.length === 0 ? '' : `; ${shadowed.map((e) => describeNaclEntry(e)).join(', ')} would, but lower-numbered deny entries come first`
        return pass(`no ingress entry lets ${anywhere.ipv4} or ${anywhere.ipv6} reach ${adminPorts.join(' or ')}${note}`)
      }

      // One sentence per deciding allow entry: `rule 100 (allow all traffic from 0.0.0.0/0) admits tcp/22, udp/22 …`.
      const byEntry = new Map<string, string[]>()
      for (const {entry, transport, port} of open) {
        const key = describeNaclEntry(entry)
        byEntry.set(key, [...(byEntry.get(key) ?? []), `${transport}/${port}`])
      }

      const evidence = [...byEntry].map(([entry, reached]) => `${entry} admits ${reached.join(', ')}`).join('; ')
      return fail(`${resource.id}: ${evidence}`, naclRemediation(resource, entries, open))
    })
  },
}
