import {UserError} from '../errors.js'
import {displayText} from '../render/format.js'
import type {TagFilter} from '../store/inventories.js'

/** Parses `K=V,K2=V2` into a tag map; rejects empty keys, missing `=` and empty input. */
export function parseTagFilter(value: string, flag: string): TagFilter {
  const filter: TagFilter = {}
  const parts = value.split(',').map((p) => p.trim())
  if (parts.every((p) => p === '')) throw new UserError(`${flag} needs KEY=VALUE pairs separated by commas.`)
  for (const part of parts) {
    const eq = part.indexOf('=')
    if (eq <= 0) throw new UserError(`Malformed ${flag} entry "${part}": expected KEY=VALUE with a non-empty KEY.`)
    const key = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    // A resource has one value per tag key: a second value would silently replace the first.
    if (Object.hasOwn(filter, key) && filter[key] !== value) throw new UserError(`${flag} names tag key "${key}" twice (${key}=${filter[key]}, ${key}=${value}): a tag filter takes one value per key.`)
    checkTagLength(flag, 'key', key, MAX_TAG_KEY)
    checkTagLength(flag, 'value', value, MAX_TAG_VALUE)
    filter[key] = value
  }

  return filter
}

/** Longest tag key and value AWS accepts, in Unicode characters. */
const MAX_TAG_KEY = 128
const MAX_TAG_VALUE = 256

/** Refuses a tag key or value longer than any AWS tag's: the filter could match no resource. */
function checkTagLength(flag: string, what: 'key' | 'value', text: string, max: number): void {
  const length = [...text].length
  if (length <= max) return
  const shown = length > 40 ? `${[...text].slice(0, 40).join('')}…` : text
  throw new UserError(`${flag}: tag ${what} "${shown}" is ${length} characters long; AWS tag ${what}s have ${max} at most, so it could match no resource.`)
}

/** True when every include tag matches and no exclude tag does. */
export function matchesTagFilters(tags: Record<string, string>, include: TagFilter, exclude: TagFilter): boolean {
  for (const [key, value] of Object.entries(include)) if (tags[key] !== value) return false
  for (const [key, value] of Object.entries(exclude)) if (tags[key] === value) return false
  return true
}

/**
 * Refuses filters no resource can pass: an include tag that an exclude tag names with the same value.
 * `where` says where the filters come from, for the message (`--include-tags and --exclude-tags`).
 */
export function checkTagFilters(include: TagFilter, exclude: TagFilter, where: string): void {
  const both = Object.entries(include).filter(([key, value]) => Object.hasOwn(exclude, key) && exclude[key] === value)
  if (both.length === 0) return
  const named = both.map(([key, value]) => `${key}=${value}`).join(', ')
  throw new UserError(`${where} both name ${named}: no resource could be selected. Drop it from one of them.`)
}

type TagFilters = {includeTags: Readonly<TagFilter>; excludeTags: Readonly<TagFilter>}

/** Whether two snapshots' tag filters select the same resources (the same tags, in any order). */
export function sameTagFilters(a: TagFilters, b: TagFilters): boolean {
  const same = (x: Readonly<TagFilter>, y: Readonly<TagFilter>) => Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v)
  return same(a.includeTags, b.includeTags) && same(a.excludeTags, b.excludeTags)
}

/** `include env=dev, team=a; exclude keep=true`, or undefined without filters. */
export function describeTagFilters(filters: TagFilters): string | undefined {
  const list = (tags: Readonly<TagFilter>) => Object.entries(tags).map(([key, value]) => `${key}=${value}`).join(', ')
  const parts = [
    ...(Object.keys(filters.includeTags).length > 0 ? [`include ${list(filters.includeTags)}`] : []),
    ...(Object.keys(filters.excludeTags).length > 0 ? [`exclude ${list(filters.excludeTags)}`] : []),
  ]
  // Tags are anyone's text: printed on one line, with control characters neutralised.
  return parts.length === 0 ? undefined : displayText(parts.join('; '))
}

/**
 * A note naming the tags `--include-tags`/`--exclude-tags` give another value than an inventory's own
 * filters do: the flags win on the same key, so the snapshot selects other resources than the inventory's.
 */
export function overriddenTagsNote(inventory: {name: string} & TagFilters, given: TagFilters): string | undefined {
  const replaced = (own: Readonly<TagFilter>, flag: Readonly<TagFilter>, name: string) =>
    Object.entries(flag)
      .filter(([key, value]) => Object.hasOwn(own, key) && own[key] !== value)
      .map(([key, value]) => `${name} ${key}=${value} replaces its ${key}=${own[key]}`)
  const changes = [...replaced(inventory.includeTags, given.includeTags, '--include-tags'), ...replaced(inventory.excludeTags, given.excludeTags, '--exclude-tags')]
  if (changes.length === 0) return undefined
  return `Note: inventory "${inventory.name}" filters by tag; for this snapshot ${changes.join(', ')}.`
}

/**
 * A note for a state collected like a snapshot taken with tag filters. `delta` collects with them, so what
 * they leave out is never compared; `cleanup` collects without them and only plans what they select, so
 * that what they leave out still keeps what it uses.
 */
export function tagFiltersNote(snapshot: {name: string; filters: TagFilters} | undefined, use: 'compare' | 'cleanup' = 'compare'): string | undefined {
  const filters = snapshot === undefined ? undefined : describeTagFilters(snapshot.filters)
  if (snapshot === undefined || filters === undefined) return undefined
  if (use === 'cleanup') {
    return `Note: snapshot "${snapshot.name}" was taken with tag filters (${filters}); only the resources they select are candidates, but the current state is collected without them, so what they leave out stays and keeps what it uses.`
  }

  return `Note: snapshot "${snapshot.name}" was taken with tag filters (${filters}); the current state is collected with them, so only the resources they select are considered.`
}
