import {describe, expect, it} from 'vitest'

import {costGroupingLabel, groupDefinition, groupValue, parseCostGroupBy} from '../../../src/cost/options.js'

describe('parseCostGroupBy', () => {
  it('reads one or two keys, repeated or comma-separated', () => {
    expect(parseCostGroupBy(['service'])).toEqual([{by: 'service'}])
    expect(parseCostGroupBy(['region,tag:owner'])).toEqual([{by: 'region'}, {by: 'tag', key: 'owner'}])
    expect(parseCostGroupBy(['account', 'usage-type'])).toEqual([{by: 'account'}, {by: 'usage-type'}])
    expect(parseCostGroupBy([' tag:cost center '])).toEqual([{by: 'tag', key: 'cost center'}])
    expect(parseCostGroupBy(['SERVICE,Tag:Owner'])).toEqual([{by: 'service'}, {by: 'tag', key: 'Owner'}])
  })

  it.each([
    [['type'], /^Unknown --group-by "type"\. Use service, region, account, usage-type or tag:KEY\.$/],
    [['service,region,account'], /^Cost Explorer groups by 2 keys at most; got 3 \(service, region, account\)\.$/],
    [['service', 'region', 'tag:a'], /at most; got 3/],
    [['tag:'], /^--group-by tag: needs a tag key/],
    [['service,'], /^--group-by needs a key/],
    [['region,region'], /^--group-by lists region twice\.$/],
    [['toString'], /^Unknown --group-by "toString"/],
  ])('refuses %o', (values, message) => {
    expect(() => parseCostGroupBy(values)).toThrow(message)
  })

  it('maps keys to Cost Explorer group definitions and back', () => {
    expect(parseCostGroupBy(['service,account']).map((g) => groupDefinition(g))).toEqual([
      {Type: 'DIMENSION', Key: 'SERVICE'},
      {Type: 'DIMENSION', Key: 'LINKED_ACCOUNT'},
    ])
    expect(groupDefinition({by: 'usage-type'})).toEqual({Type: 'DIMENSION', Key: 'USAGE_TYPE'})
    expect(groupDefinition({by: 'tag', key: 'owner'})).toEqual({Type: 'TAG', Key: 'owner'})
    expect(costGroupingLabel({by: 'tag', key: 'owner'})).toBe('tag:owner')
    // Cost Explorer returns tag groups as KEY$value, and KEY$ for costs without the tag.
    expect(groupValue({by: 'tag', key: 'owner'}, 'owner$team-a')).toBe('team-a')
    expect(groupValue({by: 'tag', key: 'owner'}, 'owner$')).toBeNull()
    expect(groupValue({by: 'tag', key: 'owner'}, 'owner$a$b')).toBe('a$b')
    expect(groupValue({by: 'service'}, 'AWS Lambda')).toBe('AWS Lambda')
  })
})
