import {describe, expect, it} from 'vitest'

import {internetGateway} from '../../../../src/resources/ec2/internet-gateway.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::InternetGateway', () => {
  const ctx = testContext()
  const item = {
    InternetGatewayId: 'igw-1',
    OwnerId: '123456789012',
    // AWS answers `available` for an attached internet gateway, a value the SDK's AttachmentStatus lacks.
    Attachments: [{VpcId: 'vpc-1', State: 'available' as never}],
    Tags: [{Key: 'Name', Value: 'main-igw'}],
  }

  it('builds the canonical resource from DescribeInternetGateways output', async () => {
    const resource = await internetGateway.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:internet-gateway/igw-1',
      type: 'AWS::EC2::InternetGateway',
      id: 'igw-1',
      name: 'main-igw',
      createdAt: null,
      tags: {Name: 'main-igw'},
      source: 'api',
    })
  })

  it('is attached to its VPC', async () => {
    const resource = await internetGateway.toResource(item, ctx)
    expect(internetGateway.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'attached-to'},
    ])
  })

  it('has no edge when detached', async () => {
    const resource = await internetGateway.toResource({InternetGatewayId: 'igw-2', Attachments: []}, ctx)
    expect(internetGateway.relationships?.(resource)).toEqual([])
  })
})

describe('AWS::EC2::InternetGateway deleter', () => {
  const item = currentItems['AWS::EC2::InternetGateway']![0] as Record<string, unknown>

  it('detaches the gateway from each VPC it is attached to, then deletes it', async () => {
    expect(internetGateway.deleter!.steps(await collected(internetGateway.type, item))).toEqual([
      {
        action: 'detach-internet-gateway',
        description: 'Detach internet gateway sbx-igw (igw-bc25918f720341221) from vpc-dc42b0dc0748f95d0',
        params: {internetGatewayId: 'igw-bc25918f720341221', vpcId: 'vpc-dc42b0dc0748f95d0'},
      },
      {action: 'delete-internet-gateway', description: 'Delete internet gateway sbx-igw (igw-bc25918f720341221)', params: {internetGatewayId: 'igw-bc25918f720341221'}},
    ])
  })

  it('only deletes a gateway that is attached nowhere', async () => {
    expect(internetGateway.deleter!.steps(await collected(internetGateway.type, {...item, Attachments: []})).map((s) => s.action)).toEqual(['delete-internet-gateway'])
  })
})
