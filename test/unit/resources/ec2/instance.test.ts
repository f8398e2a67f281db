import {DescribeInstancesCommand, EC2Client, type Instance, TerminateInstancesCommand} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {runItemSteps} from '../../../../src/cleanup/run-item.js'
import {instance} from '../../../../src/resources/ec2/instance.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testContext, testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {instanceItem} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::Instance', () => {
  const ctx = testContext()
  const item: Instance = {
    InstanceId: 'i-1',
    InstanceType: 't3.micro',
    ImageId: 'ami-1',
    KeyName: 'deploy',
    // Restarted since its first launch: LaunchTime moved, the root volume's attach time did not.
    LaunchTime: new Date('2024-05-10T08:00:00Z'),
    RootDeviceName: '/dev/xvda',
    State: {Code: 16, Name: 'running'},
    SubnetId: 'subnet-1',
    VpcId: 'vpc-1',
    IamInstanceProfile: {Arn: 'arn:aws:iam::123456789012:instance-profile/app/web', Id: 'AIPAEXAMPLE'},
    SecurityGroups: [{GroupId: 'sg-1', GroupName: 'web'}],
    BlockDeviceMappings: [
      {DeviceName: '/dev/sdf', Ebs: {VolumeId: 'vol-data', AttachTime: new Date('2023-12-01T00:00:00Z'), Status: 'attached'}},
      {DeviceName: '/dev/xvda', Ebs: {VolumeId: 'vol-root', AttachTime: new Date('2024-01-15T12:00:00Z'), Status: 'attached'}},
    ],
    NetworkInterfaces: [
      {NetworkInterfaceId: 'eni-1', Groups: [{GroupId: 'sg-1'}], Attachment: {DeviceIndex: 0, AttachTime: new Date('2024-01-15T12:00:00Z')}},
      {NetworkInterfaceId: 'eni-2', Groups: [{GroupId: 'sg-2'}], Attachment: {DeviceIndex: 1}},
    ],
    Tags: [{Key: 'Name', Value: 'web-1'}, {Key: 'env', Value: 'prod'}],
  }

  it('builds the canonical resource, created at the root volume attach time when it precedes LaunchTime', async () => {
    const resource = await instance.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
      type: 'AWS::EC2::Instance',
      id: 'i-1',
      name: 'web-1',
      createdAt: '2024-01-15T12:00:00.000Z',
      tags: {Name: 'web-1', env: 'prod'},
      source: 'api',
    })
    expect(resource.configuration.LaunchTime).toBe('2024-05-10T08:00:00.000Z')
  })

  it('uses LaunchTime when it is the earlier, and the first mapping when the root device is not mapped', async () => {
    const resource = await instance.toResource(
      {
        InstanceId: 'i-2',
        LaunchTime: new Date('2024-01-01T00:00:00Z'),
        RootDeviceName: '/dev/sda1',
        BlockDeviceMappings: [{DeviceName: '/dev/sdb', Ebs: {VolumeId: 'vol-1', AttachTime: new Date('2024-01-01T00:00:05Z')}}],
      },
      ctx,
    )
    expect(resource.createdAt).toBe('2024-01-01T00:00:00.000Z')
    expect(resource.name).toBe('i-2')
  })

  it('has a null creation time when AWS gives neither time', async () => {
    expect((await instance.toResource({InstanceId: 'i-3'}, ctx)).createdAt).toBeNull()
  })

  it('relates to its subnet, groups, ENIs, volumes, key pair and instance profile', async () => {
    const resource = await instance.toResource(item, ctx)
    expect(instance.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'in'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1', id: 'sg-1', kind: 'uses'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-2', id: 'sg-2', kind: 'uses'},
      {type: 'AWS::EC2::NetworkInterface', arn: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1', id: 'eni-1', kind: 'uses'},
      {type: 'AWS::EC2::NetworkInterface', arn: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-2', id: 'eni-2', kind: 'uses'},
      {type: 'AWS::EC2::Volume', arn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-data', id: 'vol-data', kind: 'uses'},
      {type: 'AWS::EC2::Volume', arn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-root', id: 'vol-root', kind: 'uses'},
      {type: 'AWS::EC2::KeyPair', arn: 'arn:aws:ec2:us-east-1:123456789012:key-pair/deploy', kind: 'uses'},
      {type: 'AWS::IAM::InstanceProfile', arn: 'arn:aws:iam::123456789012:instance-profile/app/web', kind: 'uses'},
    ])
  })

  it('lists only running-or-stopped instances, flattened from reservations', async () => {
    const pages = [
      {Reservations: [{Instances: [{InstanceId: 'i-a', State: {Name: 'running' as const}}, {InstanceId: 'i-b', State: {Name: 'terminated' as const}}]}], NextToken: 't'},
      {Reservations: [{Instances: [{InstanceId: 'i-c', State: {Name: 'stopped' as const}}]}, {Instances: [{InstanceId: 'i-d', State: {Name: 'terminated' as const}}]}]},
    ]
    const requests: unknown[] = []
    const ec2 = {
      describeInstances: async (request: unknown) => {
        requests.push(request)
        return pages[requests.length - 1]
      },
    }
    const listCtx = testContext({clients: {get: async () => ec2} as never})
    const seen: string[][] = []
    for await (const page of instance.list(listCtx)) seen.push(page.map((i) => i.InstanceId ?? ''))
    expect(seen).toEqual([['i-a'], ['i-c']])
    expect(requests).toEqual([{MaxResults: 1000}, {MaxResults: 1000, NextToken: 't'}])
  })
})

describe('AWS::EC2::Instance deleter', () => {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => ec2.reset())
  const deleter = instance.deleter!
  const sandboxInstance = () => collected(instance.type, currentItems['AWS::EC2::Instance']![0])
  const described = (state: string) => ({Reservations: [{Instances: [{InstanceId: 'i-766e2671bc588d6ff', State: {Name: state as never}}]}], $metadata: {requestId: `describe-${state}`}})

  it('terminates the instance by its id', async () => {
    expect(deleter.steps(await sandboxInstance())).toEqual([
      {action: 'terminate-instance', description: 'Terminate instance sbx-app (i-766e2671bc588d6ff)', params: {instanceId: 'i-766e2671bc588d6ff'}},
    ])
  })

  it('takes along exactly the volumes and interfaces marked DeleteOnTermination', async () => {
    // The sandbox instance: the root volume is, the data volume and the primary interface (as moto launches it) are not.
    expect(deleter.includes!(await sandboxInstance(), {ofType: () => []})).toEqual([{type: 'AWS::EC2::Volume', id: 'vol-e3617c7a333912afa'}])
    // Launched with its primary interface DeleteOnTermination, and a second interface attached later (not).
    expect(deleter.includes!(await collected(instance.type, instanceItem), {ofType: () => []})).toEqual([
      {type: 'AWS::EC2::Volume', id: 'vol-42eb9d1e6c118958e'},
      {type: 'AWS::EC2::NetworkInterface', id: 'eni-873e5b1cd53ccb25e'},
    ])
  })

  it('sends the termination once, then checks progress until the instance is terminated', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce(described('running')).resolvesOnce(described('shutting-down')).resolves(described('terminated'))
    ec2.on(TerminateInstancesCommand).resolves({$metadata: {requestId: 'terminate'}})
    const item = planItemOf(await sandboxInstance())
    const result = await runItemSteps(deleter, testDeleteContext(), item, {signal: new AbortController().signal, sleep: async () => {}})
    expect(result).toMatchObject({status: 'deleted', steps: [{action: 'terminate-instance', status: 'done', attempts: 3, detail: 'i-766e2671bc588d6ff is terminated'}]})
    expect(result.steps[0]!.requestIds).toEqual(['describe-running', 'terminate', 'describe-shutting-down', 'describe-terminated'])
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1)
  })

  it('waits for a termination someone else started, without sending one, and calls it gone', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce(described('shutting-down')).resolves(described('terminated'))
    const item = planItemOf(await sandboxInstance())
    const result = await runItemSteps(deleter, testDeleteContext(), item, {signal: new AbortController().signal, sleep: async () => {}})
    expect(result.status).toBe('gone')
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0)
  })
})
