import {classifyError} from '../aws/errors.js'
import {tagsFromList} from '../resources/normalize.js'
import type {CollectContext, Resource, ResourceSpec} from '../resources/types.js'
import type {CurrentState, DeleteContext, DeleteStep, PlanItem, StepOutcome} from './types.js'

/**
 * Small pieces deleters share: reading a step's parameters, request ids, running the one call a step's
 * action names, re-reading a resource (in its canonical shape), and the request-then-wait-until-gone
 * loop of asynchronous deletes.
 */

/** A string parameter of a step. Throws when the plan does not carry it: a plan edited by hand, or a bug. */
export function stringParam(step: DeleteStep, name: string): string {
  const value = step.params[name]
  if (typeof value !== 'string' || value === '') throw new Error(`step ${step.action} has no ${name} parameter`)
  return value
}

/** A list-of-strings parameter of a step (possibly empty). Throws when the plan does not carry one. */
export function stringListParam(step: DeleteStep, name: string): string[] {
  const value = step.params[name]
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`step ${step.action} has no ${name} list parameter`)
  return value as string[]
}

/** A number parameter of a step. Throws when the plan does not carry it. */
export function numberParam(step: DeleteStep, name: string): number {
  const value = step.params[name]
  if (typeof value !== 'number') throw new Error(`step ${step.action} has no ${name} parameter`)
  return value
}

/** A boolean parameter of a step, or undefined when the step leaves it out (the API's default then applies). */
export function optionalBooleanParam(step: DeleteStep, name: string): boolean | undefined {
  const value = step.params[name]
  return typeof value === 'boolean' ? value : undefined
}

/** The request ids of SDK call outputs, for the audit log. */
export function requestIdsOf(...outputs: ReadonlyArray<{$metadata?: {requestId?: string}} | undefined>): string[] {
  return outputs.map((o) => o?.$metadata?.requestId).filter((id): id is string => id !== undefined)
}

/** The error for a step whose action the type's deleter does not know (a plan made by another version). */
export function unknownStep(item: PlanItem, step: DeleteStep): Error {
  return new Error(`${item.type} has no step ${step.action}`)
}

/** A collection context on a deletion context, so a deleter can build the canonical resource with its spec's `toResource`. */
export function collectContextOf(ctx: DeleteContext): CollectContext {
  return {
    accountId: ctx.accountId,
    partition: ctx.partition,
    region: ctx.region,
    regions: [ctx.region],
    clients: ctx.clients,
    shared: (_key, load) => load(),
    signal: ctx.signal,
  }
}

/** The id AWS assigned a resource at creation: `configuration[spec.uniqueId]` when the spec names one and it is a string. */
export function uniqueIdOf(spec: Pick<ResourceSpec, 'uniqueId'> | undefined, configuration: Record<string, unknown>): string | undefined {
  const value = spec?.uniqueId === undefined ? undefined : configuration[spec.uniqueId]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * What `Deleter.current` reports of a resource read again: its tags, name and canonical configuration, and
 * its unique id when its spec (given) declares one.
 */
export function currentStateOf(resource: Resource, spec?: Pick<ResourceSpec, 'uniqueId'>): CurrentState {
  const uniqueId = uniqueIdOf(spec, resource.configuration)
  return {tags: resource.tags, name: resource.name, configuration: resource.configuration, ...(uniqueId === undefined ? {} : {uniqueId})}
}

/**
 * What `Deleter.current` reports from a read that returns a resource's tags (as a list) and unique id
 * (IAM's Get* calls), without its configuration.
 */
export function currentStateFrom(tags: ReadonlyArray<{Key?: string; Value?: string}> | undefined, uniqueId: string | undefined): CurrentState {
  return {tags: tagsFromList(tags), ...(uniqueId ? {uniqueId} : {})}
}

/** Where an asynchronous delete stands: the resource is there, is being deleted, or is gone. */
export type DeleteProgress = 'present' | 'deleting' | 'gone'

/** One asynchronous delete, as `deleteUntilGone` drives it. */
export interface AsyncDelete {
  /** What is deleted, for people: "DB instance orders". */
  what: string
  /** Reads where the delete stands now. */
  read(): Promise<DeleteProgress>
  /** Sends the delete request (called only after `read` answered `present`); returns the request ids. */
  request(): Promise<string[]>
  /** How long to wait between progress checks. */
  retryAfterMs: number
}

// The runner calls `run` again with the same step object while it waits, so a step remembers here that
// this run sent its delete: its target vanishing then means `done`, not `gone` (someone else's delete).
const requested = new WeakSet<DeleteStep>()

/**
 * Deletes something that takes a while to go (an RDS instance, an EFS mount target) and answers `wait`
 * until it is gone: sends the request when the resource is present, only checks progress while it is
 * being deleted, and answers `done` once it is gone — or `gone` when it was gone before this step
 * touched it. Safe to call again at any point.
 */
export async function deleteUntilGone(step: DeleteStep, deletion: AsyncDelete): Promise<StepOutcome> {
  const before = await deletion.read()
  if (before === 'gone') {
    // Forgotten once reported, so that running the step again later finds the target gone.
    if (requested.delete(step)) return {status: 'done', detail: `${deletion.what} deleted`}
    return {status: 'gone', detail: `${deletion.what} no longer exists`}
  }

  if (before === 'deleting') return {status: 'wait', detail: `${deletion.what} is being deleted`, retryAfterMs: deletion.retryAfterMs}
  const requestIds = await deletion.request()
  // Some deletes complete at once (and an emulator's always do): no need to wait a whole interval.
  if ((await deletion.read()) === 'gone') return {status: 'done', detail: `${deletion.what} deleted`, requestIds}
  requested.add(step)
  return {status: 'wait', detail: `${deletion.what} is being deleted`, retryAfterMs: deletion.retryAfterMs, requestIds}
}

/** What every SDK output carries: the request id recorded in the audit log. */
export interface CallOutput {
  $metadata: {requestId?: string}
}

/** `done`, with the request ids of the calls that did it. */
export function doneAfter(...outputs: CallOutput[]): StepOutcome {
  const requestIds = outputs.map((o) => o.$metadata.requestId).filter((id): id is string => id !== undefined && id !== '')
  return {status: 'done', ...(requestIds.length > 0 ? {requestIds} : {})}
}

/**
 * Runs the call a step's action stands for and answers `done`. A not-found error propagates: the step
 * runner counts it as `gone` (what the step acts on no longer exists), which makes every such step
 * idempotent. An action the type does not know means the plan was not made by this version of awsinv.
 */
export async function runStepCall(step: DeleteStep, calls: Readonly<Record<string, () => Promise<CallOutput>>>): Promise<StepOutcome> {
  const call = Object.hasOwn(calls, step.action) ? calls[step.action] : undefined
  if (call === undefined) throw new Error(`unknown step ${step.action}: expected one of ${Object.keys(calls).join(', ')}`)
  return doneAfter(await call())
}

/**
 * A resource's state now, from `read`: undefined when it no longer exists (a not-found error), tags null
 * when it may not be read (access denied: tag rules then protect it). Any other error propagates.
 */
export async function readCurrent(read: () => Promise<CurrentState>): Promise<CurrentState | undefined> {
  try {
    return await read()
  } catch (error) {
    const kind = classifyError(error).kind
    if (kind === 'not_found') return undefined
    if (kind === 'access_denied') return {tags: null}
    throw error
  }
}
