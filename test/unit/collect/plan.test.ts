import {describe, expect, it} from 'vitest'

import {planCollection} from '../../../src/collect/plan.js'
import type {ResourceSpec} from '../../../src/resources/types.js'

function spec(type: string, scope: 'regional' | 'global'): ResourceSpec {
  return {
    type,
    service: type.split('::')[1]!.toLowerCase(),
    scope,
    docs: 'https://example.com',
    async *list() {},
    toResource: () => {
      throw new Error('not used')
    },
  }
}

const vpc = spec('AWS::EC2::VPC', 'regional')
const subnet = spec('AWS::EC2::Subnet', 'regional')
const role = spec('AWS::IAM::Role', 'global')

describe('planCollection', () => {
  const regions = ['us-east-1', 'eu-west-1', 'ap-south-1']

  it('plans each regional type in every region and each global type once in the home region', () => {
    const plan = planCollection({accountId: '123456789012', regions, homeRegion: 'eu-west-1', specs: [vpc, role, subnet], useConfig: false})
    const cells = plan.cells.map((c) => [c.spec.type, c.region, c.clientRegion])
    expect(cells).toEqual([
      ['AWS::EC2::VPC', 'us-east-1', 'us-east-1'],
      ['AWS::EC2::VPC', 'eu-west-1', 'eu-west-1'],
      ['AWS::EC2::VPC', 'ap-south-1', 'ap-south-1'],
      ['AWS::IAM::Role', 'global', 'eu-west-1'],
      ['AWS::EC2::Subnet', 'us-east-1', 'us-east-1'],
      ['AWS::EC2::Subnet', 'eu-west-1', 'eu-west-1'],
      ['AWS::EC2::Subnet', 'ap-south-1', 'ap-south-1'],
    ])
    expect(plan.cells.every((c) => c.accountId === '123456789012')).toBe(true)
    expect(plan).toMatchObject({accountId: '123456789012', regions, homeRegion: 'eu-west-1'})
  })

  it('uses a home region outside the selected regions for global types', () => {
    const plan = planCollection({accountId: '1', regions: ['ap-south-1'], homeRegion: 'us-east-1', specs: [role], useConfig: false})
    expect(plan.cells).toHaveLength(1)
    expect(plan.cells[0]).toMatchObject({region: 'global', clientRegion: 'us-east-1', spec: role})
  })

  it('plans global types even with no regions selected', () => {
    const plan = planCollection({accountId: '1', regions: [], homeRegion: 'us-east-1', specs: [vpc, role], useConfig: true})
    expect(plan.cells.map((c) => c.spec.type)).toEqual(['AWS::IAM::Role'])
  })

  it('records --no-config as the reason for the direct API', () => {
    const plan = planCollection({accountId: '1', regions, homeRegion: 'us-east-1', specs: [vpc, role], useConfig: false})
    for (const cell of plan.cells) {
      expect(cell.source).toBe('api')
      expect(cell.sourceReason).toContain('--no-config')
    }
  })

  it('says why the direct API is used when Config was allowed', () => {
    const plan = planCollection({accountId: '1', regions, homeRegion: 'us-east-1', specs: [vpc], useConfig: true})
    for (const cell of plan.cells) {
      expect(cell.source).toBe('api')
      expect(cell.sourceReason).not.toContain('--no-config')
      expect(cell.sourceReason).toMatch(/direct API/)
    }
  })

  it('copies the region list', () => {
    const input = ['us-east-1']
    const plan = planCollection({accountId: '1', regions: input, homeRegion: 'us-east-1', specs: [vpc], useConfig: false})
    input.push('eu-west-1')
    expect(plan.regions).toEqual(['us-east-1'])
  })
})
