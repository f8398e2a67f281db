import type {EC2, NetworkInterface} from '@aws-sdk/client-ec2'

import {classifyError} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf} from '../../cleanup/deleting.js'
import type {CurrentState, Deleter, DeleteContext, DeleteStep, JsonValue, StepOutcome} from '../../cleanup/types.js'
import type {ResourceSpec} from '../types.js'

/**
 * What the EC2 deleters share: building steps, reading their parameters, re-reading a resource for
 * `current`, and telling a step this process started from one someone else finished.
 */

/** The EC2 client of the item's region. */
export function ec2Of(ctx: DeleteContext): Promise<EC2> {
  return ctx.clients.get('ec2', ctx.region)
}

export function stepOf(action: string, description: string, params: Record<string, JsonValue>): DeleteStep {
  return {action, description, params}
}

/** An optional string parameter of a planned step. */
export function optionalParam(step: DeleteStep, name: string): string | undefined {
  const value = step.params[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The error for a step this deleter does not know (a plan made by another version). */
export function unknownStep(type: string, step: DeleteStep): Error {
  return new Error(`${type} has no step ${step.action}`)
}

/** The request ids of the calls one run of a step makes, for the audit log. */
export class CallLog {
  readonly requestIds: string[] = []

  /** Notes the request id of a call's answer and returns the answer. */
  note<T extends {$metadata?: {requestId?: string}}>(out: T): T {
    const id = out.$metadata?.requestId
    if (id !== undefined) this.requestIds.push(id)
    return out
  }
}

/**
 * The error of a batch call (DeleteVpcEndpoints, DeleteFlowLogs) that reports failures per resource
 * instead of throwing, shaped as the SDK throws so the executor classifies it (NotFound: gone).
 */
export function failureOf(
  out: {Unsuccessful?: Array<{ResourceId?: string; Error?: {Code?: string; Message?: string}}>; $metadata?: object},
  id: string,
): Error | undefined {
  const failure = out.Unsuccessful?.find((u) => u.ResourceId === id)?.Error
  if (failure === undefined) return undefined
  const code = failure.Code ?? 'Error'
  return Object.assign(new Error(failure.Message ?? code), {name: code, $metadata: out.$metadata})
}

/**
 * AWS's error `error` told in awsinv's own words, under the same code and with its response metadata, so
 * that the audit log keeps the request id of the refused call.
 */
export function reworded(error: unknown, code: string, message: string): Error {
  return Object.assign(new Error(message), {name: code, $metadata: (error as {$metadata?: object}).$metadata})
}

/** Whether an error is one of these AWS codes. */
export function hasCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes(classifyError(error).code)
}

// Asynchronous steps (terminate, delete NAT gateway …) are called again until what they started is over.
// The executor passes the same step object on every call of a run, so the step itself records that this
// process sent the request: the end of the wait is then `done`, not something someone else did (`gone`).
const requested = new WeakSet<DeleteStep>()

/** Records that this run sent the step's request. */
export function markRequested(step: DeleteStep): void {
  requested.add(step)
}

/** Whether this run already sent the step's request (a later call only checks progress). */
export function wasRequested(step: DeleteStep): boolean {
  return requested.has(step)
}

/** The answer once what a step acts on no longer exists: `done` when this run made it so, `gone` when it was already. */
export function finished(step: DeleteStep, detail: string, log: CallLog): StepOutcome {
  return {status: wasRequested(step) ? 'done' : 'gone', detail, requestIds: log.requestIds}
}

/** The answer while an asynchronous step is in progress; `retryAfterMs` sets the pace of the next checks. */
export function waiting(detail: string, log: CallLog, retryAfterMs?: number): StepOutcome {
  return {status: 'wait', detail, requestIds: log.requestIds, ...(retryAfterMs === undefined ? {} : {retryAfterMs})}
}

/** The answer for a completed synchronous call. */
export function doneWith(log: CallLog, detail?: string): StepOutcome {
  return {status: 'done', requestIds: log.requestIds, ...(detail === undefined ? {} : {detail})}
}

/**
 * The `wait` answer while the only network interfaces left in a subnet or using a security group
 * (`filter`: `subnet-id` or `group-id`) are the ones Lambda created for functions in the VPC; undefined
 * when none is left or another one is, so that the step's Delete… call goes ahead (and AWS's error names
 * what remains).
 *
 * Why: Lambda's interfaces are requester-managed, so awsinv never deletes them, and AWS removes them on its
 * own only some time after their function is deleted — often 5 to 20 minutes, up to about 40. Until then
 * DeleteSubnet and DeleteSecurityGroup fail with DependencyViolation, and the executor's backoff for that
 * (a few minutes) gives up first. Waiting instead keeps the subnet, its VPC and the function's security
 * groups in the same run; the deleters' `waitTimeoutMs` bounds it.
 */
export async function waitForLambdaInterfaces(ec2: EC2, filter: 'subnet-id' | 'group-id', id: string, log: CallLog): Promise<StepOutcome | undefined> {
  const left: NetworkInterface[] = []
  const request = {Filters: [{Name: filter, Values: [id]}], MaxResults: 1000}
  for await (const page of paginateItems((r) => ec2.describeNetworkInterfaces(r).then((out) => log.note(out)), request, 'NextToken', 'NextToken', 'NetworkInterfaces')) {
    left.push(...page)
  }

  if (left.length === 0 || !left.every((eni) => isLambdaInterface(eni))) return undefined
  const ids = left.map((eni) => eni.NetworkInterfaceId ?? '(no id)')
  const count = ids.length === 1 ? '1 network interface' : `${ids.length} network interfaces`
  return waiting(`waiting for AWS Lambda to remove ${count} it created (${ids.join(', ')})`, log, 15_000)
}

/**
 * Whether AWS removes this interface on its own once its Lambda function is gone: type `lambda` (the
 * shared "hyperplane" interfaces), or requester-managed with the description Lambda gives its interfaces
 * ("AWS Lambda VPC ENI-<function>-<uuid>"), which also covers those listed without that type.
 */
function isLambdaInterface(eni: NetworkInterface): boolean {
  if (eni.InterfaceType === 'lambda') return true
  return eni.RequesterManaged === true && (eni.Description ?? '').startsWith('AWS Lambda VPC ENI')
}

/**
 * What `current` reports of a re-read item: its tags, name, configuration and unique id as collection would
 * store them (the spec's own `toResource`), or undefined when there is no item.
 */
export async function currentOf<Item>(spec: ResourceSpec<Item>, ctx: DeleteContext, item: Item | undefined): Promise<CurrentState | undefined> {
  if (item === undefined) return undefined
  return currentStateOf(await spec.toResource(item, collectContextOf(ctx)), spec)
}

/**
 * The `run` of a deleter whose one step is one call (`delete-subnet`: DeleteSubnet): a not-found error
 * then means gone, for the executor.
 */
export function runOneCall(type: string, action: string, call: (ec2: EC2, step: DeleteStep) => Promise<{$metadata?: {requestId?: string}}>): Deleter['run'] {
  return async (ctx, _item, step) => {
    if (step.action !== action) throw unknownStep(type, step)
    const log = new CallLog()
    log.note(await call(await ec2Of(ctx), step))
    return doneWith(log)
  }
}

/** `id` or `name (id)`, for step descriptions. */
export function labelOf(resource: {id: string; name: string}): string {
  return resource.name === resource.id ? resource.id : `${resource.name} (${resource.id})`
}
