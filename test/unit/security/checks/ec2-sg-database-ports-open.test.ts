import {describe, expect, it} from 'vitest'

import {ec2SgDatabasePortsOpen} from '../../../../src/security/checks/ec2-sg-database-ports-open.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {securityGroupItem, sgRule} from '../../../support/security-fixtures.js'

const group = (GroupId: string, IpPermissions: ReturnType<typeof sgRule>[]) =>
  collected('AWS::EC2::SecurityGroup', securityGroupItem({GroupId, GroupName: GroupId.slice(3), IpPermissions}))
const arn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:security-group/${id}`

describe('ec2-sg-database-ports-open', () => {
  it('fails database ports open to 0.0.0.0/0 or ::/0, naming each rule, and revokes only the internet-wide sources', async () => {
    const findings = ec2SgDatabasePortsOpen.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          group('sg-pg', [sgRule({IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{CidrIp: '0.0.0.0/0'}, {CidrIp: '10.0.0.0/8'}]})]),
          group('sg-cache', [
            sgRule({IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, Ipv6Ranges: [{CidrIpv6: '::/0'}]}),
            sgRule({IpProtocol: 'tcp', FromPort: 27000, ToPort: 28000, IpRanges: [{CidrIp: '0.0.0.0/0'}]}),
          ]),
          group('sg-any', [sgRule({IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
        ]),
      }),
    )
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.pg).toMatchObject({status: 'FAIL', evidence: 'sg-pg (pg) allows tcp 5432 from 0.0.0.0/0 reaching 5432'})
    expect(byName.pg?.severity).toBeUndefined()
    expect(byName.cache).toMatchObject({
      status: 'FAIL',
      evidence: 'sg-cache (cache) allows tcp 6379 from ::/0 reaching 6379; tcp 27000-28000 from 0.0.0.0/0 reaching 27017',
    })
    expect(byName.cache?.remediation).toBe(
      `aws ec2 revoke-security-group-ingress --group-id sg-cache --ip-permissions '[{"IpProtocol":"tcp","FromPort":6379,"ToPort":6379,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]},{"IpProtocol":"tcp","FromPort":27000,"ToPort":28000,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region us-east-1`,
    )
    expect(byName.any).toMatchObject({status: 'FAIL', severity: 'critical', evidence: 'sg-any (any) allows all traffic from 0.0.0.0/0 reaching 3306, 5432, 1433, 1521, 27017, 6379'})
  })

  it('passes database ports reachable only from private ranges or other groups, UDP rules, and web ports', async () => {
    const findings = ec2SgDatabasePortsOpen.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          group('sg-private', [
            sgRule({IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{CidrIp: '10.0.0.0/8'}]}),
            sgRule({IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: 'sg-app', UserId: '123456789012'}]}),
          ]),
          group('sg-udp', [sgRule({IpProtocol: 'udp', FromPort: 1000, ToPort: 7000, IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
          group('sg-web', [sgRule({IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`PASS ${arn('sg-private')}`, `PASS ${arn('sg-udp')}`, `PASS ${arn('sg-web')}`])
    expect(findings[0]?.evidence).toBe('no ingress from 0.0.0.0/0 or ::/0 to database ports (3306, 5432, 1433, 1521, 27017, 6379)')
  })

  it('is UNKNOWN for a region whose security groups were denied', async () => {
    const findings = ec2SgDatabasePortsOpen.evaluate(
      scanSnapshot({cells: {'AWS::EC2::SecurityGroup': [{region: 'us-east-1', status: 'access_denied', error: 'ec2:DescribeSecurityGroups denied'}]}}),
    )
    expect(findings).toMatchObject([{status: 'UNKNOWN', resource: '123456789012/us-east-1', evidence: expect.stringContaining('access_denied')}])
  })
})
