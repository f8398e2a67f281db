import {DeleteSubnetCommand, DescribeNetworkInterfacesCommand, EC2, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {classifyError} from '../../../../src/aws/errors.js'
import {stringParam} from '../../../../src/cleanup/deleting.js'
import {
  CallLog,
  currentOf,
  failureOf,
  finished,
  hasCode,
  labelOf,
  markRequested,
  optionalParam,
  runOneCall,
  stepOf,
  unknownStep,
  waitForLambdaInterfaces,
  waiting,
  wasRequested,
} from '../../../../src/resources/ec2/delete-steps.js'
import {subnet} from '../../../../src/resources/ec2/subnet.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {testDeleteContext} from '../../../support/context.js'
import {planItemOf} from '../../../support/deleters.js'
import {lambdaInterfaceItems, ordinaryInterfaceItem} from '../../../support/ec2-deletion-items.js'
import {collected} from '../../../support/scan.js'

describe('EC2 deleter helpers', () => {
  const step = stepOf('delete-subnet', 'Delete subnet subnet-1', {subnetId: 'subnet-1', empty: '', count: 2})

  it('read a planned step’s parameters, refusing a plan that lacks one', () => {
    expect(stringParam(step, 'subnetId')).toBe('subnet-1')
    expect(() => stringParam(step, 'empty')).toThrow('step delete-subnet has no empty parameter')
    expect(() => stringParam(step, 'count')).toThrow('step delete-subnet has no count parameter')
    expect(optionalParam(step, 'missing')).toBeUndefined()
    expect(unknownStep('AWS::EC2::Subnet', stepOf('explode', '', {})).message).toBe('AWS::EC2::Subnet has no step explode')
  })

  it('tell an asynchronous step this run started (done) from one someone else finished (gone)', () => {
    const log = new CallLog()
    const mine = stepOf('delete-nat-gateway', '', {})
    expect(wasRequested(mine)).toBe(false)
    expect(finished(mine, 'deleted', log).status).toBe('gone')
    markRequested(mine)
    expect(finished(mine, 'deleted', log)).toEqual({status: 'done', detail: 'deleted', requestIds: []})
    // Another step object (another run of the same plan) starts afresh.
    expect(wasRequested({...mine})).toBe(false)
  })

  it('note the request id of every answer', () => {
    const log = new CallLog()
    const out = log.note({$metadata: {requestId: 'r-1'}, Value: 1})
    log.note({$metadata: {}})
    expect(out.Value).toBe(1)
    expect(log.requestIds).toEqual(['r-1'])
  })

  it('turn a failure reported per resource into an error the executor classifies', () => {
    const out = {Unsuccessful: [{ResourceId: 'fl-2', Error: {Code: 'Other'}}, {ResourceId: 'fl-1', Error: {Code: 'InvalidFlowLogId.NotFound', Message: 'gone'}}], $metadata: {requestId: 'r'}}
    const error = failureOf(out, 'fl-1')
    expect(classifyError(error)).toEqual({kind: 'not_found', code: 'InvalidFlowLogId.NotFound', message: 'gone'})
    expect((error as {$metadata?: unknown}).$metadata).toEqual({requestId: 'r'})
    expect(failureOf({Unsuccessful: []}, 'fl-1')).toBeUndefined()
    expect(hasCode(error, 'InvalidFlowLogId.NotFound')).toBe(true)
  })

  it('re-read a resource as collection stores it: tags, name and canonical configuration', async () => {
    const item = currentItems['AWS::EC2::Subnet']!.find((s) => (s as {SubnetId: string}).SubnetId === 'subnet-69a648a085f465748') as never
    const state = await currentOf(subnet, testDeleteContext(), item)
    expect(state).toMatchObject({tags: {Name: 'sbx-subnet', env: 'dev', owner: 'team-a'}, name: 'sbx-subnet', configuration: {SubnetId: 'subnet-69a648a085f465748', VpcId: 'vpc-dc42b0dc0748f95d0'}})
    expect(await currentOf(subnet, testDeleteContext(), undefined)).toBeUndefined()
  })

  it('name a resource by its name and id', () => {
    expect(labelOf({id: 'vpc-1', name: 'vpc-1'})).toBe('vpc-1')
    expect(labelOf({id: 'vpc-1', name: 'sandbox'})).toBe('sandbox (vpc-1)')
  })

  it('run a one-call step, refusing a step of another action', async () => {
    const ec2 = mockClient(EC2Client)
    ec2.on(DeleteSubnetCommand).resolves({$metadata: {requestId: 'r-del'}})
    const run = runOneCall('AWS::EC2::Subnet', 'delete-subnet', (client, s) => client.deleteSubnet({SubnetId: stringParam(s, 'subnetId')}))
    const item = planItemOf(await collected(subnet.type, currentItems['AWS::EC2::Subnet']![3]))
    expect(await run(testDeleteContext(), item, step)).toEqual({status: 'done', requestIds: ['r-del']})
    expect(ec2.commandCalls(DeleteSubnetCommand)[0]?.args[0].input).toEqual({SubnetId: 'subnet-1'})
    await expect(run(testDeleteContext(), item, stepOf('detach', '', {}))).rejects.toThrow('AWS::EC2::Subnet has no step detach')
    ec2.restore()
  })
})

describe('waitForLambdaInterfaces', () => {
  const client = () => new EC2({region: 'us-east-1', credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  const [hyperplane, byDescription] = lambdaInterfaceItems

  it('reads every page of the interfaces left, and waits while all of them are Lambda’s', async () => {
    const ec2 = mockClient(EC2Client)
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({NetworkInterfaces: [hyperplane!], NextToken: 'page-2', $metadata: {requestId: 'r-1'}})
      .resolvesOnce({NetworkInterfaces: [byDescription!], $metadata: {requestId: 'r-2'}})
    const log = new CallLog()
    expect(await waitForLambdaInterfaces(client(), 'group-id', 'sg-8ebb428653027e7e2', log)).toEqual({
      status: 'wait',
      detail: 'waiting for AWS Lambda to remove 2 network interfaces it created (eni-0a90066f7213e6286, eni-c328c2c6a160e2360)',
      retryAfterMs: 15_000,
      requestIds: ['r-1', 'r-2'],
    })
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand).map((c) => c.args[0].input)).toEqual([
      {Filters: [{Name: 'group-id', Values: ['sg-8ebb428653027e7e2']}], MaxResults: 1000},
      {Filters: [{Name: 'group-id', Values: ['sg-8ebb428653027e7e2']}], MaxResults: 1000, NextToken: 'page-2'},
    ])
    ec2.restore()
  })

  it('does not wait when another interface is on a later page', async () => {
    const ec2 = mockClient(EC2Client)
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({NetworkInterfaces: [hyperplane!], NextToken: 'page-2'})
      .resolvesOnce({NetworkInterfaces: [ordinaryInterfaceItem]})
    expect(await waitForLambdaInterfaces(client(), 'subnet-id', 'subnet-36d4d4f381b118a4e', new CallLog())).toBeUndefined()
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(2)
    ec2.restore()
  })

  it('knows Lambda’s interfaces by their type, or as requester-managed with Lambda’s description', async () => {
    const ec2 = mockClient(EC2Client)
    const left = (...enis: unknown[]) => {
      ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: enis as never})
      return waitForLambdaInterfaces(client(), 'subnet-id', 'subnet-36d4d4f381b118a4e', new CallLog())
    }

    expect(await left(byDescription)).toMatchObject({status: 'wait', detail: 'waiting for AWS Lambda to remove 1 network interface it created (eni-c328c2c6a160e2360)'})
    // Lambda's description on an interface AWS does not manage: someone's own, AWS will not remove it.
    expect(await left({...byDescription, RequesterManaged: false})).toBeUndefined()
    // Requester-managed for another service (AWS removes it with that service's resource, not on its own).
    expect(await left({...ordinaryInterfaceItem, RequesterManaged: true})).toBeUndefined()
    expect(await left()).toBeUndefined()
    ec2.restore()
  })

  it('answers wait at the pace asked, with the calls’ request ids', () => {
    const log = new CallLog()
    log.note({$metadata: {requestId: 'r'}})
    expect(waiting('deleting', log)).toEqual({status: 'wait', detail: 'deleting', requestIds: ['r']})
    expect(waiting('deleting', log, 15_000)).toEqual({status: 'wait', detail: 'deleting', requestIds: ['r'], retryAfterMs: 15_000})
  })
})
