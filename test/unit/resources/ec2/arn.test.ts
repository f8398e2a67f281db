import {describe, expect, it} from 'vitest'

import {ec2Arn, ec2Edges, locationOf, uniqueRelationships} from '../../../../src/resources/ec2/arn.js'

describe('EC2 ARN helpers', () => {
  const where = {partition: 'aws', region: 'eu-west-1', accountId: '123456789012'}

  it('builds regional ARNs with the type-specific segment', () => {
    expect(ec2Arn(where, 'AWS::EC2::NatGateway', 'nat-1')).toBe('arn:aws:ec2:eu-west-1:123456789012:natgateway/nat-1')
    expect(ec2Arn(where, 'AWS::EC2::EIP', 'eipalloc-1')).toBe('arn:aws:ec2:eu-west-1:123456789012:elastic-ip/eipalloc-1')
    expect(ec2Arn(where, 'AWS::EC2::FlowLog', 'fl-1')).toBe('arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/fl-1')
  })

  it('leaves the account empty in snapshot ARNs', () => {
    expect(ec2Arn(where, 'AWS::EC2::Snapshot', 'snap-1')).toBe('arn:aws:ec2:eu-west-1::snapshot/snap-1')
  })

  it('rejects a type it has no format for', () => {
    expect(() => ec2Arn(where, 'AWS::S3::Bucket', 'b')).toThrow(/AWS::S3::Bucket/)
  })

  it('takes the partition from the resource ARN', () => {
    const resource = {arn: 'arn:aws-cn:ec2:cn-north-1:123456789012:vpc/vpc-1', region: 'cn-north-1', accountId: '123456789012'}
    expect(locationOf(resource).partition).toBe('aws-cn')
    expect(ec2Edges(resource, 'AWS::EC2::Subnet', ['subnet-1', undefined, ''], 'in')).toEqual([
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws-cn:ec2:cn-north-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'in'},
    ])
  })

  it('drops repeated edges but keeps the same target under another kind', () => {
    const a = {type: 'AWS::EC2::VPC', arn: 'arn:x', id: 'vpc-1', kind: 'in' as const}
    const b = {...a, kind: 'uses' as const}
    expect(uniqueRelationships([a, b, {...a}])).toEqual([a, b])
  })
})
