import deepDiff from 'deep-diff'

import type {ResourceSpec} from '../resources/types.js'
import {type DriftCategory, categorize} from './categories.js'
import {SET_KEY, prepareForDiff} from './normalize.js'
import {type PathSegment, formatPath} from './path.js'

export type {PathSegment} from './path.js'

export type FieldChangeKind = 'added' | 'removed' | 'changed'

/** A change of one field between two versions of a resource. */
export interface FieldChange {
  /** The path as people read it: `IpPermissions[tcp:22].IpRanges[0.0.0.0/0]`, `Tags[owner]`. */
  path: string
  /** The same path, typed. */
  segments: PathSegment[]
  kind: FieldChangeKind
  category: DriftCategory
  /** The value before (absent for `added`). */
  before?: unknown
  /** The value after (absent for `removed`). */
  after?: unknown
}

/** The two versions of a resource the differ compares. */
export interface ResourceVersion {
  configuration: Record<string, unknown>
  tags: Record<string, string>
}

type Rules = Pick<ResourceSpec, 'volatile' | 'sets' | 'stateFields' | 'securityFields' | 'configurationFields' | 'unreadFields'>

/**
 * Field-level changes between two versions of one resource, without noise: the configurations are
 * normalized (`prepareForDiff`) with the spec's volatile fields, the fields either version did not read,
 * and sets, then compared with deep-diff; tags are compared from the tag maps. Sorted by path.
 */
export function diffResource(before: ResourceVersion, after: ResourceVersion, rules: Rules = {}): FieldChange[] {
  const changes: FieldChange[] = []
  // What one version did not read cannot be compared with what the other did: left out of both.
  const unread = [...(rules.unreadFields?.(before.configuration) ?? []), ...(rules.unreadFields?.(after.configuration) ?? [])]
  const compared = unread.length === 0 ? rules : {...rules, volatile: [...(rules.volatile ?? []), ...unread]}
  const lhs = prepareForDiff(before.configuration, compared)
  const rhs = prepareForDiff(after.configuration, compared)
  for (const d of deepDiff.diff(lhs, rhs) ?? []) {
    const path = (d.path ?? []) as Array<string | number>
    if (d.kind === 'A') changes.push(...fieldChanges([...path, d.index], d.item, rules))
    else changes.push(...fieldChanges(path, d, rules))
  }

  for (const key of new Set([...Object.keys(before.tags), ...Object.keys(after.tags)])) {
    const [was, is] = [before.tags[key], after.tags[key]]
    if (was === is) continue
    const segments: PathSegment[] = [{field: 'Tags'}, {key}]
    const kind: FieldChangeKind = was === undefined ? 'added' : is === undefined ? 'removed' : 'changed'
    changes.push({path: formatPath(segments), segments, kind, category: 'tags', ...values(kind, was, is)})
  }

  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function fieldChanges(path: ReadonlyArray<string | number>, d: deepDiff.Diff<unknown>, rules: Rules): FieldChange[] {
  // A whole set added or removed (it was empty, so absent, on the other side) reads best element by element.
  const whole = d.kind === 'N' ? d.rhs : d.kind === 'D' ? d.lhs : undefined
  if (isKeyedSet(whole)) {
    return Object.entries(whole).map(([key, element]) => fieldChange([...path, key], d.kind === 'N' ? {kind: 'N', rhs: element} : {kind: 'D', lhs: element}, rules))
  }

  return [fieldChange(path, d, rules)]
}

function fieldChange(path: ReadonlyArray<string | number>, d: deepDiff.Diff<unknown>, rules: Rules): FieldChange {
  const segments = path.map((p): PathSegment => (typeof p === 'number' ? {index: p} : p.startsWith(SET_KEY) ? {key: p.slice(SET_KEY.length)} : {field: p}))
  const kind: FieldChangeKind = d.kind === 'N' ? 'added' : d.kind === 'D' ? 'removed' : 'changed'
  const was = d.kind === 'D' || d.kind === 'E' ? d.lhs : undefined
  const is = d.kind === 'N' || d.kind === 'E' ? d.rhs : undefined
  return {path: formatPath(segments), segments, kind, category: categorize(segments, rules), ...values(kind, displayValue(was), displayValue(is))}
}

function isKeyedSet(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length > 0 && keys.every((k) => k.startsWith(SET_KEY))
}

function values(kind: FieldChangeKind, before: unknown, after: unknown): Pick<FieldChange, 'before' | 'after'> {
  if (kind === 'added') return {after}
  if (kind === 'removed') return {before}
  return {before, after}
}

/** A value as users know it: sets keyed for comparison shown as the lists they are. */
export function displayValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => displayValue(v))
  if (value === null || typeof value !== 'object') return value
  if (isKeyedSet(value)) return Object.values(value).map((v) => displayValue(v))
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, displayValue(v)]))
}
