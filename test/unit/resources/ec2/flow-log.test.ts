import {DeleteFlowLogsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {flowLog} from '../../../../src/resources/ec2/flow-log.js'
import {testContext} from '../../../support/context.js'
import {runItemSteps} from '../../../../src/cleanup/run-item.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {collected} from '../../../support/scan.js'

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
    const resource = await flowLog.toResource({...item, ResourceId: resourceId, LogDestinationType: 'cloud-watch-logs', LogDestination: 'arn:aws:logs:us-east-1:123456789012:log-group:flows'}, ctx)
    expect(flowLog.relationships?.(resource)).toEqual([{type, arn, id: resourceId, kind: 'uses'}])
  })

  it('uses the bucket it delivers to, whatever the prefix, so that it is deleted first', async () => {
    const bucket = {type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::flow-logs', id: 'flow-logs', kind: 'uses'}
    expect(flowLog.relationships?.(await flowLog.toResource(item, ctx))).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'uses'},
      bucket,
    ])
    const prefixed = await flowLog.toResource({...item, ResourceId: 'tgw-1', LogDestination: 'arn:aws:s3:::flow-logs/vpc/rejects/'}, ctx)
    expect(flowLog.relationships?.(prefixed)).toEqual([bucket])
  })

  it('has no edge for resource kinds awsinv does not register (transit gateways)', async () => {
    const resource = await flowLog.toResource({...item, ResourceId: 'tgw-1', LogDestinationType: 'cloud-watch-logs', LogDestination: 'arn:aws:logs:us-east-1:123456789012:log-group:flows'}, ctx)
    expect(flowLog.relationships?.(resource)).toEqual([])
  })
})

describe('AWS::EC2::FlowLog deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const sandboxFlowLog = () => collected(flowLog.type, currentItems['AWS::EC2::FlowLog']![0])

  it('deletes the flow log by its id', async () => {
    expect(flowLog.deleter!.steps(await sandboxFlowLog())).toEqual([
      {action: 'delete-flow-log', description: 'Delete flow log sbx-flow (fl-790088a9d64f0df87)', params: {flowLogId: 'fl-790088a9d64f0df87'}},
    ])
  })

  it('reads the failure AWS reports per flow log: not found is gone', async () => {
    ec2.on(DeleteFlowLogsCommand).resolves({Unsuccessful: [{ResourceId: 'fl-790088a9d64f0df87', Error: {Code: 'InvalidFlowLogId.NotFound', Message: 'not found'}}], $metadata: {requestId: 'r-1'}})
    const result = await runItemSteps(flowLog.deleter!, testDeleteContext(), planItemOf(await sandboxFlowLog()), {signal: new AbortController().signal})
    expect(result).toMatchObject({status: 'gone', steps: [{status: 'gone', requestIds: ['r-1'], detail: 'InvalidFlowLogId.NotFound: not found'}]})
  })
})
