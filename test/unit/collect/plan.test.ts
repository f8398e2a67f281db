import {describe, expect, it} from 'vitest'

import type {AggregatorInfo} from '../../../src/collect/config/aggregator.js'
import {type RegionConfigState, viewRecordingGroup} from '../../../src/collect/config/detect.js'
import {configRegionsToDetect, planCollection} from '../../../src/collect/plan.js'
import type {ResourceSpec} from '../../../src/resources/types.js'

function spec(type: string, scope: 'regional' | 'global', mapped = false): ResourceSpec {
  return {
    type,
    service: type.split('::')[1]!.toLowerCase(),
    scope,
    docs: 'https://example.com',
    async *list() {},
    toResource: () => {
      throw new Error('not used')
    },
    ...(mapped ? {fromConfigItem: () => undefined} : {}),
  }
}

/** A region whose recorder records `types` (with the given recording state). */
function recorded(region: string, types: string[], isRecording = true): RegionConfigState {
  return {
    region,
    kind: 'available',
    recorders: [
      {
        name: 'default',
        recording: isRecording,
        lastStatus: 'Success',
        lastStatusChangeTime: null,
        lastErrorCode: null,
        lastErrorMessage: null,
        recordingGroup: viewRecordingGroup({allSupported: false, resourceTypes: types as never[]}),
      },
    ],
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

  it('says why the direct API is used when Config was allowed but not detected', () => {
    const plan = planCollection({accountId: '1', regions, homeRegion: 'us-east-1', specs: [vpc], useConfig: true})
    for (const cell of plan.cells) {
      expect(cell.source).toBe('api')
      expect(cell.sourceReason).toBe(`AWS Config: not checked in ${cell.region}`)
    }
  })

  it('copies the region list', () => {
    const input = ['us-east-1']
    const plan = planCollection({accountId: '1', regions: input, homeRegion: 'us-east-1', specs: [vpc], useConfig: false})
    input.push('eu-west-1')
    expect(plan.regions).toEqual(['us-east-1'])
  })

  describe('with AWS Config detected', () => {
    const bucket = spec('AWS::S3::Bucket', 'regional', true)
    const mappedRole = spec('AWS::IAM::Role', 'global', true)
    const mappedPolicy = spec('AWS::IAM::Policy', 'global', true)
    const types = ['AWS::S3::Bucket', 'AWS::IAM::Role']

    it('detects every selected region, and the home region only for global types', () => {
      expect(configRegionsToDetect({regions: ['eu-west-1'], homeRegion: 'us-east-1', specs: [vpc]})).toEqual(['eu-west-1'])
      expect(configRegionsToDetect({regions: ['eu-west-1'], homeRegion: 'us-east-1', specs: [vpc, role]})).toEqual(['eu-west-1', 'us-east-1'])
      expect(configRegionsToDetect({regions: ['eu-west-1'], homeRegion: 'us-east-1', specs: [role]})).toEqual(['us-east-1'])
    })

    it('chooses the source per region and type from the detection', () => {
      const config = new Map<string, RegionConfigState>([
        ['us-east-1', recorded('us-east-1', types)],
        ['eu-west-1', recorded('eu-west-1', types, false)],
        ['ap-south-1', {region: 'ap-south-1', kind: 'failed', error: {kind: 'access_denied', code: 'AccessDeniedException', message: 'x'}}],
      ])
      const plan = planCollection({accountId: '1', regions, homeRegion: 'us-east-1', specs: [bucket, vpc, mappedRole, mappedPolicy], useConfig: true, config})
      expect(plan.cells.map((c) => [c.spec.type, c.region, c.source, c.sourceReason])).toEqual([
        ['AWS::S3::Bucket', 'us-east-1', 'config', 'AWS Config: recorder "default" records this type'],
        ['AWS::S3::Bucket', 'eu-west-1', 'api', 'AWS Config: recorder not recording (default)'],
        ['AWS::S3::Bucket', 'ap-south-1', 'api', 'AWS Config failed (AccessDeniedException); direct API'],
        ['AWS::EC2::VPC', 'us-east-1', 'api', 'AWS Config: no Config mapping for this type in awsinv'],
        ['AWS::EC2::VPC', 'eu-west-1', 'api', 'AWS Config: recorder not recording (default)'],
        ['AWS::EC2::VPC', 'ap-south-1', 'api', 'AWS Config failed (AccessDeniedException); direct API'],
        ['AWS::IAM::Role', 'global', 'config', 'AWS Config: recorder "default" records this type'],
        ['AWS::IAM::Policy', 'global', 'api', expect.stringMatching(/^AWS Config: type not recorded/)],
      ])
    })

    it('decides global types from the home region\'s recorder only', () => {
      const config = new Map<string, RegionConfigState>([
        ['eu-west-1', recorded('eu-west-1', ['AWS::IAM::Role'])],
        ['us-east-1', recorded('us-east-1', [])],
      ])
      const fromHome = planCollection({accountId: '1', regions: ['us-east-1'], homeRegion: 'eu-west-1', specs: [mappedRole], useConfig: true, config})
      expect(fromHome.cells[0]).toMatchObject({region: 'global', clientRegion: 'eu-west-1', source: 'config'})
      const elsewhere = planCollection({accountId: '1', regions: ['eu-west-1'], homeRegion: 'us-east-1', specs: [mappedRole], useConfig: true, config})
      expect(elsewhere.cells[0]).toMatchObject({region: 'global', clientRegion: 'us-east-1', source: 'api'})
    })

    it('never uses Config with --no-config, whatever was detected', () => {
      const config = new Map([['us-east-1', recorded('us-east-1', types)]])
      const plan = planCollection({accountId: '1', regions: ['us-east-1'], homeRegion: 'us-east-1', specs: [bucket, mappedRole], useConfig: false, config})
      expect(plan.cells.map((c) => [c.source, c.sourceReason])).toEqual([
        ['api', '--no-config'],
        ['api', '--no-config'],
      ])
    })

    it('hands the mapped types to an aggregator, keeping the caller\'s unrecorded or uncovered cells in the plan', () => {
      const aggregator: AggregatorInfo = {name: 'org', region: 'us-east-1', arn: null, sources: [{accounts: ['1', '2'], regions: ['us-east-1']}]}
      const config = new Map<string, RegionConfigState>([
        ['us-east-1', recorded('us-east-1', types)],
        ['eu-west-1', recorded('eu-west-1', types)],
      ])
      const plan = planCollection({accountId: '1', regions: ['us-east-1', 'eu-west-1'], homeRegion: 'us-east-1', specs: [bucket, vpc, mappedRole, mappedPolicy], useConfig: true, config, aggregator})
      expect(plan.cells.map((c) => [c.spec.type, c.region, c.source])).toEqual([
        // eu-west-1 is not aggregated: the caller's own recorder serves it.
        ['AWS::S3::Bucket', 'eu-west-1', 'config'],
        ['AWS::EC2::VPC', 'us-east-1', 'api'],
        ['AWS::EC2::VPC', 'eu-west-1', 'api'],
        // Not recorded by the caller's recorder: an empty aggregate answer would not mean "none".
        ['AWS::IAM::Policy', 'global', 'api'],
      ])
      expect(plan.aggregator?.types.map((t) => [t.spec.type, t.ownCells.map((c) => c.region), t.otherCells, t.reason])).toEqual([
        ['AWS::S3::Bucket', ['us-east-1'], [{accountId: '2', region: 'us-east-1'}], 'AWS Config aggregator "org"'],
        ['AWS::IAM::Role', ['global'], [{accountId: '2', region: 'global'}], 'AWS Config aggregator "org"'],
        ['AWS::IAM::Policy', [], [{accountId: '2', region: 'global'}], 'AWS Config aggregator "org"'],
      ])
    })
  })
})
