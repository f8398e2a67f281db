import {expect} from 'vitest'

/**
 * What the emulator cannot collect: moto 5.2 does not implement Access Analyzer at all and answers its
 * calls with an HTML 500 page, so every AWS::AccessAnalyzer::Analyzer cell is an `error` gap with this one
 * line, and a snapshot of every type against the emulator is `partial`.
 */
export const EMULATOR_GAP = {
  type: 'AWS::AccessAnalyzer::Analyzer',
  status: 'error',
  errorCode: 'HTTP500',
  error: 'HTTP 500 answer that is not an AWS response: the endpoint may not implement this operation',
} as const

/** A coverage gap as `snapshot create --json` (`gaps`) or the v_coverage view (snake_case) gives it. */
type GapLike = {region: string; status: string; error?: string | null} & ({resourceType: string} | {resource_type: string})

/**
 * Asserts that the gaps are exactly the emulator's Access Analyzer cells, one per region, each `error` with
 * the one-line error; anything else not collected fails the assertion. Rows with status `ok` are ignored.
 */
export function expectOnlyEmulatorGaps(rows: readonly GapLike[], regions: readonly string[]): void {
  const gaps = rows
    .filter((r) => r.status !== 'ok')
    .map((r) => ({region: r.region, type: 'resourceType' in r ? r.resourceType : r.resource_type, status: r.status, error: r.error ?? null}))
    .sort((a, b) => a.region.localeCompare(b.region) || a.type.localeCompare(b.type))
  const expected = [...regions].sort().map((region) => ({region, type: EMULATOR_GAP.type, status: EMULATOR_GAP.status, error: EMULATOR_GAP.error}))
  expect(gaps).toEqual(expected)
}
