import {describe, expect, it} from 'vitest'

import {KNOWN_REGIONS, homeRegionSelection, parseRegions, regionPartition} from '../../../src/collect/regions.js'
import {UserError} from '../../../src/errors.js'

describe('parseRegions', () => {
  it('parses a list of known regions', () => {
    expect(parseRegions('us-east-1,eu-west-1')).toEqual({kind: 'list', regions: ['us-east-1', 'eu-west-1']})
  })

  it('ignores case, spaces and empty entries, and drops duplicates keeping the first order', () => {
    expect(parseRegions(' US-East-1 , eu-west-1,,us-east-1, EU-WEST-1 ')).toEqual({kind: 'list', regions: ['us-east-1', 'eu-west-1']})
  })

  it.each(['all', 'ALL', ' All '])('reads %j as every enabled region', (value) => {
    expect(parseRegions(value)).toEqual({kind: 'all'})
  })

  it('does not mix "all" with names', () => {
    expect(() => parseRegions('all,us-east-1')).toThrow(new UserError('"all" stands for every enabled region: give it alone, or name the regions.'))
    expect(() => parseRegions('us-east-1,ALL')).toThrow(/^"all" stands for every enabled region/)
  })

  it.each(['', ' ', ',', ' , '])('rejects the empty selection %j', (value) => {
    expect(() => parseRegions(value)).toThrow(UserError)
    expect(() => parseRegions(value)).toThrow(`--regions ${JSON.stringify(value)} is empty: give one or more region names (or "all"), or leave --regions out.`)
    // Named as typed when the command says how.
    expect(() => parseRegions(value, () => '--region')).toThrow(/^--region ".*" is empty: .* or leave --region out\.$/)
  })

  it.each([
    ['us-east1', 'us-east-1'],
    ['us-est-1', 'us-east-1'],
    ['eu-west-9', 'eu-west-1'],
    ['useast-2', 'us-east-2'],
  ])('rejects the unknown region %j suggesting %j', (value, suggestion) => {
    expect(() => parseRegions(`us-west-2,${value}`)).toThrow(UserError)
    expect(() => parseRegions(`us-west-2,${value}`)).toThrow(`Unknown region "${value}". Did you mean "${suggestion}"?`)
  })

  it('suggests nothing for a name far from every region', () => {
    let message = ''
    try {
      parseRegions('mars-north-7')
    } catch (error) {
      message = (error as Error).message
    }

    expect(message).toMatch(/^Unknown region "mars-north-7"\. Use names like us-east-1/)
    expect(message).not.toContain('Did you mean')
  })

  it('knows each region once, in lower case', () => {
    expect(new Set(KNOWN_REGIONS).size).toBe(KNOWN_REGIONS.length)
    for (const region of KNOWN_REGIONS) expect(region).toMatch(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) expect(KNOWN_REGIONS).toContain(region)
  })
})

describe('homeRegionSelection', () => {
  it('takes the resolved region, in lower case, and refuses one that is no region, naming where it came from', () => {
    expect(homeRegionSelection('eu-west-1')).toEqual({kind: 'list', regions: ['eu-west-1']})
    expect(homeRegionSelection('US-EAST-1')).toEqual({kind: 'list', regions: ['us-east-1']})
    expect(() => homeRegionSelection('us-east1')).toThrow(
      new UserError('Unknown region "us-east1" (from AWS_REGION or the profile). Did you mean "us-east-1"? Set a region like us-east-1, or pass --regions.'),
    )
  })
})

describe('regionPartition', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('puts %s in %s', (region, partition) => {
    expect(regionPartition(region)).toBe(partition)
  })
})
