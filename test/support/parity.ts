import {expect} from 'vitest'

import type {Resource} from '../../src/resources/types.js'
import {canonicalJson, sha256} from '../../src/store/hash.js'

/** Asserts that the resource read from AWS Config is the one the direct API gave: identity, configuration and its hash. */
export function expectParity(api: Resource, config: Resource | undefined): void {
  expect(config).toBeDefined()
  expect(config?.configuration).toEqual(api.configuration)
  const identity = (r: Resource | undefined) => r && {arn: r.arn, id: r.id, name: r.name, region: r.region, accountId: r.accountId, tags: r.tags, createdAt: r.createdAt}
  expect(identity(config)).toEqual(identity(api))
  expect(sha256(canonicalJson(config?.configuration))).toBe(sha256(canonicalJson(api.configuration)))
  expect(config?.source).toBe('config')
}
