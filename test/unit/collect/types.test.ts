import {describe, expect, it} from 'vitest'

import {knownServices, selectSpecs} from '../../../src/collect/types.js'
import {UserError} from '../../../src/errors.js'
import {specs} from '../../../src/resources/registry.js'

const types = (selected: ReadonlyArray<{type: string}>) => selected.map((s) => s.type)

describe('selectSpecs', () => {
  it('selects every registered type without a selection', () => {
    expect(selectSpecs(undefined)).toEqual([...specs])
    expect(selectSpecs([])).toEqual([...specs])
    // A copy: callers may not alter the registry through it.
    expect(selectSpecs(undefined)).not.toBe(specs)
  })

  it('selects every type of a service by its name, case-insensitively', () => {
    const ec2 = selectSpecs(['ec2'])
    expect(types(ec2)).toContain('AWS::EC2::VPC')
    expect(ec2.every((s) => s.service === 'ec2')).toBe(true)
    expect(types(ec2)).toEqual(types(specs.filter((s) => s.service === 'ec2')))
    expect(selectSpecs([' EC2 '])).toEqual(ec2)
  })

  it('selects a single type by its id, case-insensitively', () => {
    expect(types(selectSpecs(['AWS::EC2::VPC']))).toEqual(['AWS::EC2::VPC'])
    expect(types(selectSpecs(['aws::ec2::vpc']))).toEqual(['AWS::EC2::VPC'])
  })

  it('selects the types a glob matches, case-insensitively, and refuses a glob that matches none', () => {
    expect(types(selectSpecs(['aws::ec2::*']))).toEqual(types(specs.filter((s) => s.type.startsWith('AWS::EC2::'))))
    expect(types(selectSpecs(['AWS::IAM::?ole', 'account::iam::password*'])).sort()).toEqual(['AWS::IAM::Role', 'Account::IAM::PasswordPolicy'])
    expect(() => selectSpecs(['AWS::Nope::*'])).toThrow(/^"AWS::Nope::\*" matches no resource type\. Use type ids or globs such as AWS::EC2::Instance or AWS::IAM::\*, or services: .*\bec2\b/)
  })

  it('returns each type once, in registry order', () => {
    const selected = selectSpecs(['AWS::EC2::VPC', 'ec2', 'aws::ec2::vpc'])
    expect(selected).toEqual(selectSpecs(['ec2']))
    const order = selected.map((s) => specs.indexOf(s))
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it('skips blank entries', () => {
    expect(types(selectSpecs(['', ' AWS::EC2::VPC ', ' ']))).toEqual(['AWS::EC2::VPC'])
  })

  it('rejects an unknown service or type with a UserError listing the services', () => {
    expect(() => selectSpecs(['ec2', 'AWS::EC2::Nope'])).toThrow(UserError)
    expect(() => selectSpecs(['AWS::EC2::Nope'])).toThrow(/Unknown resource type or service "AWS::EC2::Nope"/)
    expect(() => selectSpecs(['ecc2'])).toThrow(/Services: .*\bec2\b/)
  })

  it('rejects a selection of blanks only', () => {
    expect(() => selectSpecs([' ', ''])).toThrow(/needs at least one service or type/)
  })
})

describe('knownServices', () => {
  it('lists each service of the registry once, sorted', () => {
    const services = knownServices()
    expect(services).toContain('ec2')
    expect(services).toEqual([...new Set(specs.map((s) => s.service))].sort())
  })
})
