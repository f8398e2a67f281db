import type {Expression} from '@aws-sdk/client-cost-explorer'

import {displayText} from '../render/format.js'
import type {TagFilter} from '../store/inventories.js'

/**
 * The Cost Explorer filter that selects the costs of resources an inventory's tag filters select: every
 * include tag must match (`And` of `Tags`), and any exclude tag leaves the cost out (a `Not` per tag);
 * with `accounts`, only those member accounts' costs. Undefined without filters: the whole account. Keys are sorted so the same filters always make the same
 * request, and therefore hit the same cache entry.
 *
 * Cost Explorer only knows tags activated as cost allocation tags, and only from their activation on.
 */
export function tagFilterExpression(include: TagFilter, exclude: TagFilter, accounts: readonly string[] = []): Expression | undefined {
  const tags = (key: string, value: string): Expression => ({Tags: {Key: key, Values: [value], MatchOptions: ['EQUALS']}})
  const sorted = (filter: TagFilter) => Object.entries(filter).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return allOf([
    ...(accounts.length > 0 ? [linkedAccountsExpression(accounts)!] : []),
    ...sorted(include).map(([key, value]) => tags(key, value)),
    ...sorted(exclude).map(([key, value]) => ({Not: tags(key, value)})),
  ])
}

/**
 * The costs of these member accounts only (`LINKED_ACCOUNT`), sorted; undefined for none. Used when a
 * snapshot is of other accounts than the credentials': an organization's management account sees the
 * costs of every member, and the snapshot's are the ones asked about.
 */
export function linkedAccountsExpression(accounts: readonly string[]): Expression | undefined {
  if (accounts.length === 0) return undefined
  return {Dimensions: {Key: 'LINKED_ACCOUNT', Values: [...accounts].sort(), MatchOptions: ['EQUALS']}}
}

function allOf(operands: Expression[]): Expression | undefined {
  if (operands.length === 0) return undefined
  // Cost Explorer rejects an And of a single operand.
  return operands.length === 1 ? operands[0] : {And: operands}
}

/** Whether there are tag filters: only then is a scope's cost attributed, and the rest of the account's shown as unattributed. */
export function hasTagFilters(include: TagFilter, exclude: TagFilter): boolean {
  return Object.keys(include).length + Object.keys(exclude).length > 0
}

/** `owner=team-a, not env=scratch`: the filters for people, on one line, control characters neutralised. */
export function describeTagFilters(include: TagFilter, exclude: TagFilter): string {
  return displayText([...Object.entries(include).map(([k, v]) => `${k}=${v}`), ...Object.entries(exclude).map(([k, v]) => `not ${k}=${v}`)].join(', '))
}
