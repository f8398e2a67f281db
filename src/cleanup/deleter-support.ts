import {classifyError} from '../aws/errors.js'
import type {CurrentState, DeleteStep, StepOutcome} from './types.js'

/**
 * Small pieces the deleters of many types share: reading a step's parameters, running the one call a
 * step's action names, and re-reading a resource right before its deletion.
 */

/** What every SDK output carries: the request id recorded in the audit log. */
export interface CallOutput {
  $metadata: {requestId?: string}
}

/** A string parameter of a step; a plan step without it is malformed (its type's `steps` always sets it). */
export function stringParam(step: DeleteStep, name: string): string {
  const value = step.params[name]
  if (typeof value !== 'string' || value === '') throw new Error(`step ${step.action}: parameter ${name} is missing`)
  return value
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
