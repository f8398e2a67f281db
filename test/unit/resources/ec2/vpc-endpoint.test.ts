import {DeleteVpcEndpointsCommand, DescribeVpcEndpointsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {vpcEndpoint} from '../../../../src/resources/ec2/vpc-endpoint.js'
import {testContext} from '../../../support/context.js'
import {runItemSteps} from '../../../../src/cleanup/run-item.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {interfaceEndpointItem} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::VPCEndpoint', () => {
  const ctx = testContext()
  const item = {
    VpcEndpointId: 'vpce-1',
    VpcEndpointType: 'Interface' as const,
    VpcId: 'vpc-1',
    ServiceName: 'com.amazonaws.us-east-1.ssm',
    State: 'available' as never,
    PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    SubnetIds: ['subnet-1', 'subnet-2'],
    Groups: [{GroupId: 'sg-1', GroupName: 'endpoints'}],
    RouteTableIds: [],
    NetworkInterfaceIds: ['eni-1', 'eni-2'],
    PrivateDnsEnabled: true,
    CreationTimestamp: new Date('2024-07-07T07:07:07Z'),
    Tags: [{Key: 'Name', Value: 'ssm'}],
  }

  it('builds the canonical resource from DescribeVpcEndpoints output', async () => {
    const resource = await vpcEndpoint.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/vpce-1',
      type: 'AWS::EC2::VPCEndpoint',
      id: 'vpce-1',
      name: 'ssm',
      createdAt: '2024-07-07T07:07:07.000Z',
      tags: {Name: 'ssm'},
      source: 'api',
    })
    expect(resource.configuration.CreationTimestamp).toBe('2024-07-07T07:07:07.000Z')
  })

  it('is in its VPC and uses its subnets, groups and route tables', async () => {
    const resource = await vpcEndpoint.toResource({...item, RouteTableIds: ['rtb-1']}, ctx)
    expect(vpcEndpoint.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'uses'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-2', id: 'subnet-2', kind: 'uses'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1', id: 'sg-1', kind: 'uses'},
      {type: 'AWS::EC2::RouteTable', arn: 'arn:aws:ec2:us-east-1:123456789012:route-table/rtb-1', id: 'rtb-1', kind: 'uses'},
    ])
  })

  it('compares its id lists without order: a route table associated again is no drift, a new one is', async () => {
    const gatewayEndpoint = {...item, VpcEndpointType: 'Gateway' as const, RouteTableIds: ['rtb-1', 'rtb-2', 'rtb-3'], SubnetIds: [], Groups: [], NetworkInterfaceIds: []}
    const before = await vpcEndpoint.toResource(gatewayEndpoint, ctx)
    const reordered = await vpcEndpoint.toResource({...gatewayEndpoint, RouteTableIds: ['rtb-2', 'rtb-3', 'rtb-1']}, ctx)
    expect(diffResource(before, reordered, vpcEndpoint)).toEqual([])
    const added = await vpcEndpoint.toResource({...gatewayEndpoint, RouteTableIds: ['rtb-4', 'rtb-2', 'rtb-3', 'rtb-1']}, ctx)
    expect(diffResource(before, added, vpcEndpoint).map((c) => [c.path, c.kind])).toEqual([['RouteTableIds[rtb-4]', 'added']])

    const interfaceBefore = await vpcEndpoint.toResource(
      {...item, Groups: [{GroupId: 'sg-1'}, {GroupId: 'sg-2'}], DnsEntries: [{DnsName: 'a.example', HostedZoneId: 'Z1'}, {DnsName: 'b.example', HostedZoneId: 'Z1'}]},
      ctx,
    )
    const interfaceAfter = await vpcEndpoint.toResource(
      {
        ...item,
        SubnetIds: ['subnet-2', 'subnet-1'],
        NetworkInterfaceIds: ['eni-2', 'eni-1'],
        Groups: [{GroupId: 'sg-2'}, {GroupId: 'sg-1'}],
        DnsEntries: [{DnsName: 'b.example', HostedZoneId: 'Z1'}, {DnsName: 'a.example', HostedZoneId: 'Z1'}],
      },
      ctx,
    )
    expect(diffResource(interfaceBefore, interfaceAfter, vpcEndpoint)).toEqual([])
  })

  it('skips deleted endpoints whatever the case of the state', async () => {
    const ec2 = {
      describeVpcEndpoints: async () => ({
        VpcEndpoints: [item, {...item, VpcEndpointId: 'vpce-gone', State: 'deleted' as never}, {...item, VpcEndpointId: 'vpce-gone2', State: 'Deleted' as never}],
      }),
    }
    const pages = []
    for await (const page of vpcEndpoint.list(testContext({clients: {get: async () => ec2} as never}))) pages.push(page.map((e) => e.VpcEndpointId))
    expect(pages).toEqual([['vpce-1']])
  })
})

describe('AWS::EC2::VPCEndpoint deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const deleter = vpcEndpoint.deleter!
  const gateway = () => collected(vpcEndpoint.type, currentItems['AWS::EC2::VPCEndpoint']![0])

  it('deletes the endpoint; an interface endpoint takes its network interfaces along', async () => {
    expect(deleter.steps(await gateway())).toEqual([
      {action: 'delete-vpc-endpoint', description: 'Delete VPC endpoint sbx-vpce (vpce-82de55a1d7cd280ec)', params: {vpcEndpointId: 'vpce-82de55a1d7cd280ec'}},
    ])
    expect(deleter.includes!(await gateway(), {ofType: () => []})).toEqual([])
    expect(deleter.includes!(await collected(vpcEndpoint.type, interfaceEndpointItem), {ofType: () => []})).toEqual([{type: 'AWS::EC2::NetworkInterface', id: 'eni-52fc4259edddfe186'}])
  })

  it('turns a failure AWS reports per endpoint into an error the executor classifies', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: [{VpcEndpointId: 'vpce-82de55a1d7cd280ec', State: 'available' as never}]})
    ec2.on(DeleteVpcEndpointsCommand).resolves({Unsuccessful: [{ResourceId: 'vpce-82de55a1d7cd280ec', Error: {Code: 'InvalidVpcEndpoint.NotFound', Message: 'The VPC endpoint does not exist'}}]})
    const item = planItemOf(await gateway())
    const options = {signal: new AbortController().signal, sleep: async () => {}}
    expect(await runItemSteps(deleter, testDeleteContext(), item, options)).toMatchObject({status: 'gone'})
    ec2.on(DeleteVpcEndpointsCommand).resolves({Unsuccessful: [{ResourceId: 'vpce-82de55a1d7cd280ec', Error: {Code: 'UnauthorizedOperation', Message: 'You are not authorized'}}]})
    expect(await runItemSteps(deleter, testDeleteContext(), item, options)).toMatchObject({
      status: 'failed',
      error: 'delete-vpc-endpoint failed: UnauthorizedOperation: You are not authorized',
    })
  })
})
