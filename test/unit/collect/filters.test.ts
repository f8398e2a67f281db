import {describe, expect, it} from 'vitest'

import {checkTagFilters, describeTagFilters, matchesTagFilters, overriddenTagsNote, parseTagFilter, tagFiltersNote} from '../../../src/collect/filters.js'
import {UserError} from '../../../src/errors.js'

describe('parseTagFilter', () => {
  it.each([
    ['env=prod', {env: 'prod'}],
    ['env=prod,team=net', {env: 'prod', team: 'net'}],
    [' env = prod , team=net ', {env: 'prod', team: 'net'}],
    ['a=b,c=', {a: 'b', c: ''}],
    ['url=https://x?a=b', {url: 'https://x?a=b'}],
    ['k=1, k=1', {k: '1'}],
    ['aws:cloudformation:stack-name=web', {'aws:cloudformation:stack-name': 'web'}],
  ])('parses %j', (input, expected) => {
    expect(parseTagFilter(input, '--include-tags')).toEqual(expected)
  })

  it.each(['=x', 'k', '', ' ', ' , ', ',', 'a=b,k', 'a=b, =c', ' =c'])('rejects %j with a UserError', (input) => {
    expect(() => parseTagFilter(input, '--include-tags')).toThrow(UserError)
  })

  it('names the flag and the malformed entry', () => {
    expect(() => parseTagFilter('env=prod,oops', '--exclude-tags')).toThrow('Malformed --exclude-tags entry "oops"')
    expect(() => parseTagFilter(' , ', '--exclude-tags')).toThrow('--exclude-tags needs KEY=VALUE pairs')
  })

  it('refuses keys and values longer than AWS allows, counting Unicode characters', () => {
    expect(parseTagFilter(`${'k'.repeat(128)}=${'é'.repeat(256)}`, '--include-tags')).toEqual({['k'.repeat(128)]: 'é'.repeat(256)})
    expect(() => parseTagFilter(`${'k'.repeat(129)}=v`, '--include-tags')).toThrow(
      `--include-tags: tag key "${'k'.repeat(40)}…" is 129 characters long; AWS tag keys have 128 at most, so it could match no resource.`,
    )
    expect(() => parseTagFilter(`env=${'v'.repeat(257)}`, '--exclude-tags')).toThrow(/^--exclude-tags: tag value "v{40}…" is 257 characters long; AWS tag values have 256 at most/)
  })

  it('refuses a key given two values: a filter holds one value per key', () => {
    expect(() => parseTagFilter('env=dev,team=a,env=test', '--exclude-tags')).toThrow(
      new UserError('--exclude-tags names tag key "env" twice (env=dev, env=test): a tag filter takes one value per key.'),
    )
  })
})

describe('matchesTagFilters', () => {
  const tags = {env: 'prod', team: 'net', empty: ''}

  it('matches anything without filters', () => {
    expect(matchesTagFilters({}, {}, {})).toBe(true)
    expect(matchesTagFilters(tags, {}, {})).toBe(true)
  })

  it('requires every include tag with its exact value', () => {
    expect(matchesTagFilters(tags, {env: 'prod'}, {})).toBe(true)
    expect(matchesTagFilters(tags, {env: 'prod', team: 'net'}, {})).toBe(true)
    expect(matchesTagFilters(tags, {env: 'prod', team: 'web'}, {})).toBe(false)
    expect(matchesTagFilters(tags, {env: 'Prod'}, {})).toBe(false)
    expect(matchesTagFilters(tags, {owner: 'me'}, {})).toBe(false)
    expect(matchesTagFilters({}, {env: 'prod'}, {})).toBe(false)
  })

  it('treats an empty include value as "present with an empty value", not "absent"', () => {
    expect(matchesTagFilters(tags, {empty: ''}, {})).toBe(true)
    expect(matchesTagFilters(tags, {missing: ''}, {})).toBe(false)
  })

  it('excludes a resource carrying any exclude tag with its value', () => {
    expect(matchesTagFilters(tags, {}, {env: 'prod'})).toBe(false)
    expect(matchesTagFilters(tags, {}, {env: 'dev', team: 'net'})).toBe(false)
    expect(matchesTagFilters(tags, {}, {env: 'dev'})).toBe(true)
    expect(matchesTagFilters(tags, {}, {owner: 'me'})).toBe(true)
  })

  it('applies exclusion over inclusion', () => {
    expect(matchesTagFilters(tags, {env: 'prod'}, {team: 'net'})).toBe(false)
    expect(matchesTagFilters(tags, {env: 'prod'}, {team: 'web'})).toBe(true)
  })
})

describe('checkTagFilters', () => {
  it('refuses an include tag that an exclude tag names with the same value, naming each', () => {
    expect(() => checkTagFilters({env: 'dev', team: 'a'}, {env: 'dev', team: 'a', keep: 'true'}, '--include-tags and --exclude-tags')).toThrow(
      new UserError('--include-tags and --exclude-tags both name env=dev, team=a: no resource could be selected. Drop it from one of them.'),
    )
  })

  it('accepts the same key with other values, and either side empty', () => {
    expect(() => checkTagFilters({env: 'dev'}, {env: 'prod'}, 'x')).not.toThrow()
    expect(() => checkTagFilters({}, {env: 'prod'}, 'x')).not.toThrow()
    expect(() => checkTagFilters({env: ''}, {}, 'x')).not.toThrow()
  })
})

describe('describeTagFilters and tagFiltersNote', () => {
  it('describe the include and exclude tags, and nothing without them', () => {
    expect(describeTagFilters({includeTags: {env: 'dev', team: 'a'}, excludeTags: {keep: 'true'}})).toBe('include env=dev, team=a; exclude keep=true')
    expect(describeTagFilters({includeTags: {}, excludeTags: {keep: ''}})).toBe('exclude keep=')
    expect(describeTagFilters({includeTags: {}, excludeTags: {}})).toBeUndefined()
    expect(describeTagFilters({includeTags: {'team\u001B[2J': 'a\nb'}, excludeTags: {}})).toBe('include team\uFFFD[2J=a b')
    expect(tagFiltersNote({name: 'all', filters: {includeTags: {}, excludeTags: {}}})).toBeUndefined()
    expect(tagFiltersNote(undefined)).toBeUndefined()
    expect(tagFiltersNote({name: 'dev', filters: {includeTags: {env: 'dev'}, excludeTags: {}}})).toBe(
      'Note: snapshot "dev" was taken with tag filters (include env=dev); the current state is collected with them, so only the resources they select are considered.',
    )
    expect(tagFiltersNote({name: 'dev', filters: {includeTags: {env: 'dev'}, excludeTags: {}}}, 'cleanup')).toBe(
      'Note: snapshot "dev" was taken with tag filters (include env=dev); only the resources they select are candidates, but the current state is collected without them, so what they leave out stays and keeps what it uses.',
    )
  })
})

describe('overriddenTagsNote', () => {
  const inventory = {name: 'team-a', includeTags: {team: 'a', env: 'dev'}, excludeTags: {keep: 'true'}}

  it('names every tag the flags give another value than the inventory does', () => {
    expect(overriddenTagsNote(inventory, {includeTags: {team: 'b', env: 'dev'}, excludeTags: {keep: 'yes'}})).toBe(
      'Note: inventory "team-a" filters by tag; for this snapshot --include-tags team=b replaces its team=a, --exclude-tags keep=yes replaces its keep=true.',
    )
  })

  it('says nothing when the flags only repeat or add tags', () => {
    expect(overriddenTagsNote(inventory, {includeTags: {team: 'a', owner: 'x'}, excludeTags: {scratch: 'true'}})).toBeUndefined()
    expect(overriddenTagsNote(inventory, {includeTags: {}, excludeTags: {}})).toBeUndefined()
    expect(overriddenTagsNote({name: 'all', includeTags: {}, excludeTags: {}}, {includeTags: {team: 'b'}, excludeTags: {}})).toBeUndefined()
  })
})
