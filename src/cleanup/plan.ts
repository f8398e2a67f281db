import {describeTagFilters, matchesTagFilters} from '../collect/filters.js'
import {type CoverageCell, cellKey, replacementReason, splitCells} from '../diff/snapshots.js'
import {UserError} from '../errors.js'
import {counted} from '../words.js'
import {specs as registeredSpecs} from '../resources/registry.js'
import type {Relationship, Resource, ResourceSpec} from '../resources/types.js'
import {canonicalJson, sha256} from '../store/hash.js'
import {uniqueIdOf} from './deleting.js'
import {buildAdjacency, findCycles, layerNodes, predecessorsOf} from './graph.js'
import {buildProtection} from './protection.js'
import {checkAccountAllowed, selects} from './rules.js'
import {
  type CallerIdentity,
  type CleanupMode,
  type CleanupPlan,
  type DeleteStep,
  type IncludedResource,
  PLAN_FORMAT,
  type PlanCell,
  type PlanItem,
  type PlanSelection,
  type PlanWave,
  type ProtectedResource,
  type ProtectionReason,
  type ProtectionRules,
  type ResourceLink,
  type ResourceLookup,
  type ResourceRef,
  type SelectionReason,
  type SkipReason,
  type SkippedResource,
  type StateRef,
} from './types.js'

/** A collected state: its resources and the coverage of every cell it tried. */
export interface StateInput {
  ref: StateRef
  resources: readonly Resource[]
  cells: readonly CoverageCell[]
}

/** Everything the planner needs. It reads nothing else: same input, same plan (and hash). */
export interface PlanInput {
  mode: CleanupMode
  /** The state now (same account, regions and types as the baseline). */
  current: StateInput
  /** cleanup: the baseline (required). purge: optional, limits the purge to the resources this snapshot lists (`--from-snapshot`). */
  baseline?: StateInput
  caller: CallerIdentity
  rules: ProtectionRules
  selection: PlanSelection
  /** The plan's time: its `createdAt`, and the time ages are measured at. */
  now: Date
  /**
   * The tag filters of the snapshot the plan is made against (a baseline, or `--from-snapshot`), when it was
   * taken with some. The current state is collected without them: a resource they leave out is never a
   * candidate, but it stays and keeps what it uses (an untagged queue keeps the new team=a key it is encrypted with).
   */
  tagFilters?: {snapshot: string; includeTags: Readonly<Record<string, string>>; excludeTags: Readonly<Record<string, string>>}
  /** Registered specs (default: the registry); tests inject specs with deleters. */
  specs?: readonly ResourceSpec[]
}

/** Edge kinds by whether a resource that stays blocks the deletion of the edge's target. */
const blockingKinds = new Set<Relationship['kind']>(['in', 'uses', 'attached-to'])

/** Protection kinds a resource may have and still go with another that AWS deletes it with. */
const goesAlongKinds = new Set<ProtectionReason['kind']>(['not-deletable', 'requester-managed', 'created-with-vpc'])

/** An ordering edge between two collected resources: `holder` has a relationship of `kind` to `target`. */
interface Edge {
  holder: Resource
  target: Resource
  kind: Relationship['kind']
}

/** Where a current resource stands before protection and ordering. */
type Standing = {kind: 'candidate'; why: SelectionReason} | {kind: 'kept'; why: string} | {kind: 'skip'; reason: SkipReason}

/**
 * Plans a cleanup (current minus baseline, in comparable cells) or a purge (everything current): candidates
 * minus protected resources, then what stays blocks what it depends on, resources AWS deletes together are
 * folded into one item, cycles are broken with prepare items, and the items are layered into waves
 * (a resource's dependents in earlier waves). Pure and deterministic. Throws UserError when the account is
 * not allowed or the plan exceeds `max_deletions`.
 */
export function planCleanup(input: PlanInput): CleanupPlan {
  if (input.mode === 'cleanup' && input.baseline === undefined) throw new Error('planCleanup: a cleanup needs a baseline')
  const accountId = input.caller.accountId
  checkAccountAllowed(input.rules, accountId)

  const specList = input.specs ?? registeredSpecs
  const specByType = new Map(specList.map((s) => [s.type, s]))
  const specOf = (type: string) => specByType.get(type)
  // Account settings are not resources: nothing to delete.
  const current = uniqueByArn(input.current.resources.filter((r) => !r.type.startsWith('Account::')))
  const byArn = new Map(current.map((r) => [r.arn, r]))
  const byTypeId = new Map(current.map((r) => [typeIdKey(r.accountId, r.region, r.type, r.id), r]))
  // Edges may name a resource by another id (a KMS key by an alias): resolved to what it names now.
  for (const r of current) {
    for (const other of specOf(r.type)?.alsoNamed?.(r) ?? []) {
      const named = typeIdKey(r.accountId, r.region, r.type, other)
      if (!byTypeId.has(named)) byTypeId.set(named, r)
    }
  }
  const resolve = (link: ResourceLink, from: Resource) => resolveLink(link, from, byArn, byTypeId)

  const cells = compareState(input)
  const standing = new Map(current.map((r) => [r.arn, underWay(r, standingOf(r, input, accountId, cells.comparable, specOf), specOf)]))
  // The snapshot's tag filters narrow the selection as --type and --region do: what they leave out is no
  // candidate, but stays, keeps what it uses, and may go along with a resource AWS deletes it with.
  const filters = input.tagFilters
  const filteredOut = (r: Resource) => filters !== undefined && !specOf(r.type)?.untagged && !matchesTagFilters(r.tags, filters.includeTags, filters.excludeTags)
  const selected = (r: Resource) => selects(input.selection, r) && !filteredOut(r)
  const protection = buildProtection({rules: input.rules, caller: input.caller, now: input.now, current, specOf})
  const reasons = new Map<string, ProtectionReason[]>()
  for (const r of current) if (standing.get(r.arn)?.kind === 'candidate') reasons.set(r.arn, protection.reasonsOf(r))

  // Resources set aside after protection: skipped with a reason (never planned, and they stay).
  const skipped = new Map<string, SkipReason>()
  const uncollected = dependentsNotCollected(input, specList, accountId)
  const planned = new Set<string>()
  for (const r of current) {
    if (standing.get(r.arn)?.kind !== 'candidate' || !selected(r) || (reasons.get(r.arn) ?? []).length > 0) continue
    const gap = uncollected(r)
    if (gap) skipped.set(r.arn, {kind: 'dependents-not-collected', explanation: gap})
    else planned.add(r.arn)
  }

  const lookup = lookupOf(current, accountId)
  // Account settings are no candidates, but they use resources (a region's default EBS key): what they use stays.
  const settings = uniqueByArn(input.current.resources.filter((r) => r.type.startsWith('Account::') && r.accountId === accountId))
  const settingArns = new Set(settings.map((s) => s.arn))
  const edges = collectEdges([...current, ...settings], resolve, {
    deleteAfter: (r) => specOf(r.type)?.deleter?.deleteAfter?.(r, lookup) ?? [],
    includes: (r) => specOf(r.type)?.deleter?.includes?.(r, lookup) ?? [],
  })
  const leftOut = filters === undefined ? undefined : `left out by the tag filters of snapshot ${filters.snapshot} (${describeTagFilters(filters) ?? 'none'})`
  const stays = (arn: string) =>
    settingArns.has(arn)
      ? 'an account setting, which awsinv never changes'
      : whyStays(arn, {standing, reasons, skipped, selected: (a) => selects(input.selection, byArn.get(a)!), filteredOut: (a) => filteredOut(byArn.get(a)!) ? leftOut : undefined})

  // Every round removes at least one resource from `planned`, so this ends; usually in one or two rounds.
  for (;;) {
    const folded = foldTogether(planned, {current, byArn, standing, reasons, skipped, specOf, resolve, lookup, stays})
    if (setAside(folded.blocked, planned, skipped)) continue

    const items = new Set([...planned].filter((arn) => !folded.owner.has(arn)))
    const going = (arn: string) => items.has(arn) || folded.owner.has(arn)
    const ownerOf = (arn: string) => folded.owner.get(arn) ?? arn
    if (setAside(findInUse(edges, items, going, ownerOf, stays), planned, skipped)) continue

    const ordered = orderItems(edges, items, ownerOf, specOf)
    if (setAside(ordered.cycles, planned, skipped)) continue

    return assemblePlan(input, {
      accountId,
      current,
      byArn,
      items,
      included: folded.included,
      order: ordered,
      standing,
      reasons,
      skipped,
      selected,
      owner: folded.owner,
      specOf,
      notComparable: cells.notComparable,
    })
  }
}

// ---------------------------------------------------------------------------------------------------
// Candidates

function uniqueByArn(resources: readonly Resource[]): Resource[] {
  const seen = new Map<string, Resource>()
  for (const r of resources) if (!seen.has(r.arn)) seen.set(r.arn, r)
  return [...seen.values()].sort((a, b) => compareText(a.arn, b.arn))
}

function typeIdKey(accountId: string, region: string, type: string, id: string): string {
  return `${accountId}\u0000${region}\u0000${type}\u0000${id}`
}

/** The resource a relationship (or an `includes` link) names: by ARN, else by type and id in the ARN's (or the holder's) account. */
function resolveLink(link: ResourceLink, from: Resource, byArn: ReadonlyMap<string, Resource>, byTypeId: ReadonlyMap<string, Resource>): Resource | undefined {
  if (link.arn !== undefined) {
    const found = byArn.get(link.arn)
    if (found) return found
  }

  if (link.id === undefined) return undefined
  const account = link.arn?.split(':')[4] || from.accountId
  // The target is in the region its ARN names (an alias ARN of another region), else in the holder's
  // region, or global (a Lambda function's IAM role).
  const region = link.arn?.split(':')[3] || from.region
  return byTypeId.get(typeIdKey(account, region, link.type, link.id)) ?? byTypeId.get(typeIdKey(account, 'global', link.type, link.id))
}

/** Comparable cell keys and the cells that are not, for the plan's listing. */
function compareState(input: PlanInput): {comparable: Set<string>; notComparable: PlanCell[]} {
  const wanted = (c: CoverageCell) => c.accountId === input.caller.accountId && selects(input.selection, {type: c.resourceType, region: c.region})
  if (input.mode === 'cleanup') {
    const {comparable, notComparable} = splitCells(input.baseline?.cells ?? [], input.current.cells)
    const listed = notComparable
      .filter((c) => wanted({...c, status: c.after}))
      .map((c) => ({accountId: c.accountId, region: c.region, resourceType: c.resourceType, baseline: c.before, current: c.after, reason: c.reason.replaceAll('before', 'the baseline').replaceAll('after', 'the current state')}))
    return {comparable, notComparable: listed}
  }

  // A purge compares nothing: a cell is usable when the current state collected it.
  const comparable = new Set(input.current.cells.filter((c) => c.status === 'ok').map((c) => cellKey(c.accountId, c.region, c.resourceType)))
  const notComparable = input.current.cells
    .filter((c) => c.status !== 'ok' && wanted(c))
    .map((c) => ({accountId: c.accountId, region: c.region, resourceType: c.resourceType, baseline: null, current: c.status, reason: `${c.status} in the current state`}))
    .sort((x, y) => compareText(x.resourceType, y.resourceType) || compareText(x.region, y.region))
  return {comparable, notComparable}
}

function standingOf(r: Resource, input: PlanInput, accountId: string, comparable: ReadonlySet<string>, specOf: (type: string) => ResourceSpec | undefined): Standing {
  if (r.accountId !== accountId) {
    return {kind: 'skip', reason: {kind: 'other-account', explanation: `in account ${r.accountId}, not the caller's account ${accountId}`}}
  }

  if (!comparable.has(cellKey(r.accountId, r.region, r.type))) {
    const side = input.mode === 'cleanup' ? 'in both the baseline and the current state' : 'in the current state'
    return {kind: 'skip', reason: {kind: 'not-comparable', explanation: `${r.type} in ${r.region} was not collected ok ${side}: whether it may be deleted is unknown`}}
  }

  const reference = input.baseline
  if (reference === undefined) return {kind: 'candidate', why: {kind: 'purge', explanation: 'in the current state'}}
  const name = reference.ref.name ?? `the state of ${reference.ref.capturedAt}`
  const before = baselineIndex(reference).get(r.arn)
  const replaced = before && replacementReason(specOf(r.type), before, r)
  if (input.mode === 'purge') {
    if (before === undefined) return {kind: 'kept', why: `not in snapshot ${name}`}
    // Said, not kept silently: it answers to the name the snapshot lists, and was never reviewed.
    if (replaced) return {kind: 'skip', reason: {kind: 'replaced', explanation: `replaced since snapshot ${name} (${replaced}): the snapshot lists the resource deleted since, not this one`}}
    return {kind: 'candidate', why: {kind: 'purge', explanation: `listed in snapshot ${name}`}}
  }

  if (before === undefined) return {kind: 'candidate', why: {kind: 'created', explanation: `not in baseline ${name}`}}
  // The baseline's resource is gone; the one under its ARN was created since.
  if (replaced) return {kind: 'candidate', why: {kind: 'replaced', explanation: `replaced since baseline ${name}: ${replaced}`}}
  return {kind: 'kept', why: `in baseline ${name}`}
}

/** A candidate whose deletion AWS has already scheduled (a KMS key pending deletion) is skipped, saying so: nothing is left to do. */
function underWay(r: Resource, standing: Standing, specOf: (type: string) => ResourceSpec | undefined): Standing {
  if (standing.kind !== 'candidate') return standing
  const explanation = specOf(r.type)?.deleter?.deletionUnderWay?.(r)
  return explanation === undefined ? standing : {kind: 'skip', reason: {kind: 'deletion-scheduled', explanation}}
}

const baselineIndexes = new WeakMap<StateInput, Map<string, Resource>>()

function baselineIndex(state: StateInput): Map<string, Resource> {
  let index = baselineIndexes.get(state)
  if (index === undefined) {
    index = new Map(state.resources.map((r) => [r.arn, r]))
    baselineIndexes.set(state, index)
  }

  return index
}

/**
 * A check per candidate: whether every type that may depend on it (declares it in `dependsOn`) was
 * collected ok where its dependents could be — if not, something unseen may use it. Returns the gap.
 */
function dependentsNotCollected(input: PlanInput, specList: readonly ResourceSpec[], accountId: string): (r: Resource) => string | undefined {
  const dependents = new Map<string, ResourceSpec[]>()
  for (const spec of specList) {
    for (const target of spec.dependsOn ?? []) if (target !== spec.type) pushTo(dependents, target, spec)
  }

  // The first gap found is the one reported: the same whatever order the specs come in.
  for (const list of dependents.values()) list.sort((a, b) => compareText(a.type, b.type))

  const statuses = new Map<string, Array<{region: string; status: string}>>()
  for (const c of input.current.cells) {
    if (c.accountId !== accountId) continue
    pushTo(statuses, c.resourceType, {region: c.region, status: c.status})
  }

  return (r) => {
    for (const spec of dependents.get(r.type) ?? []) {
      const cells = statuses.get(spec.type) ?? []
      // A global candidate can be used from every region; a regional one from its region (or a global type).
      const relevant = r.region === 'global' ? cells : cells.filter((c) => c.region === r.region || c.region === 'global')
      const missing = relevant.length === 0 ? `${spec.type} was not collected` : relevant.filter((c) => c.status !== 'ok').map((c) => `${spec.type} was ${c.status} in ${c.region}`)[0]
      if (missing) return `${missing}: whether something uses it is unknown`
    }

    return undefined
  }
}

// ---------------------------------------------------------------------------------------------------
// Edges and what stays

/**
 * `holder → target` for every relationship; for what a deleter says must be deleted before its resource
 * (`deleteAfter`), as if it used it; and from a resource to what AWS deletes with it (`includes`), as if
 * it used it: while the resource stays, so does what goes with it, even where AWS does not mark it as
 * its own (the emulator's NAT gateway interfaces are not requester-managed).
 */
function collectEdges(
  current: readonly Resource[],
  resolve: (link: ResourceLink, from: Resource) => Resource | undefined,
  deleter: {deleteAfter: (r: Resource) => readonly ResourceLink[]; includes: (r: Resource) => readonly ResourceLink[]},
): Edge[] {
  const edges: Edge[] = []
  for (const holder of current) {
    for (const rel of holder.relationships) {
      // `references` is history (a snapshot's source volume): it orders nothing.
      if (rel.kind === 'references') continue
      const target = resolve(rel, holder)
      if (target && target !== holder) edges.push({holder, target, kind: rel.kind})
    }

    for (const link of deleter.includes(holder)) {
      const target = resolve(link, holder)
      if (target && target !== holder) edges.push({holder, target, kind: 'uses'})
    }
  }

  for (const target of current) {
    for (const link of deleter.deleteAfter(target)) {
      const holder = resolve(link, target)
      if (holder && holder !== target) edges.push({holder, target, kind: 'uses'})
    }
  }

  return edges
}

interface StayFacts {
  standing: ReadonlyMap<string, Standing>
  reasons: ReadonlyMap<string, ProtectionReason[]>
  skipped: ReadonlyMap<string, SkipReason>
  /** Whether `--type`/`--region` select it. */
  selected(arn: string): boolean
  /** Why the snapshot's tag filters leave it out, or undefined when they select it. */
  filteredOut(arn: string): string | undefined
}

/** Why a resource that is not being deleted stays, in a few words. */
function whyStays(arn: string, facts: StayFacts): string {
  const standing = facts.standing.get(arn)
  if (standing === undefined) return 'not collected'
  if (standing.kind === 'kept') return standing.why
  if (standing.kind === 'skip') return standing.reason.explanation
  const leftOut = facts.filteredOut(arn)
  if (leftOut !== undefined) return leftOut
  const protectedBy = facts.reasons.get(arn) ?? []
  if (protectedBy.length > 0) return `protected: ${protectedBy.map((p) => p.explanation).join('; ')}`
  const skip = facts.skipped.get(arn)
  if (skip) return `skipped (${skip.kind})`
  if (!facts.selected(arn)) return 'not selected by --type/--region'
  return 'not planned'
}

function describe(r: Resource): string {
  return `${r.type} ${r.name === r.id ? r.id : `${r.name} (${r.id})`}`
}

const kindPhrases: Record<Relationship['kind'], string> = {
  in: 'is in it',
  uses: 'uses it',
  'attached-to': 'is attached to it',
  'associated-with': 'is associated with it',
  references: 'references it',
}

/** Planned resources that a staying resource is in, uses or is attached to (directly or through what goes with them). */
function findInUse(
  edges: readonly Edge[],
  items: ReadonlySet<string>,
  going: (arn: string) => boolean,
  ownerOf: (arn: string) => string,
  stays: (arn: string) => string,
): Map<string, SkipReason> {
  const blocked = new Map<string, SkipReason>()
  for (const edge of edges) {
    // An association is dropped by AWS when its target goes (a subnet's route table and network ACL
    // associations, an address on a terminated instance): it never keeps the target.
    if (!blockingKinds.has(edge.kind) || going(edge.holder.arn)) continue
    const target = ownerOf(edge.target.arn)
    if (!items.has(target) || blocked.has(target)) continue
    const through = target === edge.target.arn ? '' : ` (${edge.target.id}, which goes with it)`
    blocked.set(target, {
      kind: 'in-use',
      explanation: `${describe(edge.holder)} ${kindPhrases[edge.kind]}${through} and stays: ${stays(edge.holder.arn)}`,
      blockedBy: [edge.holder.arn],
    })
  }

  return blocked
}

/** Moves blocked resources from `planned` to `skipped`; whether there were any. */
function setAside(blocked: ReadonlyMap<string, SkipReason>, planned: Set<string>, skipped: Map<string, SkipReason>): boolean {
  for (const [arn, reason] of blocked) {
    planned.delete(arn)
    skipped.set(arn, reason)
  }

  return blocked.size > 0
}

// ---------------------------------------------------------------------------------------------------
// Resources deleted together

interface FoldFacts {
  current: readonly Resource[]
  byArn: ReadonlyMap<string, Resource>
  standing: ReadonlyMap<string, Standing>
  reasons: ReadonlyMap<string, ProtectionReason[]>
  skipped: ReadonlyMap<string, SkipReason>
  specOf(type: string): ResourceSpec | undefined
  resolve(link: ResourceLink, from: Resource): Resource | undefined
  lookup: ResourceLookup
  stays(arn: string): string
}

interface Folded {
  /** Resource → the planned resource it goes with. */
  owner: Map<string, string>
  /** Planned resource → what goes with it. */
  included: Map<string, IncludedResource[]>
  /** Planned resources that cannot go, because something that would go with them must stay. */
  blocked: Map<string, SkipReason>
}

/**
 * Folds resources AWS deletes together with a planned one into it: what its deleter `includes` and the
 * VPC built-ins (`deletedWith`). If such a resource must stay — protected by a rule, in the baseline,
 * not comparable, or unknown — the planned resource is blocked instead.
 */
function foldTogether(planned: ReadonlySet<string>, facts: FoldFacts): Folded {
  const claims: Array<{owner: Resource; member?: Resource; link: ResourceLink; explanation: string}> = []
  for (const arn of [...planned].sort()) {
    const owner = facts.byArn.get(arn)!
    for (const link of facts.specOf(owner.type)?.deleter?.includes?.(owner, facts.lookup) ?? []) {
      const member = facts.resolve(link, owner)
      if (member === owner) continue
      claims.push({owner, member, link, explanation: `deleted by AWS with ${describe(owner)}`})
    }
  }

  for (const member of facts.current) {
    for (const reason of facts.reasons.get(member.arn) ?? []) {
      if (reason.deletedWith === undefined || !planned.has(reason.deletedWith)) continue
      const owner = facts.byArn.get(reason.deletedWith)!
      claims.push({owner, member, link: member, explanation: reason.explanation})
    }
  }

  const folded: Folded = {owner: new Map(), included: new Map(), blocked: new Map()}
  for (const {owner, member, link, explanation} of claims) {
    if (folded.blocked.has(owner.arn)) continue
    const refusal = member === undefined ? `${link.type} ${link.id ?? link.arn} was not collected: whether it must stay is unknown` : refuseToInclude(member, owner, facts)
    if (refusal !== undefined) {
      folded.blocked.set(owner.arn, {kind: 'deletes-kept', explanation: `deleting it would also delete ${refusal}`, ...(member ? {blockedBy: [member.arn]} : {})})
      continue
    }

    if (!member || folded.owner.has(member.arn)) continue
    folded.owner.set(member.arn, owner.arn)
    pushTo(folded.included, owner.arn, {...refOf(member), explanation})
  }

  // A blocked owner takes nothing along.
  for (const [member, owner] of folded.owner) if (folded.blocked.has(owner)) folded.owner.delete(member)
  for (const owner of folded.blocked.keys()) folded.included.delete(owner)
  // What goes with a resource that itself goes with another goes with that other one.
  for (const member of [...folded.owner.keys()]) {
    const seen = new Set([member])
    let owner = folded.owner.get(member)!
    while (folded.owner.has(owner) && !seen.has(owner)) {
      seen.add(owner)
      owner = folded.owner.get(owner)!
    }

    folded.owner.set(member, owner)
  }

  for (const [middle, list] of [...folded.included]) {
    const owner = folded.owner.get(middle)
    if (owner === undefined) continue
    folded.included.delete(middle)
    for (const entry of list) pushTo(folded.included, owner, entry)
  }

  return folded
}

/** Why `member` cannot go with `owner`, or undefined when it may. */
function refuseToInclude(member: Resource, owner: Resource, facts: FoldFacts): string | undefined {
  const standing = facts.standing.get(member.arn)
  if (standing?.kind !== 'candidate') return `${describe(member)}, which stays: ${facts.stays(member.arn)}`
  const skip = facts.skipped.get(member.arn)
  if (skip) return `${describe(member)}, which is skipped: ${skip.explanation}`
  const binding = (facts.reasons.get(member.arn) ?? []).filter((p) => !goesAlongKinds.has(p.kind) || (p.deletedWith !== undefined && p.deletedWith !== owner.arn))
  if (binding.length > 0) return `${describe(member)}, which is protected: ${binding.map((p) => p.explanation).join('; ')}`
  return undefined
}

function lookupOf(current: readonly Resource[], accountId: string): ResourceLookup {
  const byType = new Map<string, Resource[]>()
  for (const r of current) if (r.accountId === accountId) pushTo(byType, r.type, r)
  return {ofType: (type) => byType.get(type) ?? []}
}

// ---------------------------------------------------------------------------------------------------
// Order

interface Preparation {
  holder: Resource
  /** The resources whose references it removes, each with its steps. */
  targets: Array<{target: Resource; steps: DeleteStep[]}>
  /** The item keys of the dependency cycle it breaks (sorted): what it changes is worth changing only if they all go. */
  cycle: string[]
}

interface Ordered {
  /** Item key → keys of the items that must finish first. */
  adjacency: Map<string, Set<string>>
  preparations: Map<string, Preparation>
  /** Resources in cycles no deleter can break. */
  cycles: Map<string, SkipReason>
}

const prepareKey = (arn: string) => `${arn}#prepare`

/**
 * The item graph: `holder → target` for every edge between two items (through what goes with them), then
 * cycles broken where the holder's deleter can release its reference to the target (a prepare item that
 * must run before the target's deletion and its own). A prepare item also waits for everything the items
 * of its cycle wait for outside it: it changes resources that stay changed if any of them is not deleted,
 * so it runs only once the executor can tell that none of them is held back.
 */
function orderItems(edges: readonly Edge[], items: ReadonlySet<string>, ownerOf: (arn: string) => string, specOf: (type: string) => ResourceSpec | undefined): Ordered {
  const between = new Map<string, Edge[]>()
  for (const edge of edges) {
    const from = ownerOf(edge.holder.arn)
    const to = ownerOf(edge.target.arn)
    if (from === to || !items.has(from) || !items.has(to)) continue
    // An association held by or pointing at something that goes with another resource goes with it too.
    if (edge.kind === 'associated-with' && (from !== edge.holder.arn || to !== edge.target.arn)) continue
    pushTo(between, `${from}\u0000${to}`, edge)
  }

  const pairs = () => [...between.keys()].map((k) => k.split('\u0000') as [string, string])
  const preparations = new Map<string, Preparation>()
  const cycles = findCycles(buildAdjacency(items, pairs()))
  for (const cycle of cycles) {
    const members = new Set(cycle)
    for (const [key, list] of [...between].sort(([a], [b]) => compareText(a, b))) {
      const [from, to] = key.split('\u0000') as [string, string]
      if (!members.has(from) || !members.has(to)) continue
      const released = list.map((edge) => ({edge, steps: specOf(edge.holder.type)?.deleter?.releaseSteps?.(edge.holder, edge.target) ?? []}))
      if (released.some((r) => r.steps.length === 0)) continue
      between.delete(key)
      for (const {edge, steps} of released) {
        const prep = preparations.get(edge.holder.arn) ?? {holder: edge.holder, targets: [], cycle}
        if (!prep.targets.some((t) => t.target === edge.target)) prep.targets.push({target: edge.target, steps})
        preparations.set(edge.holder.arn, prep)
      }
    }
  }

  const adjacency = buildAdjacency(items, pairs())
  const unbroken = new Map<string, SkipReason>()
  for (const cycle of findCycles(adjacency)) {
    for (const arn of cycle) {
      const others = cycle.filter((a) => a !== arn)
      unbroken.set(arn, {kind: 'cycle', explanation: `in a dependency cycle with ${others.join(', ')} that no deleter can break`, blockedBy: others})
    }
  }

  for (const [holderArn, prep] of preparations) {
    const key = prepareKey(holderArn)
    const successors = new Set([ownerOf(holderArn), ...prep.targets.map((t) => ownerOf(t.target.arn))])
    adjacency.set(key, successors)
  }

  // What an item of the cycle waits for outside it (an instance using one of its groups) comes before the
  // preparations too. No new cycle: such an item is not reachable from the cycle, or it would be in it.
  const predecessors = predecessorsOf(adjacency)
  for (const [holderArn, prep] of preparations) {
    const own = new Set([...prep.cycle, ...[...preparations].filter(([, other]) => other.cycle === prep.cycle).map(([arn]) => prepareKey(arn))])
    for (const member of prep.cycle) {
      for (const before of predecessors.get(member) ?? []) if (!own.has(before)) adjacency.get(before)?.add(prepareKey(holderArn))
    }
  }

  return {adjacency, preparations, cycles: unbroken}
}

// ---------------------------------------------------------------------------------------------------
// The document

interface Assembly {
  accountId: string
  current: readonly Resource[]
  byArn: ReadonlyMap<string, Resource>
  items: ReadonlySet<string>
  included: ReadonlyMap<string, IncludedResource[]>
  order: Ordered
  standing: ReadonlyMap<string, Standing>
  reasons: ReadonlyMap<string, ProtectionReason[]>
  skipped: ReadonlyMap<string, SkipReason>
  selected(r: Resource): boolean
  owner: ReadonlyMap<string, string>
  specOf(type: string): ResourceSpec | undefined
  notComparable: PlanCell[]
}

function assemblePlan(input: PlanInput, a: Assembly): CleanupPlan {
  const deletions = a.items.size + [...a.included.values()].reduce((n, list) => n + list.length, 0)
  const limit = input.rules.maxDeletions
  if (limit !== null && deletions > limit.limit) {
    throw new UserError(`The plan would delete ${counted(deletions, 'resource')}, more than max_deletions ${limit.limit} (${limit.source}): narrow it with --type or --region, or raise the limit.`)
  }

  const levels = layerNodes(a.order.adjacency)
  const predecessors = predecessorsOf(a.order.adjacency)
  const built: PlanItem[] = []
  for (const arn of a.items) {
    const r = a.byArn.get(arn)!
    const standing = a.standing.get(arn)
    built.push({
      ...refOf(r),
      key: arn,
      kind: 'delete',
      createdAt: r.createdAt,
      // The executor compares it with the resource's id at deletion time: one recreated since is not deleted.
      uniqueId: uniqueIdOf(a.specOf(r.type), r.configuration) ?? null,
      tags: {...r.tags},
      why: standing?.kind === 'candidate' ? standing.why : {kind: 'purge', explanation: 'in the current state'},
      steps: a.specOf(r.type)?.deleter?.steps(r) ?? [],
      after: predecessors.get(arn) ?? [],
      includes: [...(a.included.get(arn) ?? [])].sort((x, y) => compareText(x.arn, y.arn)),
    })
  }

  for (const [holderArn, prep] of a.order.preparations) {
    const key = prepareKey(holderArn)
    const targets = [...prep.targets].sort((x, y) => compareText(x.target.arn, y.target.arn))
    built.push({
      ...refOf(prep.holder),
      key,
      kind: 'prepare',
      createdAt: prep.holder.createdAt,
      uniqueId: null,
      tags: {...prep.holder.tags},
      why: {kind: 'prepare', explanation: `removes its references to ${targets.map((t) => t.target.id).join(', ')}, breaking a dependency cycle`},
      steps: targets.flatMap((t) => t.steps),
      after: predecessors.get(key) ?? [],
      partOf: a.owner.get(holderArn) ?? holderArn,
      cycle: [...prep.cycle],
      includes: [],
    })
  }

  const waves: PlanWave[] = []
  for (const item of built.sort(compareItems)) {
    const index = levels.get(item.key) ?? 0
    while (waves.length <= index) waves.push({index: waves.length, items: []})
    waves[index]!.items.push(item)
  }

  const protectedList: ProtectedResource[] = []
  const skippedList: SkippedResource[] = []
  for (const r of a.current) {
    if (!a.selected(r) || a.owner.has(r.arn)) continue
    const standing = a.standing.get(r.arn)
    if (standing?.kind === 'skip') {
      skippedList.push({...refOf(r), reason: standing.reason})
      continue
    }

    const reasons = a.reasons.get(r.arn) ?? []
    if (standing?.kind === 'candidate' && reasons.length > 0) protectedList.push({...refOf(r), reasons})
    const skip = a.skipped.get(r.arn)
    if (skip) skippedList.push({...refOf(r), reason: skip})
  }

  protectedList.sort(compareRefs)
  skippedList.sort(compareRefs)
  const byType: Record<string, number> = {}
  for (const type of [...a.items].map((arn) => a.byArn.get(arn)!.type).sort()) byType[type] = (byType[type] ?? 0) + 1

  const content: Omit<CleanupPlan, 'id' | 'hash'> = {
    format: PLAN_FORMAT,
    mode: input.mode,
    accountId: a.accountId,
    caller: {arn: input.caller.arn, accountId: input.caller.accountId},
    createdAt: input.now.toISOString(),
    baseline: input.baseline ? {...input.baseline.ref} : null,
    current: {...input.current.ref, regions: [...new Set(input.current.cells.filter((c) => c.accountId === a.accountId).map((c) => c.region))].sort()},
    selection: {types: input.selection.types ? [...input.selection.types] : null, regions: input.selection.regions ? [...input.selection.regions] : null},
    rules: input.rules,
    waves,
    protected: protectedList,
    skipped: skippedList,
    notComparable: a.notComparable,
    summary: {
      deletions: a.items.size,
      included: deletions - a.items.size,
      preparations: a.order.preparations.size,
      waves: waves.length,
      protected: protectedList.length,
      skipped: skippedList.length,
      notComparable: a.notComparable.length,
      byType,
    },
  }

  const hash = hashPlan(content)
  return {...content, id: `plan-${hash.slice(0, 12)}`, hash}
}

/** What a plan's items add up to, counted from the items themselves (a saved plan's `summary` is only its word). */
export interface PlanCounts {
  /** Delete items. */
  deletions: number
  /** Resources AWS deletes along with them (`includes`). */
  included: number
  /** Prepare items. */
  preparations: number
  waves: number
}

/** Counts a plan's items: what `max_deletions`, the confirmation prompt and the header go by. */
export function countPlan(plan: Pick<CleanupPlan, 'waves'>): PlanCounts {
  const items = plan.waves.flatMap((w) => w.items)
  const deletes = items.filter((i) => i.kind === 'delete')
  return {
    deletions: deletes.length,
    included: deletes.reduce((n, i) => n + i.includes.length, 0),
    preparations: items.length - deletes.length,
    waves: plan.waves.length,
  }
}

/** The content hash of a plan: SHA-256 of the canonical JSON of everything but `id` and `hash`. */
export function hashPlan(plan: Omit<CleanupPlan, 'id' | 'hash'> & Partial<Pick<CleanupPlan, 'id' | 'hash'>>): string {
  const {id: _id, hash: _hash, ...content} = plan
  return sha256(canonicalJson(content))
}

/** Whether a plan document is intact: its hash matches its content and its id matches its hash. */
export function isPlanIntact(plan: CleanupPlan): boolean {
  const hash = hashPlan(plan)
  return plan.hash === hash && plan.id === `plan-${hash.slice(0, 12)}`
}

function refOf(r: Resource): ResourceRef {
  return {arn: r.arn, type: r.type, id: r.id, name: r.name, region: r.region, accountId: r.accountId}
}

function compareItems(x: PlanItem, y: PlanItem): number {
  return compareText(x.type, y.type) || compareText(x.region, y.region) || compareText(x.key, y.key)
}

function compareRefs(x: ResourceRef, y: ResourceRef): number {
  return compareText(x.type, y.type) || compareText(x.region, y.region) || compareText(x.arn, y.arn)
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
