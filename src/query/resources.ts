import {UserError} from '../errors.js'
import type {Store} from '../store/database.js'
import {DEFAULT_INVENTORY} from '../store/inventories.js'
import type {ResourceRow} from '../store/reports.js'
import {findResources} from '../store/resources.js'
import {type Snapshot, isIncomplete, namedOrActiveSnapshot} from '../store/snapshots.js'

/** What `query resources` looks for. Patterns are globs: `*` any run of characters, `?` one character. */
export interface ResourceSearch {
  /** Snapshot name; default: the inventory's active snapshot. */
  snapshot?: string
  /** Inventory whose active snapshot is searched when no snapshot is named (default `default`). */
  inventory?: string
  /** Resource type patterns, any of which may match (`AWS::EC2::*`); the command resolves services and case first. */
  types?: readonly string[]
  /** Region patterns, any of which may match. */
  regions?: readonly string[]
  /** `KEY=VALUE` filters, all of which must match; VALUE is a pattern, `*` meaning any value. */
  tags?: readonly string[]
  /** ARN pattern. */
  arn?: string
  /** Name pattern. */
  name?: string
  /** Most resources to return. */
  limit: number
}

/** What `query resources` returns. */
export interface ResourceSearchResult {
  snapshot: Snapshot
  /** Whether the snapshot is still running, was interrupted or failed: what it holds is incomplete. */
  incomplete: boolean
  resources: ResourceRow[]
  /** Resources returned (at most the limit). */
  count: number
  /** Whether more resources matched than the limit let through. */
  truncated: boolean
}

/** A tag filter: the key, exactly, and a glob its value must match. */
export interface TagPattern {
  key: string
  value: string
}

/**
 * A glob as a SQLite GLOB pattern. `*` and `?` keep their meaning (case-sensitive, as AWS names are);
 * `[`, which GLOB reads as the start of a character class, is made literal.
 */
export function globToSqlite(glob: string): string {
  return glob.replaceAll('[', '[[]')
}

/** `KEY=VALUE` (split at the first `=`) → a tag pattern; `KEY=*` matches any value. */
export function parseTagPattern(text: string): TagPattern {
  const at = text.indexOf('=')
  if (at === -1) throw new UserError(`--tag "${text}" must be KEY=VALUE (VALUE may use * and ?; KEY=* matches any value).`)
  const key = text.slice(0, at)
  if (key.trim() === '') throw new UserError(`--tag "${text}" has an empty key: use KEY=VALUE.`)
  return {key, value: text.slice(at + 1)}
}

/**
 * Finds resources of a snapshot by type, region, tags, ARN and name. The filters are checked before
 * the store is opened, so bad input never touches it.
 */
export function searchResources(search: ResourceSearch, openStore: () => Store): ResourceSearchResult {
  const tags = (search.tags ?? []).map((t) => parseTagPattern(t))
  const store = openStore()
  const snapshot = namedOrActiveSnapshot(store, search.snapshot, search.inventory ?? DEFAULT_INVENTORY)
  const patterns = (globs: readonly string[] | undefined) => (globs ?? []).map((g) => globToSqlite(g))
  const found = findResources(store, {
    snapshotId: snapshot.id,
    types: patterns(search.types),
    // Region ids are lower case: US-EAST-1 and EU-* find them.
    regions: patterns(search.regions?.map((r) => r.toLowerCase())),
    arns: patterns(search.arn === undefined ? [] : [search.arn]),
    names: patterns(search.name === undefined ? [] : [search.name]),
    tags: tags.map((t) => ({key: t.key, value: globToSqlite(t.value)})),
    limit: search.limit,
  })
  return {snapshot, incomplete: isIncomplete(snapshot.status), resources: found.resources, count: found.resources.length, truncated: found.truncated}
}
