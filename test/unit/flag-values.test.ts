import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {isVariable, listFlagItems, listItems, patternFlagValue, plainSpelling, typedFlag, variableSpelling} from '../../src/flag-values.js'

const region = {char: 'r', aliases: ['regions']}
const isEmpty = (value: string) => listItems(value).length === 0

describe('typedFlag', () => {
  it('names the spelling typed: the flag, an alias, or the long name for the one-letter form', () => {
    expect(typedFlag(['--region', 'x'], 'region', region)).toBe('--region')
    expect(typedFlag(['--regions=x'], 'region', region)).toBe('--regions')
    expect(typedFlag(['-r', 'x'], 'region', region)).toBe('--region')
    expect(typedFlag(['-rx'], 'region', region)).toBe('--region')
  })

  it('prefers the occurrence whose value is bad', () => {
    expect(typedFlag(['--region', 'us-east-1', '--regions', ''], 'region', region, isEmpty)).toBe('--regions')
    expect(typedFlag(['--regions', 'us-east-1', '--region=,'], 'region', region, isEmpty)).toBe('--region')
    expect(typedFlag(['--regions', 'us-east-1', '--region', 'eu-west-1'], 'region', region, isEmpty)).toBe('--regions')
  })

  it('is the environment variable when the flag was not typed and its variable is set', () => {
    const regions = {char: 'r', aliases: ['region'], env: 'AWSINV_REGIONS'}
    expect(typedFlag([], 'regions', regions, isEmpty, {AWSINV_REGIONS: ','})).toBe('AWSINV_REGIONS')
    expect(typedFlag(['--', '--regions', ''], 'regions', regions, isEmpty, {AWSINV_REGIONS: ','})).toBe('AWSINV_REGIONS')
    // Typed, the flag wins over the variable, as oclif reads them; an empty variable gives no value.
    expect(typedFlag(['-r', ','], 'regions', regions, isEmpty, {AWSINV_REGIONS: 'us-east-1'})).toBe('--regions')
    expect(typedFlag(['--region='], 'regions', regions, isEmpty, {AWSINV_REGIONS: ''})).toBe('--region')
    expect(typedFlag([], 'regions', regions, isEmpty, {AWSINV_REGIONS: ''})).toBe('--regions')
    expect(typedFlag([], 'regions', regions, isEmpty, {})).toBe('--regions')
  })

  it('is --NAME when the flag was not typed and has no variable set, and stops at --', () => {
    expect(typedFlag([], 'region', region)).toBe('--region')
    expect(typedFlag(['--', '--regions', ''], 'region', region, isEmpty)).toBe('--region')
    // Another flag that starts like it is not it.
    expect(typedFlag(['--regionsx', ''], 'region', region, isEmpty)).toBe('--region')
  })
})

describe('listItems', () => {
  it('splits at commas, trims, and drops empty items', () => {
    expect(listItems(' a, b ,,c, ')).toEqual(['a', 'b', 'c'])
    expect(listItems(',')).toEqual([])
    expect(listItems('')).toEqual([])
  })
})

describe('listFlagItems', () => {
  const typed = (name: string) => () => name

  it('gives the items of every value, or undefined when the flag was not given', () => {
    expect(listFlagItems(['a,b', ' c'], typed('--type'), 'types')).toEqual(['a', 'b', 'c'])
    expect(listFlagItems('a, b,', typed('--type'), 'types')).toEqual(['a', 'b'])
    expect(listFlagItems(undefined, typed('--type'), 'types')).toBeUndefined()
  })

  it.each([[['']], [[',']], [[' , ']], [['a', '']], ['']])('refuses a value with no item in %j, naming the flag as typed', (values) => {
    const refuse = () => listFlagItems(values, typed('--types'), 'one or more types')
    expect(refuse).toThrow(UserError)
    expect(refuse).toThrow(/^--types ".*" is empty: give one or more types, or leave --types out\.$/)
  })

  it('says the empty value it refuses', () => {
    expect(() => listFlagItems([','], plainSpelling('region'), 'regions')).toThrow('--region "," is empty: give regions, or leave --region out.')
  })

  it('says to unset the variable an empty value came from', () => {
    expect(() => listFlagItems(',', variableSpelling('AWSINV_REGIONS'), 'regions')).toThrow('AWSINV_REGIONS "," is empty: give regions, or unset AWSINV_REGIONS.')
  })
})

describe('patternFlagValue', () => {
  it('keeps a pattern as it is', () => {
    expect(patternFlagValue('sbx-*', plainSpelling('name'), 'a name')).toBe('sbx-*')
    expect(patternFlagValue(' padded ', plainSpelling('name'), 'a name')).toBe(' padded ')
    expect(patternFlagValue(undefined, plainSpelling('name'), 'a name')).toBeUndefined()
  })

  it.each(['', ' ', '\t'])('refuses the blank pattern %j', (value) => {
    expect(() => patternFlagValue(value, plainSpelling('arn'), 'an ARN or glob')).toThrow(`--arn ${JSON.stringify(value)} is empty: give an ARN or glob, or leave --arn out.`)
  })
})

describe('isVariable', () => {
  it('tells an environment variable from a flag', () => {
    expect(isVariable('AWSINV_REGIONS')).toBe(true)
    expect(isVariable('--regions')).toBe(false)
  })
})
