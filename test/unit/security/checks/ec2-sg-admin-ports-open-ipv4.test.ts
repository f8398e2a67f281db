import {describe, expect, it} from 'vitest'

import {ec2SgAdminPortsOpenIpv4} from '../../../../src/security/checks/ec2-sg-admin-ports-open-ipv4.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {securityGroupItem, sgRule} from '../../../support/security-fixtures.js'

const group = (GroupId: string, IpPermissions: ReturnType<typeof sgRule>[], region = 'us-east-1') =>
  collected('AWS::EC2::SecurityGroup', securityGroupItem({GroupId, GroupName: GroupId.slice(3), IpPermissions}), region)
const arn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:security-group/${id}`
const evaluate = async (...groups: Array<Promise<Awaited<ReturnType<typeof group>>>>) =>
  ec2SgAdminPortsOpenIpv4.evaluate(scanSnapshot({resources: await Promise.all(groups)}))

describe('ec2-sg-admin-ports-open-ipv4', () => {
  it('fails SSH open to 0.0.0.0/0 and names the rule, with a command revoking exactly that source', async () => {
    const findings = await evaluate(
      group('sg-ssh', [sgRule({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{Description: 'ssh', CidrIp: '0.0.0.0/0'}, {CidrIp: '10.0.0.0/8'}]})]),
    )
    expect(findings).toMatchObject([{status: 'FAIL', resource: arn('sg-ssh'), evidence: 'sg-ssh (ssh) allows tcp 22 from 0.0.0.0/0 (ssh) reaching 22'}])
    expect(findings[0]?.severity).toBeUndefined()
    expect(findings[0]?.remediation).toBe(
      `aws ec2 revoke-security-group-ingress --group-id sg-ssh --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region us-east-1`,
    )
  })

  it('fails port ranges that cover 22 or 3389, over TCP or UDP, and all traffic (critical)', async () => {
    const findings = await evaluate(
      group('sg-range', [sgRule({IpProtocol: 'tcp', FromPort: 3000, ToPort: 3400, IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
      group('sg-rdp-udp', [sgRule({IpProtocol: 'udp', FromPort: 3389, ToPort: 3389, IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
      group('sg-all', [sgRule({IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
      group('sg-every-port', [sgRule({IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{CidrIp: '0.0.0.0/0'}]})]),
    )
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.range).toMatchObject({status: 'FAIL', evidence: 'sg-range (range) allows tcp 3000-3400 from 0.0.0.0/0 reaching 3389'})
    expect(byName.range?.severity).toBeUndefined()
    expect(byName['rdp-udp']).toMatchObject({status: 'FAIL', evidence: expect.stringContaining('udp 3389 from 0.0.0.0/0')})
    expect(byName.all).toMatchObject({status: 'FAIL', severity: 'critical', evidence: 'sg-all (all) allows all traffic from 0.0.0.0/0 reaching 22, 3389'})
    // Protocol -1 rules carry no ports: the command must not invent any.
    expect(byName.all?.remediation).toContain(`'[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`)
    expect(byName['every-port']).toMatchObject({status: 'FAIL', severity: 'critical', evidence: expect.stringContaining('tcp all ports from 0.0.0.0/0')})
  })

  it('passes rules from narrower sources, over ::/0 only, to other ports, or for ICMP', async () => {
    const findings = await evaluate(
      group('sg-office', [sgRule({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '203.0.113.0/24'}]})]),
      group('sg-v6', [sgRule({IpProtocol: 'tcp', FromPort: 3000, ToPort: 3400, Ipv6Ranges: [{CidrIpv6: '::/0'}]})]),
      group('sg-web', [
        sgRule({IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0'}]}),
        sgRule({IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{CidrIp: '0.0.0.0/0'}]}),
        sgRule({IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{CidrIp: '0.0.0.0/0'}]}),
        sgRule({IpProtocol: '-1', UserIdGroupPairs: [{GroupId: 'sg-web', UserId: '123456789012'}]}),
      ]),
      group('sg-empty', []),
    )
    expect(verdicts(findings)).toEqual([`PASS ${arn('sg-empty')}`, `PASS ${arn('sg-office')}`, `PASS ${arn('sg-v6')}`, `PASS ${arn('sg-web')}`])
    expect(findings[0]?.evidence).toBe('no ingress from 0.0.0.0/0 to administration ports (22, 3389)')
  })

  it('is UNKNOWN for a region whose security groups were not collected', async () => {
    const findings = ec2SgAdminPortsOpenIpv4.evaluate(
      scanSnapshot({
        resources: [await group('sg-empty', [])],
        cells: {'AWS::EC2::SecurityGroup': [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'throttled', error: 'Rate exceeded'}]},
      }),
    )
    expect(verdicts(findings)).toEqual([`PASS ${arn('sg-empty')}`, 'UNKNOWN 123456789012/eu-west-1'])
    expect(findings[1]?.evidence).toContain('throttled (Rate exceeded)')
  })
})
