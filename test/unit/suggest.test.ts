import {describe, expect, it} from 'vitest'

import {closestWords, didYouMean, editDistance, typoAllowance} from '../../src/suggest.js'

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions, and a swap of neighbours as one edit', () => {
    expect(editDistance('regions', 'regions')).toBe(0)
    expect(editDistance('region', 'regions')).toBe(1)
    expect(editDistance('craete', 'create')).toBe(1)
    expect(editDistance('jsno', 'json')).toBe(1)
    expect(editDistance('', 'tag')).toBe(3)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })
})

describe('closestWords', () => {
  const flags = ['region', 'regions', 'resource-type', 'tag', 'json', 'storage-path', 'snapshot']

  it('returns the candidates within a typo allowance, closest first, never the word itself', () => {
    expect(closestWords('regoins', flags)).toEqual(['regions', 'region'])
    expect(closestWords('region', flags)).toEqual(['regions'])
    expect(closestWords('storage-pth', flags, 1)).toEqual(['storage-path'])
    expect(closestWords('tags', flags)).toEqual(['tag'])
  })

  it('stretches short words by one edit only, and finds nothing for unrelated words', () => {
    expect(typoAllowance('tag')).toBe(1)
    expect(typoAllowance('resource-type')).toBe(4)
    expect(closestWords('tg', ['tag', 'json'])).toEqual(['tag'])
    expect(closestWords('xy', ['tag', 'json'])).toEqual([])
    expect(closestWords('bogus', flags)).toEqual([])
  })
})

describe('didYouMean', () => {
  it('is the sentence naming the closest candidate, or nothing', () => {
    expect(didYouMean('bse', ['base', 'other'])).toBe(' Did you mean "base"?')
    expect(didYouMean('zzz', ['base', 'other'])).toBe('')
  })

  it('compares in lower case when asked, and names the candidate as written', () => {
    expect(didYouMean('aws::ec2::vpcs', ['AWS::EC2::VPC', 'ec2'], {ignoreCase: true})).toBe(' Did you mean "AWS::EC2::VPC"?')
    expect(didYouMean('aws::ec2::vpcs', ['AWS::EC2::VPC'])).toBe('')
  })

  it('names a candidate that differs only in case first, whether or not asked to ignore case', () => {
    expect(didYouMean('DEMO', ['demo', 'DEMO-2', 'deno'])).toBe(' Did you mean "demo"?')
    expect(didYouMean('Sandbox', ['sandbox'], {ignoreCase: true})).toBe(' Did you mean "sandbox"?')
  })
})
