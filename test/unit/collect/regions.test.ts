import {describe, expect, it} from 'vitest'

import {KNOWN_REGIONS, checkHomeRegion, homeRegionSelection, parseRegions, regionPartition} from '../../../src/collect/regions.js'
import {plainSpelling, variableSpelling} from '../../../src/flag-values.js'
import {UserError} from '../../../src/errors.js'

describe('parseRegions', () => {
  // As a command gives it the --regions value: the flag as typed.
  const parseRegionsFlag = (value: string) => parseRegions(value, plainSpelling('regions'))

  it('parses a list of known regions', () => {
    expect(parseRegionsFlag('us-east-1,eu-west-1')).toEqual({kind: 'list', regions: ['us-east-1', 'eu-west-1']})
  })

  it('ignores case, spaces and empty entries, and drops duplicates keeping the first order', () => {
    expect(parseRegionsFlag(' US-East-1 , eu-west-1,,us-east-1, EU-WEST-1 ')).toEqual({kind: 'list', regions: ['us-east-1', 'eu-west-1']})
  })

  it.each(['all', 'ALL', ' All '])('reads %j as every enabled region', (value) => {
    expect(parseRegionsFlag(value)).toEqual({kind: 'all'})
  })

  it('does not mix "all" with names', () => {
    expect(() => parseRegionsFlag('all,us-east-1')).toThrow(new UserError('"all" stands for every enabled region: give it alone, or name the regions.'))
    expect(() => parseRegionsFlag('us-east-1,ALL')).toThrow(/^"all" stands for every enabled region/)
  })

  it.each(['', ' ', ',', ' , '])('rejects the empty selection %j', (value) => {
    expect(() => parseRegionsFlag(value)).toThrow(UserError)
    expect(() => parseRegionsFlag(value)).toThrow(`--regions ${JSON.stringify(value)} is empty: give one or more region names (or "all"), or leave --regions out.`)
    // Named as typed when the command says how.
    expect(() => parseRegions(value, () => '--region')).toThrow(/^--region ".*" is empty: .* or leave --region out\.$/)
  })

  it.each([
    ['us-east1', 'us-east-1'],
    ['us-est-1', 'us-east-1'],
    ['eu-west-9', 'eu-west-1'],
    ['useast-2', 'us-east-2'],
  ])('rejects the unknown region %j suggesting %j', (value, suggestion) => {
    expect(() => parseRegionsFlag(`us-west-2,${value}`)).toThrow(UserError)
    expect(() => parseRegionsFlag(`us-west-2,${value}`)).toThrow(`Unknown region "${value}". Did you mean "${suggestion}"?`)
  })

  it('suggests nothing for a name far from every region', () => {
    let message = ''
    try {
      parseRegionsFlag('mars-north-7')
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

describe('parseRegions from the environment', () => {
  it('names the variable a bad value came from', () => {
    const regions = variableSpelling('AWSINV_REGIONS')
    expect(parseRegions('eu-west-1, US-EAST-1', regions)).toEqual({kind: 'list', regions: ['eu-west-1', 'us-east-1']})
    expect(() => parseRegions(',', regions)).toThrow(new UserError('AWSINV_REGIONS "," is empty: give one or more region names (or "all"), or unset AWSINV_REGIONS.'))
    expect(() => parseRegions('us-east-1,us-east1', regions)).toThrow(new UserError('Unknown region "us-east1" (from AWSINV_REGIONS). Did you mean "us-east-1"? Use names like us-east-1, or "all".'))
    expect(() => parseRegions('all,us-east-1', regions)).toThrow(new UserError('"all" (from AWSINV_REGIONS) stands for every enabled region: give it alone, or name the regions.'))
  })
})

describe('checkHomeRegion', () => {
  it('gives the home region in lower case', () => {
    expect(checkHomeRegion('eu-west-1', 'sdk')).toBe('eu-west-1')
    expect(checkHomeRegion(' US-EAST-1 ', 'variable')).toBe('us-east-1')
  })

  it('refuses a region from AWSINV_REGION that is no region, naming the variable', () => {
    expect(() => checkHomeRegion('bogus-1', 'variable')).toThrow(new UserError('Unknown region "bogus-1" (from AWSINV_REGION). Set it to a region like us-east-1, or unset it.'))
    expect(() => checkHomeRegion('us-east1', 'variable')).toThrow(
      new UserError('Unknown region "us-east1" (from AWSINV_REGION). Did you mean "us-east-1"? Set it to a region like us-east-1, or unset it.'),
    )
  })

  it.each(['all', 'us-east-1,eu-west-1', 'ALL'])('refuses %j in AWSINV_REGION, which holds one region', (value) => {
    expect(() => checkHomeRegion(value, 'variable')).toThrow(
      new UserError(`AWSINV_REGION is one region, the home region where global services are called; got "${value}". Set several regions, or "all", with AWSINV_REGIONS or --regions.`),
    )
  })

  it.each([' ', ',', ' , '])('refuses the empty AWSINV_REGION %j', (value) => {
    expect(() => checkHomeRegion(value, 'variable')).toThrow(`AWSINV_REGION ${JSON.stringify(value)} is empty: give one region (e.g. us-east-1), or unset AWSINV_REGION.`)
  })

  it('refuses a region from AWS_REGION or the profile, saying so', () => {
    expect(() => checkHomeRegion('bogus-2', 'sdk')).toThrow(new UserError('Unknown region "bogus-2" (from AWS_REGION or the profile). Set it to a region like us-east-1, or set AWSINV_REGION.'))
  })
})

describe('homeRegionSelection', () => {
  it('takes the resolved region, in lower case, and refuses one that is no region, naming where it came from', () => {
    expect(homeRegionSelection('eu-west-1')).toEqual({kind: 'list', regions: ['eu-west-1']})
    expect(homeRegionSelection('US-EAST-1')).toEqual({kind: 'list', regions: ['us-east-1']})
    expect(() => homeRegionSelection('us-east1')).toThrow(
      new UserError('Unknown region "us-east1" (from AWS_REGION or the profile). Did you mean "us-east-1"? Set it to a region like us-east-1, or set AWSINV_REGION.'),
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
