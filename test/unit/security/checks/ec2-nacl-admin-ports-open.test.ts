import type {NetworkAclEntry} from '@aws-sdk/client-ec2'
import {describe, expect, it} from 'vitest'

import {ec2NaclAdminPortsOpen} from '../../../../src/security/checks/ec2-nacl-admin-ports-open.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {defaultNaclEntries, networkAclItem} from '../../../support/security-fixtures.js'

const acl = (id: string, entries: NetworkAclEntry[], IsDefault = false) => collected('AWS::EC2::NetworkAcl', networkAclItem(id, entries, {IsDefault}))
const evaluate = async (id: string, entries: NetworkAclEntry[], IsDefault = false) =>
  ec2NaclAdminPortsOpen.evaluate(scanSnapshot({resources: [await acl(id, entries, IsDefault)]}))[0]
const ingress = (RuleNumber: number, RuleAction: 'allow' | 'deny', Protocol: string, source: string, port?: [number, number]): NetworkAclEntry => ({
  ...(source.includes(':') ? {Ipv6CidrBlock: source} : {CidrBlock: source}),
  Egress: false,
  ...(port ? {PortRange: {From: port[0], To: port[1]}} : {}),
  Protocol,
  RuleAction,
  RuleNumber,
})

describe('ec2-nacl-admin-ports-open', () => {
  it("fails a VPC's default ACL (allow all at 100) and denies each port just below the allow entry", async () => {
    const finding = await evaluate('acl-default', defaultNaclEntries, true)
    expect(finding).toMatchObject({
      status: 'FAIL',
      resource: 'arn:aws:ec2:us-east-1:123456789012:network-acl/acl-default',
      evidence: 'acl-default: rule 100 (allow all traffic from 0.0.0.0/0) admits tcp/22, udp/22, tcp/3389, udp/3389',
    })
    expect(finding?.remediation?.split(' && ')).toEqual([
      'aws ec2 create-network-acl-entry --network-acl-id acl-default --ingress --rule-number 99 --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny --region us-east-1',
      'aws ec2 create-network-acl-entry --network-acl-id acl-default --ingress --rule-number 98 --protocol udp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny --region us-east-1',
      'aws ec2 create-network-acl-entry --network-acl-id acl-default --ingress --rule-number 97 --protocol tcp --port-range From=3389,To=3389 --cidr-block 0.0.0.0/0 --rule-action deny --region us-east-1',
      'aws ec2 create-network-acl-entry --network-acl-id acl-default --ingress --rule-number 96 --protocol udp --port-range From=3389,To=3389 --cidr-block 0.0.0.0/0 --rule-action deny --region us-east-1',
    ])
  })

  it('lets a lower-numbered deny for 0.0.0.0/0 shadow a later allow, port by port and protocol by protocol', async () => {
    // As captured from the emulator: deny tcp 22 at 100, allow everything at 200, allow tcp 3389 from ::/0 at 300.
    const finding = await evaluate('acl-mixed', [
      {CidrBlock: '0.0.0.0/0', Egress: false, PortRange: {From: 22, To: 22}, Protocol: '6', RuleAction: 'deny', RuleNumber: 100},
      {CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 200},
      {Egress: false, Ipv6CidrBlock: '::/0', PortRange: {From: 3389, To: 3389}, Protocol: '6', RuleAction: 'allow', RuleNumber: 300},
    ])
    expect(finding).toMatchObject({
      status: 'FAIL',
      evidence: 'acl-mixed: rule 200 (allow all traffic from 0.0.0.0/0) admits udp/22, tcp/3389, udp/3389; rule 300 (allow tcp 3389 from ::/0) admits tcp/3389',
    })
    expect(finding?.remediation).toContain('--rule-number 299 --protocol tcp --port-range From=3389,To=3389 --ipv6-cidr-block ::/0 --rule-action deny')

    const closed = await evaluate('acl-closed', [
      ingress(100, 'deny', '6', '0.0.0.0/0', [22, 22]),
      ingress(101, 'deny', '17', '0.0.0.0/0', [22, 22]),
      ingress(102, 'deny', '6', '0.0.0.0/0', [3389, 3389]),
      ingress(103, 'deny', '17', '0.0.0.0/0', [3389, 3389]),
      ingress(200, 'allow', '-1', '0.0.0.0/0'),
      ingress(32767, 'deny', '-1', '0.0.0.0/0'),
    ])
    expect(closed).toMatchObject({
      status: 'PASS',
      evidence:
        'no ingress entry lets 0.0.0.0/0 or ::/0 reach 22 or 3389; rule 200 (allow all traffic from 0.0.0.0/0) would, but lower-numbered deny entries come first',
    })
  })

  it('does not let a deny for a narrower source shadow an allow for everyone, and fails port ranges covering 22', async () => {
    const finding = await evaluate('acl-range', [ingress(100, 'deny', '6', '203.0.113.0/24', [22, 22]), ingress(110, 'allow', '6', '0.0.0.0/0', [0, 1024])])
    expect(finding).toMatchObject({status: 'FAIL', evidence: 'acl-range: rule 110 (allow tcp 0-1024 from 0.0.0.0/0) admits tcp/22'})
    expect(finding?.remediation).toContain('--rule-number 109 --protocol tcp --port-range From=22,To=22')
  })

  it('deletes nothing when no rule number is free below the allow entry: it says what to renumber', async () => {
    // Deleting an allow-all rule 1 would cut every inbound flow of the subnets.
    const finding = await evaluate('acl-first', [ingress(1, 'allow', '6', '0.0.0.0/0', [22, 22])])
    expect(finding?.remediation).toBe(
      'aws ec2 describe-network-acls --network-acl-ids acl-first --region us-east-1  # no free rule number for a deny of tcp/22 from 0.0.0.0/0 before rule 1: renumber the entries there (replace-network-acl-entry, or delete and re-create them) to make room',
    )
  })

  it('puts the deny above a narrower allow of the same port (an office range), which keeps working', async () => {
    const office = ingress(99, 'allow', '6', '203.0.113.0/24', [22, 22])
    const entries = [ingress(90, 'allow', '6', '198.51.100.0/24', [443, 443]), office, ingress(100, 'allow', '6', '0.0.0.0/0', [22, 22])]
    const finding = await evaluate('acl-office', entries)
    // 98 would deny the office before rule 99 lets it in; there is no number between 99 and 100.
    expect(finding?.remediation).toBe(
      'aws ec2 describe-network-acls --network-acl-ids acl-office --region us-east-1  # no free rule number for a deny of tcp/22 from 0.0.0.0/0 before rule 100 and after rule 99: renumber the entries there (replace-network-acl-entry, or delete and re-create them) to make room',
    )
    const roomy = await evaluate('acl-office', [{...office, RuleNumber: 90}, ingress(100, 'allow', '6', '0.0.0.0/0', [22, 22])])
    expect(roomy?.remediation).toBe(
      'aws ec2 create-network-acl-entry --network-acl-id acl-office --ingress --rule-number 99 --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny --region us-east-1',
    )
  })

  it('passes allows from private ranges, allows to other ports, and egress entries', async () => {
    const finding = await evaluate('acl-private', [
      ingress(100, 'allow', '6', '10.0.0.0/8', [22, 22]),
      ingress(110, 'allow', '6', '0.0.0.0/0', [443, 443]),
      // Return traffic on ephemeral ports (a range starting at 1024 would include 3389, and fail).
      ingress(120, 'allow', '6', '::/0', [49152, 65535]),
      {CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100},
    ])
    expect(finding).toMatchObject({status: 'PASS', evidence: 'no ingress entry lets 0.0.0.0/0 or ::/0 reach 22 or 3389'})
  })

  it('is UNKNOWN for a region whose network ACLs were not collected', async () => {
    const findings = ec2NaclAdminPortsOpen.evaluate(
      scanSnapshot({
        resources: [await acl('acl-private', [ingress(100, 'allow', '6', '10.0.0.0/8', [22, 22])])],
        cells: {'AWS::EC2::NetworkAcl': [{region: 'us-east-1'}, {region: 'ap-south-1', status: 'unsupported_region', error: null}]},
      }),
    )
    expect(verdicts(findings)).toEqual(['PASS arn:aws:ec2:us-east-1:123456789012:network-acl/acl-private', 'UNKNOWN 123456789012/ap-south-1'])
  })
})
