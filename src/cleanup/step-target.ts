import type {Resource} from '../resources/types.js'
import type {Deleter, DeleteStep, PlanItem} from './types.js'

// Whether a plan item's steps act on the item's own resource. The report and the audit log name the item,
// and the re-check before deleting re-reads the item, so a step whose params name another resource (a plan
// file edited by hand: item = a new subnet, `subnetId` = the default subnet) would delete what nobody
// reviewed or re-checked. Pure: it runs on the plan alone, before anything is deleted.

/**
 * Why a step of `item` does not act on the item's own resource, or undefined when every step does. The
 * params that name the resource are those the type's deleter fills with the item's id or ARN when it makes
 * the steps of a resource known only by its identity (`subnetId`, `roleName`, `bucket`…): wherever a step
 * carries one of them, it must hold the item's value; and the last step (the deletion itself) must name
 * the item. A deleter may judge a step itself (`ownStep`: a secret replica's removal names its primary).
 */
export function foreignStepProblem(deleter: Deleter, item: PlanItem): string | undefined {
  const identity = identityParams(deleter, item)
  for (const [index, step] of item.steps.entries()) {
    const own = deleter.ownStep?.(item, step)
    if (own === true) continue
    const label = `step ${index + 1} (${step.action})`
    if (own === false) return `${label} acts on another resource than ${item.id}`
    for (const [name, expected] of identity) {
      if (Object.hasOwn(step.params, name) && step.params[name] !== expected) return `${label} names ${name} ${JSON.stringify(step.params[name])}, not the item's own ${JSON.stringify(expected)}`
    }

    if (index === item.steps.length - 1 && !namesItem(step, item)) return `${label}, its deletion, does not name ${item.id}`
  }

  return undefined
}

/**
 * Why a plan entry's id and ARN name two resources (a plan file edited by hand: the ARN, key and name of one
 * queue, the id of another), or undefined. A type's ARN ends with its id, or with its id's last segment (an
 * SQS queue's id is its URL), after a `/` or `:` (with `arnByName`, with its name instead); or the id is the
 * ARN itself. The steps, the re-read and the deletion go by the id, while the report and the audit log name
 * the ARN: they must be one resource.
 */
export function identityProblem(ref: Pick<PlanItem, 'arn' | 'id' | 'name'>, arnByName = false): string | undefined {
  if (ref.id === ref.arn) return undefined
  const named = arnByName ? ref.name : ref.id
  const last = named.split('/').findLast((segment) => segment !== '') ?? named
  if (last !== '' && (ref.arn.endsWith(`/${last}`) || ref.arn.endsWith(`:${last}`))) return undefined
  return arnByName ? `its name ${JSON.stringify(ref.name)} is not the resource its ARN ${ref.arn} names` : `its id ${JSON.stringify(ref.id)} is not the resource its ARN ${ref.arn} names`
}

/** Param name → the item's id or ARN, as the deleter fills them for a resource known only by its identity. */
function identityParams(deleter: Deleter, item: PlanItem): Map<string, string> {
  const resource: Resource = {
    arn: item.arn,
    type: item.type,
    id: item.id,
    name: item.name,
    region: item.region,
    accountId: item.accountId,
    createdAt: item.createdAt,
    tags: {},
    configuration: {},
    source: 'api',
    relationships: [],
  }
  let steps: DeleteStep[]
  try {
    steps = deleter.steps(resource)
  } catch {
    // A deleter that needs its configuration: the last step must still name the item.
    return new Map()
  }

  const identity = new Map<string, string>()
  for (const step of steps) {
    for (const [name, value] of Object.entries(step.params)) if (value === item.id || value === item.arn) identity.set(name, value)
  }

  return identity
}

function namesItem(step: DeleteStep, item: PlanItem): boolean {
  return Object.values(step.params).some((value) => value === item.id || value === item.arn)
}
