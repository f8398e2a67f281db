import {describe, expect, it} from 'vitest'

import {describeTagFilters, linkedAccountsExpression, tagFilterExpression} from '../../../src/cost/attribution.js'

const tag = (key: string, value: string) => ({Tags: {Key: key, Values: [value], MatchOptions: ['EQUALS']}})

describe('tagFilterExpression', () => {
  it('is no filter without tags: the whole account', () => {
    expect(tagFilterExpression({}, {})).toBeUndefined()
  })

  it('is a single Tags (or Not) expression for one tag: Cost Explorer refuses an And of one', () => {
    expect(tagFilterExpression({owner: 'team-a'}, {})).toEqual(tag('owner', 'team-a'))
    expect(tagFilterExpression({}, {env: 'scratch'})).toEqual({Not: tag('env', 'scratch')})
  })

  it('requires every include tag and leaves out any exclude tag, in key order', () => {
    expect(tagFilterExpression({team: 'a', owner: 'x'}, {keep: 'false', env: 'scratch'})).toEqual({
      And: [tag('owner', 'x'), tag('team', 'a'), {Not: tag('env', 'scratch')}, {Not: tag('keep', 'false')}],
    })
  })

  it('makes the same request whatever the order the filters were stored in', () => {
    expect(JSON.stringify(tagFilterExpression({b: '2', a: '1'}, {}))).toBe(JSON.stringify(tagFilterExpression({a: '1', b: '2'}, {})))
  })

  it('restricts to member accounts first, sorted, with or without tags', () => {
    const members = {Dimensions: {Key: 'LINKED_ACCOUNT', Values: ['111111111111', '222222222222'], MatchOptions: ['EQUALS']}}
    expect(linkedAccountsExpression(['222222222222', '111111111111'])).toEqual(members)
    expect(linkedAccountsExpression([])).toBeUndefined()
    expect(tagFilterExpression({}, {}, ['222222222222', '111111111111'])).toEqual(members)
    expect(tagFilterExpression({owner: 'a'}, {}, ['111111111111', '222222222222'])).toEqual({
      And: [members, {Tags: {Key: 'owner', Values: ['a'], MatchOptions: ['EQUALS']}}],
    })
  })

  it('describes the filters for people', () => {
    expect(describeTagFilters({owner: 'team-a'}, {env: 'scratch'})).toBe('owner=team-a, not env=scratch')
    expect(describeTagFilters({owner: 'a\u001B[32m'}, {'e\rnv': 'x'})).toBe('owner=a\uFFFD[32m, not e nv=x')
  })
})
