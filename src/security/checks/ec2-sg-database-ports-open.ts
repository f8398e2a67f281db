import {perResource} from '../evaluate.js'
import {judgeOpenIngress} from '../network-rules.js'
import type {Check} from '../types.js'

/** MySQL/MariaDB, PostgreSQL, SQL Server, Oracle, MongoDB, Redis. */
const databasePorts: readonly number[] = [3306, 5432, 1433, 1521, 27017, 6379]

export const ec2SgDatabasePortsOpen: Check = {
  id: 'ec2-sg-database-ports-open',
  title: 'No security group allows ingress from 0.0.0.0/0 or ::/0 to database ports',
  severity: 'high',
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  risk: 'Databases reachable from the internet are found by scanners within hours and attacked with default credentials and known exploits; data theft and ransom of exposed MongoDB and Redis instances is routine.',
  remediation: {
    text: 'Remove the internet-wide source from the rule and allow the database port only from the application tier (its security group) or known private ranges.',
    cli: `aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions '[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region <region>`,
  },

  evaluate(snapshot) {
    // Database engines listen on TCP only.
    return perResource(snapshot, 'AWS::EC2::SecurityGroup', (resource) =>
      judgeOpenIngress(resource, ['ipv4', 'ipv6'], databasePorts, ['tcp'], 'database ports'),
    )
  },
}
