import {AwsClients} from '../../src/aws/clients.js'
import type {DeleteContext} from '../../src/cleanup/types.js'
import type {CollectContext} from '../../src/resources/types.js'

/** A collection context for pure spec tests: fixed account, no network. */
export function testContext(overrides: Partial<CollectContext> = {}): CollectContext {
  const region = overrides.region ?? 'us-east-1'
  return {
    accountId: '123456789012',
    partition: 'aws',
    region,
    regions: [region],
    clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9'}, region),
    shared: (_key, load) => load(),
    signal: new AbortController().signal,
    ...overrides,
  }
}

/** A deletion context for deleter unit tests: fixed account, clients that reach nothing (mock them). */
export function testDeleteContext(overrides: Partial<DeleteContext> = {}): DeleteContext {
  const region = overrides.region ?? 'us-east-1'
  return {
    accountId: '123456789012',
    partition: 'aws',
    region,
    clients: new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, region),
    signal: new AbortController().signal,
    ...overrides,
  }
}
