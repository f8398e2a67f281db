import type {AwsClients} from '../aws/clients.js'
import type {Relationship, Resource} from '../resources/types.js'

/**
 * The cleanup architecture, as types. The planner (pure, src/cleanup/plan.ts) turns collected state into
 * a `CleanupPlan`; the executor (effects) runs a plan exactly as written, item by item, through the
 * `Deleter` of each item's type (`ResourceSpec.deleter`). Nothing here calls AWS.
 */

/** A JSON value: what plan documents and step parameters are made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | {[key: string]: JsonValue}

/** The format tag of plan documents; bumped when the shape changes incompatibly. */
export const PLAN_FORMAT = 'awsinv-cleanup-plan/1'

/** `cleanup`: delete what was created since a baseline snapshot. `purge`: delete everything not protected. */
export type CleanupMode = 'cleanup' | 'purge'

/** The identity awsinv runs as (STS GetCallerIdentity): never deleted, nor what it stands on. */
export interface CallerIdentity {
  /** The caller's ARN: `arn:aws:iam::<account>:user/<name>`, `arn:aws:sts::<account>:assumed-role/<role>/<session>`, `…:root`. */
  arn: string
  /** The account the credentials act in: the only account a plan deletes in. */
  accountId: string
}

/**
 * Enough to name a resource to people and to address it in API calls: its ARN, type, AWS id (what every
 * call uses — never a name tag), name, region and account, as in the canonical resource.
 */
export type ResourceRef = Pick<Resource, 'arn' | 'type' | 'id' | 'name' | 'region' | 'accountId'>

// ---------------------------------------------------------------------------------------------------
// Steps and the per-type deletion contract

/** One action of a resource's deletion, serializable so a reviewed plan can be executed later as written. */
export interface DeleteStep {
  /**
   * What to do, in the vocabulary of the type's deleter (kebab-case verb first): `terminate-instance`,
   * `disassociate-address`, `revoke-security-group-rules`, `empty-bucket`, `detach-role-policy`,
   * `remove-role-from-instance-profile`, `schedule-key-deletion`, `delete` … The same action always means
   * the same thing for a type.
   */
  action: string
  /** The step for people: "Revoke the 2 rules of sg-0a that reference sg-0b". Shown in previews and audit logs. */
  description: string
  /**
   * Everything `Deleter.run` needs beyond the item's own id, taken from the stored configuration at planning
   * time: the policy ARNs to detach, the exact rules to revoke, the association id to remove. A step acts
   * only on what its params name, never on what it discovers at run time.
   */
  params: Record<string, JsonValue>
}

/** What one call of `Deleter.run` achieved. Steps are idempotent: after `wait` or `hold` the executor calls `run` again with the same step. */
export type StepOutcome =
  /**
   * The step is complete (for a final delete: the resource is gone or going, nothing left to wait for). A
   * final delete that AWS only schedules (a KMS key's waiting period, a secret's recovery window) sets
   * `scheduled`: the item is then reported `scheduled` rather than `deleted`.
   */
  | {status: 'done'; detail?: string; requestIds?: string[]; scheduled?: ScheduledDeletion}
  /**
   * The step was accepted and is in progress (instance terminating, NAT gateway deleting): the executor calls
   * `run` again after `retryAfterMs` until it answers `done` or `gone`, for at most the deleter's `waitTimeoutMs`.
   * `run` must then check progress rather than repeat the request blindly.
   */
  | {status: 'wait'; detail: string; retryAfterMs?: number; requestIds?: string[]}
  /**
   * Blocked by another resource (a dependency AWS still sees, e.g. a volume still attached to an instance):
   * retried with backoff; if it never clears, the item fails naming `blockedBy`. What AWS itself removes
   * in its own time (the interfaces of a deleted Lambda function) is waited for instead (`wait`).
   */
  | {status: 'hold'; detail: string; blockedBy?: string[]; requestIds?: string[]}
  /** What the step acts on no longer exists: nothing to do (the resource went with another, or someone else deleted it). */
  | {status: 'gone'; detail?: string; requestIds?: string[]}

/** A deletion AWS accepted but carries out later (KMS keys, Secrets Manager secrets): until then it can be cancelled. */
export interface ScheduledDeletion {
  /** When AWS deletes the resource (ISO 8601), as its answer says; null when it does not say. */
  deletionDate: string | null
}

/** What a deleter sees of a resource right before deleting it. */
export interface CurrentState {
  /** Its tags now (protection is re-checked against them); null when they could not be read — tag rules then protect it. */
  tags: Record<string, string> | null
  /** Its name now, where the read returned one. */
  name?: string
  /** Its configuration now in the canonical shape, where the read returned it: recorded as the audit's before-state. */
  configuration?: Record<string, unknown>
  /**
   * The id AWS assigned it at creation (its spec's `uniqueId` field: `UserId`, `RoleId`, `KeyPairId` …), as
   * read now. Every type with a `uniqueId` returns it: a value other than the plan item's means the resource
   * was deleted and recreated under the same name since the plan was made, and it is not deleted.
   */
  uniqueId?: string
  /**
   * Its ARN as AWS answered it now, where the read returns one (an IAM role's, with its path): the
   * always-protected kinds are re-checked against it as well as the plan's, which a hand-edited plan may forge.
   */
  arn?: string
  /**
   * Always-protected kinds that only a further read shows, not the resource's own configuration (an
   * internet gateway attached to the default VPC: the VPC read again). The item is then skipped.
   */
  alwaysProtected?: ProtectionReason[]
}

/** Everything a deleter receives to act on one plan item. */
export interface DeleteContext {
  /** The account the plan deletes in (the item's own). */
  accountId: string
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  partition: string
  /** The item's region; for global types, the region global endpoints are called in. */
  region: string
  /** Lazily created SDK clients (`ctx.clients.get('ec2', ctx.region)`). */
  clients: AwsClients
  /** Aborted when the run is interrupted: stop between calls. */
  signal: AbortSignal
}

/** A link to another resource by type and ARN or id, resolved against the collected state. */
export type ResourceLink = Pick<Relationship, 'type' | 'arn' | 'id'>

/** Read access to the collected current state, for pure functions that need to look beyond one resource. */
export interface ResourceLookup {
  /** Every current resource of a type in the plan's account (all regions). */
  ofType(type: string): readonly Resource[]
}

/**
 * How resources of one type are deleted (`ResourceSpec.deleter`). A type without a deleter is never
 * deleted: its resources are always protected. `steps`, `releaseSteps` and `includes` are pure (they run
 * at planning time, on stored data); `current` and `run` call AWS (at execution time).
 */
export interface Deleter {
  /**
   * The ordered steps that delete this resource, preparatory ones first (detach policies, remove the role
   * from instance profiles, empty the bucket, disassociate the address …), from its stored configuration.
   * The last step removes the resource itself.
   */
  steps(resource: Resource): DeleteStep[]
  /**
   * Steps that remove this resource's references to `target` without deleting either (revoke the rules of
   * a security group that name the target group); empty when this reference cannot be removed that way.
   * The planner uses them to break dependency cycles, as prepare items that run before the target's
   * deletion. Without them such a cycle cannot be broken, and its resources are skipped.
   */
  releaseSteps?(resource: Resource, target: Resource): DeleteStep[]
  /**
   * Resources AWS deletes together with this one (an instance's volumes and interfaces marked
   * DeleteOnTermination, a NAT gateway's network interfaces). They get no delete item of their own; if one
   * of them must be kept, this resource is not deleted either.
   */
  includes?(resource: Resource, current: ResourceLookup): ResourceLink[]
  /**
   * Resources that must be deleted before this one although neither names the other (an internet gateway
   * cannot be detached while its VPC has public addresses: its instances, Elastic IPs, NAT gateways). The
   * planner orders them first, and keeps this resource when one of them stays, as if they used it.
   */
  deleteAfter?(resource: Resource, current: ResourceLookup): ResourceLink[]
  /**
   * Why a deletion AWS has already scheduled or started needs nothing more (a KMS key pending deletion), from
   * the stored configuration; undefined otherwise. Such a resource is skipped (`deletion-scheduled`), not
   * planned again.
   */
  deletionUnderWay?(resource: Resource): string | undefined
  /** Re-reads the resource right before its first step: undefined when it no longer exists. */
  current(ctx: DeleteContext, item: PlanItem): Promise<CurrentState | undefined>
  /**
   * Performs one of the item's steps. Throws on failure; the executor retries throttling and dependency
   * errors with backoff and records everything else as the item's failure.
   */
  run(ctx: DeleteContext, item: PlanItem, step: DeleteStep): Promise<StepOutcome>
  /** How long an answer of `wait` may last before the item fails (asynchronous deletes: NAT gateways, instances). */
  waitTimeoutMs?: number
  /**
   * Whether a step of a saved plan acts on the item's own resource, for a step that does not name it by
   * its id or ARN (a secret replica's removal names its primary): true or false to decide, undefined to
   * leave it to the general check (src/cleanup/step-target.ts).
   */
  ownStep?(item: PlanItem, step: DeleteStep): boolean | undefined
}

// ---------------------------------------------------------------------------------------------------
// Protection rules (the rules file merged with the command's options)

/** Protects resources carrying a tag whose value matches a glob. */
export interface TagProtection {
  /** The tag key, exactly (AWS tag keys are case-sensitive). */
  key: string
  /** Glob over the value: `*` any run of characters (`*` alone: any value, even empty), `?` one character. */
  value: string
  /** Where the rule comes from: the rules file's path or `--protect-tag`. */
  source: string
}

/** Protects resources whose type (or name) matches a glob. */
export interface PatternProtection {
  /** The glob: `AWS::IAM::*` for types (case-insensitive), `prod-*` for names (case-sensitive). */
  pattern: string
  /** Where the rule comes from. */
  source: string
}

/** The protection rules in force, serializable: the plan carries them so the executor re-checks with the same rules. */
export interface ProtectionRules {
  /** The rules file read, or null when none was. */
  file: string | null
  /** `protection.tags` and `--protect-tag`. */
  tags: TagProtection[]
  /** `protection.types`. */
  types: PatternProtection[]
  /** `protection.names`: globs over a resource's name or its AWS id. */
  names: PatternProtection[]
  /** `protection.age_days_minimum`: resources older than this many days are protected, and so is every resource whose age is unknown. */
  ageDaysMinimum: {days: number; source: string} | null
  /** `accounts.allow` (null: any account) and `accounts.deny`: accounts a plan may not be made for. */
  accounts: {allow: string[] | null; deny: string[]; source: string | null}
  /** `max_deletions`: a plan that would delete more resources than this is refused. */
  maxDeletions: {limit: number; source: string} | null
}

/** Why a resource is never deleted. Each kind is documented in docs/cleanup.md. */
export type ProtectionKind =
  /** A `protection.tags` / `--protect-tag` rule matched (or the tags could not be read). */
  | 'tag-rule'
  /** A `protection.types` rule matched. */
  | 'type-rule'
  /** A `protection.names` rule matched the name or the AWS id. */
  | 'name-rule'
  /** `protection.age_days_minimum`: older than the minimum, or of unknown age. */
  | 'age-rule'
  /** The caller's own user or role, or what it stands on (its policies, groups, instance profile, the instance it runs on). */
  | 'caller-identity'
  /** Owned by AWS or by a service that manages it (AWS managed policies, `/aws-reserved/` roles, AWS managed KMS keys, CloudFormation stacks, Auto Scaling groups …). */
  | 'aws-managed'
  /** A service-linked role (path `/aws-service-role/`): deleted through its service, never directly. */
  | 'service-linked'
  /** A network interface AWS created for a service (`RequesterManaged`): it goes with the resource that created it. */
  | 'requester-managed'
  /** The default VPC, its default subnets and its internet gateway. */
  | 'default-vpc'
  /** A VPC's default security group, main route table or default network ACL: AWS deletes them only with their VPC. */
  | 'created-with-vpc'
  /** The type has no deleter: awsinv cannot delete it. */
  | 'not-deletable'
  /** A multi-region trail homed in a region the snapshots do not cover: deleting it would stop logging there too. */
  | 'outside-regions'

/** One reason a resource is protected, with the rule that matched where a rule did. */
export interface ProtectionReason {
  kind: ProtectionKind
  /** The matching rule as written (`env=prod*`, `AWS::IAM::*`, `prod-*`, `30 days`), for rule kinds. */
  rule?: string
  /** Where that rule comes from (rules file path, `--protect-tag`), for rule kinds. */
  source?: string
  /** ARN of the resource AWS deletes this one with (`created-with-vpc`: its VPC): if that one is deleted, so is this. */
  deletedWith?: string
  /** The reason for people, one sentence. */
  explanation: string
}

// ---------------------------------------------------------------------------------------------------
// The plan document

/** Why an item is in the plan. */
export type SelectionKind =
  /** cleanup: in the current state, not in the baseline. */
  | 'created'
  /** cleanup: under an ARN the baseline has, but a different resource (deleted and recreated since). */
  | 'replaced'
  /** purge: current, and not protected. */
  | 'purge'
  /** a preparatory item: removes references so that other items can be deleted. */
  | 'prepare'

export interface SelectionReason {
  kind: SelectionKind
  /** For people: "not in baseline snapshot base-1", "RoleId AROA1 → AROA2 since baseline base-1". */
  explanation: string
}

/** A resource AWS deletes together with a plan item (it gets no item of its own). */
export interface IncludedResource extends ResourceRef {
  /** Why it goes along: "DeleteOnTermination volume of i-0abc", "default security group of vpc-0abc". */
  explanation: string
}

/**
 * One unit of work: a resource to delete (`delete`) or references to remove first (`prepare`, e.g. the
 * rules of security group A that name security group B, when A and B reference each other). The
 * resource fields name what the steps act on.
 */
export interface PlanItem extends ResourceRef {
  /** Unique within the plan: the ARN for a delete item, `<arn>#prepare` for a prepare item. */
  key: string
  kind: 'delete' | 'prepare'
  /** The resource's creation time as collected (the age rule is re-checked with it). */
  createdAt: string | null
  /**
   * Delete items: the id AWS assigned the resource at creation, as collected (`configuration[spec.uniqueId]`:
   * `UserId`, `RoleId` …), so that one recreated under the same name since is told apart. Null for prepare
   * items and for types without one (or when the configuration lacks it).
   */
  uniqueId: string | null
  /** Its tags as collected. */
  tags: Record<string, string>
  why: SelectionReason
  /** The steps, in order; every one is run by the deleter of `type`. */
  steps: DeleteStep[]
  /**
   * Keys of the items that must be finished before this one starts — all in earlier waves: the resources
   * that use this one (an instance before its security group), and the preparations it needs.
   */
  after: string[]
  /** Prepare items: the key of the delete item whose resource this is, or goes with (a VPC, for its default security group). */
  partOf?: string
  /**
   * Prepare items: the keys of the delete items of the dependency cycle it breaks (`partOf` among them). It
   * runs only if every one of them is still to be deleted when it starts; otherwise every preparation of the
   * cycle is skipped, leaving the resources as they were.
   */
  cycle?: string[]
  /** Delete items: resources AWS deletes along with this one. */
  includes: IncludedResource[]
}

/** A set of items with no dependency between them: run in parallel, after every earlier wave. */
export interface PlanWave {
  /** 0 first. */
  index: number
  items: PlanItem[]
}

/** A resource that is protected, with every reason that protects it. */
export interface ProtectedResource extends ResourceRef {
  reasons: ProtectionReason[]
}

/** Why a resource that is not protected is not planned either. */
export type SkipKind =
  /** Its (account, region, type) cell was not collected `ok` on both sides: whether it is new is unknown. */
  | 'not-comparable'
  /** It belongs to another account than the caller's. */
  | 'other-account'
  /** A type that may depend on it was not collected: whether something uses it is unknown. */
  | 'dependents-not-collected'
  /** A resource that stays uses it, is in it or is attached to it. */
  | 'in-use'
  /** Deleting it would also delete a resource that must stay (e.g. a protected volume marked DeleteOnTermination). */
  | 'deletes-kept'
  /** It is part of a dependency cycle that no deleter can break. */
  | 'cycle'
  /** (`purge --from-snapshot`) The snapshot lists its ARN, but for a resource deleted since and recreated under it: this one was not listed. */
  | 'replaced'
  /** Its deletion is already under way (a KMS key scheduled for deletion, by an earlier run or anyone): nothing to do. */
  | 'deletion-scheduled'

export interface SkipReason {
  kind: SkipKind
  /** For people: "in use by AWS::EC2::Instance web (i-0abc), which stays: in the baseline". */
  explanation: string
  /** ARNs of the resources that make it impossible (in-use, deletes-kept, cycle). */
  blockedBy?: string[]
}

export interface SkippedResource extends ResourceRef {
  reason: SkipReason
}

/** A cell whose resources were not compared, with the reason. */
export interface PlanCell {
  accountId: string
  region: string
  resourceType: string
  /** Coverage status in the baseline (`missing` when it did not collect the cell); null for purge. */
  baseline: string | null
  /** Coverage status in the current state (`missing` when it did not collect the cell). */
  current: string
  reason: string
}

/** A collected state a plan was made from. */
export interface StateRef {
  /** The stored snapshot's name and id, or null for a state collected without storing it. */
  name: string | null
  id: number | null
  /** When collection started (ISO 8601). */
  capturedAt: string
  /**
   * The plan's current state: the regions it was collected in, in the plan's account (`global`: the global
   * types), from its coverage, sorted. What a plan without `--region` considers; absent from plans made by an
   * earlier build of awsinv.
   */
  regions?: string[]
}

/** What the command was asked to consider: candidates outside it are never planned. */
export interface PlanSelection {
  /** `--type` globs over type ids (case-insensitive); null: every type. */
  types: string[] | null
  /** `--region` values; null: every region. With regions, global types are considered only if `global` is listed. */
  regions: string[] | null
}

export interface PlanSummary {
  /** Delete items. */
  deletions: number
  /** Resources deleted along with an item. */
  included: number
  /** Prepare items. */
  preparations: number
  waves: number
  protected: number
  skipped: number
  /** Cells not compared. */
  notComparable: number
  /** Delete items per type. */
  byType: Record<string, number>
}

/**
 * A reviewed, serializable deletion plan. The executor runs it as written: waves in order, the items of a
 * wave in parallel, each item's steps in order. `hash` is the SHA-256 of the canonical JSON (sorted keys)
 * of every field but `id` and `hash`; `id` is derived from the hash.
 */
export interface CleanupPlan {
  format: typeof PLAN_FORMAT
  /** `plan-` and the first 12 hex digits of the hash. */
  id: string
  /** SHA-256 (hex) of the plan's content: verified before execution. */
  hash: string
  mode: CleanupMode
  /** The account every item is in; execution refuses other credentials. */
  accountId: string
  caller: CallerIdentity
  /** When the plan was made (ISO 8601): plans older than `--max-plan-age` are refused. */
  createdAt: string
  /** cleanup: the baseline snapshot. purge: null, or the snapshot `--from-snapshot` limited it to. */
  baseline: StateRef | null
  /** The current state the plan was made from. */
  current: StateRef
  selection: PlanSelection
  /** The protection rules in force (re-checked against each resource's tags right before its deletion). */
  rules: ProtectionRules
  waves: PlanWave[]
  /** Resources that would otherwise be candidates, with what protects them. */
  protected: ProtectedResource[]
  /** Resources neither protected nor planned, with the reason. */
  skipped: SkippedResource[]
  /** Cells that were not compared, with the reason. */
  notComparable: PlanCell[]
  summary: PlanSummary
}
