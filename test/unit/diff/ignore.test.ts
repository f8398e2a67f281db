import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {globRegExp, ignoresField, ignoresResource, loadIgnoreRules, parseIgnoreRules} from '../../../src/diff/ignore.js'
import type {PathSegment} from '../../../src/diff/path.js'

const sg = {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1'}
const vpc = {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1'}
const role = {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/ci-runner'}
const tag = (key: string): PathSegment[] => [{field: 'Tags'}, {key}]

describe('parseIgnoreRules', () => {
  it('reads type, ARN and path globs, and `!` re-includes', () => {
    const rules = parseIgnoreRules('ignore:\n  - type: "AWS::EC2::*"\n  - type: "!AWS::EC2::SecurityGroup"\n  - arn: "arn:aws:iam::*:role/ci-*"\n', 'f.yaml')
    expect(ignoresResource(rules, vpc)).toBe(true)
    expect(ignoresResource(rules, sg)).toBe(false)
    expect(ignoresResource(rules, role)).toBe(true)
  })

  it('applies path entries to fields only, at or under the path, the last match deciding', () => {
    const rules = parseIgnoreRules('ignore:\n  - path: "Tags[aws:*]"\n  - path: "!Tags[aws:cloudformation:stack-name]"\n  - type: "AWS::EC2::VPC"\n    path: "CidrBlockAssociationSet"\n', 'f.yaml')
    expect(ignoresResource(rules, sg)).toBe(false)
    expect(ignoresField(rules, sg, tag('aws:createdBy'))).toBe(true)
    expect(ignoresField(rules, sg, tag('aws:cloudformation:stack-name'))).toBe(false)
    expect(ignoresField(rules, sg, tag('owner'))).toBe(false)
    expect(ignoresField(rules, vpc, [{field: 'CidrBlockAssociationSet'}, {key: 'assoc-1'}, {field: 'CidrBlockState'}])).toBe(true)
    expect(ignoresField(rules, sg, [{field: 'CidrBlockAssociationSet'}])).toBe(false)
  })

  it('ignores every field of an ignored resource', () => {
    const rules = parseIgnoreRules('ignore:\n  - type: "AWS::IAM::*"\n', 'f.yaml')
    expect(ignoresField(rules, role, tag('x'))).toBe(true)
  })

  it('accepts an empty file', () => {
    expect(parseIgnoreRules('', 'f.yaml').entries).toEqual([])
    expect(parseIgnoreRules('ignore: []\n', 'f.yaml').entries).toEqual([])
  })

  it.each([
    ['ignore: [', /^f\.yaml: not valid YAML/],
    ['- type: x', /^f\.yaml: expected a mapping with an "ignore" list\.$/],
    ['rules: []', /^f\.yaml: unknown key "rules" \(expected "ignore"\)\.$/],
    ['ignore: x', /^f\.yaml: "ignore" must be a list of entries\.$/],
    ['ignore:\n  - "AWS::EC2::VPC"', /^f\.yaml: entry 1: expected a mapping with type, arn and\/or path/],
    ['ignore:\n  - {type: x}\n  - {paths: y}', /^f\.yaml: entry 2: unknown key "paths" \(expected type, arn, path\)\.$/],
    ['ignore:\n  - {}', /^f\.yaml: entry 1: needs at least one of type, arn, path\.$/],
    ['ignore:\n  - {type: ""}', /^f\.yaml: entry 1: "type" must be a non-empty glob\.$/],
    ['ignore:\n  - {arn: 3}', /^f\.yaml: entry 1: "arn" must be a non-empty glob\.$/],
    ['ignore:\n  - {path: "!"}', /^f\.yaml: entry 1: "path" must be a non-empty glob\.$/],
  ])('refuses %j with a one-line error', (text, message) => {
    expect(() => parseIgnoreRules(text, 'f.yaml')).toThrow(message)
  })
})

describe('globRegExp', () => {
  it('has * and ? as wildcards and every other character literal', () => {
    expect(globRegExp('IpPermissions[tcp:*]').test('IpPermissions[tcp:22]')).toBe(true)
    expect(globRegExp('a.b').test('axb')).toBe(false)
    expect(globRegExp('v?').test('v1')).toBe(true)
    expect(globRegExp('v?').test('v12')).toBe(false)
  })
})

describe('loadIgnoreRules', () => {
  it('reads the default file from the working directory only when present', () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsinv-ignore-unit-'))
    expect(loadIgnoreRules(undefined, dir)).toBeUndefined()
    writeFileSync(join(dir, '.awsinv-ignore.yaml'), 'ignore:\n  - type: "AWS::EC2::VPC"\n')
    expect(loadIgnoreRules(undefined, dir)?.entries).toHaveLength(1)
  })

  it('requires a file named with --ignore to exist', () => {
    expect(() => loadIgnoreRules('missing.yaml', tmpdir())).toThrow('Ignore file "missing.yaml" not found.')
  })
})
