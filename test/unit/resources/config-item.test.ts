import {describe, expect, it} from 'vitest'

import {configDate, configResource, isCurrentItem, parseJsonValue, supplementaryValue, tagsFrom} from '../../../src/resources/config-item.js'
import {testContext} from '../../support/context.js'

describe('AWS Config item helpers', () => {
  it('reads Config timestamps in every encoding, zoneless text as UTC, microseconds rounded', () => {
    expect(configDate(new Date('2024-01-02T03:04:05.678Z'))).toBe('2024-01-02T03:04:05.678Z')
    expect(configDate(1_704_164_645.5)).toBe('2024-01-02T03:04:05.500Z')
    expect(configDate('2024-01-02T03:04:05.000Z')).toBe('2024-01-02T03:04:05.000Z')
    // The emulator's Python str(datetime), with and without a zone.
    expect(configDate('2024-01-02 03:04:05.669502')).toBe('2024-01-02T03:04:05.670Z')
    expect(configDate('2024-01-02 03:04:05.999900+00:00')).toBe('2024-01-02T03:04:06.000Z')
    expect(configDate('2024-01-02T05:04:05+0200')).toBe('2024-01-02T03:04:05.000Z')
    expect(configDate('not a date')).toBeNull()
    expect(configDate(null)).toBeNull()
  })

  it('parses JSON text, unwrapping text encoded twice, and leaves other text alone', () => {
    expect(parseJsonValue('{"a":1}')).toEqual({a: 1})
    expect(parseJsonValue(JSON.stringify(JSON.stringify({a: 1})))).toEqual({a: 1})
    expect(parseJsonValue('false')).toBe('false')
    expect(parseJsonValue('{broken')).toBe('{broken')
    expect(supplementaryValue({supplementaryConfiguration: {BucketPolicy: '{"policyText":null}', Off: 'null'}}, 'Off')).toBeUndefined()
  })

  it('reads tags from a map, a {key, value} list, a {Key, Value} list or a map of entries', () => {
    const expected = {env: 'dev', team: 'a'}
    expect(tagsFrom({env: 'dev', team: 'a'})).toEqual(expected)
    expect(tagsFrom('[{"key":"env","value":"dev"},{"key":"team","value":"a"}]')).toEqual(expected)
    expect(tagsFrom([{Key: 'env', Value: 'dev'}, {Key: 'team', Value: 'a'}])).toEqual(expected)
    expect(tagsFrom({env: {Key: 'env', Value: 'dev'}, team: {Key: 'team', Value: 'a'}})).toEqual(expected)
    expect(tagsFrom(undefined)).toEqual({})
  })

  it('treats deleted items as not current', () => {
    expect(isCurrentItem({configurationItemStatus: 'OK'})).toBe(true)
    expect(isCurrentItem({configurationItemStatus: 'ResourceDiscovered'})).toBe(true)
    expect(isCurrentItem({configurationItemStatus: 'ResourceDeleted'})).toBe(false)
    expect(isCurrentItem({configurationItemStatus: 'ResourceDeletedNotRecorded'})).toBe(false)
  })

  it('takes account and region from the item (aggregators return other accounts)', () => {
    const fields = {arn: 'a', type: 'T', id: 'i', name: 'n', createdAt: null, tags: {}, configuration: {When: new Date(0)}}
    const resource = configResource({accountId: '444455556666', awsRegion: 'eu-west-1'}, testContext(), fields)
    expect(resource).toMatchObject({accountId: '444455556666', region: 'eu-west-1', source: 'config', relationships: [], configuration: {When: '1970-01-01T00:00:00.000Z'}})
    expect(configResource({}, testContext({region: 'us-west-2'}), fields)).toMatchObject({accountId: '123456789012', region: 'us-west-2'})
  })
})
