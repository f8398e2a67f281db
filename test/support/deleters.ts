import {AwsClients} from '../../src/aws/clients.js'
import {apiResourcePages} from '../../src/collect/cell.js'
import {uniqueIdOf} from '../../src/cleanup/deleting.js'
import {type ItemRunResult, runItemSteps} from '../../src/cleanup/run-item.js'
import type {DeleteContext, PlanItem} from '../../src/cleanup/types.js'
import {specOf} from '../../src/resources/registry.js'
import type {CollectContext, Resource, ResourceSpec} from '../../src/resources/types.js'
import {emulatorEnv} from './emulator.js'

/**
 * Deleter tests against the emulator: collect a type the way a snapshot does, turn a resource into the
 * plan item the planner would make, and run its steps through the executor's own step runner.
 */

// The SDK's credential chain reads these; the emulator accepts any.
for (const [key, value] of Object.entries(emulatorEnv)) process.env[key] ??= value

export interface EmulatorContexts {
  collect: CollectContext
  delete: DeleteContext
  clients: AwsClients
}

/** Collection and deletion contexts on the emulator for one region (global types: the home region). */
export function emulatorContexts(url: string, region = 'us-east-1', accountId = '123456789012'): EmulatorContexts {
  const clients = new AwsClients({endpointUrl: url, maxAttempts: 2}, region)
  const signal = new AbortController().signal
  const shared = new Map<string, Promise<unknown>>()
  return {
    clients,
    collect: {
      accountId,
      partition: 'aws',
      region,
      regions: [region],
      clients,
      signal,
      shared<T>(key: string, load: () => Promise<T>): Promise<T> {
        if (!shared.has(key)) shared.set(key, load())
        return shared.get(key) as Promise<T>
      },
    },
    delete: {accountId, partition: 'aws', region, clients, signal},
  }
}

function requireSpec(type: string): ResourceSpec {
  const spec = specOf(type)
  if (spec === undefined) throw new Error(`no spec for ${type}`)
  return spec
}

/** Every resource of a type as a snapshot would store it: the spec's listing, canonical form and relationships. */
export async function collectType(type: string, ctx: CollectContext): Promise<Resource[]> {
  const spec = requireSpec(type)
  const resources: Resource[] = []
  for await (const page of apiResourcePages(spec, ctx)) {
    for (const resource of page) resources.push({...resource, relationships: spec.relationships?.(resource) ?? []})
  }

  return resources
}

/** The resource of a type with this AWS id, collected now; throws when there is none. */
export async function collectOne(type: string, id: string, ctx: CollectContext): Promise<Resource> {
  const found = (await collectType(type, ctx)).find((r) => r.id === id)
  if (found === undefined) throw new Error(`${type} ${id} was not collected`)
  return found
}

/** The delete item the planner makes for a resource: its deleter's steps, nothing before or with it. */
export function planItemOf(resource: Resource): PlanItem {
  const deleter = requireSpec(resource.type).deleter
  if (deleter === undefined) throw new Error(`${resource.type} has no deleter`)
  return {
    key: resource.arn,
    kind: 'delete',
    arn: resource.arn,
    type: resource.type,
    id: resource.id,
    name: resource.name,
    region: resource.region,
    accountId: resource.accountId,
    createdAt: resource.createdAt,
    uniqueId: uniqueIdOf(requireSpec(resource.type), resource.configuration) ?? null,
    tags: resource.tags,
    why: {kind: 'created', explanation: 'test'},
    steps: deleter.steps(resource),
    after: [],
    includes: [],
  }
}

/** Runs an item's steps through its type's deleter with short polls, as the executor would. */
export async function runPlanItem(item: PlanItem, ctx: DeleteContext): Promise<ItemRunResult> {
  const deleter = requireSpec(item.type).deleter
  if (deleter === undefined) throw new Error(`${item.type} has no deleter`)
  return runItemSteps(deleter, ctx, item, {signal: ctx.signal, defaultPollMs: 200, baseDelayMs: 200, maxRetries: 4})
}

/** Plans and deletes one collected resource; throws with the step errors when it fails. */
export async function deleteResource(resource: Resource, ctx: DeleteContext): Promise<ItemRunResult> {
  const result = await runPlanItem(planItemOf(resource), ctx)
  if (result.status === 'failed') throw new Error(`deleting ${resource.type} ${resource.id} failed: ${result.error}`)
  return result
}
