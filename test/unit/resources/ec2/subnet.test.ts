import {DeleteSubnetCommand, DescribeNetworkInterfacesCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {afterAll, beforeEach, describe, expect, it} from 'vitest'

import {runItemSteps} from '../../../../src/cleanup/run-item.js'
import {subnet} from '../../../../src/resources/ec2/subnet.js'
import {testContext, testDeleteContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {planItemOf} from '../../../support/deleters.js'
import {lambdaInterfaceItems, lambdaSubnetItem, ordinaryInterfaceItem} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::Subnet', () => {
  const ctx = testContext({region: 'eu-west-1'})
  const item = {
    SubnetId: 'subnet-1',
    SubnetArn: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1',
    VpcId: 'vpc-1',
    CidrBlock: '10.0.1.0/24',
    AvailabilityZone: 'eu-west-1a',
    AvailableIpAddressCount: 250,
    OwnerId: '123456789012',
    Tags: [{Key: 'Name', Value: 'private-a'}, {Key: 'tier', Value: 'private'}],
  }

  it('builds the canonical resource from DescribeSubnets output', async () => {
    const resource = await subnet.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1',
      type: 'AWS::EC2::Subnet',
      id: 'subnet-1',
      name: 'private-a',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {Name: 'private-a', tier: 'private'},
      source: 'api',
    })
    expect(resource.configuration.CidrBlock).toBe('10.0.1.0/24')
  })

  it('keeps the ARN AWS gives (a shared subnet carries its owner account)', async () => {
    const shared = await subnet.toResource({...item, SubnetArn: 'arn:aws:ec2:eu-west-1:999999999999:subnet/subnet-1'}, ctx)
    expect(shared.arn).toBe('arn:aws:ec2:eu-west-1:999999999999:subnet/subnet-1')
  })

  it('constructs the ARN when the API gives none and falls back to the id for the name', async () => {
    const resource = await subnet.toResource({SubnetId: 'subnet-2', VpcId: 'vpc-1'}, ctx)
    expect(resource.arn).toBe('arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-2')
    expect(resource.name).toBe('subnet-2')
  })

  it('is in its VPC', async () => {
    const resource = await subnet.toResource(item, ctx)
    expect(subnet.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
    ])
  })
})

describe('AWS::EC2::Subnet deleter', () => {
  it('deletes the subnet by its id', async () => {
    const item = currentItems['AWS::EC2::Subnet']!.find((s) => (s as {SubnetId: string}).SubnetId === 'subnet-69a648a085f465748')
    expect(subnet.deleter!.steps(await collected(subnet.type, item))).toEqual([
      {action: 'delete-subnet', description: 'Delete subnet sbx-subnet (subnet-69a648a085f465748)', params: {subnetId: 'subnet-69a648a085f465748'}},
    ])
  })
})

describe('AWS::EC2::Subnet deleter, while a deleted Lambda function’s interfaces are in the subnet', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  afterAll(() => ec2.restore())
  const deleter = subnet.deleter!
  const item = async () => planItemOf(await collected(subnet.type, lambdaSubnetItem))
  const lambdaIds = 'eni-0a90066f7213e6286, eni-c328c2c6a160e2360'
  const interfacesLeft = {Filters: [{Name: 'subnet-id', Values: ['subnet-36d4d4f381b118a4e']}], MaxResults: 1000}

  it('waits while only Lambda’s interfaces remain, naming them, without calling DeleteSubnet', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: lambdaInterfaceItems, $metadata: {requestId: 'r-eni'}})
    const subnetItem = await item()
    expect(await deleter.run(testDeleteContext(), subnetItem, subnetItem.steps[0]!)).toEqual({
      status: 'wait',
      detail: `waiting for AWS Lambda to remove 2 network interfaces it created (${lambdaIds})`,
      retryAfterMs: 15_000,
      requestIds: ['r-eni'],
    })
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]?.args[0].input).toEqual(interfacesLeft)
    expect(ec2.commandCalls(DeleteSubnetCommand)).toHaveLength(0)
  })

  it('deletes when another interface remains beside Lambda’s: AWS’s error then names what is left', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [lambdaInterfaceItems[0]!, ordinaryInterfaceItem], $metadata: {requestId: 'r-eni'}})
    ec2.on(DeleteSubnetCommand).resolves({$metadata: {requestId: 'r-del'}})
    const subnetItem = await item()
    expect(await deleter.run(testDeleteContext(), subnetItem, subnetItem.steps[0]!)).toEqual({status: 'done', requestIds: ['r-eni', 'r-del']})
    expect(ec2.commandCalls(DeleteSubnetCommand)[0]?.args[0].input).toEqual({SubnetId: 'subnet-36d4d4f381b118a4e'})
  })

  it('deletes when no interface remains', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [], $metadata: {requestId: 'r-eni'}})
    ec2.on(DeleteSubnetCommand).resolves({$metadata: {requestId: 'r-del'}})
    const subnetItem = await item()
    expect(await deleter.run(testDeleteContext(), subnetItem, subnetItem.steps[0]!)).toEqual({status: 'done', requestIds: ['r-eni', 'r-del']})
    expect(ec2.commandCalls(DeleteSubnetCommand)).toHaveLength(1)
  })

  it('through the executor: polls every 15 s until AWS has removed them, then deletes the subnet', async () => {
    let clock = 0
    const slept: number[] = []
    const sleep = async (ms: number) => {
      slept.push(ms)
      clock += ms
    }

    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({NetworkInterfaces: lambdaInterfaceItems, $metadata: {requestId: 'r-1'}})
      .resolvesOnce({NetworkInterfaces: lambdaInterfaceItems, $metadata: {requestId: 'r-2'}})
      .resolvesOnce({NetworkInterfaces: [lambdaInterfaceItems[1]!], $metadata: {requestId: 'r-3'}})
      .resolves({NetworkInterfaces: [], $metadata: {requestId: 'r-4'}})
    ec2.on(DeleteSubnetCommand).resolves({$metadata: {requestId: 'r-del'}})
    const ctx = testDeleteContext()
    const result = await runItemSteps(deleter, ctx, await item(), {signal: ctx.signal, sleep, now: () => clock})
    expect(result.status).toBe('deleted')
    expect(result.steps[0]).toMatchObject({action: 'delete-subnet', status: 'done', attempts: 4, requestIds: ['r-1', 'r-2', 'r-3', 'r-4', 'r-del']})
    expect(slept).toEqual([15_000, 15_000, 15_000])
    expect(ec2.commandCalls(DeleteSubnetCommand)).toHaveLength(1)
  })

  it('through the executor: fails after 45 minutes of waiting, naming the interfaces', async () => {
    let clock = 0
    const sleep = async (ms: number) => {
      clock += ms
    }

    ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: lambdaInterfaceItems, $metadata: {requestId: 'r-eni'}})
    const ctx = testDeleteContext()
    const result = await runItemSteps(deleter, ctx, await item(), {signal: ctx.signal, sleep, now: () => clock})
    expect(result.status).toBe('failed')
    expect(result.error).toBe(`delete-subnet did not complete within 2700 s: waiting for AWS Lambda to remove 2 network interfaces it created (${lambdaIds})`)
    expect(clock).toBeGreaterThan(45 * 60_000)
    expect(clock).toBeLessThanOrEqual(45 * 60_000 + 15_000)
    expect(ec2.commandCalls(DeleteSubnetCommand)).toHaveLength(0)
  })

  it('through the executor: a subnet someone else deleted is gone', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [], $metadata: {requestId: 'r-eni'}})
    ec2.on(DeleteSubnetCommand).rejects(Object.assign(new Error("The subnet ID 'subnet-36d4d4f381b118a4e' does not exist"), {name: 'InvalidSubnetID.NotFound', $metadata: {httpStatusCode: 400, requestId: 'r-del'}}))
    const ctx = testDeleteContext()
    const result = await runItemSteps(deleter, ctx, await item(), {signal: ctx.signal, sleep: async () => {}})
    expect(result.status).toBe('gone')
    // A step that throws reports the failing call's request id only, as every deleter's does.
    expect(result.steps[0]).toMatchObject({status: 'gone', requestIds: ['r-del']})
  })
})
