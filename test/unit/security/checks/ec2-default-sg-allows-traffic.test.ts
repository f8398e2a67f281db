import {describe, expect, it} from 'vitest'

import {ec2DefaultSgAllowsTraffic} from '../../../../src/security/checks/ec2-default-sg-allows-traffic.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {securityGroupItem, sgRule} from '../../../support/security-fixtures.js'

const arn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:security-group/${id}`

describe('ec2-default-sg-allows-traffic', () => {
  it('fails a default group with rules, listing them, and revokes every rule in both directions', async () => {
    const findings = ec2DefaultSgAllowsTraffic.evaluate(
      scanSnapshot({
        resources: [
          // The default VPC's group as AWS creates it: members reach each other, everything may go out.
          await collected(
            'AWS::EC2::SecurityGroup',
            securityGroupItem({
              GroupId: 'sg-default',
              GroupName: 'default',
              Description: 'default VPC security group',
              IpPermissions: [sgRule({IpProtocol: '-1', UserIdGroupPairs: [{GroupId: 'sg-default', UserId: '123456789012'}]})],
            }),
          ),
        ],
      }),
    )
    expect(findings).toMatchObject([
      {
        status: 'FAIL',
        resource: arn('sg-default'),
        evidence: 'default group sg-default of vpc-24b7f372be1745842 has 2 rules: inbound all traffic from sg-default; outbound all traffic to 0.0.0.0/0',
      },
    ])
    expect(findings[0]?.remediation).toBe(
      `aws ec2 revoke-security-group-ingress --group-id sg-default --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-default"}]}]' --region us-east-1` +
        ` && aws ec2 revoke-security-group-egress --group-id sg-default --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region us-east-1` +
        '  # instances and interfaces still in the group lose this traffic: move them to groups of their own first',
    )
  })

  it('fails the emulator-style default group with only the egress rule, with only an egress revoke', async () => {
    const findings = ec2DefaultSgAllowsTraffic.evaluate(
      scanSnapshot({resources: [await collected('AWS::EC2::SecurityGroup', securityGroupItem({GroupId: 'sg-default', GroupName: 'default'}))]}),
    )
    expect(findings[0]).toMatchObject({status: 'FAIL', evidence: expect.stringContaining('has 1 rule: outbound all traffic to 0.0.0.0/0')})
    expect(findings[0]?.remediation).toMatch(/^aws ec2 revoke-security-group-egress --group-id sg-default /)
  })

  it('passes a default group without rules and does not judge other groups', async () => {
    const findings = ec2DefaultSgAllowsTraffic.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          collected('AWS::EC2::SecurityGroup', securityGroupItem({GroupId: 'sg-empty', GroupName: 'default', IpPermissionsEgress: []})),
          collected('AWS::EC2::SecurityGroup', securityGroupItem({GroupId: 'sg-web', GroupName: 'web', IpPermissions: [sgRule({IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]})]})),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`PASS ${arn('sg-empty')}`])
    expect(findings[0]?.evidence).toBe('default group of vpc-24b7f372be1745842 has no rules')
  })

  it('is UNKNOWN for a region whose security groups were not collected', () => {
    const findings = ec2DefaultSgAllowsTraffic.evaluate(scanSnapshot({cells: {'AWS::EC2::SecurityGroup': [{region: 'eu-west-1', status: 'error', error: 'timeout'}]}}))
    expect(verdicts(findings)).toEqual(['UNKNOWN 123456789012/eu-west-1'])
  })
})
