import {describe, expect, it} from 'vitest'

import {flowLog} from '../../../../src/resources/ec2/flow-log.js'
import {testContext} from '../../../support/context.js'

describe('AWS::EC2::FlowLog', () => {
  const ctx = testContext()
  const item = {
    FlowLogId: 'fl-1',
    ResourceId: 'vpc-1',
    TrafficType: 'REJECT' as const,
    LogDestinationType: 's3' as const,
    LogDestination: 'arn:aws:s3:::flow-logs',
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: 'SUCCESS',
    CreationTime: new Date('2024-08-08T08:08:08Z'),
    Tags: [{Key: 'Name', Value: 'vpc-rejects'}],
  }

  it('builds the canonical resource from DescribeFlowLogs output', async () => {
    const resource = await flowLog.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-1',
      type: 'AWS::EC2::FlowLog',
      id: 'fl-1',
      name: 'vpc-rejects',
      createdAt: '2024-08-08T08:08:08.000Z',
      tags: {Name: 'vpc-rejects'},
      source: 'api',
    })
  })

  it.each([
    ['vpc-1', 'AWS::EC2::VPC', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1'],
    ['subnet-1', 'AWS::EC2::Subnet', 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1'],
    ['eni-1', 'AWS::EC2::NetworkInterface', 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1'],
  ])('uses the monitored %s', async (resourceId, type, arn) => {
    const resource = await flowLog.toResource({...item, ResourceId: resourceId}, ctx)
    expect(flowLog.relationships?.(resource)).toEqual([{type, arn, id: resourceId, kind: 'uses'}])
  })

  it('has no edge for resource kinds awsinv does not register (transit gateways)', async () => {
    const resource = await flowLog.toResource({...item, ResourceId: 'tgw-1'}, ctx)
    expect(flowLog.relationships?.(resource)).toEqual([])
  })
})
