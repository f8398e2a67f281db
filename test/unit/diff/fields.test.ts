import {describe, expect, it} from 'vitest'

import {diffResource, displayValue} from '../../../src/diff/fields.js'
import {SET_KEY} from '../../../src/diff/normalize.js'
import {formatPath} from '../../../src/diff/path.js'
import {instance} from '../../../src/resources/ec2/instance.js'
import {securityGroup} from '../../../src/resources/ec2/security-group.js'

const version = (configuration: Record<string, unknown>, tags: Record<string, string> = {}) => ({configuration, tags})

describe('diffResource', () => {
  it('finds nothing between equal versions listed in another order', () => {
    const rule = (cidrs: string[]) => ({IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: cidrs.map((CidrIp) => ({CidrIp}))})
    const a = version({GroupId: 'sg-1', IpPermissions: [rule(['10.0.0.0/8', '0.0.0.0/0']), {IpProtocol: '-1'}]}, {env: 'dev'})
    const b = version({GroupId: 'sg-1', IpPermissions: [{IpProtocol: '-1', IpRanges: []}, rule(['0.0.0.0/0', '10.0.0.0/8'])]}, {env: 'dev'})
    expect(diffResource(a, b, securityGroup)).toEqual([])
  })

  it('reports an opened port with a typed path, a kind, a category and the value', () => {
    const a = version({GroupId: 'sg-1', IpPermissions: []})
    const b = version({GroupId: 'sg-1', IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]})
    expect(diffResource(a, b, securityGroup)).toEqual([
      {
        path: 'IpPermissions[tcp:22]',
        segments: [{field: 'IpPermissions'}, {key: 'tcp:22'}],
        kind: 'added',
        category: 'security',
        after: {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]},
      },
    ])
  })

  it('reports a range added to an existing rule under that rule', () => {
    const rule = (cidrs: string[]) => ({IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: cidrs.map((CidrIp) => ({CidrIp}))}]})
    const changes = diffResource(version(rule(['10.0.0.0/8'])), version(rule(['10.0.0.0/8', '0.0.0.0/0'])), securityGroup)
    expect(changes).toEqual([expect.objectContaining({path: 'IpPermissions[tcp:22].IpRanges[0.0.0.0/0]', kind: 'added', after: {CidrIp: '0.0.0.0/0'}})])
  })

  it('reports tags from the tag maps: added, removed and changed', () => {
    const changes = diffResource(version({}, {env: 'dev', gone: 'x'}), version({}, {env: 'prod', owner: 'me'}))
    expect(changes).toEqual([
      {path: 'Tags[env]', segments: [{field: 'Tags'}, {key: 'env'}], kind: 'changed', category: 'tags', before: 'dev', after: 'prod'},
      {path: 'Tags[gone]', segments: [{field: 'Tags'}, {key: 'gone'}], kind: 'removed', category: 'tags', before: 'x'},
      {path: 'Tags[owner]', segments: [{field: 'Tags'}, {key: 'owner'}], kind: 'added', category: 'tags', after: 'me'},
    ])
  })

  it('puts running/stopped in the state category, apart from configuration', () => {
    const a = version({InstanceId: 'i-1', InstanceType: 't3.micro', State: {Code: 16, Name: 'running'}, PublicIpAddress: '1.2.3.4'})
    const b = version({InstanceId: 'i-1', InstanceType: 't3.small', State: {Code: 80, Name: 'stopped'}})
    const changes = diffResource(a, b, instance)
    expect(changes.map((c) => [c.path, c.kind, c.category])).toEqual([
      ['InstanceType', 'changed', 'configuration'],
      ['PublicIpAddress', 'removed', 'state'],
      ['State.Code', 'changed', 'state'],
      ['State.Name', 'changed', 'state'],
    ])
  })

  it('ignores volatile fields and compares policies in strings by structure', () => {
    const policy = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]}
    const a = version({Policy: JSON.stringify(policy), Stamp: 1})
    const b = version({Policy: encodeURIComponent(JSON.stringify({...policy, Statement: [{...policy.Statement[0], Action: ['s3:GetObject']}]})), Stamp: 2})
    expect(diffResource(a, b, {volatile: ['Stamp']})).toEqual([])
  })

  it('compares a field only between versions that both read it', () => {
    // The spec says Rotation was not read where it is missing: its absence is no removal.
    const rules = {unreadFields: (c: Record<string, unknown>) => (c.Rotation === undefined ? ['Rotation', 'RotationDays'] : [])}
    const read = version({State: 'Enabled', Rotation: true, RotationDays: 90})
    expect(diffResource(read, version({State: 'Disabled'}), rules).map((c) => c.path)).toEqual(['State'])
    expect(diffResource(version({State: 'Disabled'}), read, rules).map((c) => c.path)).toEqual(['State'])
    expect(diffResource(read, version({State: 'Enabled', Rotation: false}), rules).map((c) => [c.path, c.kind])).toEqual([
      ['Rotation', 'changed'],
      ['RotationDays', 'removed'],
    ])
  })

  it('reports changes inside a list that is not a set by position', () => {
    const changes = diffResource(version({Order: ['a', 'b']}), version({Order: ['a', 'c', 'd']}))
    expect(changes.map((c) => [c.path, c.kind, c.before, c.after])).toEqual([
      ['Order[1]', 'changed', 'b', 'c'],
      ['Order[2]', 'added', undefined, 'd'],
    ])
  })
})

describe('formatPath and displayValue', () => {
  it('quotes fields that are not plain names', () => {
    expect(formatPath([{field: 'Policy'}, {field: 'a.b c'}, {index: 2}, {key: 'x'}])).toBe('Policy["a.b c"][2][x]')
  })

  it('shows keyed sets as the lists they were', () => {
    expect(displayValue({A: {[`${SET_KEY}x`]: {Id: 'x'}, [`${SET_KEY}y`]: {Id: 'y'}}})).toEqual({A: [{Id: 'x'}, {Id: 'y'}]})
  })
})
