import {sql} from 'drizzle-orm'
import {index, integer, primaryKey, sqliteTable, sqliteView, text, uniqueIndex} from 'drizzle-orm/sqlite-core'

/** Lifecycle of a snapshot. Only `running` snapshots change; the others are final. */
export const snapshotStatuses = ['running', 'complete', 'partial', 'interrupted', 'failed'] as const
export type SnapshotStatus = (typeof snapshotStatuses)[number]

/** Outcome of collecting one (account, region, type) cell. */
export const coverageStatuses = ['ok', 'access_denied', 'not_enabled', 'unsupported_region', 'throttled', 'error'] as const
export type CoverageStatus = (typeof coverageStatuses)[number]

/** Named collections of snapshots, with the tag filters their snapshots are taken with. */
export const inventories = sqliteTable('inventories', {
  id: integer('id').primaryKey({autoIncrement: true}),
  name: text('name').notNull().unique(),
  description: text('description'),
  /** JSON object of tag key → value every resource must carry. */
  includeTags: text('include_tags').notNull().default('{}'),
  /** JSON object of tag key → value any of which excludes a resource. */
  excludeTags: text('exclude_tags').notNull().default('{}'),
  /** The snapshot that commands use by default for this inventory. */
  activeSnapshotId: integer('active_snapshot_id'),
  createdAt: text('created_at').notNull(),
})

export const snapshots = sqliteTable(
  'snapshots',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    name: text('name').notNull().unique(),
    inventoryId: integer('inventory_id')
      .notNull()
      .references(() => inventories.id),
    status: text('status', {enum: snapshotStatuses}).notNull(),
    /** Account the snapshot was taken in (the caller's account). */
    accountId: text('account_id').notNull(),
    /** JSON array of every account whose resources the snapshot holds. */
    accounts: text('accounts').notNull().default('[]'),
    /** JSON array of the regions collected. */
    regions: text('regions').notNull(),
    /** JSON array of the resource types collected. */
    resourceTypes: text('resource_types').notNull(),
    /** JSON object `{includeTags, excludeTags}` applied while collecting. */
    filters: text('filters').notNull().default('{}'),
    /** Whether AWS Config was allowed as a source. */
    useConfig: integer('use_config', {mode: 'boolean'}).notNull().default(true),
    toolVersion: text('tool_version').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    resourceCount: integer('resource_count').notNull().default(0),
    /** Coverage cells that were not `ok`. */
    gapCount: integer('gap_count').notNull().default(0),
    apiCalls: integer('api_calls').notNull().default(0),
    /** Why a snapshot failed or was interrupted. */
    error: text('error'),
    /** Process that is writing a `running` snapshot, to tell a live run from a killed one. */
    pid: integer('pid'),
    host: text('host'),
  },
  (t) => [index('snapshots_inventory_idx').on(t.inventoryId)],
)

/** Configuration documents, stored once per distinct content however many snapshots share them. */
export const configurations = sqliteTable('configurations', {
  /** SHA-256 of the canonical JSON (sorted keys). */
  hash: text('hash').primaryKey(),
  json: text('json').notNull(),
})

export const resources = sqliteTable(
  'resources',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    snapshotId: integer('snapshot_id')
      .notNull()
      .references(() => snapshots.id, {onDelete: 'cascade'}),
    arn: text('arn').notNull(),
    type: text('type').notNull(),
    service: text('service').notNull(),
    /** The AWS id used in API calls. */
    resourceId: text('resource_id').notNull(),
    name: text('name').notNull(),
    region: text('region').notNull(),
    accountId: text('account_id').notNull(),
    /** The resource's real creation time, or null when AWS does not report one. */
    createdAt: text('created_at'),
    source: text('source', {enum: ['config', 'api']}).notNull(),
    configHash: text('config_hash')
      .notNull()
      .references(() => configurations.hash),
    /** JSON array of relationships `{type, arn?, id?, kind}`. */
    relationships: text('relationships').notNull().default('[]'),
  },
  (t) => [
    uniqueIndex('resources_snapshot_arn_idx').on(t.snapshotId, t.arn),
    index('resources_snapshot_type_idx').on(t.snapshotId, t.type, t.region),
    index('resources_arn_idx').on(t.arn),
    index('resources_config_hash_idx').on(t.configHash),
  ],
)

export const resourceTags = sqliteTable(
  'resource_tags',
  {
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id, {onDelete: 'cascade'}),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({columns: [t.resourceId, t.key]}), index('resource_tags_key_value_idx').on(t.key, t.value)],
)

/** One row per (account, region, type) collection attempt of a snapshot. */
export const coverage = sqliteTable(
  'coverage',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    snapshotId: integer('snapshot_id')
      .notNull()
      .references(() => snapshots.id, {onDelete: 'cascade'}),
    accountId: text('account_id').notNull(),
    region: text('region').notNull(),
    resourceType: text('resource_type').notNull(),
    status: text('status', {enum: coverageStatuses}).notNull(),
    source: text('source', {enum: ['config', 'api']}).notNull(),
    /** Why this source was used (e.g. "--no-config", "type not recorded by AWS Config"). */
    sourceReason: text('source_reason'),
    apiCalls: integer('api_calls').notNull().default(0),
    itemCount: integer('item_count').notNull().default(0),
    durationMs: integer('duration_ms').notNull().default(0),
    errorCode: text('error_code'),
    error: text('error'),
  },
  (t) => [uniqueIndex('coverage_cell_idx').on(t.snapshotId, t.accountId, t.region, t.resourceType)],
)

/** Resources with their snapshot, configuration JSON and tags (as a JSON object). */
export const resourcesView = sqliteView('v_resources', {
  snapshotName: text('snapshot_name').notNull(),
  snapshotId: integer('snapshot_id').notNull(),
  resourcePk: integer('resource_pk').notNull(),
  arn: text('arn').notNull(),
  type: text('type').notNull(),
  service: text('service').notNull(),
  resourceId: text('resource_id').notNull(),
  name: text('name').notNull(),
  region: text('region').notNull(),
  accountId: text('account_id').notNull(),
  createdAt: text('created_at'),
  source: text('source').notNull(),
  configHash: text('config_hash').notNull(),
  configuration: text('configuration').notNull(),
  tags: text('tags').notNull(),
  relationships: text('relationships').notNull(),
}).as(
  sql`select s.name as snapshot_name, s.id as snapshot_id, r.id as resource_pk, r.arn, r.type, r.service,
    r.resource_id, r.name, r.region, r.account_id, r.created_at, r.source, r.config_hash,
    c.json as configuration,
    coalesce((select json_group_object(t.key, t.value) from resource_tags t where t.resource_id = r.id), '{}') as tags,
    r.relationships
  from resources r join snapshots s on s.id = r.snapshot_id join configurations c on c.hash = r.config_hash`,
)

/** One row per tag of every resource. */
export const tagsView = sqliteView('v_resource_tags', {
  snapshotName: text('snapshot_name').notNull(),
  snapshotId: integer('snapshot_id').notNull(),
  arn: text('arn').notNull(),
  type: text('type').notNull(),
  region: text('region').notNull(),
  accountId: text('account_id').notNull(),
  key: text('key').notNull(),
  value: text('value').notNull(),
}).as(
  sql`select s.name as snapshot_name, s.id as snapshot_id, r.arn, r.type, r.region, r.account_id, t.key, t.value
  from resource_tags t join resources r on r.id = t.resource_id join snapshots s on s.id = r.snapshot_id`,
)

/** Coverage rows with their snapshot name. */
export const coverageView = sqliteView('v_coverage', {
  snapshotName: text('snapshot_name').notNull(),
  snapshotId: integer('snapshot_id').notNull(),
  accountId: text('account_id').notNull(),
  region: text('region').notNull(),
  resourceType: text('resource_type').notNull(),
  status: text('status').notNull(),
  source: text('source').notNull(),
  sourceReason: text('source_reason'),
  apiCalls: integer('api_calls').notNull(),
  itemCount: integer('item_count').notNull(),
  durationMs: integer('duration_ms').notNull(),
  errorCode: text('error_code'),
  error: text('error'),
}).as(
  sql`select s.name as snapshot_name, s.id as snapshot_id, c.account_id, c.region, c.resource_type, c.status,
    c.source, c.source_reason, c.api_calls, c.item_count, c.duration_ms, c.error_code, c.error
  from coverage c join snapshots s on s.id = c.snapshot_id`,
)

/** Snapshots with their inventory name and whether they are its active snapshot. */
export const snapshotsView = sqliteView('v_snapshots', {
  id: integer('id').notNull(),
  name: text('name').notNull(),
  inventory: text('inventory').notNull(),
  status: text('status').notNull(),
  accountId: text('account_id').notNull(),
  accounts: text('accounts').notNull(),
  regions: text('regions').notNull(),
  resourceTypes: text('resource_types').notNull(),
  filters: text('filters').notNull(),
  useConfig: integer('use_config').notNull(),
  toolVersion: text('tool_version').notNull(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  resourceCount: integer('resource_count').notNull(),
  gapCount: integer('gap_count').notNull(),
  apiCalls: integer('api_calls').notNull(),
  error: text('error'),
  isActive: integer('is_active').notNull(),
}).as(
  sql`select s.id, s.name, i.name as inventory, s.status, s.account_id, s.accounts, s.regions, s.resource_types,
    s.filters, s.use_config, s.tool_version, s.started_at, s.finished_at, s.resource_count, s.gap_count,
    s.api_calls, s.error, coalesce(i.active_snapshot_id = s.id, 0) as is_active
  from snapshots s join inventories i on i.id = s.inventory_id`,
)

/**
 * Cost Explorer responses, cached because every request is billed. One row per exact request (all its
 * pages); see src/cost/explorer.ts for what is cached and for how long.
 */
export const costCache = sqliteTable(
  'cost_cache',
  {
    /** SHA-256 of the canonical JSON of {accountId, operation, request}. */
    key: text('key').primaryKey(),
    /** Account whose credentials made the request: Cost Explorer answers differ per account. */
    accountId: text('account_id').notNull(),
    /** `GetCostAndUsage` or `GetCostForecast`. */
    operation: text('operation').notNull(),
    /** The request as canonical JSON, without a page token. */
    request: text('request').notNull(),
    /** JSON array of the response pages, in order (one element for a forecast). */
    response: text('response').notNull(),
    /** Billable requests the response took (its pages). */
    requests: integer('requests').notNull(),
    fetchedAt: text('fetched_at').notNull(),
    /** When the entry stops being used; null for a period of closed months that is final. */
    expiresAt: text('expires_at'),
  },
  (t) => [index('cost_cache_expires_idx').on(t.expiresAt)],
)

/** How a cleanup run ended; `running` while it runs (and for good if the process was killed). */
export const cleanupRunStatuses = ['running', 'succeeded', 'incomplete', 'failed', 'interrupted'] as const
export type CleanupRunStatus = (typeof cleanupRunStatuses)[number]

/** How one item of a cleanup run ended (see ItemOutcome in src/cleanup/execute.ts). */
export const cleanupItemResults = ['deleted', 'prepared', 'scheduled', 'gone', 'skipped', 'failed', 'interrupted', 'not-attempted'] as const

/** The audit log of `cleanup execute` and `cleanup purge --confirm`: one row per run of a plan. */
export const cleanupRuns = sqliteTable(
  'cleanup_runs',
  {
    /** The run id, `run-<UTC time>-<6 hex digits>`; also the name of its JSON lines file. */
    id: text('id').primaryKey(),
    planId: text('plan_id').notNull(),
    /** SHA-256 of the plan's content, as verified before the run. */
    planHash: text('plan_hash').notNull(),
    mode: text('mode', {enum: ['cleanup', 'purge']}).notNull(),
    /** The account deleted in. */
    accountId: text('account_id').notNull(),
    /** Who ran it (STS caller ARN). */
    callerArn: text('caller_arn').notNull(),
    /** Names of the plan's baseline (or `--from-snapshot`) and current-state snapshots, when stored. */
    baselineSnapshot: text('baseline_snapshot'),
    currentSnapshot: text('current_snapshot'),
    planCreatedAt: text('plan_created_at').notNull(),
    /** The whole plan document (JSON) as executed. */
    plan: text('plan').notNull(),
    status: text('status', {enum: cleanupRunStatuses}).notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    /** Items per outcome, set when the run ends. */
    items: integer('items').notNull().default(0),
    /** Delete items deleted (preparations are counted under `prepared`). */
    deleted: integer('deleted').notNull().default(0),
    /** Prepare items done: references removed so that other items could be deleted. */
    prepared: integer('prepared').notNull().default(0),
    scheduled: integer('scheduled').notNull().default(0),
    gone: integer('gone').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    interrupted: integer('interrupted').notNull().default(0),
    notAttempted: integer('not_attempted').notNull().default(0),
    /** The run's JSON lines file. */
    logFile: text('log_file'),
    toolVersion: text('tool_version').notNull(),
    /** Process id of the awsinv process running it, while `running`; cleared when the run ends. */
    pid: integer('pid'),
    /** Host name of that process: a `running` run whose process no longer exists on this host was killed. */
    host: text('host'),
  },
  (t) => [index('cleanup_runs_account_started_idx').on(t.accountId, t.startedAt)],
)

/** One row per plan item of a cleanup run, written as soon as the item settles. */
export const cleanupItems = sqliteTable(
  'cleanup_items',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    runId: text('run_id')
      .notNull()
      .references(() => cleanupRuns.id, {onDelete: 'cascade'}),
    /** The plan item's key: the ARN, or `ARN#prepare`. */
    itemKey: text('item_key').notNull(),
    kind: text('kind', {enum: ['delete', 'prepare']}).notNull(),
    wave: integer('wave').notNull(),
    arn: text('arn').notNull(),
    type: text('type').notNull(),
    region: text('region').notNull(),
    accountId: text('account_id').notNull(),
    /** The AWS id the steps acted on. */
    resourceId: text('resource_id').notNull(),
    name: text('name').notNull(),
    result: text('result', {enum: cleanupItemResults}).notNull(),
    /** Why it was skipped, failed or gone, or the final step's word; null for a plain deletion. */
    reason: text('reason'),
    /** JSON array: what blocked it (item keys, ARNs or ids), or null. */
    blockedBy: text('blocked_by'),
    /** JSON array of the protection reasons that made it skip, or null. */
    protectedBy: text('protected_by'),
    /** JSON array of the ARNs AWS deletes along with it. */
    includes: text('includes').notNull().default('[]'),
    /** JSON object: the resource as re-read before its first step (`tags`, `name`, `configuration`), or null. */
    beforeState: text('before_state'),
    /** JSON array of the steps run: action, description, params, status, attempts, requestIds, detail, error, scheduled, startedAt, finishedAt. */
    steps: text('steps').notNull().default('[]'),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [uniqueIndex('cleanup_items_run_key_idx').on(t.runId, t.itemKey), index('cleanup_items_arn_idx').on(t.arn)],
)
