import type {DBInstance} from '@aws-sdk/client-rds'

import {fail, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'

export const rdsInstancePublic: Check = {
  id: 'rds-instance-public',
  title: 'RDS DB instances are not publicly accessible',
  severity: 'critical',
  cis: {v4: '2.2.3', v7: '3.2.3'},
  resourceTypes: ['AWS::RDS::DBInstance'],
  risk: 'A publicly accessible instance has a DNS name that resolves to a public IP address: only its security groups and the database login stand between the internet and the data, and one loose rule exposes it to scanning and password guessing.',
  remediation: {
    text: 'Turn public accessibility off (the instance keeps its private address) and reach the database from inside the VPC, over a VPN or through a bastion.',
    cli: 'aws rds modify-db-instance --db-instance-identifier <db-instance-id> --no-publicly-accessible --apply-immediately --region <region>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::RDS::DBInstance', (resource) => {
      const db = resource.configuration as DBInstance
      // AWS always reports the flag; without it nothing can be said (the emulator omits it for cluster members).
      if (db.PubliclyAccessible === undefined) return unknown(`instance ${resource.id} has no recorded PubliclyAccessible setting`)
      if (!db.PubliclyAccessible) return pass('not publicly accessible')
      const endpoint = db.Endpoint?.Address ? ` at ${db.Endpoint.Address}:${db.Endpoint.Port ?? '?'}` : ''
      const groups = (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId).filter(Boolean)
      return fail(
        `instance ${resource.id} (${db.Engine ?? 'unknown engine'}) is publicly accessible${endpoint}; security groups: ${groups.length > 0 ? groups.join(', ') : 'none'}`,
        `aws rds modify-db-instance --db-instance-identifier ${resource.id} --no-publicly-accessible --apply-immediately --region ${resource.region}`,
      )
    })
  },
}
