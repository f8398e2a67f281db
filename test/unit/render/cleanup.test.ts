import {beforeAll, describe, expect, it} from 'vitest'

import type {ExecutionResult} from '../../../src/cleanup/execute.js'
import type {CleanupPlan} from '../../../src/cleanup/types.js'
import {executionProgress, executionSummaryLine, planSummaryLine, renderExecution, renderPlan} from '../../../src/render/cleanup.js'
import {ACCOUNT, ADMIN, NOW, REGION, arnOf, okCells, planSandbox, rules, sandbox, state} from '../../support/cleanup.js'

let plan: CleanupPlan

beforeAll(async () => {
  const {baseline, current} = await sandbox()
  plan = planSandbox(baseline, current, {
    current: state('now', current, okCells({'AWS::SQS::Queue': 'access_denied'})),
    rules: rules({tags: [{key: 'keep', value: '*', source: '--protect-tag'}], names: [{pattern: 'sbx-alice', source: 'rules.yaml'}]}),
  })
})

describe('renderPlan', () => {
  it('shows the header, every wave with its items, why and steps, then protected, skipped, not comparable and the summary', () => {
    const text = renderPlan(plan, 'table')
    const lines = text.split('\n')
    expect(lines[0]).toBe(`Cleanup plan ${plan.id} for account ${ACCOUNT}, made ${NOW.toISOString()} as ${ADMIN.arn}`)
    expect(lines[1]).toBe(`Baseline: snapshot "base" (captured ${NOW.toISOString()}); current state: snapshot "now" (captured ${NOW.toISOString()})`)
    expect(lines[2]).toBe('Rules: no rules file: tag keep=* (--protect-tag), name sbx-alice')
    for (const wave of plan.waves) expect(text).toContain(`Wave ${wave.index + 1} of ${plan.waves.length}: ${wave.items.length} item`)
    expect(text).toMatch(/│ AWS::EC2::Instance +│ us-east-1 +│ sbx-app \(i-766e2671bc588d6ff\) +│ not in baseline base +│ Terminate i-766e2671bc588d6ff; AWS also deletes vol-e3617c7a333912afa/)
    expect(text).toMatch(/│ AWS::EC2::SecurityGroup +│ us-east-1 +│ sbx-web \(sg-3c7d7a1920099e6ab\) +│ removes its references to sg-899874093ef4225cd, breaking a dependency cycle +│ Revoke the rules/)
    expect(text).toContain('Protected (1):')
    expect(text).toMatch(/│ AWS::IAM::User +│ global +│ sbx-alice +│ name sbx-alice matches sbx-alice \(rules\.yaml\) +│/)
    expect(text).toContain('Not comparable (1): their resources are neither deleted nor compared')
    expect(text).toMatch(/│ AWS::SQS::Queue +│ us-east-1 +│ ok +│ access_denied +│ access_denied in the current state +│/)
    expect(lines.at(-1)).toBe(planSummaryLine(plan))
  })

  it('says so when there is nothing to delete, and gives the plan itself as JSON', () => {
    const empty = {...plan, waves: [], summary: {...plan.summary, deletions: 0, included: 0, preparations: 0, waves: 0}}
    expect(renderPlan(empty, 'table')).toContain('\n\nNothing to delete.\n')
    expect(JSON.parse(renderPlan(plan, 'json'))).toEqual(plan)
  })

  it('shows the selection, saying when --region leaves the selected global types out', () => {
    const selection = (types: string[] | null, regions: string[] | null) => renderPlan({...plan, selection: {types, regions}}, 'table').split('\n')[3]
    expect(selection(null, ['us-east-1'])).toBe("Selection: types all; regions us-east-1 (global types, such as IAM's, left out: add --region global)")
    expect(selection(['AWS::IAM::Role', 'AWS::SQS::Queue'], ['us-east-1'])).toBe(
      "Selection: types AWS::IAM::Role, AWS::SQS::Queue; regions us-east-1 (global types, such as IAM's, left out: add --region global)",
    )
    expect(selection(['AWS::SQS::Queue'], ['us-east-1'])).toBe('Selection: types AWS::SQS::Queue; regions us-east-1')
    expect(selection(null, ['global', 'us-east-1'])).toBe('Selection: types all; regions global, us-east-1')
    // Without --region: the regions collected, as the plan says, where the selected types can be.
    expect(plan.current.regions).toEqual(['global', 'us-east-1'])
    expect(selection(['AWS::IAM::*'], null)).toBe('Selection: types AWS::IAM::*; regions global (all collected)')
    expect(selection(['AWS::SQS::Queue'], null)).toBe('Selection: types AWS::SQS::Queue; regions us-east-1 (all collected)')
    expect(selection(null, null)).toBe('Selection: types all; regions global, us-east-1 (all collected)')
    const collectedIn = (regions: string[] | undefined) => renderPlan({...plan, selection: {types: null, regions: null}, current: {...plan.current, regions}}, 'table').split('\n')[3]
    expect(collectedIn(['eu-west-1', 'us-east-1'])).toBe('Selection: types all; regions eu-west-1, us-east-1 (all collected)')
    expect(collectedIn([])).toBe('Selection: types all; regions none collected')
    // A plan saved by an earlier build, which does not say.
    expect(collectedIn(undefined)).toBe('')
    expect(renderPlan({...plan, selection: {types: ['AWS::IAM::*'], regions: null}, current: {...plan.current, regions: undefined}}, 'table').split('\n')[3]).toBe(
      'Selection: types AWS::IAM::*; regions all collected',
    )
  })

  it('sums the plan up in one line, counted from its lists (a saved plan’s summary is only its word)', () => {
    const s = plan.summary
    const line = `${s.deletions} deletions (+${s.included} deleted along), ${s.preparations} preparations, ${s.waves} waves; ${s.protected} protected, ${s.skipped} skipped, ${s.notComparable} cell${s.notComparable === 1 ? '' : 's'} not comparable.`
    expect(planSummaryLine(plan)).toBe(line)
    expect(planSummaryLine({...plan, summary: {deletions: 1, included: 0, preparations: 0, waves: 1, protected: 0, skipped: 0, notComparable: 0, byType: {}}})).toBe(line)
    const one = {...plan, waves: [{index: 0, items: [{...plan.waves[0]!.items.find((i) => i.kind === 'delete')!, includes: []}]}], protected: [], skipped: [], notComparable: plan.notComparable.slice(0, 1)}
    expect(planSummaryLine(one)).toBe(`1 deletion, 0 preparations, 1 wave; 0 protected, 0 skipped, ${one.notComparable.length} cell${one.notComparable.length === 1 ? '' : 's'} not comparable.`)
  })
})

const result: ExecutionResult = {
  runId: 'run-20261205-120000-abcdef',
  planId: 'plan-0123456789ab',
  planHash: '0'.repeat(64),
  mode: 'cleanup',
  accountId: ACCOUNT,
  caller: ADMIN,
  startedAt: NOW.toISOString(),
  finishedAt: NOW.toISOString(),
  status: 'failed',
  exitCode: 1,
  summary: {items: 3, deleted: 1, prepared: 0, scheduled: 0, gone: 0, skipped: 1, failed: 1, interrupted: 0, notAttempted: 0},
  items: [
    {key: arnOf('AWS::SNS::Topic', 't-1'), kind: 'delete', arn: arnOf('AWS::SNS::Topic', 't-1'), type: 'AWS::SNS::Topic', id: 't-1', name: 'alerts', region: REGION, accountId: ACCOUNT, wave: 0, result: 'deleted', reason: null, includes: [], before: null, steps: [], startedAt: null, finishedAt: null},
    {key: arnOf('AWS::SQS::Queue', 'q-1'), kind: 'delete', arn: arnOf('AWS::SQS::Queue', 'q-1'), type: 'AWS::SQS::Queue', id: 'q-1', name: 'q-1', region: REGION, accountId: ACCOUNT, wave: 0, result: 'failed', reason: 'delete-queue failed: AccessDenied: no', includes: [], before: null, steps: [], startedAt: null, finishedAt: null},
    {key: `${arnOf('AWS::EC2::SecurityGroup', 'sg-1')}#prepare`, kind: 'prepare', arn: arnOf('AWS::EC2::SecurityGroup', 'sg-1'), type: 'AWS::EC2::SecurityGroup', id: 'sg-1', name: 'web', region: REGION, accountId: ACCOUNT, wave: 1, result: 'skipped', reason: 'protected now: tagged keep=1', includes: [], before: null, steps: [], startedAt: null, finishedAt: null},
  ],
  auditLog: '/home/u/.snapshots/audit-logs/cleanup/run-20261205-120000-abcdef.jsonl',
}

describe('renderExecution', () => {
  it('lists every item with its result and detail, then the summary and the audit log', () => {
    const lines = renderExecution(result).split('\n')
    expect(lines[0]).toBe(`Run ${result.runId} of plan plan-0123456789ab in account ${ACCOUNT}: failed (exit 1)`)
    expect(lines).toContainEqual(expect.stringMatching(/^│ 1 +│ AWS::SNS::Topic +│ us-east-1 +│ alerts \(t-1\) +│ deleted +│ +│$/))
    expect(lines).toContainEqual(expect.stringMatching(/^│ 1 +│ AWS::SQS::Queue +│ us-east-1 +│ q-1 +│ failed +│ delete-queue failed: AccessDenied: no +│$/))
    expect(lines).toContainEqual(expect.stringMatching(/^│ 2 +│ AWS::EC2::SecurityGroup \(prepare\) +│ us-east-1 +│ web \(sg-1\) +│ skipped +│ protected now: tagged keep=1 +│$/))
    expect(lines.at(-2)).toBe('1 deleted, 0 preparations done, 0 already gone, 0 scheduled for deletion, 1 skipped, 1 failed (of 3 items).')
    expect(lines.at(-1)).toBe(`Audit log: ${result.auditLog}`)
  })

  it('counts interrupted and unattempted items when there are any', () => {
    const stopped = {...result, summary: {...result.summary, interrupted: 1, notAttempted: 2}}
    expect(executionSummaryLine(stopped)).toBe('1 deleted, 0 preparations done, 0 already gone, 0 scheduled for deletion, 1 skipped, 1 failed, 1 interrupted, 2 not attempted (of 3 items).')
  })

  it('counts preparations apart from deletions, and says nothing of them for a plan without any', () => {
    const prepared = {...result.items[2]!, result: 'prepared' as const, reason: null}
    const run = {...result, items: [result.items[0]!, prepared], summary: {...result.summary, items: 2, deleted: 1, prepared: 1, skipped: 0, failed: 0}}
    expect(executionSummaryLine(run)).toBe('1 deleted, 1 preparation done, 0 already gone, 0 scheduled for deletion, 0 skipped, 0 failed (of 2 items).')
    expect(renderExecution(run).split('\n')).toContainEqual(expect.stringMatching(/^│ 2 +│ AWS::EC2::SecurityGroup \(prepare\) +│ us-east-1 +│ web \(sg-1\) +│ prepared +│ +│$/))
    const deletesOnly = {...result, items: [result.items[0]!], summary: {...result.summary, items: 1, skipped: 0, failed: 0}}
    expect(executionSummaryLine(deletesOnly)).toBe('1 deleted, 0 already gone, 0 scheduled for deletion, 0 skipped, 0 failed (of 1 item).')
  })

  it('reports progress one wave and one settled item at a time', () => {
    const lines: string[] = []
    const onProgress = executionProgress((line) => lines.push(line))
    onProgress({kind: 'start', items: 3, waves: 2})
    onProgress({kind: 'wave', index: 0, items: 2})
    onProgress({kind: 'item-done', result: result.items[1]!})
    expect(lines).toEqual(['Wave 1 of 2: 2 items', '  failed        AWS::SQS::Queue q-1: delete-queue failed: AccessDenied: no'])
  })

  it('prints a tagged name on its progress line and in the table with control characters neutralised', () => {
    const evil = {...result.items[0]!, name: 'a\u001B[31mb\nc'}
    const lines: string[] = []
    executionProgress((line) => lines.push(line))({kind: 'item-done', result: {...evil, reason: 'x\u001B[2Jy'}})
    expect(lines).toEqual(['  deleted       AWS::SNS::Topic a\uFFFD[31mb c (t-1): x\uFFFD[2Jy'])
    expect(renderExecution({...result, items: [evil]})).toMatch(/│ a\uFFFD\[31mb c \(t-1\) +│ deleted/)
  })
})
