import type {
  CostExplorer,
  GetCostAndUsageRequest,
  GetCostAndUsageResponse,
  GetCostForecastRequest,
  GetCostForecastResponse,
} from '@aws-sdk/client-cost-explorer'

import {classifyError, isForeignServerError} from '../aws/errors.js'
import {UserError} from '../errors.js'
import {type CostCacheKey, type CostOperation, readCostCache, writeCostCache} from '../store/cost-cache.js'
import type {Store} from '../store/database.js'
import {isClosedPeriod} from './period.js'

/** How long a response about a period that can still change (or a forecast) is reused. */
export const CACHE_TTL_MS = 6 * 60 * 60 * 1000

/** Billable Cost Explorer requests of one run. */
export interface RequestCount {
  /** Requests sent to Cost Explorer by this run: each one is billed (USD 0.01 at the time of writing). */
  made: number
  /** Requests the cache answered instead: what those responses took when they were fetched. */
  cached: number
  /** The `--max-requests` budget. */
  max: number
}

export interface ExplorerOptions {
  /** Account of the caller: part of every cache key, with the client's custom endpoint if it has one. */
  accountId: string
  /** Whether cached responses may answer (false with --no-cache; fresh responses are stored either way). */
  readCache: boolean
  /** Billable requests this run may make; the next one is refused. */
  maxRequests: number
  now: Date
}

type Page = Omit<GetCostAndUsageResponse, '$metadata'>
type Forecast = Omit<GetCostForecastResponse, '$metadata'>

/**
 * Cost Explorer requests through the cache and within the request budget. A GetCostAndUsage entry holds
 * every page of one request, so a cached answer never mixes pages fetched at different times (a page
 * token is only valid with the pages before it). Entries about periods of closed months whose costs are
 * final (no result is `Estimated`) never expire; every other entry, forecasts included, lasts 6 hours.
 */
export class CostExplorerRequests {
  readonly count: RequestCount
  private endpoint?: Promise<string | null>
  /** False once {@link fetchTogether} found answers of different times: cached answers that can still change are then asked again. */
  private reuseChanging = true

  constructor(
    private readonly store: Store,
    private readonly client: () => Promise<CostExplorer>,
    private readonly options: ExplorerOptions,
  ) {
    this.count = {made: 0, cached: 0, max: options.maxRequests}
  }

  /** Every page of a GetCostAndUsage request (the request carries no page token). */
  async costAndUsage(request: GetCostAndUsageRequest): Promise<Page[]> {
    const key = await this.key('GetCostAndUsage', request)
    const cached = this.cached<Page>(key)
    if (cached) return cached
    const pages: Page[] = []
    let token: string | undefined
    do {
      const {$metadata: _, ...page} = await this.send('GetCostAndUsage', (ce) => ce.getCostAndUsage({...request, ...(token ? {NextPageToken: token} : {})}))
      pages.push(page)
      token = page.NextPageToken
    } while (token)
    this.remember(key, pages, costAndUsageExpiry(request, pages, this.options.now))
    return pages
  }

  /**
   * Makes the answers to `requests`, figures read side by side (a scope's cost and its account's total),
   * come from one time: unless every one of them that can still change is cached from the same fetch,
   * those are asked again with the missing ones. Answers about closed months, final, are always reused.
   * Refuses before any request when the budget cannot cover one request for each answer to ask for: an
   * answer fetched alone would be asked again with the others, so a run stopped half-way would pay twice.
   */
  async fetchTogether(requests: readonly GetCostAndUsageRequest[]): Promise<void> {
    const entries = []
    for (const request of requests) {
      entries.push(this.options.readCache ? readCostCache(this.store, await this.key('GetCostAndUsage', request), this.options.now) : undefined)
    }

    const times = new Set(entries.filter((e) => !e || e.expiresAt !== null).map((e) => e?.fetchedAt ?? 'now'))
    if (times.size > 1) this.reuseChanging = false
    const asked = entries.filter((e) => !e || (!this.reuseChanging && e.expiresAt !== null)).length
    const {made, max} = this.count
    if (made + asked > max) {
      throw new UserError(
        `Stopped before Cost Explorer request ${made + 1}: the figures read side by side need ${asked} more requests made together (each is billed), more than --max-requests ${max} allows. Raise --max-requests to go on.`,
      )
    }
  }

  /**
   * A GetCostForecast response. "Not enough history yet" (DataUnavailableException) is an answer too, billed
   * like one: it is cached as long as a forecast would be, and thrown again from the cache.
   */
  async costForecast(request: GetCostForecastRequest): Promise<Forecast> {
    const key = await this.key('GetCostForecast', request)
    const cached = this.cached<Forecast | UnavailableForecast>(key)?.[0]
    if (cached !== undefined) {
      if ('unavailable' in cached) throw new CostExplorerError(cached.unavailable.message, cached.unavailable.code)
      return cached
    }

    try {
      const {$metadata: _, ...forecast} = await this.send('GetCostForecast', (ce) => ce.getCostForecast(request))
      this.remember(key, [forecast], expiryAfterTtl(this.options.now))
      return forecast
    } catch (error) {
      if (error instanceof CostExplorerError && error.code === 'DataUnavailableException') {
        this.remember<UnavailableForecast>(key, [{unavailable: {code: error.code, message: error.message}}], expiryAfterTtl(this.options.now))
      }

      throw error
    }
  }

  private async key(operation: CostOperation, request: unknown): Promise<CostCacheKey> {
    this.endpoint ??= this.client().then((ce) => customEndpoint(ce))
    return {accountId: this.options.accountId, endpoint: await this.endpoint, operation, request}
  }

  private cached<T>(key: CostCacheKey): T[] | undefined {
    if (!this.options.readCache) return undefined
    const entry = readCostCache<T>(this.store, key, this.options.now)
    if (!entry || (!this.reuseChanging && key.operation === 'GetCostAndUsage' && entry.expiresAt !== null)) return undefined
    this.count.cached += entry.requests
    return entry.pages
  }

  private remember<T>(key: CostCacheKey, pages: T[], expiresAt: string | null): void {
    const {now} = this.options
    writeCostCache(this.store, key, {pages, requests: pages.length, fetchedAt: now.toISOString(), expiresAt}, now)
  }

  /** One billable request, refused beyond the budget; failures become one-line errors. */
  private async send<T>(operation: CostOperation, call: (ce: CostExplorer) => Promise<T>): Promise<T> {
    const {made, max} = this.count
    if (made >= max) {
      throw new UserError(
        `Stopped before Cost Explorer request ${made + 1}: --max-requests ${max} reached (each request is billed). Raise --max-requests to go on; complete answers so far are cached.`,
      )
    }

    const ce = await this.client()
    this.count.made++
    try {
      return await call(ce)
    } catch (error) {
      throw costExplorerError(error, operation)
    }
  }
}

/**
 * The endpoint a Cost Explorer client sends to when it is not AWS's own, as the SDK decides it: the
 * client's `endpoint` (--endpoint-url, AWS_ENDPOINT_URL), else one configured for the service
 * (AWS_ENDPOINT_URL_COST_EXPLORER, a profile's `endpoint_url`) unless configured endpoints are ignored.
 * Null for AWS's own endpoint, which the account id already identifies.
 */
export async function customEndpoint(ce: CostExplorer): Promise<string | null> {
  const {config} = ce
  if (config.isCustomEndpoint && config.endpoint) {
    const {protocol, hostname, port, path} = await config.endpoint()
    return `${protocol}//${hostname}${port === undefined ? '' : `:${port}`}${path}`
  }

  if (config.ignoreConfiguredEndpointUrls) return null
  return (await config.serviceConfiguredEndpoint?.()) ?? null
}

/**
 * When a GetCostAndUsage response stops being reused: never (null) when its period lies in months that
 * have ended and no result is `Estimated` (Cost Explorer keeps the previous month estimated until the
 * bill is final), else {@link CACHE_TTL_MS} after `now`.
 */
export function costAndUsageExpiry(request: GetCostAndUsageRequest, pages: readonly GetCostAndUsageResponse[], now: Date): string | null {
  const {Start: start, End: end} = request.TimePeriod ?? {}
  const closed = start !== undefined && end !== undefined && isClosedPeriod({start, end}, now)
  return closed && pages.every((p) => (p.ResultsByTime ?? []).every((r) => !r.Estimated)) ? null : expiryAfterTtl(now)
}

/** {@link CACHE_TTL_MS} after `now`, as an ISO time. */
function expiryAfterTtl(now: Date): string {
  return new Date(now.getTime() + CACHE_TTL_MS).toISOString()
}

/** How the cache keeps a forecast Cost Explorer could not make yet (DataUnavailableException). */
interface UnavailableForecast {
  unavailable: {code: string; message: string}
}

/** A failed Cost Explorer request, as one line saying what to do, with the AWS error code. */
export class CostExplorerError extends UserError {
  constructor(
    message: string,
    /** The AWS error code, e.g. `AccessDeniedException`. */
    readonly code: string,
  ) {
    super(message)
    this.name = 'CostExplorerError'
  }
}

/** A Cost Explorer failure as one line saying what to do. */
export function costExplorerError(error: unknown, operation: CostOperation): CostExplorerError {
  const {kind, code, message} = classifyError(error)
  const said = `${code}: ${message}`
  const fail = (text: string) => new CostExplorerError(text, code)
  if (kind === 'not_enabled' || /not enabled for cost explorer/i.test(message)) {
    return fail(
      `Cost Explorer is not enabled for this account (${said}). Enable it once in the Billing and Cost Management console (Cost Explorer); its data appears within 24 hours.`,
    )
  }

  if (kind === 'access_denied') return fail(`Cost Explorer denied ${operation} (${said}). Grant the caller ce:${operation}.`)
  if (code === 'DataUnavailableException') return fail(`Cost Explorer has no data for this request (${said}). A newly enabled Cost Explorer needs up to 24 hours.`)
  if (kind === 'throttled' || code === 'LimitExceededException') {
    return fail(`Cost Explorer's request rate limit was reached (${code}). Wait a moment and run again: answers already received are cached.`)
  }

  if (kind === 'endpoint_unreachable') return fail(`Cannot reach Cost Explorer (${code}). Check --endpoint-url and your network.`)
  // An emulator lacking the operation (the AWS emulator has no GetCostForecast) answers a bare HTTP 500.
  if (isForeignServerError(error)) {
    const instead = operation === 'GetCostForecast' ? ': run without --forecast' : ''
    return fail(`The endpoint (--endpoint-url) does not seem to implement Cost Explorer ${operation} (${code}: not an AWS answer)${instead}. Answers already received are cached.`)
  }

  if (kind === 'invalid_credentials' || kind === 'no_credentials') return fail(`Cost Explorer rejected the credentials (${said}).`)
  return fail(`Cost Explorer ${operation} failed (${said}).`)
}
