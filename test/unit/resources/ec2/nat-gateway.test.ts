import {DeleteNatGatewayCommand, DescribeNatGatewaysCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {natGateway} from '../../../../src/resources/ec2/nat-gateway.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::NatGateway', () => {
  const ctx = testContext()
  const item = {
    NatGatewayId: 'nat-1',
    SubnetId: 'subnet-pub',
    VpcId: 'vpc-1',
    State: 'available' as const,
    ConnectivityType: 'public' as const,
    CreateTime: new Date('2024-04-04T04:04:04Z'),
    NatGatewayAddresses: [
      {AllocationId: 'eipalloc-1', NetworkInterfaceId: 'eni-nat', PrivateIp: '10.0.0.5', PublicIp: '203.0.113.5', IsPrimary: true},
      {NetworkInterfaceId: 'eni-nat', PrivateIp: '10.0.0.6', IsPrimary: false},
    ],
    Tags: [{Key: 'Name', Value: 'egress'}],
  }

  it('builds the canonical resource from DescribeNatGateways output', async () => {
    const resource = await natGateway.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:natgateway/nat-1',
      type: 'AWS::EC2::NatGateway',
      id: 'nat-1',
      name: 'egress',
      createdAt: '2024-04-04T04:04:04.000Z',
      tags: {Name: 'egress'},
      source: 'api',
    })
    expect(resource.configuration.CreateTime).toBe('2024-04-04T04:04:04.000Z')
  })

  it('uses its subnet and elastic IPs, not its own ENI', async () => {
    const resource = await natGateway.toResource(item, ctx)
    expect(natGateway.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-pub', id: 'subnet-pub', kind: 'uses'},
      {type: 'AWS::EC2::EIP', arn: 'arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-1', id: 'eipalloc-1', kind: 'uses'},
    ])
  })

  it('skips deleted gateways when listing', async () => {
    const ec2 = {
      describeNatGateways: async () => ({NatGateways: [item, {...item, NatGatewayId: 'nat-old', State: 'deleted' as const}]}),
    }
    const pages = []
    for await (const page of natGateway.list(testContext({clients: {get: async () => ec2} as never}))) pages.push(page.map((n) => n.NatGatewayId))
    expect(pages).toEqual([['nat-1']])
  })
})

describe('AWS::EC2::NatGateway deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const deleter = natGateway.deleter!
  const sandboxNat = () => collected(natGateway.type, currentItems['AWS::EC2::NatGateway']![0])

  it('deletes the gateway, taking its network interface along (its Elastic IP is released on its own)', async () => {
    const nat = await sandboxNat()
    expect(deleter.steps(nat)).toEqual([{action: 'delete-nat-gateway', description: 'Delete NAT gateway sbx-nat (nat-cc4d4f34e2687783a)', params: {natGatewayId: 'nat-cc4d4f34e2687783a'}}])
    expect(deleter.includes!(nat, {ofType: () => []})).toEqual([{type: 'AWS::EC2::NetworkInterface', id: 'eni-d684a13bfaf811401'}])
  })

  it('waits while AWS deletes it, and sends no second request', async () => {
    const state = (s: string) => ({NatGateways: [{NatGatewayId: 'nat-cc4d4f34e2687783a', State: s as never}]})
    ec2.on(DescribeNatGatewaysCommand).resolvesOnce(state('available')).resolvesOnce(state('deleting')).resolves(state('deleted'))
    ec2.on(DeleteNatGatewayCommand).resolves({})
    const item = planItemOf(await sandboxNat())
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push((await deleter.run(testDeleteContext(), item, item.steps[0]!)).status)
    expect(outcomes).toEqual(['wait', 'wait', 'done'])
    expect(ec2.commandCalls(DeleteNatGatewayCommand)).toHaveLength(1)
  })
})
