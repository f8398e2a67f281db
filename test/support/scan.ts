import {specOf} from '../../src/resources/registry.js'
import type {Resource} from '../../src/resources/types.js'
import type {Finding, ScanCell, ScanSnapshot} from '../../src/security/types.js'
import {testContext} from './context.js'

export const SCAN_ACCOUNT = '123456789012'
export const SCAN_CAPTURED_AT = new Date('2026-06-01T12:00:00Z')

/**
 * A canonical resource built the way the collector builds it: the registered spec's own `toResource`
 * on an SDK-shaped item (so check fixtures have the collectors' real shape, never an invented one).
 */
export async function collected(type: string, item: unknown, region = 'us-east-1'): Promise<Resource> {
  const spec = specOf(type)
  if (spec === undefined) throw new Error(`no spec for ${type}`)
  const ctx = testContext({region: spec.scope === 'global' ? 'us-east-1' : region})
  const resource = await spec.toResource(item, ctx)
  return {...resource, relationships: spec.relationships?.(resource) ?? []}
}

export interface ScanFixture {
  resources?: readonly Resource[]
  /**
   * Coverage cells by type. A type not listed gets an `ok` cell for every (account, region) its
   * resources are in; list a type with `[]` to leave it out of the snapshot entirely.
   */
  cells?: Readonly<Record<string, ReadonlyArray<Partial<ScanCell> & Pick<ScanCell, 'region'>>>>
  capturedAt?: Date
  regions?: readonly string[]
  tagFilters?: ScanSnapshot['tagFilters']
}

/** A ScanSnapshot over in-memory resources, for unit tests of checks. */
export function scanSnapshot(fixture: ScanFixture = {}): ScanSnapshot {
  const resources = fixture.resources ?? []
  const cells = new Map<string, ScanCell[]>()
  for (const r of resources) {
    const list = cells.get(r.type) ?? []
    if (!list.some((c) => c.accountId === r.accountId && c.region === r.region)) list.push({accountId: r.accountId, region: r.region, status: 'ok', error: null})
    cells.set(r.type, list)
  }

  for (const [type, listed] of Object.entries(fixture.cells ?? {})) {
    cells.set(
      type,
      listed.map((c) => ({accountId: SCAN_ACCOUNT, status: 'ok', error: null, ...c})),
    )
  }

  return {
    name: 'scan-test',
    capturedAt: fixture.capturedAt ?? SCAN_CAPTURED_AT,
    accountId: SCAN_ACCOUNT,
    accounts: [SCAN_ACCOUNT],
    regions: fixture.regions ?? ['us-east-1'],
    tagFilters: fixture.tagFilters ?? {includeTags: {}, excludeTags: {}},
    resources: (type) => resources.filter((r) => r.type === type),
    cells: (type) => cells.get(type) ?? [],
  }
}

/** `status resource` lines of findings, sorted: compact to assert on. */
export function verdicts(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.status} ${f.resource}`).sort()
}
