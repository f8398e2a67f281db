import {describe, expect, it} from 'vitest'

import {ec2VpcFlowLogsMissing} from '../../../../src/security/checks/ec2-vpc-flow-logs-missing.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {flowLogItem, vpcItem} from '../../../support/security-fixtures.js'

const vpc = (id: string, isDefault = false, region = 'us-east-1') => collected('AWS::EC2::VPC', vpcItem(id, isDefault), region)
const arn = (id: string, region = 'us-east-1') => `arn:aws:ec2:${region}:123456789012:vpc/${id}`

describe('ec2-vpc-flow-logs-missing', () => {
  it('passes VPCs with an active flow log of REJECT or ALL traffic and fails the others, default VPC included', async () => {
    const findings = ec2VpcFlowLogsMissing.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          vpc('vpc-default', true),
          vpc('vpc-app'),
          vpc('vpc-accept'),
          vpc('vpc-all'),
          collected('AWS::EC2::FlowLog', flowLogItem('fl-app', 'vpc-app')),
          collected('AWS::EC2::FlowLog', flowLogItem('fl-accept', 'vpc-accept', {TrafficType: 'ACCEPT'})),
          collected('AWS::EC2::FlowLog', flowLogItem('fl-all', 'vpc-all', {TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogDestination: undefined, LogGroupName: 'vpc-flow'})),
          // A flow log on a subnet is not a flow log of the VPC.
          collected('AWS::EC2::FlowLog', flowLogItem('fl-subnet', 'subnet-78895c7b55011fd68')),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('vpc-accept')}`, `FAIL ${arn('vpc-default')}`, `PASS ${arn('vpc-all')}`, `PASS ${arn('vpc-app')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName['vpc-default']).toMatchObject({
      evidence: 'VPC vpc-default (default VPC) has no flow log',
      remediation:
        'aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-default --traffic-type REJECT --log-destination-type s3 --log-destination arn:aws:s3:::<flow-log-bucket> --region us-east-1',
    })
    expect(byName['vpc-accept']?.evidence).toBe('VPC vpc-accept has no active flow log capturing rejected traffic: fl-accept (ACTIVE, ACCEPT traffic)')
    expect(byName['vpc-app']?.evidence).toBe('flow log fl-app captures REJECT traffic to arn:aws:s3:::flow-bucket')
    expect(byName['vpc-all']?.evidence).toBe('flow log fl-all captures ALL traffic to vpc-flow')
  })

  it('fails a VPC whose only flow log fails to deliver its logs', async () => {
    const failing = flowLogItem('fl-app', 'vpc-app', {DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Access error'})
    const findings = ec2VpcFlowLogsMissing.evaluate(scanSnapshot({resources: await Promise.all([vpc('vpc-app'), collected('AWS::EC2::FlowLog', failing)])}))
    expect(findings).toMatchObject([{status: 'FAIL', evidence: 'VPC vpc-app has no active flow log capturing rejected traffic: fl-app (ACTIVE, REJECT traffic, delivery FAILED: Access error)'}])
  })

  it("does not count another region's flow logs", async () => {
    const findings = ec2VpcFlowLogsMissing.evaluate(
      scanSnapshot({
        resources: await Promise.all([vpc('vpc-app'), collected('AWS::EC2::FlowLog', flowLogItem('fl-app', 'vpc-app'), 'eu-west-1')]),
        cells: {'AWS::EC2::FlowLog': [{region: 'us-east-1'}, {region: 'eu-west-1'}]},
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('vpc-app')}`])
  })

  it('is UNKNOWN for a VPC whose region lacks flow log data, and for a region whose VPCs were not collected', async () => {
    const findings = ec2VpcFlowLogsMissing.evaluate(
      scanSnapshot({
        resources: await Promise.all([vpc('vpc-app'), vpc('vpc-eu', false, 'eu-west-1')]),
        cells: {
          'AWS::EC2::VPC': [{region: 'us-east-1'}, {region: 'eu-west-1'}, {region: 'ap-south-1', status: 'error', error: 'timeout'}],
          'AWS::EC2::FlowLog': [{region: 'us-east-1', status: 'access_denied', error: 'ec2:DescribeFlowLogs denied'}],
        },
      }),
    )
    expect(verdicts(findings)).toEqual(['UNKNOWN 123456789012/ap-south-1', `UNKNOWN ${arn('vpc-eu', 'eu-west-1')}`, `UNKNOWN ${arn('vpc-app')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName['vpc-app']?.evidence).toBe('AWS::EC2::FlowLog was not collected in 123456789012/us-east-1: access_denied (ec2:DescribeFlowLogs denied)')
    expect(byName['vpc-eu']?.evidence).toBe('AWS::EC2::FlowLog was not collected in 123456789012/eu-west-1')
  })
})
