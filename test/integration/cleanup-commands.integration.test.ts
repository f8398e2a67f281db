import {IAM} from '@aws-sdk/client-iam'
import {KMS} from '@aws-sdk/client-kms'
import {SNS} from '@aws-sdk/client-sns'
import {SQS} from '@aws-sdk/client-sqs'
import {STS} from '@aws-sdk/client-sts'
import Database from 'better-sqlite3'
import {existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {hashPlan} from '../../src/cleanup/plan.js'
import type {CleanupResult} from '../../src/cleanup/run-plan.js'
import type {CleanupPlan} from '../../src/cleanup/types.js'
import {insertCleanupRun} from '../../src/store/cleanup-audit.js'
import {openStore} from '../../src/store/database.js'
import {type CliResult, expectRefused, runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {EMULATOR_GAP} from '../support/emulator-gaps.js'
import {seedCredentials} from '../support/seed.js'
import {cleanupExampleQueries} from './database-examples.js'

/**
 * The cleanup commands end to end against the emulator, with the types that have deleters: SNS topics
 * and SQS queues. A baseline snapshot of every type, then new topics and queues (some tagged to be
 * protected); each deletion is checked by asking the emulator itself, never awsinv.
 */
const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
const OTHER_ACCOUNT = '210987654321'

describe('awsinv cleanup', () => {
  let emulator: Emulator
  let storage: string
  let work: string
  let sns: SNS
  let sqs: SQS
  const base = () => ['--storage-path', storage, '--endpoint-url', emulator.url, '--max-attempts', '2']
  const cli = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli([...args, ...base()], options)
  const cliJson = <T>(args: string[], options: Parameters<typeof runCli>[1] = {}) => runCliJson<T>([...args, ...base()], options)

  /** What exists now, as the emulator says: topic and queue names, sorted. */
  async function existing(): Promise<string[]> {
    const topics = (await sns.listTopics({})).Topics!.map((t) => `topic ${t.TopicArn!.split(':').at(-1)}`)
    const queues = ((await sqs.listQueues({})).QueueUrls ?? []).map((u) => `queue ${u.split('/').at(-1)}`)
    return [...topics, ...queues].sort()
  }

  const createTopic = async (Name: string, tags: Record<string, string> = {}) =>
    (await sns.createTopic({Name, Tags: Object.entries(tags).map(([Key, Value]) => ({Key, Value}))})).TopicArn!
  const createQueue = async (QueueName: string, tags: Record<string, string> = {}) => (await sqs.createQueue({QueueName, tags})).QueueUrl!
  const planned = (plan: CleanupPlan) => plan.waves.flatMap((w) => w.items.map((i) => `${i.type} ${i.name}`)).sort()
  const protectedNames = (plan: CleanupPlan) => plan.protected.filter((p) => p.type.startsWith('AWS::S')).map((p) => `${p.type} ${p.name}: ${p.reasons.map((r) => r.rule ?? r.kind).join(', ')}`).sort()
  const refuse = (result: CliResult, message: RegExp, label: string) => expectRefused(result, message, label)

  beforeAll(async () => {
    emulator = await startEmulator()
    const config = {endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2}
    sns = new SNS(config)
    sqs = new SQS(config)
    storage = mkdtempSync(join(tmpdir(), 'awsinv-cleanup-'))
    work = mkdtempSync(join(tmpdir(), 'awsinv-cleanup-work-'))
    await createTopic('base-topic', {team: 'platform'})
    await createQueue('base-queue')
    await cliJson(['snapshot', 'create', 'base', '--regions', REGION])

    // Created since the baseline: two topics (one with a subscription) and a queue to delete, and one of each to keep.
    const inbox = await createQueue('new-inbox')
    const alerts = await createTopic('new-alerts', {env: 'dev'})
    const inboxArn = (await sqs.getQueueAttributes({QueueUrl: inbox, AttributeNames: ['QueueArn']})).Attributes!.QueueArn!
    await sns.subscribe({TopicArn: alerts, Protocol: 'sqs', Endpoint: inboxArn})
    await createTopic('new-builds')
    await createTopic('keep-topic', {keep: 'yes'})
    await createQueue('keep-queue', {keep: 'true'})
  })

  afterAll(async () => {
    sns?.destroy()
    sqs?.destroy()
    await emulator?.stop()
  })

  const everything = ['queue base-queue', 'queue keep-queue', 'queue new-inbox', 'topic base-topic', 'topic keep-topic', 'topic new-alerts', 'topic new-builds']

  it('refuses to delete without --confirm, without a terminal or --yes, and under rules that forbid it, deleting nothing', async () => {
    refuse(await cli(['cleanup', 'execute', 'base']), /^Error: Nothing was deleted: "cleanup execute" deletes only with --confirm\. Review the plan with "awsinv cleanup preview SNAPSHOT", then add --confirm\.$/, 'no --confirm')
    const noTty = await cli(['cleanup', 'execute', 'base', '--confirm'])
    refuse(noTty, /^Error: Nothing was deleted: stdin is not a terminal, so awsinv cannot ask for confirmation\. Review the plan, then run again with --yes\.$/, 'no terminal')
    expect(noTty.code).toBe(2)
    refuse(await cli(['cleanup', 'purge']), /choose --preview \(show the plan\) or --confirm \(delete it\), exactly one/, 'purge without a mode')
    refuse(await cli(['cleanup', 'execute', '--confirm', '--yes']), /Name the baseline SNAPSHOT or a saved --plan FILE/, 'nothing to execute')

    const rules = (name: string, text: string) => {
      const file = join(work, name)
      writeFileSync(file, text)
      return file
    }

    const limit = rules('limit.yaml', 'max_deletions: 2\n')
    refuse(await cli(['cleanup', 'execute', 'base', '--confirm', '--yes', '--rules', limit]), /The plan would delete 5 resources, more than max_deletions 2 \(.*limit\.yaml\)/, 'max_deletions')
    const deny = rules('deny.yaml', `accounts:\n  deny: ["${ACCOUNT}"]\n`)
    refuse(await cli(['cleanup', 'execute', 'base', '--confirm', '--yes', '--rules', deny]), new RegExp(`Account ${ACCOUNT} is in accounts\\.deny of .*deny\\.yaml: awsinv will not delete anything in it\\.`), 'accounts.deny')
    refuse(await cli(['cleanup', 'purge', '--confirm', '--yes', '--rules', deny]), /is in accounts\.deny/, 'purge, accounts.deny')
    // Numbers as written: an unquoted id is this account's when it is its 12 digits, and an 11-digit typo
    // or another notation is refused, never read as some account's id.
    refuse(await cli(['cleanup', 'purge', '--preview', '--rules', rules('deny-plain.yaml', `accounts:\n  deny: [${ACCOUNT}]\n`)]), /is in accounts\.deny/, 'unquoted deny')
    for (const [name, text, message] of [
      ['deny-typo.yaml', 'accounts:\n  deny: [12345678901]\n', /^Error: .*deny-typo\.yaml: accounts\.deny entry 1 must be a 12-digit account id, got 12345678901\.$/],
      ['allow-exp.yaml', 'accounts:\n  allow: [1.23456789012e11]\n', /^Error: .*allow-exp\.yaml: accounts\.allow entry 1 must be a 12-digit account id, got 1\.23456789012e11\.$/],
      ['limit-hex.yaml', 'max_deletions: 0x10\n', /^Error: .*limit-hex\.yaml: max_deletions must be a whole number of 0 or more, got 0x10: write it in decimal digits, as 16\.$/],
    ] as const) {
      refuse(await cli(['cleanup', 'execute', 'base', '--confirm', '--yes', '--rules', rules(name, text)]), message, name)
    }

    const typo = rules('typo.yaml', 'protection:\n  tag:\n    - keep=*\n')
    refuse(await cli(['cleanup', 'preview', 'base', '--rules', typo]), /typo\.yaml: unknown key "protection\.tag" \(expected protection\.tags, protection\.types/, 'unknown rules key')
    refuse(await cli(['cleanup', 'preview', 'base', '--protect-tag', '=x']), /Malformed --protect-tag "=x"/, 'bad --protect-tag')
    refuse(await cli(['cleanup', 'preview', 'missing']), /Unknown snapshot "missing"/, 'unknown baseline')

    // Another run deleting in the account now, from this host (this test's live process owns it).
    const other = (await cliJson<CleanupResult>(['cleanup', 'preview', 'base', '--no-save'])).plan
    const store = openStore(storage)
    try {
      insertCleanupRun(store, {runId: 'run-elsewhere', plan: other, caller: {accountId: ACCOUNT, arn: 'arn:aws:iam::123456789012:user/other'}, startedAt: new Date().toISOString(), logFile: null, toolVersion: '0.0.0'})
    } finally {
      store.close()
    }

    const auditFiles = () => (existsSync(join(storage, 'audit-logs', 'cleanup')) ? readdirSync(join(storage, 'audit-logs', 'cleanup')) : [])
    const filesBefore = auditFiles()
    const db = new Database(join(storage, 'inventory.db'))
    try {
      // The plan made now is printed first; the run is refused as it starts.
      const refused = await cli(['cleanup', 'execute', 'base', '--confirm', '--yes', '--no-save'])
      expect(refused.code, refused.stderr).toBe(1)
      expect(refused.stderr).toBe(`Error: Another cleanup run is deleting in account ${ACCOUNT} now (run-elsewhere of plan ${other.id}, process ${process.pid}): wait for it to end, then run again. Nothing was deleted.\n`)
      expect(auditFiles()).toEqual(filesBefore)
      expect(db.prepare(`select id from cleanup_runs where status = 'running'`).all()).toEqual([{id: 'run-elsewhere'}])
    } finally {
      db.prepare(`delete from cleanup_runs where id = 'run-elsewhere'`).run()
      db.close()
    }

    expect(await existing()).toEqual(everything)
  })

  it('refuses bad selections, options and files in one line, storing and deleting nothing', async () => {
    const snapshots = async () => (await cliJson<Array<{name: string}>>(['snapshot', 'list'])).map((s) => s.name).sort()
    const before = await snapshots()
    refuse(await cli(['cleanup', 'preview', 'base', '--type', 'AWS::Nope::*']), /^Error: --type "AWS::Nope::\*" matches no resource type\. Use services, type ids or globs/, 'unknown --type glob')
    refuse(await cli(['cleanup', 'purge', '--preview', '--type', 'AWS::SNS::Topics']), /^Error: --type "AWS::SNS::Topics" matches no resource type\. Did you mean "AWS::SNS::Topic"\? Use services, type ids or globs/, 'purge, unknown --type')
    refuse(await cli(['cleanup', 'preview', 'base', '--region', 'useast1']), /^Error: --region "useast1" is not a region \(e\.g\. us-east-1\), nor "global" for the global types\.$/, 'malformed --region')
    refuse(await cli(['cleanup', 'preview', 'base', '--type', 'iam', '--region', 'us-east-1']), /^Error: --type iam selects only global types, which --region us-east-1 leaves out: add --region global\.$/, 'global types, no global region')
    refuse(await cli(['cleanup', 'purge', '--preview', '--type', 'sqs', '--region', 'global']), /^Error: --type sqs selects only regional types, which --region global leaves out/, 'regional types, only global')
    refuse(await cli(['cleanup', 'preview', 'base', '--region', 'eu-west-1']), /^Error: --region eu-west-1: the state is collected in us-east-1, none of which is selected\.$/, '--region outside the baseline')
    refuse(await cli(['cleanup', 'preview', 'base', '--protect-tag', 'keep']), /^Error: Malformed --protect-tag "keep": expected KEY=VALUE/, '--protect-tag without =')
    refuse(await cli(['cleanup', 'preview', 'base', '--rules', join(work, 'absent.yaml')]), /^Error: Rules file ".*absent\.yaml" not found\.$/, 'missing rules file')
    refuse(await cli(['cleanup', 'preview', 'base', '--concurrency', '0']), /^Error: --concurrency: Expected an integer greater than or equal to 1 but received: 0/, '--concurrency 0')
    refuse(await cli(['cleanup', 'execute', 'base', '--confirm', '--yes', '--concurrency', '0']), /^Error: --concurrency: Expected an integer greater than or equal to 1/, 'execute, --concurrency 0')
    refuse(await cli(['cleanup', 'purge', '--preview', '--from-snapshot', 'missing']), /^Error: Unknown snapshot "missing"/, 'unknown --from-snapshot')
    refuse(await cli(['cleanup', 'purge', '--confirm', '--yes', '--from-snapshot', 'missing']), /^Error: Unknown snapshot "missing"/, 'purge --confirm, unknown --from-snapshot')
    refuse(await cli(['cleanup', 'execute', 'missing', '--confirm', '--yes']), /^Error: Unknown snapshot "missing"/, 'execute, unknown baseline')
    refuse(await cli(['cleanup', 'preview', 'base', '--out', join(work, 'missing', 'plan.json')]), /^Error: Cannot write .*missing\/plan\.json: its directory does not exist\.$/, '--out in a missing directory')
    refuse(await cli(['cleanup', 'purge', '--preview', '--out', work]), /^Error: Cannot write .*: it is a directory\.$/, 'purge --out a directory')
    refuse(await cli(['cleanup', 'preview', 'base', '--save-as', 'base']), /^Error: A snapshot named "base" already exists/, '--save-as taken')

    // No region configured anywhere: a purge names its regions or refuses, never purging us-east-1 unasked.
    const noRegion = {env: {AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(work, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials')}}
    const unchosen = /^Error: Nothing was planned: no region is configured \(AWSINV_REGION, the profile's region or AWS_REGION\), and a purge does not pick one for you\. Name the regions to purge with --region \(e\.g\. --region us-east-1 --region global\), or set AWS_REGION or AWSINV_REGION\.$/
    for (const args of [['--preview', '-t', 'sqs', '--no-save'], ['--preview'], ['--confirm', '--yes', '-t', 'sqs']]) {
      const result = await cli(['cleanup', 'purge', ...args], noRegion)
      refuse(result, unchosen, `purge ${args.join(' ')} without a region`)
      expect(result.code, args.join(' ')).toBe(2)
    }

    expect(await snapshots()).toEqual(before)
    expect(await existing()).toEqual(everything)
  })

  it('names the regions a purge collected in its header, taken from --region or AWSINV_REGION when nothing else names one', async () => {
    // The home region from AWS_REGION: the header names it, and the plan records what was collected.
    const preview = await cli(['cleanup', 'purge', '--preview', '-t', 'sqs', '--no-save'])
    expect(preview.code, preview.stderr).toBe(0)
    expect(preview.stdout.split('\n')[3]).toBe(`Selection: types AWS::SQS::Queue; regions ${REGION} (all collected)`)
    const {plan} = await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--no-save'])
    expect(plan.current.regions).toEqual(['global', REGION])
    // No region configured, but --region given: that one.
    const named = await cli(['cleanup', 'purge', '--preview', '-t', 'sqs', '--region', REGION, '--no-save'], {
      env: {AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(work, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials')},
    })
    expect(named.code, named.stderr).toBe(0)
    expect(named.stdout.split('\n')[3]).toBe(`Selection: types AWS::SQS::Queue; regions ${REGION}`)
    expect(planned((JSON.parse((await cli(['cleanup', 'purge', '--preview', '-t', 'sqs', '--no-save', '--json'], {env: {AWS_REGION: undefined, AWSINV_REGION: REGION}})).stdout) as CleanupResult).plan)).toEqual(
      ['AWS::SQS::Queue base-queue', 'AWS::SQS::Queue keep-queue', 'AWS::SQS::Queue new-inbox'],
    )
    expect(await existing()).toEqual(everything)
  })

  it('previews exactly what was created since the baseline and is not protected, with the rule that protects the rest', async () => {
    const text = await cli(['cleanup', 'preview', 'base', '--protect-tag', 'keep=*', '--no-save'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^Cleanup plan plan-[0-9a-f]{12} for account 123456789012, made .* as arn:aws:sts::123456789012:user\/moto$/m)
    expect(text.stdout).toContain('Wave 1 of 1: 3 items')
    expect(text.stdout).toMatch(/│ AWS::SNS::Topic +│ us-east-1 +│ new-alerts \(arn:aws:sns:us-east-1:123456789012:new-alerts\) +│ not in baseline base +│ Delete SNS topic new-alerts and its subscriptions +│/)
    expect(text.stdout).toMatch(/│ AWS::SNS::Topic +│ us-east-1 +│ keep-topic \([^)]+\) +│ tagged keep=yes, matching keep=\* \(--protect-tag\) +│/)
    expect(text.stdout).toMatch(/│ AWS::AccessAnalyzer::Analyzer +│ us-east-1 +│ error +│ error +│/)
    expect(text.stdout).toMatch(/^3 deletions, 0 preparations, 1 wave; \d+ protected, 0 skipped, 1 cell not comparable\.$/m)

    const {plan, saved, planFile, execution} = await cliJson<CleanupResult>(['cleanup', 'preview', 'base', '--protect-tag', 'keep=*', '--save-as', 'now-1'])
    expect({saved, planFile, execution}).toEqual({saved: 'now-1', planFile: null, execution: null})
    expect(plan.current.name).toBe('now-1')
    expect(plan.baseline?.name).toBe('base')
    expect(planned(plan)).toEqual(['AWS::SNS::Topic new-alerts', 'AWS::SNS::Topic new-builds', 'AWS::SQS::Queue new-inbox'])
    expect(plan.waves[0]!.items.every((i) => i.why.kind === 'created' && i.why.explanation === 'not in baseline base')).toBe(true)
    expect(protectedNames(plan)).toEqual(['AWS::SNS::Topic keep-topic: keep=*', 'AWS::SQS::Queue keep-queue: keep=*'])
    // Every other new resource of the current state is the emulator's own, protected or in the baseline: nothing else is planned.
    expect(plan.notComparable).toEqual([expect.objectContaining({resourceType: EMULATOR_GAP.type, region: REGION, baseline: 'error', current: 'error'})])
    expect(await existing()).toEqual(everything)
  })

  describe('a saved plan', () => {
    let planPath: string
    let plan: CleanupPlan
    const variant = (name: string, change: (p: CleanupPlan) => void, rehash: boolean) => {
      const copy = structuredClone(plan)
      change(copy)
      if (rehash) {
        copy.hash = hashPlan(copy)
        copy.id = `plan-${copy.hash.slice(0, 12)}`
      }

      const file = join(work, name)
      writeFileSync(file, JSON.stringify(copy))
      return file
    }

    beforeAll(async () => {
      planPath = join(work, 'plan.json')
      const result = await cliJson<CleanupResult>(['cleanup', 'preview', 'base', '--protect-tag', 'keep=*', '--out', planPath])
      plan = JSON.parse(readFileSync(planPath, 'utf8')) as CleanupPlan
      expect(result.planFile).toBe(planPath)
      expect(plan).toEqual(result.plan)
    })

    it('is refused when edited, stale, malformed or for another account, deleting nothing', async () => {
      const tampered = variant('tampered.json', (p) => (p.waves[0]!.items[0]!.steps[0]!.params = {topicArn: 'arn:aws:sns:us-east-1:123456789012:base-topic'}), false)
      refuse(await cli(['cleanup', 'execute', '--plan', tampered, '--confirm', '--yes']), /tampered\.json was modified after it was made \(its content does not match its hash [0-9a-f]{12}…\)/, 'tampered')

      const stale = variant('stale.json', (p) => (p.createdAt = new Date(Date.now() - 2 * 3_600_000).toISOString()), true)
      refuse(await cli(['cleanup', 'execute', '--plan', stale, '--confirm', '--yes']), /was made 2h ago .*, more than --max-plan-age 1h: .*or raise --max-plan-age\./, 'stale')
      // Ten seconds old whenever this runs, however fast the commands before it were.
      const recent = variant('recent.json', (p) => (p.createdAt = new Date(Date.now() - 10_000).toISOString()), true)
      refuse(await cli(['cleanup', 'execute', '--plan', recent, '--confirm', '--yes', '--max-plan-age', '1s']), /was made 1\ds ago .*, more than --max-plan-age 1s/, 'tiny --max-plan-age')
      refuse(await cli(['cleanup', 'execute', '--plan', planPath, '--confirm', '--yes', '--max-plan-age', 'soon']), /--max-plan-age "soon" is not a duration/, 'bad --max-plan-age')

      const notJson = join(work, 'not-json.json')
      writeFileSync(notJson, 'plan: yes\n')
      refuse(await cli(['cleanup', 'execute', '--plan', notJson, '--confirm', '--yes']), /not-json\.json is not JSON/, 'not JSON')
      refuse(await cli(['cleanup', 'execute', '--plan', join(work, 'none.json'), '--confirm', '--yes']), /Cannot read plan file .*none\.json: no such file\./, 'missing file')
      const wrongFormat = variant('format.json', (p) => ((p as {format: string}).format = 'awsinv-cleanup-plan/9'), true)
      refuse(await cli(['cleanup', 'execute', '--plan', wrongFormat, '--confirm', '--yes']), /is not an awsinv cleanup plan \(format "awsinv-cleanup-plan\/9"/, 'format')
      refuse(await cli(['cleanup', 'execute', '--plan', planPath, '--confirm', '--yes', '--type', 'AWS::SNS::Topic']), /^Error: --plan and --type cannot be used together\. See more help with --help\.$/, '--type with --plan')

      const sts = new STS({endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2})
      const {Credentials: c} = await sts.assumeRole({RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/ops`, RoleSessionName: 'cleanup'})
      sts.destroy()
      const elsewhere = {AWS_ACCESS_KEY_ID: c!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: c!.SecretAccessKey!, AWS_SESSION_TOKEN: c!.SessionToken!}
      refuse(
        await cli(['cleanup', 'execute', '--plan', planPath, '--confirm', '--yes'], {env: elsewhere}),
        new RegExp(`Plan ${plan.id} is for account ${ACCOUNT}, but the credentials in use are for account ${OTHER_ACCOUNT}: nothing was deleted\\.`),
        'other account',
      )

      expect(await existing()).toEqual(everything)
    })

    it('deletes exactly its items, skipping one protected since the preview, and records every item in the audit log', async () => {
      // Tagged after the review: the re-check right before deleting must keep it.
      await sns.tagResource({ResourceArn: `arn:aws:sns:${REGION}:${ACCOUNT}:new-builds`, Tags: [{Key: 'keep', Value: 'release'}]})
      const result = await runCli(['cleanup', 'execute', '--plan', planPath, '--confirm', '--yes', '--json', ...base()])
      // The skipped topic still exists: the run is incomplete (exit 3), though nothing failed.
      expect(result.code, result.stderr).toBe(3)
      const {execution, planFile} = JSON.parse(result.stdout) as CleanupResult
      expect(planFile).toBe(planPath)
      expect(execution).toMatchObject({planId: plan.id, planHash: plan.hash, status: 'incomplete', exitCode: 3, summary: {items: 3, deleted: 2, skipped: 1, failed: 0}})
      const builds = execution!.items.find((i) => i.name === 'new-builds')!
      expect(builds).toMatchObject({
        result: 'skipped',
        reason: 'protected now: tagged keep=release, matching keep=* (--protect-tag)',
        before: {tags: {keep: 'release'}},
        steps: [],
      })
      expect(await existing()).toEqual(['queue base-queue', 'queue keep-queue', 'topic base-topic', 'topic keep-topic', 'topic new-builds'])
      // The topic's subscription went with it.
      expect((await sns.listSubscriptions({})).Subscriptions).toEqual([])

      const db = new Database(join(storage, 'inventory.db'), {readonly: true})
      try {
        const run = db.prepare('select * from cleanup_runs where id = ?').get(execution!.runId) as Record<string, unknown>
        expect(run).toMatchObject({plan_id: plan.id, plan_hash: plan.hash, mode: 'cleanup', account_id: ACCOUNT, baseline_snapshot: 'base', status: 'incomplete', items: 3, deleted: 2, skipped: 1, log_file: execution!.auditLog})
        const items = db.prepare('select item_key, result, reason, before_state, steps from cleanup_items where run_id = ? order by item_key').all(execution!.runId) as Array<{item_key: string; result: string; reason: string | null; before_state: string; steps: string}>
        expect(items.map((i) => [i.item_key.split(':').at(-1), i.result])).toEqual([
          ['new-alerts', 'deleted'],
          ['new-builds', 'skipped'],
          ['new-inbox', 'deleted'],
        ])
        const alerts = items[0]!
        expect(JSON.parse(alerts.before_state)).toMatchObject({tags: {env: 'dev'}, name: 'new-alerts', configuration: {TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:new-alerts`}})
        expect(JSON.parse(alerts.steps)).toEqual([expect.objectContaining({action: 'delete-topic', status: 'done', attempts: 1, requestIds: [expect.any(String)], params: {topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:new-alerts`}})])

        // DATABASE.md's cleanup queries answer from these rows.
        const [runs, deletions, requests] = cleanupExampleQueries.map((q) => db.prepare(q.sql).all() as Array<Record<string, unknown>>)
        expect(runs).toEqual([expect.objectContaining({id: execution!.runId, mode: 'cleanup', status: 'incomplete', items: 3, deleted: 2, skipped: 1, failed: 0})])
        expect(deletions!.map((d) => [d.run_id, d.type, d.name, d.result])).toEqual(
          expect.arrayContaining([
            [execution!.runId, 'AWS::SNS::Topic', 'new-alerts', 'deleted'],
            [execution!.runId, 'AWS::SQS::Queue', 'new-inbox', 'deleted'],
          ]),
        )
        expect(deletions).toHaveLength(2)
        expect(requests!.map((r) => [r.type, r.action])).toEqual([
          ['AWS::SNS::Topic', 'delete-topic'],
          ['AWS::SQS::Queue', 'delete-queue'],
        ])
        expect(requests!.every((r) => typeof r.request_id === 'string' && r.request_id !== '')).toBe(true)
      } finally {
        db.close()
      }

      const log = execution!.auditLog!
      expect(log).toBe(join(storage, 'audit-logs', 'cleanup', `${execution!.runId}.jsonl`))
      expect(statSync(log).mode & 0o777).toBe(0o600)
      const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as {event: string; result?: string})
      expect(lines.map((l) => l.event)).toEqual(['run-started', 'item', 'item', 'item', 'run-finished'])
      expect(lines.filter((l) => l.result).map((l) => l.result).sort()).toEqual(['deleted', 'deleted', 'skipped'])
    })
  })

  it('execute SNAPSHOT plans now and deletes exactly the new unprotected resources, keeping the baseline and the protected ones', async () => {
    await createTopic('new-reports')
    await createQueue('new-jobs', {env: 'test'})
    const result = await runCli(['cleanup', 'execute', 'base', '--confirm', '--yes', '--protect-tag', 'keep=*', ...base()])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Wave 1 of 1: 2 items')
    expect(result.stdout).toMatch(/^Run run-\d{8}-\d{6}-[0-9a-f]{6} of plan plan-[0-9a-f]{12} in account 123456789012: succeeded \(exit 0\)$/m)
    expect(result.stdout).toMatch(/│ 1 +│ AWS::SNS::Topic +│ us-east-1 +│ new-reports \([^)]+\) +│ deleted +│/)
    expect(result.stdout).toContain('2 deleted, 0 already gone, 0 scheduled for deletion, 0 skipped, 0 failed (of 2 items).')
    expect(result.stdout).toMatch(/^Audit log: .*\/audit-logs\/cleanup\/run-.*\.jsonl$/m)
    expect(await existing()).toEqual(['queue base-queue', 'queue keep-queue', 'topic base-topic', 'topic keep-topic', 'topic new-builds'])
    // The current state was kept as a snapshot, as delta keeps its own.
    const snapshots = await cliJson<Array<{name: string}>>(['snapshot', 'list'])
    expect(snapshots.map((s) => s.name)).toEqual(expect.arrayContaining(['base', 'now-1', expect.stringMatching(/^cleanup-\d{8}-\d{6}$/)]))
  })

  it('purges everything not protected: --preview shows it, --confirm deletes it, with the rules file of the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsinv-purge-'))
    writeFileSync(join(dir, '.awsinv-cleanup.yaml'), 'protection:\n  tags:\n    - key: keep\n  names: ["base-*"]\nmax_deletions: 5\n')
    const preview = await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--region', REGION], {cwd: dir})
    expect(preview.execution).toBeNull()
    expect(preview.plan.mode).toBe('purge')
    expect(preview.plan.rules.file).toBe('.awsinv-cleanup.yaml')
    expect(planned(preview.plan)).toEqual([])
    expect(protectedNames(preview.plan)).toEqual([
      'AWS::SNS::Topic base-topic: base-*',
      'AWS::SNS::Topic keep-topic: keep=*',
      'AWS::SNS::Topic new-builds: keep=*',
      'AWS::SQS::Queue base-queue: base-*',
      'AWS::SQS::Queue keep-queue: keep=*',
    ])

    // Untag one, add one: those two are what a purge deletes.
    await sns.untagResource({ResourceArn: `arn:aws:sns:${REGION}:${ACCOUNT}:new-builds`, TagKeys: ['keep']})
    await createQueue('stray-queue')
    const limited = await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--type', 'AWS::SQS::*'], {cwd: dir})
    expect(planned(limited.plan)).toEqual(['AWS::SQS::Queue stray-queue'])

    const purge = await runCli(['cleanup', 'purge', '--confirm', '--yes', '--json', ...base()], {cwd: dir})
    expect(purge.code, purge.stderr).toBe(0)
    const {plan, execution} = JSON.parse(purge.stdout) as CleanupResult
    expect(planned(plan)).toEqual(['AWS::SNS::Topic new-builds', 'AWS::SQS::Queue stray-queue'])
    expect(plan.waves[0]!.items.every((i) => i.why.kind === 'purge')).toBe(true)
    expect(execution).toMatchObject({mode: 'purge', status: 'succeeded', summary: {deleted: 2}})
    expect(await existing()).toEqual(['queue base-queue', 'queue keep-queue', 'topic base-topic', 'topic keep-topic'])

    // Nothing left to purge: no run.
    const nothing = await cliJson<CleanupResult>(['cleanup', 'purge', '--confirm', '--yes'], {cwd: dir})
    expect(planned(nothing.plan)).toEqual([])
    expect(nothing.execution).toBeNull()
  })

  it('purges only what a stored snapshot lists with --from-snapshot, collected like it', async () => {
    await createTopic('scratch-1')
    await cliJson(['snapshot', 'create', 'scratch', '--regions', REGION, '--no-set-active'])
    await cliJson(['snapshot', 'create', 'scratch-messaging', '--regions', REGION, '--resource-types', 'sns,sqs', '--no-set-active'])
    await createTopic('scratch-2')
    const {plan} = await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--from-snapshot', 'scratch', '--protect-tag', 'keep=*'])
    // scratch-2 is not in the snapshot; the base-* resources are, and nothing protects them here.
    expect(planned(plan)).toEqual(['AWS::SNS::Topic base-topic', 'AWS::SNS::Topic scratch-1', 'AWS::SQS::Queue base-queue'])
    expect(plan.baseline?.name).toBe('scratch')
    expect(plan.waves[0]!.items.find((i) => i.name === 'scratch-1')?.why).toEqual({kind: 'purge', explanation: 'listed in snapshot scratch'})

    // A snapshot without CloudTrail trails cannot tell whether a trail publishes to a topic: its topics are skipped.
    const messaging = (await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--from-snapshot', 'scratch-messaging', '--protect-tag', 'keep=*'])).plan
    expect(planned(messaging)).toEqual(['AWS::SQS::Queue base-queue'])
    expect(messaging.skipped.map((x) => [x.name, x.reason.kind, x.reason.explanation])).toEqual([
      ['base-topic', 'dependents-not-collected', 'AWS::CloudTrail::Trail was not collected: whether something uses it is unknown'],
      ['scratch-1', 'dependents-not-collected', 'AWS::CloudTrail::Trail was not collected: whether something uses it is unknown'],
    ])
    // A type the snapshot never collected cannot be told apart: refused before anything is collected, not "nothing to delete".
    const snapshotCount = (await cliJson<unknown[]>(['snapshot', 'list'])).length
    refuse(
      await cli(['cleanup', 'purge', '--preview', '--from-snapshot', 'scratch-messaging', '--type', 'AWS::IAM::Role', '--region', 'global']),
      /^Error: Nothing was planned: snapshot "scratch-messaging" collected none of the types --type selects \(AWS::IAM::Role\), so which of them it lists cannot be told\. Take a snapshot that collects them \("awsinv snapshot create --type \.\.\."\)\.$/,
      'purge --from-snapshot, a type it never collected',
    )
    refuse(
      await cli(['cleanup', 'preview', 'scratch-messaging', '--type', 'ec2']),
      /^Error: Nothing was planned: baseline "scratch-messaging" collected none of the types --type selects \(AWS::EC2::EIP, AWS::EC2::FlowLog, AWS::EC2::Instance and \d+ more\), so what was created since it cannot be told\./,
      'preview, a service the baseline never collected',
    )
    // A selection the baseline collected is planned (here the topic created since is skipped, with its reason).
    const some = (await cliJson<CleanupResult>(['cleanup', 'preview', 'scratch-messaging', '--type', 'sns', '--no-save'])).plan
    expect(some.skipped.map((x) => [x.name, x.reason.kind])).toEqual([['scratch-2', 'dependents-not-collected']])
    expect((await cliJson<unknown[]>(['snapshot', 'list'])).length).toBe(snapshotCount)
    expect(readdirSync(join(storage, 'audit-logs', 'cleanup'))).toHaveLength(3)
  })

  it('keeps a KMS key that a queue or topic staying uses, named by its alias or id; an unused key goes', async () => {
    const kms = new KMS({endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2})
    const aliased = (await kms.createKey({})).KeyMetadata!.KeyId!
    await kms.createAlias({AliasName: 'alias/sbx-kept', TargetKeyId: aliased})
    const byId = (await kms.createKey({})).KeyMetadata!.KeyId!
    const unused = (await kms.createKey({})).KeyMetadata!.KeyId!
    await sqs.createQueue({QueueName: 'kept-encrypted', Attributes: {KmsMasterKeyId: 'alias/sbx-kept'}, tags: {keep: 'yes'}})
    await sns.createTopic({Name: 'kept-encrypted-topic', Attributes: {KmsMasterKeyId: byId}, Tags: [{Key: 'keep', Value: 'yes'}]})

    const {plan} = await cliJson<CleanupResult>(['cleanup', 'preview', 'base', '--type', 'AWS::KMS::Key', '--protect-tag', 'keep=*', '--no-save'])
    expect(plan.waves.flatMap((w) => w.items.map((i) => i.id))).toEqual([unused])
    const skipped = Object.fromEntries(plan.skipped.map((s) => [s.id, s.reason]))
    expect(skipped[aliased]).toMatchObject({kind: 'in-use', explanation: expect.stringMatching(/^AWS::SQS::Queue kept-encrypted .* uses it and stays: protected: tagged keep=yes/)})
    expect(skipped[byId]).toMatchObject({kind: 'in-use', explanation: expect.stringMatching(/^AWS::SNS::Topic kept-encrypted-topic .* uses it and stays/)})
    kms.destroy()
  })

  it("execute --plan keeps a group and a policy the caller's own user came to stand on after the plan was made", async () => {
    const iam = new IAM({endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2})
    // The emulator's caller is the IAM user "moto"; here it exists, so that it can join a group.
    await iam.createUser({UserName: 'moto'})
    await iam.createGroup({GroupName: 'sbx-callers'})
    const policyArn = (await iam.createPolicy({PolicyName: 'sbx-caller-policy', PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'sns:List*', Resource: '*'}]})})).Policy!.Arn!
    const planFile = join(work, 'caller-plan.json')
    const {plan} = await cliJson<CleanupResult>(['cleanup', 'preview', 'base', '--type', 'AWS::IAM::Group,AWS::IAM::Policy', '--region', 'global', '--no-save', '--out', planFile])
    expect(planned(plan)).toEqual(['AWS::IAM::Group sbx-callers', 'AWS::IAM::Policy sbx-caller-policy'])

    await iam.addUserToGroup({UserName: 'moto', GroupName: 'sbx-callers'})
    await iam.attachUserPolicy({UserName: 'moto', PolicyArn: policyArn})
    const run = await cli(['cleanup', 'execute', '--plan', planFile, '--confirm', '--yes', '--json'])
    expect(run.code, run.stderr).toBe(3)
    const {execution} = JSON.parse(run.stdout) as CleanupResult
    expect(execution!.items.map((i) => [i.name, i.result, i.reason])).toEqual([
      ['sbx-callers', 'skipped', "protected now: a group the caller's user moto is in (now): deleting it would change the caller's permissions"],
      ['sbx-caller-policy', 'skipped', "protected now: attached to the caller's user moto (now)"],
    ])
    // Still there, as the emulator says.
    expect((await iam.getGroup({GroupName: 'sbx-callers'})).Group?.GroupName).toBe('sbx-callers')
    expect((await iam.getPolicy({PolicyArn: policyArn})).Policy?.PolicyName).toBe('sbx-caller-policy')
    iam.destroy()
  })
})
