import type {CostExplorer, Expression, GetCostAndUsageRequest} from '@aws-sdk/client-cost-explorer'

import type {AwsSession} from '../aws/session.js'
import {UserError} from '../errors.js'
import type {Store} from '../store/database.js'
import {type TagFilter, requireInventory} from '../store/inventories.js'
import {specOf} from '../resources/registry.js'
import {type Snapshot, activeSnapshot, requireSnapshot} from '../store/snapshots.js'
import {countResourcesByType} from '../store/stats.js'
import {type Amount, formatAmount, sharePercent, sumAmounts} from './amount.js'
import {describeTagFilters, hasTagFilters, linkedAccountsExpression, tagFilterExpression} from './attribution.js'
import {costClock} from './clock.js'
import {type CostGroupRow, type CostPeriodRow, KEY_SEPARATOR, groupRows, periodRows, sumPages} from './breakdown.js'
import {CostExplorerRequests, type RequestCount} from './explorer.js'
import {type CostForecast, forecastMonth} from './forecast.js'
import {type CostGranularity, type CostGrouping, type CostMetric, costGroupingLabel, groupDefinition} from './options.js'
import {type CostPeriod, resolvePeriod} from './period.js'
import {costServicesOf} from './services.js'

export type {CostForecast, CostGroupRow, CostPeriodRow}

/** Whose costs are analysed. */
export interface CostScope {
  /** `account`: the whole account; `snapshot`/`inventory`: the costs their tag filters select. */
  kind: 'account' | 'snapshot' | 'inventory'
  /** The snapshot named, or the inventory's active snapshot; null without one. */
  snapshot: string | null
  inventory: string | null
  /** Tags every attributed cost must carry (from the snapshot's or inventory's filters). */
  includeTags: TagFilter
  /** Tags any of which leaves a cost out. */
  excludeTags: TagFilter
  /**
   * Member accounts the costs are restricted to (`LINKED_ACCOUNT`): the snapshot's accounts when they are
   * not just the credentials' own. Null otherwise.
   */
  linkedAccounts: string[] | null
  /** The Cost Explorer filter built from the tags (and linked accounts); null when the scope is the whole account. */
  filter: Expression | null
}

/** What tag attribution leaves out: the account's cost the scope's filter does not select. */
export interface CostAttribution {
  /** The account's total over the same period (one more request, cached like the others). */
  accountTotal: string
  /** `accountTotal - total`. */
  unattributed: string
  /** Percent of `accountTotal`, one decimal; null when it is zero. */
  unattributedShare: number | null
}

/**
 * One awsinv service of the snapshot, next to the cost of the Cost Explorer services it is billed under.
 * Account settings (password policy, public access block…) are not counted: they are no resources, and a
 * snapshot keeps them whatever its tag filters say.
 */
export interface SnapshotServiceCost {
  /** awsinv service (`ec2`, `s3`…). */
  service: string
  /** Resources of the service in the snapshot. */
  resources: number
  types: Array<{type: string; resources: number}>
  /** Cost Explorer `SERVICE` values it is billed under; empty for free services. */
  costServices: string[]
  /** Cost of those services in the scope and period. */
  amount: string
  /** Percent of `total`, one decimal; null when the total is zero. */
  share: number | null
}

/** What `awsinv cost` returns. */
export interface CostResult {
  /** Account of the credentials: the costs are what Cost Explorer shows that account. */
  accountId: string
  scope: CostScope
  period: CostPeriod
  granularity: CostGranularity
  metric: CostMetric
  /** `service`, `region`, `account`, `usage-type` or `tag:KEY`, in order. */
  groupBy: string[]
  /** Currency of the amounts (Cost Explorer's `Unit`), e.g. `USD`. */
  currency: string
  /** Cost of the scope over the period. */
  total: string
  /** Whether any period is estimated (incomplete or not final). */
  estimated: boolean
  /** Groups by cost, highest first. */
  rows: CostGroupRow[]
  periods: CostPeriodRow[]
  /** Null when the scope is the whole account (nothing to attribute). */
  attribution: CostAttribution | null
  /** The snapshot's services and their cost; null without a snapshot or with `--no-services`. */
  services: SnapshotServiceCost[] | null
  /** Null without `--forecast`, or when Cost Explorer cannot forecast yet (see `notes`). */
  forecast: CostForecast | null
  requests: RequestCount
  /** Things to know about the figures (adjusted period, missing forecast…). */
  notes: string[]
}

export interface CostOptions {
  /** Snapshot whose tag filters (and date) scope the costs. */
  snapshot?: string
  /** Inventory whose tag filters scope the costs. */
  inventory?: string
  startDate?: string
  endDate?: string
  granularity: CostGranularity
  groupBy: CostGrouping[]
  metric: CostMetric
  /** List the snapshot's services: true/false when asked, undefined for the default (yes with a snapshot). */
  showServices?: boolean
  forecast: boolean
  /** False with --no-cache. */
  readCache: boolean
  maxRequests: number
  /** Default: the cost clock. */
  now?: Date
}

const SHOW_SERVICES_NEEDS_SNAPSHOT = '--show-services lists the services of a snapshot: name one with --snapshot, or an inventory with an active snapshot with --inventory.'

/** Refuses `--show-services` without a snapshot or inventory to list the services of: checked before anything is asked or stored. */
export function checkShowServices(options: Pick<CostOptions, 'showServices' | 'snapshot' | 'inventory'>): void {
  if (options.showServices === true && options.snapshot === undefined && options.inventory === undefined) throw new UserError(SHOW_SERVICES_NEEDS_SNAPSHOT)
}

/**
 * Costs from Cost Explorer for the account, a snapshot or an inventory: the total, a breakdown by up to
 * two keys, per-period amounts, what tag attribution leaves out, the snapshot's services and a forecast.
 * Requests are made one after the other, in that order, through the cache and within the budget.
 */
export async function analyzeCost(store: Store, session: AwsSession, options: CostOptions): Promise<CostResult> {
  const now = options.now ?? costClock.now()
  checkShowServices(options)
  const {scope, since, snapshot} = resolveScope(store, options, session.identity.accountId)
  if (options.showServices === true && !snapshot) throw new UserError(SHOW_SERVICES_NEEDS_SNAPSHOT)

  const {period, notes} = resolvePeriod({startDate: options.startDate, endDate: options.endDate, since}, now)
  if (scope.linkedAccounts) {
    notes.push(
      `Snapshot "${scope.snapshot}" is of account${scope.linkedAccounts.length === 1 ? '' : 's'} ${scope.linkedAccounts.join(', ')}, the credentials of account ${session.identity.accountId}: only ${scope.linkedAccounts.length === 1 ? 'that account\'s' : 'those accounts\''} costs are counted, which Cost Explorer shows only to their organization's management account.`,
    )
  }

  const explorer = new CostExplorerRequests(store, () => costExplorerClient(session), {
    accountId: session.identity.accountId,
    readCache: options.readCache,
    maxRequests: options.maxRequests,
    now,
  })
  const filter = scope.filter ?? undefined
  const interval = {Start: period.start, End: period.end}
  const base = {TimePeriod: interval, Granularity: options.granularity, Metrics: [options.metric], ...(filter ? {Filter: filter} : {})}
  const breakdownRequest: GetCostAndUsageRequest = {...base, GroupBy: options.groupBy.map((g) => groupDefinition(g))}
  // Without tag filters nothing is attributed: the scope is the whole account (or its linked accounts).
  const tagged = hasTagFilters(scope.includeTags, scope.excludeTags)
  const accounts = linkedAccountsExpression(scope.linkedAccounts ?? [])
  const accountRequest: GetCostAndUsageRequest | undefined = tagged
    ? {TimePeriod: interval, Granularity: options.granularity, Metrics: [options.metric], ...(accounts ? {Filter: accounts} : {})}
    : undefined
  const listServices = snapshot !== undefined && options.showServices !== false
  const serviceLevel = options.groupBy.findIndex((g) => g.by === 'service')
  const servicesRequest: GetCostAndUsageRequest | undefined = listServices && serviceLevel === -1 ? {...base, GroupBy: [groupDefinition({by: 'service'})]} : undefined
  await explorer.fetchTogether([breakdownRequest, accountRequest, servicesRequest].filter((r) => r !== undefined))

  const pages = await explorer.costAndUsage(breakdownRequest)
  const grouped = sumPages(pages, options.metric, true)
  const total = sumAmounts(grouped.groups.values())
  const units = new Set(grouped.units)

  let attribution: CostAttribution | null = null
  if (accountRequest) {
    const account = sumPages(await explorer.costAndUsage(accountRequest), options.metric, false)
    for (const unit of account.units) units.add(unit)
    const accountTotal = sumAmounts([...account.periods.values()].map((p) => p.amount))
    attribution = {
      accountTotal: formatAmount(accountTotal),
      unattributed: formatAmount(accountTotal - total),
      unattributedShare: sharePercent(accountTotal - total, accountTotal),
    }
  }

  let services: SnapshotServiceCost[] | null = null
  if (snapshot && listServices) {
    const byService = servicesRequest
      ? serviceAmounts(sumPages(await explorer.costAndUsage(servicesRequest), options.metric, true).groups, 0)
      : serviceAmounts(grouped.groups, serviceLevel)
    services = snapshotServices(store, snapshot, byService, total)
  } else if (options.showServices === undefined && scope.kind === 'inventory' && !snapshot) {
    notes.push(`Inventory "${scope.inventory}" has no active snapshot, so no services are listed.`)
  }

  let forecast: CostForecast | null = null
  if (options.forecast) {
    const outcome = await forecastMonth(explorer, options.metric, filter, now)
    forecast = outcome.forecast
    if (outcome.note) notes.push(outcome.note)
  }

  if (grouped.groups.size === 0) {
    notes.push(
      tagged
        ? `No cost carries these tags (${describeTagFilters(scope.includeTags, scope.excludeTags)}). Cost Explorer only sees tags activated as cost allocation tags in the Billing console, from their activation on.`
        : 'Cost Explorer returned no cost for this period.',
    )
  }

  if (units.size > 1) notes.push(`Cost Explorer answered in several currencies (${[...units].join(', ')}): the sums mix them.`)
  const periods = periodRows(grouped.periods)
  return {
    accountId: session.identity.accountId,
    scope,
    period,
    granularity: options.granularity,
    metric: options.metric,
    groupBy: options.groupBy.map((g) => costGroupingLabel(g)),
    currency: units.values().next().value ?? 'USD',
    total: formatAmount(total),
    estimated: periods.some((p) => p.estimated),
    rows: groupRows(grouped.groups, options.groupBy, total),
    periods,
    attribution,
    services,
    forecast,
    requests: explorer.count,
    notes,
  }
}

/** The Cost Explorer client: its one endpoint is in us-east-1 (cn-northwest-1 in the China partition). */
function costExplorerClient(session: AwsSession): Promise<CostExplorer> {
  return session.clients.get('costexplorer', session.identity.partition === 'aws-cn' ? 'cn-northwest-1' : 'us-east-1')
}

function resolveScope(store: Store, options: CostOptions, callerAccount: string): {scope: CostScope; since?: string; snapshot?: Snapshot} {
  const scopeOf = (kind: CostScope['kind'], snapshot: Snapshot | undefined, inventory: string | null, include: TagFilter, exclude: TagFilter): CostScope => {
    const linked = snapshot ? otherAccounts(snapshot, callerAccount) : null
    return {
      kind,
      snapshot: snapshot?.name ?? null,
      inventory,
      includeTags: include,
      excludeTags: exclude,
      linkedAccounts: linked,
      filter: tagFilterExpression(include, exclude, linked ?? []) ?? null,
    }
  }

  if (options.snapshot !== undefined) {
    const snapshot = requireSnapshot(store, options.snapshot)
    const {includeTags, excludeTags} = snapshot.filters
    return {scope: scopeOf('snapshot', snapshot, snapshot.inventory, includeTags, excludeTags), since: snapshot.startedAt, snapshot}
  }

  if (options.inventory !== undefined) {
    const inventory = requireInventory(store, options.inventory)
    const active = activeSnapshot(store, inventory.name)
    return {scope: scopeOf('inventory', active, inventory.name, inventory.includeTags, inventory.excludeTags), snapshot: active}
  }

  return {scope: scopeOf('account', undefined, null, {}, {})}
}

/** The snapshot's accounts, sorted, unless they are just the caller's own. */
function otherAccounts(snapshot: Snapshot, callerAccount: string): string[] | null {
  const accounts = [...new Set(snapshot.accounts.length > 0 ? snapshot.accounts : [snapshot.accountId])].sort()
  return accounts.length === 1 && accounts[0] === callerAccount ? null : accounts
}

/** Cost per Cost Explorer service, from groups whose key has the service at `position`. */
function serviceAmounts(groups: Map<string, Amount>, position: number): Map<string, Amount> {
  const byService = new Map<string, Amount>()
  for (const [key, amount] of groups) {
    const service = key.split(KEY_SEPARATOR)[position] ?? ''
    byService.set(service, (byService.get(service) ?? 0n) + amount)
  }

  return byService
}

function snapshotServices(store: Store, snapshot: Snapshot, byService: Map<string, Amount>, total: Amount): SnapshotServiceCost[] {
  const services = new Map<string, SnapshotServiceCost & {sum: Amount}>()
  for (const row of countResourcesByType(store, snapshot.id)) {
    if (specOf(row.type)?.untagged) continue
    let entry = services.get(row.service)
    if (!entry) {
      const costServices = [...costServicesOf(row.service)]
      const sum = sumAmounts(costServices.map((s) => byService.get(s) ?? 0n))
      entry = {service: row.service, resources: 0, types: [], costServices, amount: formatAmount(sum), share: sharePercent(sum, total), sum}
      services.set(row.service, entry)
    }

    entry.resources += row.resources
    entry.types.push({type: row.type, resources: row.resources})
  }

  return [...services.values()]
    .sort((a, b) => (a.sum === b.sum ? (a.service < b.service ? -1 : 1) : a.sum > b.sum ? -1 : 1))
    .map(({sum: _, ...entry}) => entry)
}
