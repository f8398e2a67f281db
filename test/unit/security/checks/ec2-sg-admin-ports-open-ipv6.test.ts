import {describe, expect, it} from 'vitest'

import {ec2SgAdminPortsOpenIpv6} from '../../../../src/security/checks/ec2-sg-admin-ports-open-ipv6.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {securityGroupItem, sgRule} from '../../../support/security-fixtures.js'

const group = (GroupId: string, IpPermissions: ReturnType<typeof sgRule>[]) =>
  collected('AWS::EC2::SecurityGroup', securityGroupItem({GroupId, GroupName: GroupId.slice(3), IpPermissions}))
const arn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:security-group/${id}`

describe('ec2-sg-admin-ports-open-ipv6', () => {
  it('fails ::/0 rules reaching 22 or 3389 (critical for all traffic) and passes 0.0.0.0/0-only rules', async () => {
    const findings = ec2SgAdminPortsOpenIpv6.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          // As the emulator returned it: a range covering 3389, open to ::/0 only.
          group('sg-range', [sgRule({IpProtocol: 'tcp', FromPort: 3000, ToPort: 3400, Ipv6Ranges: [{CidrIpv6: '::/0'}]})]),
          group('sg-all', [sgRule({IpProtocol: '-1', Ipv6Ranges: [{CidrIpv6: '::/0', Description: 'anything'}]})]),
          group('sg-v4', [sgRule({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
          group('sg-narrow', [sgRule({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{CidrIpv6: '2001:db8::/32'}]})]),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('sg-all')}`, `FAIL ${arn('sg-range')}`, `PASS ${arn('sg-narrow')}`, `PASS ${arn('sg-v4')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.range).toMatchObject({evidence: 'sg-range (range) allows tcp 3000-3400 from ::/0 reaching 3389'})
    expect(byName.range?.remediation).toBe(
      `aws ec2 revoke-security-group-ingress --group-id sg-range --ip-permissions '[{"IpProtocol":"tcp","FromPort":3000,"ToPort":3400,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]' --region us-east-1`,
    )
    expect(byName.all).toMatchObject({severity: 'critical', evidence: 'sg-all (all) allows all traffic from ::/0 (anything) reaching 22, 3389'})
    expect(byName.v4?.evidence).toBe('no ingress from ::/0 to administration ports (22, 3389)')
  })

  it('fails the whole internet however the rule writes it, and revokes it as written', async () => {
    const [finding] = ec2SgAdminPortsOpenIpv6.evaluate(
      scanSnapshot({resources: [await group('sg-alt', [sgRule({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{CidrIpv6: '0::/0'}]})])]}),
    )
    expect(finding).toMatchObject({status: 'FAIL', evidence: 'sg-alt (alt) allows tcp 22 from 0::/0 reaching 22'})
    expect(finding?.remediation).toContain(`"Ipv6Ranges":[{"CidrIpv6":"0::/0"}]`)
  })

  it('is UNKNOWN when security groups were not part of the snapshot', () => {
    expect(ec2SgAdminPortsOpenIpv6.evaluate(scanSnapshot({cells: {'AWS::EC2::SecurityGroup': []}}))).toMatchObject([
      {status: 'UNKNOWN', resource: '123456789012', evidence: 'AWS::EC2::SecurityGroup was not collected in this snapshot'},
    ])
  })
})
