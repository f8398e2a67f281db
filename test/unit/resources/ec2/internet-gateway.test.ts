import {describe, expect, it} from 'vitest'

import type {PlanInput} from '../../../../src/cleanup/plan.js'
import type {CleanupPlan} from '../../../../src/cleanup/types.js'
import {internetGateway} from '../../../../src/resources/ec2/internet-gateway.js'
import {specs} from '../../../../src/resources/registry.js'
import {planSandbox, rules, sandbox} from '../../../support/cleanup.js'
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

describe('AWS::EC2::InternetGateway ordering', () => {
  // With the registry's own deleters: the gateway's detach needs its VPC's public addresses gone.
  const planWith = async (overrides: Partial<PlanInput> = {}) => {
    const {baseline, current} = await sandbox()
    return {current, plan: planSandbox(baseline, current, {specs: [...specs], ...overrides})}
  }

  const waveOf = (plan: CleanupPlan, type: string, id: string) => plan.waves.findIndex((w) => w.items.some((i) => i.type === type && i.id === id))
  const igw = 'igw-bc25918f720341221'

  it('is deleted after the public instance, its Elastic IP and the NAT gateway of its VPC', async () => {
    const {plan} = await planWith()
    const gatewayWave = waveOf(plan, 'AWS::EC2::InternetGateway', igw)
    expect(gatewayWave).toBeGreaterThan(0)
    for (const [type, id] of [
      ['AWS::EC2::Instance', 'i-766e2671bc588d6ff'],
      ['AWS::EC2::EIP', 'eipalloc-40ea8c4d74bcc6f8f'],
      ['AWS::EC2::NatGateway', 'nat-cc4d4f34e2687783a'],
    ] as const) {
      const wave = waveOf(plan, type, id)
      expect(wave, id).toBeGreaterThanOrEqual(0)
      expect(wave, `${id} before ${igw}`).toBeLessThan(gatewayWave)
    }
  })

  it('stays while a public instance in its VPC stays, naming it', async () => {
    const {plan} = await planWith({rules: rules({tags: [{key: 'Name', value: 'sbx-app', source: '--protect-tag'}]})})
    expect(waveOf(plan, 'AWS::EC2::InternetGateway', igw)).toBe(-1)
    const skip = plan.skipped.find((s) => s.id === igw)
    expect(skip?.reason).toMatchObject({kind: 'in-use', blockedBy: [expect.stringContaining('instance/i-766e2671bc588d6ff')]})
  })

  it('orders nothing for a gateway attached nowhere', async () => {
    const gateway = await collected(internetGateway.type, {...(currentItems['AWS::EC2::InternetGateway']![0] as object), Attachments: []})
    const {current} = await planWith()
    expect(internetGateway.deleter!.deleteAfter!(gateway, {ofType: (type) => current.filter((r) => r.type === type)})).toEqual([])
  })
})
