import {describe, expect, it} from 'vitest'

import {vpc} from '../../../../src/resources/ec2/vpc.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::VPC', () => {
  const ctx = testContext({region: 'eu-west-1'})

  it('builds the canonical resource from DescribeVpcs output', async () => {
    const resource = await vpc.toResource(
      {VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', IsDefault: false, State: 'available', Tags: [{Key: 'Name', Value: 'main'}, {Key: 'env', Value: 'dev'}]},
      ctx,
    )
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1',
      type: 'AWS::EC2::VPC',
      id: 'vpc-1',
      name: 'main',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {Name: 'main', env: 'dev'},
      source: 'api',
    })
    expect(resource.configuration.CidrBlock).toBe('10.0.0.0/16')
  })

  it('falls back to the id when there is no Name tag', async () => {
    const resource = await vpc.toResource({VpcId: 'vpc-2'}, ctx)
    expect(resource.name).toBe('vpc-2')
  })
})

describe('AWS::EC2::VPC deleter', () => {
  it('deletes the VPC by its id (its built-ins go with it)', async () => {
    expect(vpc.deleter!.steps(await collected(vpc.type, currentItems['AWS::EC2::VPC']![1]))).toEqual([
      {action: 'delete-vpc', description: 'Delete VPC sbx-vpc (vpc-dc42b0dc0748f95d0)', params: {vpcId: 'vpc-dc42b0dc0748f95d0'}},
    ])
  })
})
