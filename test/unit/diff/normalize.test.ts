import {describe, expect, it} from 'vitest'

import {SET_KEY, parseEmbeddedDocuments, prepareForDiff, setIdentity} from '../../../src/diff/normalize.js'

const k = (key: string) => SET_KEY + key

describe('prepareForDiff', () => {
  it('drops volatile fields, at the top and under any element', () => {
    const prepared = prepareForDiff(
      {RoleName: 'r', RoleLastUsed: {LastUsedDate: '2026-01-01'}, Items: [{Id: 1, Seen: 'x'}, {Id: 2, Seen: 'y'}]},
      {volatile: ['RoleLastUsed', 'Items.*.Seen']},
    )
    expect(prepared).toEqual({RoleName: 'r', Items: [{Id: 1}, {Id: 2}]})
  })

  it('leaves tags to the tag comparison', () => {
    expect(prepareForDiff({VpcId: 'vpc-1', Tags: [{Key: 'a', Value: 'b'}], TagSet: [], TagList: []})).toEqual({VpcId: 'vpc-1'})
  })

  it('treats null, missing, "", [] and {} alike', () => {
    const sparse = prepareForDiff({A: 1, B: null, C: '', D: [], E: {}, F: {G: null, H: []}})
    expect(sparse).toEqual({A: 1})
    expect(sparse).toEqual(prepareForDiff({A: 1}))
  })

  it('keeps false and 0, which are values', () => {
    expect(prepareForDiff({Enabled: false, Count: 0})).toEqual({Enabled: false, Count: 0})
  })

  it('keys set-like arrays by identity so order does not matter', () => {
    const rules = {sets: {SubnetIds: '.', Rules: ['Proto', 'From', 'To']}}
    const a = prepareForDiff({SubnetIds: ['b', 'a'], Rules: [{Proto: 'tcp', From: 22, To: 22}, {Proto: '-1'}]}, rules)
    const b = prepareForDiff({SubnetIds: ['a', 'b'], Rules: [{Proto: '-1'}, {Proto: 'tcp', From: 22, To: 22}]}, rules)
    expect(a).toEqual(b)
    expect(Object.keys(a.Rules as object)).toEqual([k('tcp:22'), k('-1')])
  })

  it('keys nested sets under every element of an outer set', () => {
    const rules = {sets: {IpPermissions: ['IpProtocol', 'FromPort', 'ToPort'], 'IpPermissions.*.IpRanges': 'CidrIp'}}
    const prepared = prepareForDiff({IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.0.0/8'}, {CidrIp: '0.0.0.0/0'}]}]}, rules)
    expect(prepared).toEqual({
      IpPermissions: {[k('tcp:443')]: {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: {[k('10.0.0.0/8')]: {CidrIp: '10.0.0.0/8'}, [k('0.0.0.0/0')]: {CidrIp: '0.0.0.0/0'}}}},
    })
  })

  it('tells apart set elements that share an identity', () => {
    const prepared = prepareForDiff({Names: [{N: 'a', V: 1}, {N: 'a', V: 2}]}, {sets: {Names: 'N'}})
    expect(Object.keys(prepared.Names as object)).toEqual([k('a'), k('a#2')])
  })

  it('keeps arrays that are not sets in order', () => {
    expect(prepareForDiff({Order: [2, 1]})).toEqual({Order: [2, 1]})
  })
})

describe('setIdentity', () => {
  it('joins identifying values, collapsing a repeat and skipping missing ones', () => {
    expect(setIdentity({IpProtocol: 'tcp', FromPort: 22, ToPort: 22}, ['IpProtocol', 'FromPort', 'ToPort'])).toBe('tcp:22')
    expect(setIdentity({IpProtocol: 'tcp', FromPort: 0, ToPort: 65535}, ['IpProtocol', 'FromPort', 'ToPort'])).toBe('tcp:0:65535')
    expect(setIdentity({IpProtocol: '-1'}, ['IpProtocol', 'FromPort', 'ToPort'])).toBe('-1')
    expect(setIdentity('subnet-1', ['.'])).toBe('subnet-1')
  })

  it('falls back to the whole element when it has none of the fields', () => {
    expect(setIdentity({Other: 1}, ['Key'])).toBe('{"Other":1}')
  })
})

describe('parseEmbeddedDocuments', () => {
  const document = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]}

  it('parses JSON held in strings, plain or URL-encoded, to the same structure', () => {
    const plain = parseEmbeddedDocuments({Policy: JSON.stringify(document)})
    const encoded = parseEmbeddedDocuments({Policy: encodeURIComponent(JSON.stringify(document))})
    const parsed = parseEmbeddedDocuments({Policy: document})
    expect(plain).toEqual(parsed)
    expect(encoded).toEqual(parsed)
  })

  it('leaves strings that are not JSON documents alone', () => {
    expect(parseEmbeddedDocuments({A: '{not json', B: '%7Bbroken', C: '42', D: 'text'})).toEqual({A: '{not json', B: '%7Bbroken', C: '42', D: 'text'})
  })

  it('compares policy documents by meaning: single values as lists, lists sorted, statements keyed by Sid', () => {
    const one = parseEmbeddedDocuments({
      Version: '2012-10-17',
      Statement: [
        {Sid: 'B', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Principal: {AWS: 'arn:aws:iam::1:root'}, Resource: '*'},
        {Sid: 'A', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: {Bool: {'aws:SecureTransport': 'false'}}},
      ],
    })
    const two = parseEmbeddedDocuments({
      Version: '2012-10-17',
      Statement: [
        {Sid: 'A', Effect: 'Deny', Action: ['s3:*'], Resource: ['*'], Condition: {Bool: {'aws:SecureTransport': ['false']}}},
        {Sid: 'B', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Principal: {AWS: ['arn:aws:iam::1:root']}, Resource: ['*']},
      ],
    })
    expect(one).toEqual(two)
    expect(Object.keys((one as {Statement: object}).Statement)).toEqual([k('B'), k('A')])
  })

  it('keys statements without unique Sids by their content, so reordering is not a change', () => {
    const s1 = {Effect: 'Allow', Action: 'a:b', Resource: '*'}
    const s2 = {Effect: 'Deny', Action: 'c:d', Resource: '*'}
    expect(parseEmbeddedDocuments({Statement: [s1, s2]})).toEqual(parseEmbeddedDocuments({Statement: [s2, s1]}))
  })

  it('accepts a single statement object', () => {
    expect(parseEmbeddedDocuments({Statement: {Effect: 'Allow', Action: 'a:b', Resource: '*'}})).toEqual(
      parseEmbeddedDocuments({Statement: [{Effect: 'Allow', Action: ['a:b'], Resource: ['*']}]}),
    )
  })
})
