import Database from 'better-sqlite3'
import {createHash, randomBytes} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type CliOptions, expectRefused, runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'

/**
 * Bad input end to end: every mistake gives a non-zero exit code and exactly one "Error: …" line on
 * stderr (no stack trace), and leaves the stored data exactly as it was.
 */

let emulator: Emulator
let root: string
/** The store every case runs against: holds good snapshots, so "unchanged" means something. */
let storage: string
let baseline: string

/** A digest of the store's content: every table (and the schema), rows in rowid order. */
function storeDigest(dir: string): string {
  const db = new Database(join(dir, 'inventory.db'), {readonly: true, fileMustExist: true})
  try {
    const hash = createHash('sha256')
    const schema = db.prepare(`select type, name, sql from sqlite_master order by type, name`).all()
    hash.update(JSON.stringify(schema))
    const tables = db.prepare(`select name from sqlite_master where type = 'table' order by name`).pluck().all() as string[]
    for (const table of tables) {
      const rows = db.prepare(`select * from "${table.replaceAll('"', '""')}" order by rowid`).raw().all()
      hash.update(`\n${table}\n${JSON.stringify(rows)}`)
    }

    return hash.digest('hex')
  } finally {
    db.close()
  }
}

/** Options that point a command at the test store and the emulator. */
const at = (dir = storage) => ['--storage-path', dir, '--endpoint-url', emulator.url]
const create = (name: string, ...extra: string[]) => ['snapshot', 'create', name, '--regions', 'us-east-1', '--resource-types', 'AWS::EC2::VPC', ...extra]

type Case = {args: string[]; message: RegExp; env?: CliOptions['env']; exit?: number}

/** Runs independent bad-input cases a few at a time, checks each is refused, and that the store did not change. */
async function expectAllRefused(cases: Case[], dir = storage): Promise<void> {
  const before = storeDigest(dir)
  for (let i = 0; i < cases.length; i += 4) {
    const group = cases.slice(i, i + 4)
    const results = await Promise.all(group.map((c) => runCli(c.args, {env: c.env})))
    results.forEach((result, j) => {
      const {args, message, exit} = group[j]!
      expectRefused(result, message, `awsinv ${args.join(' ')}`)
      if (exit !== undefined) expect(result.code, `awsinv ${args.join(' ')}`).toBe(exit)
    })
  }

  expect(storeDigest(dir)).toBe(before)
  if (dir === storage) expect(storeDigest(dir)).toBe(baseline)
}

beforeAll(async () => {
  emulator = await startEmulator()
  root = mkdtempSync(join(tmpdir(), 'awsinv-bad-input-'))
  storage = join(root, 'store')
  // One good snapshot in the default inventory, and an inventory that holds a snapshot of its own.
  const good = await runCliJson<{snapshot: {status: string; resourceCount: number}}>([...create('good'), ...at()])
  expect(good.snapshot.status).toBe('complete')
  expect(good.snapshot.resourceCount).toBeGreaterThan(0)
  await runCliJson(['inventory', 'create', 'team', '--include-tags', 'team=a', ...at()])
  await runCliJson([...create('held', '--inventory', 'team'), ...at()])
  baseline = storeDigest(storage)
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('bad input is refused with one clear line and the store unchanged', () => {
  it('snapshot create: duplicate name, unknown or empty regions, unknown types, invalid name', async () => {
    await expectAllRefused([
      {args: [...create('good'), ...at()], message: /snapshot named "good" already exists/},
      {args: [...create('held'), ...at()], message: /snapshot named "held" already exists/},
      {args: [...create('good', '--dry-run'), ...at()], message: /^Error: A snapshot named "good" already exists\./},
      {args: ['snapshot', 'create', 'x', '--regions', 'us-east-7', ...at()], message: /Unknown region "us-east-7"/},
      {args: ['snapshot', 'create', 'x', '--regions', '', ...at()], message: /^Error: --regions "" is empty: give one or more region names \(or "all"\), or leave --regions out\.$/},
      // Named as typed: an alias, or the long name of a one-letter flag.
      {args: ['snapshot', 'create', 'x', '--region', ',', ...at()], message: /^Error: --region "," is empty: give one or more region names/},
      {args: ['snapshot', 'create', 'x', '--regions', 'us-east-1', '--type', '', ...at()], message: /^Error: --type "" is empty: give one or more services, type ids or globs \(e\.g\. ec2,AWS::IAM::\*\), or leave --type out\.$/},
      {args: ['snapshot', 'create', 'x', '--regions', 'us-east-1', '-t', ',', ...at()], message: /^Error: --resource-types "," is empty: /},
      {args: ['config', 'check', '--regions', 'us-east-1', '--types', ' ', ...at()], message: /^Error: --types " " is empty: /},
      {args: ['snapshot', 'create', 'x', '--regions', 'us-east-1,all', ...at()], message: /^Error: "all" stands for every enabled region: give it alone, or name the regions\.$/},
      // Without --regions the profile's region is used: a typo there is refused too, not collected from.
      {args: ['snapshot', 'create', 'x', '--resource-types', 'sqs', ...at()], env: {AWS_REGION: 'bogus-2'}, message: /^Error: Unknown region "bogus-2" \(from AWS_REGION or the profile\)\./},
      {args: ['snapshot', 'create', 'x', '--regions', 'us-east-1', '--resource-types', 'ec3', ...at()], message: /^Error: Unknown resource type or service "ec3"\. Did you mean "ec2"\? Services: /},
      {
        args: ['snapshot', 'create', 'x', '--regions', 'us-east-1', '--resource-types', 'AWS::Nope::Thing', ...at()],
        message: /Unknown resource type or service "AWS::Nope::Thing"/,
      },
      {args: [...create('bad name!'), ...at()], message: /Invalid snapshot name "bad name!"/},
      // After "--" a name may start with "-": it would then read as an option in every command that names it.
      {args: ['snapshot', 'create', '--regions', 'us-east-1', '-t', 'AWS::EC2::VPC', ...at(), '--', '--json'], message: /^Error: Invalid snapshot name "--json": it cannot start with "-", which reads as an option in a command line\.$/},
      {args: ['snapshot', 'create', '--dry-run', '--regions', 'us-east-1', ...at(), '--', '-x'], message: /^Error: Invalid snapshot name "-x": it cannot start with "-"/},
    ])

    // Into a storage path that holds nothing yet: refused before the database is created.
    const fresh = join(root, 'fresh-regions')
    expectRefused(await runCli(['snapshot', 'create', 'x', '--regions', 'bogus-1', ...at(fresh)]), /^Error: Unknown region "bogus-1"/)
    expectRefused(await runCli(['snapshot', 'create', 'x', ...at(fresh)], {env: {AWSINV_REGIONS: 'us-east-1,nowhere-9'}}), /^Error: Unknown region "nowhere-9" \(from AWSINV_REGIONS\)/)
    expect(existsSync(fresh)).toBe(false)
  })

  it('snapshot create: a bad home region (AWSINV_REGION, AWS_REGION) is refused whatever --regions says, and a bad AWSINV_REGIONS is named', async () => {
    const sqs = ['snapshot', 'create', 'x', '--resource-types', 'sqs', ...at()]
    await expectAllRefused([
      // Global services are called in the home region: --regions does not make a typo there harmless.
      {args: [...sqs, '--regions', 'us-east-1'], env: {AWSINV_REGION: 'bogus-1'}, message: /^Error: Unknown region "bogus-1" \(from AWSINV_REGION\)\. Set it to a region like us-east-1, or unset it\.$/},
      {args: sqs, env: {AWSINV_REGION: 'bogus-1'}, message: /^Error: Unknown region "bogus-1" \(from AWSINV_REGION\)\. Set it to a region like us-east-1, or unset it\.$/},
      {args: [...sqs, '--regions', 'us-east-1', '--dry-run'], env: {AWSINV_REGION: 'us-east1'}, message: /^Error: Unknown region "us-east1" \(from AWSINV_REGION\)\. Did you mean "us-east-1"\?/},
      {args: [...sqs, '--regions', 'us-east-1'], env: {AWS_REGION: 'bogus-2'}, message: /^Error: Unknown region "bogus-2" \(from AWS_REGION or the profile\)\./},
      {args: sqs, env: {AWSINV_REGION: 'all'}, message: /^Error: AWSINV_REGION is one region, the home region where global services are called; got "all"\./},
      {args: [...sqs, '--regions', 'us-east-1'], env: {AWSINV_REGION: 'us-east-1,eu-west-1'}, message: /^Error: AWSINV_REGION is one region, .*; got "us-east-1,eu-west-1"\./},
      {args: sqs, env: {AWSINV_REGION: ','}, message: /^Error: AWSINV_REGION "," is empty: give one region \(e\.g\. us-east-1\), or unset AWSINV_REGION\.$/},
      // No flag typed: the variable the value came from is named.
      {args: ['snapshot', 'create', '--dry-run', ...at()], env: {AWSINV_REGIONS: ','}, message: /^Error: AWSINV_REGIONS "," is empty: give one or more region names \(or "all"\), or unset AWSINV_REGIONS\.$/},
      {args: ['snapshot', 'create', '--dry-run', ...at()], env: {AWSINV_REGIONS: 'us-east-1,bogus-1'}, message: /^Error: Unknown region "bogus-1" \(from AWSINV_REGIONS\)\./},
      {args: ['config', 'check', ...at()], env: {AWSINV_REGIONS: ' , '}, message: /^Error: AWSINV_REGIONS " , " is empty: /},
      {args: ['config', 'check', '--regions', 'us-east-1', ...at()], env: {AWSINV_REGION: 'bogus-1'}, message: /^Error: Unknown region "bogus-1" \(from AWSINV_REGION\)\./},
      {args: ['cleanup', 'purge', '--preview', ...at()], env: {AWSINV_REGION: 'bogus-1'}, message: /^Error: Unknown region "bogus-1" \(from AWSINV_REGION\)\./},
      // Typed, the flag is named, whatever the variable holds.
      {args: ['snapshot', 'create', '--dry-run', '--regions', ',', ...at()], env: {AWSINV_REGIONS: 'us-east-1'}, message: /^Error: --regions "," is empty: .*, or leave --regions out\.$/},
    ])
  })

  it('snapshot create: malformed tag filters', async () => {
    await expectAllRefused([
      {args: [...create('x', '--include-tags', '=x'), ...at()], message: /Malformed --include-tags entry "=x"/},
      {args: [...create('x', '--include-tags', 'k'), ...at()], message: /Malformed --include-tags entry "k"/},
      {args: [...create('x', '--include-tags', ''), ...at()], message: /--include-tags needs KEY=VALUE/},
      {args: [...create('x', '--exclude-tags', ','), ...at()], message: /--exclude-tags needs KEY=VALUE/},
      {args: ['inventory', 'create', 'inv-x', '--include-tags', '=x', ...at()], message: /Malformed --include-tags entry "=x"/},
      {args: [...create('x', '--include-tags', 'env=dev,team=a', '--exclude-tags', 'env=dev'), ...at()], message: /^Error: --include-tags and --exclude-tags both name env=dev: no resource could be selected\./},
      {args: [...create('x', '--inventory', 'team', '--exclude-tags', 'team=a'), ...at()], message: /^Error: Include and exclude tags \(of inventory "team", with --include-tags and --exclude-tags\) both name team=a/},
      {args: ['inventory', 'create', 'inv-x', '--include-tags', 'a=1,a=2', ...at()], message: /^Error: --include-tags names tag key "a" twice \(a=1, a=2\): a tag filter takes one value per key\.$/},
      {args: ['inventory', 'create', 'inv-x', '--include-tags', 'a=1', '--exclude-tags', 'a=1', ...at()], message: /^Error: --include-tags and --exclude-tags both name a=1/},
      {args: ['inventory', 'create', 'inv-x', '--include-tags', `${'k'.repeat(129)}=v`, ...at()], message: /^Error: --include-tags: tag key "k{40}…" is 129 characters long; AWS tag keys have 128 at most/},
      {args: ['inventory', 'create', 'inv-x', '-d', 'red \u001b[31malert\u0007', ...at()], message: /^Error: --description cannot contain control characters/},
    ])
  })

  it('unknown snapshot names for show, report, delete, rename and set-active; bad rename targets', async () => {
    const unknown = /Unknown snapshot "nope"\. Run "awsinv snapshot list"/
    await expectAllRefused([
      {args: ['snapshot', 'show', 'nope', ...at()], message: unknown},
      {args: ['snapshot', 'show', 'GOOD', ...at()], message: /^Error: Unknown snapshot "GOOD"\. Did you mean "good"\? Run "awsinv snapshot list"/},
      {args: ['snapshot', 'report', 'nope', ...at()], message: unknown},
      {args: ['snapshot', 'delete', 'nope', '--yes', ...at()], message: unknown},
      {args: ['snapshot', 'rename', 'nope', 'other', ...at()], message: unknown},
      {args: ['snapshot', 'set-active', 'nope', ...at()], message: unknown},
      {args: ['snapshot', 'show', 'goood', ...at()], message: /^Error: Unknown snapshot "goood"\. Did you mean "good"\? Run "awsinv snapshot list" to see the snapshots\.$/},
      {args: ['snapshot', 'rename', 'good', 'held', ...at()], message: /snapshot named "held" already exists/},
      {args: ['snapshot', 'rename', 'good', 'bad name!', ...at()], message: /Invalid snapshot name "bad name!"/},
      {args: ['snapshot', 'rename', 'good', ...at(), '--', '-x'], message: /^Error: Invalid snapshot name "-x": it cannot start with "-"/},
      {args: ['delta', '--snapshot', 'good', '--save-as=-x', ...at()], message: /^Error: Invalid snapshot name "-x": it cannot start with "-"/},
      {args: ['cleanup', 'preview', 'good', '--save-as=-x', ...at()], message: /^Error: Invalid snapshot name "-x": it cannot start with "-"/},
    ])
  })

  it('missing arguments are named with what they are; the advice on multiple-value flags comes only with such a flag', async () => {
    await expectAllRefused([
      {args: ['snapshot', 'rename', ...at()], message: /^Error: Missing 2 required args: old \(current name\), new \(new name\)\. See more help with --help\.$/},
      {args: ['query', 'history', ...at()], message: /^Error: Missing 1 required arg: arn \(ARN of the resource\)\. See more help with --help\.$/},
      {
        args: ['cleanup', 'preview', '-t', 'AWS::SNS::*', ...at()],
        message: /^Error: Missing 1 required arg: snapshot \(the baseline snapshot: what existed before, and stays\)\. --type takes several values: give arguments before it, or after "--"\. See more help with --help\.$/,
      },
      {
        args: ['cleanup', 'preview', '--region=us-east-1', '--type', 'good', ...at()],
        message: /^Error: Missing 1 required arg: snapshot .* --type and --region take several values: give arguments before them, or after "--"\. See more help with --help\.$/,
      },
    ])
  })

  it('an unknown command, or help of one, exits 2 with the commands the user probably meant, and runs nothing', async () => {
    const cases: Case[] = [
      {args: ['snapshot', 'craete', 'x', ...at()], message: /^Error: Unknown command "snapshot craete"\. Did you mean "awsinv snapshot create"\?$/},
      {args: ['scan', ...at()], message: /^Error: Unknown command "scan"\. Did you mean "awsinv security scan"\?$/},
      // A command that takes no arguments: what follows it is an argument, not more of its name.
      {args: ['security', 'scan', 'good', ...at()], message: /^Error: Unexpected argument: good\. "awsinv security scan" takes no arguments\. Did you mean --snapshot good\? See more help with --help\.$/},
      {args: ['snapshot', 'frob', ...at()], message: /^Error: Unknown command "snapshot frob"\. The snapshot commands are create, delete, list, rename, report, set-active, show\.$/},
      {args: ['frobnicate', ...at()], message: /^Error: Unknown command "frobnicate"\. Run "awsinv --help" to see the commands\.$/},
      // Flags go after the command.
      {args: [...at(), 'snapshot', 'list'], message: /^Error: --storage-path is a flag, and awsinv needs a command first: awsinv COMMAND \[FLAGS\]\. Run "awsinv --help" to see the commands\.$/},
      // Help asked of a command that does not exist answers the same.
      {args: ['help', 'scan'], message: /^Error: Unknown command "scan"\. Did you mean "awsinv security scan"\?$/},
      {args: ['snapshot', 'craete', '--help'], message: /^Error: Unknown command "snapshot craete"\. Did you mean "awsinv snapshot create"\?$/},
    ]
    await expectAllRefused(cases)
    const results = await Promise.all(cases.map((c) => runCli(c.args)))
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2])
    // Help of a command or topic that exists is unchanged.
    const [command, topic] = await Promise.all([runCli(['help', 'snapshot', 'create']), runCli(['snapshot', '--help'])])
    expect(command.code, command.stderr).toBe(0)
    expect(command.stdout).toMatch(/^Take an inventory snapshot of the account\./)
    expect(topic.code, topic.stderr).toBe(0)
    expect(topic.stdout).toMatch(/snapshot create +Take an inventory snapshot/)
  })

  it('an unknown flag names the flag it is probably a typo of; exclusive flags are named once, as a pair', async () => {
    await expectAllRefused([
      {args: [...create('x', '--regoins', 'us-east-1'), ...at()], message: /^Error: Nonexistent flag: --regoins \(did you mean --regions\?\)\. See more help with --help\.$/},
      {args: ['query', 'resources', '--tagz', 'a=b', '--jsno', '--bogus', ...at()], message: /^Error: Nonexistent flags: --tagz \(did you mean --tag\?\), --jsno \(did you mean --json\?\), --bogus\. See more help with --help\.$/},
      {args: [...create('x', '--use-config', '--no-config'), ...at()], message: /^Error: --no-config and --use-config cannot be used together\. See more help with --help\.$/},
      {args: [...create('x', '--request-timeout', '0'), ...at()], message: /^Error: --request-timeout: Expected an integer greater than or equal to 1 but received: 0\. See more help with --help\.$/},
      {args: [...create('x', '--request-timeout', '1.5'), ...at()], message: /^Error: --request-timeout: Expected an integer but received: 1\.5\. See more help with --help\.$/},
    ])
  })

  it('query stats, history and resources: bad groupings, required tags and types, unknown snapshots, inventories and ARNs', async () => {
    await expectAllRefused([
      {args: ['query', 'stats', '--group-by', 'owner', ...at()], message: /Unknown --group-by "owner"\. Use type, region, service, account, snapshot or tag:KEY\./},
      {args: ['query', 'stats', '--group-by', 'tag:', ...at()], message: /--group-by tag: needs a tag key/},
      {args: ['query', 'stats', '--required-tags', ' , ', ...at()], message: /--required-tags needs tag keys/},
      {args: ['query', 'stats', '--snapshot', 'nope', ...at()], message: /Unknown snapshot "nope"/},
      {args: ['query', 'stats', '--inventory', 'nope', ...at()], message: /Unknown inventory "nope"/},
      {args: ['query', 'stats', '--group-by', 'snapshot', '--inventory', 'nope', ...at()], message: /Unknown inventory "nope"/},
      {args: ['query', 'stats', '--format', 'xml', ...at()], message: /^Error: Expected --format=xml to be one of: table, json, csv, md\. See more help with --help\.$/},
      {args: ['query', 'history', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-nope', ...at()], message: /No snapshot holds a resource with ARN "arn:aws:ec2:us-east-1:123456789012:vpc\/vpc-nope"/},
      {args: ['query', 'history', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-nope', '--inventory', 'nope', ...at()], message: /Unknown inventory "nope"/},
      {args: ['query', 'sql', 'select', '1', ...at()], message: /^Error: Unexpected argument: 1\. See more help with --help\.$/},
      {args: ['query', 'resources', '--type', 'AWS::EC2::Vpcs', ...at()], message: /^Error: Unknown resource type or service "AWS::EC2::Vpcs"\. Did you mean "AWS::EC2::VPC"\?/},
      {args: ['query', 'resources', '--type', 'AWS::Nope::*', ...at()], message: /^Error: "AWS::Nope::\*" matches no resource type\./},
      {args: ['cleanup', 'purge', '--preview', '--type', 'ec3', ...at()], message: /^Error: --type "ec3" matches no resource type\. Did you mean "ec2"\?/},
    ])
  })

  it('empty filter values, which would match nothing (or everything), are refused naming the flag as typed; an unknown inventory is never ignored', async () => {
    // The values here hold no character special in a regular expression.
    const empty = (flag: string, value: string) => new RegExp(`^Error: ${flag} ${JSON.stringify(value)} is empty: give .*, or leave ${flag} out\\.$`)
    await expectAllRefused([
      {args: ['query', 'resources', '-s', 'good', '--region', '', ...at()], message: empty('--region', '')},
      {args: ['query', 'resources', '-s', 'good', '--region', ',', ...at()], message: empty('--region', ',')},
      {args: ['query', 'resources', '-s', 'good', '--regions', 'us-east-1', '-r', ' , ', ...at()], message: empty('--region', ' , ')},
      {args: ['query', 'resources', '-s', 'good', '--name', '', ...at()], message: empty('--name', '')},
      {args: ['query', 'resources', '-s', 'good', '--arn', '', ...at()], message: empty('--arn', '')},
      {args: ['query', 'resources', '-s', 'good', '--type', '', ...at()], message: /^Error: --type "" is empty: give one or more services, type ids or globs \(e\.g\. ec2,AWS::IAM::\*\), or leave --type out\.$/},
      {args: ['query', 'resources', '-s', 'good', '-t', '', ...at()], message: empty('--type', '')},
      {args: ['query', 'resources', '-s', 'good', '--resource-types', ',', ...at()], message: empty('--resource-types', ',')},
      {args: ['query', 'resources', '-s', 'good', '-i', 'nope', ...at()], message: /^Error: Unknown inventory "nope"\./},
      {args: ['query', 'stats', '-s', 'good', '-i', 'nope', ...at()], message: /^Error: Unknown inventory "nope"\./},
      {args: ['snapshot', 'report', 'good', '-i', 'nope', ...at()], message: /^Error: Unknown inventory "nope"\./},
      {args: ['security', 'scan', '-s', 'good', '-i', 'nope', ...at()], message: /^Error: Unknown inventory "nope"\./},
      // Left out, an empty selection would compare, or plan the deletion of, every type or region.
      {args: ['query', 'diff', 'good', 'held', '--type', '', ...at()], message: empty('--type', '')},
      {args: ['delta', '--snapshot', 'good', '--regions', ',', ...at()], message: empty('--regions', ',')},
      {args: ['cleanup', 'preview', 'good', '--type', '', ...at()], message: empty('--type', '')},
      {args: ['cleanup', 'purge', '--preview', '--region', ',', ...at()], message: empty('--region', ',')},
    ])
  })

  it('snapshot delete without --yes is refused and keeps the snapshot; an unknown one is named first', async () => {
    await expectAllRefused([
      // A usage error, as a cleanup without --confirm.
      {args: ['snapshot', 'delete', 'good', ...at()], message: /cannot be undone; pass --yes/, exit: 2},
      // --yes would not help: the snapshot does not exist.
      {args: ['snapshot', 'delete', 'nope', ...at()], message: /^Error: Unknown snapshot "nope"\. Run "awsinv snapshot list"/},
      {args: ['snapshot', 'delete', 'GOOD', ...at()], message: /^Error: Unknown snapshot "GOOD"\. Did you mean "good"\?/},
    ])
    const shown = await runCliJson<{snapshot: {name: string; status: string}}>(['snapshot', 'show', 'good', ...at()])
    expect(shown.snapshot).toMatchObject({name: 'good', status: 'complete'})
  })

  it('unknown, duplicate, default and non-empty inventories', async () => {
    const unknown = /Unknown inventory "nope"\. Known inventories: default, team/
    await expectAllRefused([
      {args: [...create('x', '--inventory', 'nope'), ...at()], message: unknown},
      {args: ['inventory', 'show', 'nope', ...at()], message: unknown},
      {args: ['inventory', 'delete', 'nope', '--yes', ...at()], message: unknown},
      {args: ['snapshot', 'list', '--inventory', 'nope', ...at()], message: unknown},
      {args: ['snapshot', 'report', '--inventory', 'nope', ...at()], message: unknown},
      {args: ['inventory', 'create', 'team', ...at()], message: /Inventory "team" already exists/},
      {args: ['inventory', 'create', 'bad name!', ...at()], message: /Invalid inventory name "bad name!"/},
      {args: ['inventory', 'create', ...at(), '--', '-x'], message: /^Error: Invalid inventory name "-x": it cannot start with "-", which reads as an option in a command line\.$/},
      {args: ['inventory', 'delete', 'default', '--yes', ...at()], message: /"default" inventory cannot be deleted/},
      {args: ['inventory', 'delete', 'team', '--yes', ...at()], message: /Inventory "team" holds 1 snapshot\. Delete it first or pass --delete-snapshots\.$/},
      {args: ['inventory', 'delete', 'team', '--delete-snapshots', ...at()], message: /^Error: Deleting inventory "team" cannot be undone; pass --yes to confirm\.$/, exit: 2},
      // What --yes would not get past is said first.
      {args: ['inventory', 'delete', 'team', ...at()], message: /^Error: Inventory "team" holds 1 snapshot\. Delete it first or pass --delete-snapshots\.$/},
      {args: ['inventory', 'delete', 'nope', ...at()], message: unknown},
      {args: ['inventory', 'delete', 'default', ...at()], message: /"default" inventory cannot be deleted/},
    ])
    const shown = await runCliJson<{snapshots: Array<{name: string}>}>(['inventory', 'show', 'team', ...at()])
    expect(shown.snapshots.map((s) => s.name)).toEqual(['held'])
  })

  it('--export with a bad extension or into a missing directory creates no file', async () => {
    const out = join(root, 'exports')
    mkdirSync(out)
    await expectAllRefused([
      {args: ['snapshot', 'report', 'good', '--export', join(out, 'resources.txt'), ...at()], message: /--export needs a \.json or \.csv file name/},
      {args: ['snapshot', 'report', 'good', '--export', join(out, 'missing', 'resources.json'), ...at()], message: /^Error: Cannot write .*missing\/resources\.(json|csv): its directory does not exist\.$/},
      {args: ['snapshot', 'report', 'good', '--export', join(out, 'missing', 'resources.csv'), ...at()], message: /^Error: Cannot write .*missing\/resources\.(json|csv): its directory does not exist\.$/},
    ])
    expect(readdirSync(out)).toEqual([])
  })

  it('a storage path that is a regular file, or lies under one, is refused and left alone', async () => {
    const file = join(root, 'plain-file')
    writeFileSync(file, 'not a directory\n')
    await expectAllRefused([
      {args: ['snapshot', 'list', ...at(file)], message: /Storage path .*plain-file is not a directory/},
      {args: [...create('x'), ...at(file)], message: /Storage path .*plain-file is not a directory/},
      {args: ['snapshot', 'list', ...at(join(file, 'nested'))], message: /No awsinv database at .*plain-file\/nested \(inventory\.db\)/},
      {args: ['inventory', 'create', 'x', ...at(join(file, 'nested'))], message: /Cannot create storage directory .*plain-file\/nested/},
      {args: ['inventory', 'create', 'x', ...at(join(file, 'a', 'b'))], message: /Cannot create storage directory .*plain-file\/a\/b/},
    ])
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n')
  })

  it('an empty path is a usage error naming its flag, and an empty AWSINV_STORAGE_PATH one naming the variable', async () => {
    const cwd = mkdtempSync(join(root, 'cwd-'))
    const home = mkdtempSync(join(root, 'home-'))
    for (const args of [['snapshot', 'list', '--storage-path', ''], ['snapshot', 'report', 'good', '--export', ' ', ...at()], ['delta', '--ignore=', '--exit-code', ...at()]]) {
      const result = await runCli(args, {cwd})
      const flag = args.find((a) => ['--storage-path', '--export', '--ignore='].includes(a))!.replace('=', '')
      expectRefused(result, new RegExp(`^Error: ${flag}: Expected a path, got an empty value\\. See more help with --help\\.$`), `awsinv ${args.join(' ')}`)
      // --exit-code makes 2 a result: a usage error then exits 1.
      expect(result.code).toBe(args.includes('--exit-code') ? 1 : 2)
    }

    // An unset shell variable in AWSINV_STORAGE_PATH=$DIR: never the store in the home directory.
    const fromEnv: Array<[string, string[]]> = [
      ['', ['snapshot', 'list']],
      [' ', ['inventory', 'create', 'team']],
      ['', ['security', 'scan', '--fail-on', 'high']],
    ]
    for (const [value, args] of fromEnv) {
      const result = await runCli(args, {cwd, env: {AWSINV_STORAGE_PATH: value, HOME: home}})
      const message = /^Error: AWSINV_STORAGE_PATH is set but empty: set it to the directory of the awsinv database, or unset it to use ~\/\.snapshots\.$/
      expectRefused(result, message, `AWSINV_STORAGE_PATH=${JSON.stringify(value)} awsinv ${args.join(' ')}`)
      // --fail-on makes 2 a result, as --exit-code does.
      expect(result.code).toBe(args.includes('--fail-on') ? 1 : 2)
    }

    // The flag wins over the variable, as it does over any.
    const flagWins = await runCli(['snapshot', 'list', ...at()], {cwd, env: {AWSINV_STORAGE_PATH: '', HOME: home}})
    expect(flagWins.code, flagWins.stderr).toBe(0)
    expect(readdirSync(cwd)).toEqual([])
    expect(readdirSync(home)).toEqual([])
  })

  it('a corrupt database file and a foreign SQLite database are refused and their bytes unchanged', async () => {
    const corruptDir = join(root, 'corrupt')
    mkdirSync(corruptDir)
    const corruptFile = join(corruptDir, 'inventory.db')
    writeFileSync(corruptFile, randomBytes(16_384))
    const foreignDir = join(root, 'foreign')
    mkdirSync(foreignDir)
    const foreignFile = join(foreignDir, 'inventory.db')
    const foreign = new Database(foreignFile)
    foreign.exec(`create table notes (id integer primary key, body text not null); insert into notes (body) values ('keep me')`)
    foreign.close()
    const corruptBytes = readFileSync(corruptFile)
    const foreignBytes = readFileSync(foreignFile)

    const notValid = /inventory\.db is not a valid SQLite database/
    const notOurs = /inventory\.db is not an awsinv database \(it has tables of another application\)/
    await expectAllRefused([
      {args: ['snapshot', 'list', ...at(corruptDir)], message: notValid},
      {args: [...create('x'), ...at(corruptDir)], message: notValid},
      {args: ['inventory', 'create', 'x', ...at(corruptDir)], message: notValid},
      {args: ['snapshot', 'list', ...at(foreignDir)], message: notOurs},
      {args: [...create('x'), ...at(foreignDir)], message: notOurs},
    ])
    expect(readFileSync(corruptFile).equals(corruptBytes)).toBe(true)
    expect(readFileSync(foreignFile).equals(foreignBytes)).toBe(true)
    // No journal, WAL or shared-memory file was left next to them either.
    expect(readdirSync(corruptDir)).toEqual(['inventory.db'])
    expect(readdirSync(foreignDir)).toEqual(['inventory.db'])
  })

  it('no AWS credentials, and an endpoint that does not answer', async () => {
    const noCredentials = {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-such-credentials'),
      AWS_CONFIG_FILE: join(root, 'no-such-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PROFILE: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    }
    const profilesConfig = join(root, 'profiles-config')
    writeFileSync(profilesConfig, '[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = us-east-1\n')
    await expectAllRefused([
      {args: [...create('nocreds'), ...at()], env: noCredentials, message: /^Error: No AWS credentials found\. Set AWS_ACCESS_KEY_ID/},
      {
        args: [...create('noprofile'), ...at(), '--profile', 'nope'],
        env: noCredentials,
        message: /^Error: Profile "nope" is not defined in .*no-such-config or .*no-such-credentials\. Defined profiles: none\.$/,
      },
      // A profile the config file defines, with a region but no credentials; and a typo of its name.
      {
        args: [...create('credless'), ...at(), '--profile', 'dev'],
        env: {...noCredentials, AWS_CONFIG_FILE: profilesConfig},
        message: /^Error: No AWS credentials for profile "dev": check that ~\/\.aws\/config or ~\/\.aws\/credentials defines it/,
      },
      {
        args: [...create('typo'), ...at(), '--profile', 'deev'],
        env: {...noCredentials, AWS_CONFIG_FILE: profilesConfig},
        message: /^Error: Profile "deev" is not defined in .*profiles-config or .*no-such-credentials\. Did you mean "dev"\? Defined profiles: default, dev\.$/,
      },
      {
        args: [...create('envtypo'), ...at()],
        env: {...noCredentials, AWS_CONFIG_FILE: profilesConfig, AWS_PROFILE: 'deev'},
        message: /^Error: Profile "deev" \(AWS_PROFILE\) is not defined in .*profiles-config or .*no-such-credentials\. Did you mean "dev"\? Defined profiles: default, dev\.$/,
      },
      {args: [...create('badurl'), '--storage-path', storage, '--endpoint-url', 'localhost:5000'], message: /^Error: --endpoint-url \(or AWS_ENDPOINT_URL\) must be an http:\/\/ or https:\/\/ URL, such as http:\/\/localhost:5000; got "localhost:5000"\.$/},
      {args: ['delta', '--storage-path', storage], env: {AWS_ENDPOINT_URL: 'not a url'}, message: /must be an http:\/\/ or https:\/\/ URL.*got "not a url"/},
      {
        args: [...create('unreachable'), '--storage-path', storage, '--endpoint-url', 'http://127.0.0.1:1', '--max-attempts', '1'],
        message: /Cannot reach the AWS endpoint at http:\/\/127\.0\.0\.1:1/,
      },
    ])
    expect(existsSync(join(root, 'no-such-credentials'))).toBe(false)
  })

  it('what the command line and the store can refuse is refused before any AWS call: with the endpoint down, the message is about it', async () => {
    const down = ['--storage-path', storage, '--endpoint-url', 'http://127.0.0.1:1', '--max-attempts', '1']
    await expectAllRefused([
      {args: [...create('x', '--inventory', 'nope'), ...down], message: /^Error: Unknown inventory "nope"\. Known inventories: default, team\.$/},
      {args: ['snapshot', 'create', 'x', ...down], env: {AWSINV_INVENTORY: 'nope'}, message: /^Error: Unknown inventory "nope"\./},
      // Without --regions, the default region may need the session: the inventory is checked first.
      {args: ['snapshot', 'create', 'x', '--inventory', 'nope', ...down], message: /^Error: Unknown inventory "nope"\./},
      {args: [...create('x', '--inventory', 'nope', '--dry-run'), ...down], message: /^Error: Unknown inventory "nope"\./},
      {args: [...create('x', '--inventory', 'team', '--exclude-tags', 'team=a'), ...down], message: /^Error: Include and exclude tags \(of inventory "team", with --include-tags and --exclude-tags\) both name team=a/},
      {args: [...create('good'), ...down], message: /^Error: A snapshot named "good" already exists\./},
      {args: ['delta', '--snapshot', 'good', '--save-as', 'held', ...down], message: /^Error: A snapshot named "held" already exists\./},
      {args: ['cleanup', 'preview', 'good', '--save-as', 'held', ...down], message: /^Error: A snapshot named "held" already exists\./},
      {args: ['cleanup', 'purge', '--preview', '--save-as', 'held', ...down], message: /^Error: A snapshot named "held" already exists\./},
      {args: ['cleanup', 'execute', 'good', '--confirm', '--yes', '--save-as', 'held', ...down], message: /^Error: A snapshot named "held" already exists\./},
    ])
  })

  it('delta and query diff: unknown, identical, foreign-account and interrupted snapshots, bad filters and ignore files', async () => {
    // A copy of the store with a second good snapshot, one of another account and an interrupted one.
    const dir = join(root, 'drift')
    cpSync(storage, dir, {recursive: true})
    await runCliJson([...create('good2', '--no-set-active'), ...at(dir)])
    await runCliJson([...create('cut', '--no-set-active'), ...at(dir)])
    const db = new Database(join(dir, 'inventory.db'))
    db.prepare(`update snapshots set account_id = '210987654321' where name = 'held'`).run()
    db.prepare(`update snapshots set status = 'interrupted' where name = 'cut'`).run()
    db.close()
    const badIgnore = join(root, 'bad-ignore.yaml')
    writeFileSync(badIgnore, 'ignore:\n  - {types: "AWS::EC2::*"}\n')
    const diff = (...args: string[]) => ['query', 'diff', ...args, ...at(dir)]
    const delta = (...args: string[]) => ['delta', ...args, ...at(dir)]
    await expectAllRefused(
      [
        {args: diff('nope', 'good'), message: /Unknown snapshot "nope"/},
        {args: diff('good', 'good'), message: /Cannot compare snapshot "good" with itself/},
        {args: diff('good', 'held'), message: /"good" \(account 123456789012\) and "held" \(account 210987654321\) are of different accounts/},
        {args: diff('good', 'cut'), message: /Snapshot "cut" is interrupted; compare it anyway with --allow-partial/},
        {args: diff('good', 'good2', '--ignore', badIgnore), message: /bad-ignore\.yaml: entry 1: unknown key "types" \(expected type, arn, path\)/},
        {args: diff('good', 'good2', '--ignore', join(root, 'none.yaml')), message: /Ignore file ".*none\.yaml" not found/},
        {args: diff('good', 'good2', '--category', 'cost'), message: /Unknown category "cost": use tags, security, configuration, state/},
        {args: diff('good', 'good2', '--export', join(root, 'drift.txt')), message: /--export needs a \.json, \.md or \.csv file name/},
        {args: diff('good', 'good2', '--resource-type', 'ec3'), message: /Unknown resource type or service "ec3"/},
        {args: delta('--snapshot', 'nope'), message: /Unknown snapshot "nope"/},
        {args: delta('--snapshot', 'cut'), message: /Snapshot "cut" is interrupted; compare it anyway with --allow-partial/},
        // cleanup has no --allow-partial: its message does not offer one.
        {args: ['cleanup', 'preview', 'cut', ...at(dir)], message: /^Error: Snapshot "cut" is interrupted; it cannot be a baseline: take a new one with "awsinv snapshot create"\.$/},
        {args: ['cleanup', 'purge', '--preview', '--from-snapshot', 'cut', ...at(dir)], message: /^Error: Snapshot "cut" is interrupted; it cannot limit a purge: take a new one/},
        {args: delta('--snapshot', 'held'), message: /Snapshot "held" is of account 210987654321, but the credentials in use are for account 123456789012/},
        {args: delta('--snapshot', 'good', '--save-as', 'good2'), message: /snapshot named "good2" already exists/},
        {args: delta('--snapshot', 'good', '--save-as', 'bad name!'), message: /Invalid snapshot name "bad name!"/},
        {args: delta('--snapshot', 'good', '--region', 'eu-west-1'), message: /^Error: Snapshot "good" did not collect eu-west-1 \(it has us-east-1; global types are always compared\)\.$/},
        {args: delta('--snapshot', 'good', '--region', 'us-east-1,ap-south-1'), message: /^Error: Snapshot "good" did not collect ap-south-1 \(it has us-east-1;/},
        {args: diff('good', 'good2', '--region', 'eu-north-1,us-east-1'), message: /^Error: Neither snapshot "good" nor "good2" collected eu-north-1 \(they have us-east-1; global types are always compared\)\.$/},
        {args: diff('good', 'good2', '--region', 'mars-1,us-east-1'), message: /^Error: Unknown region "mars-1" for --region\. Use names like us-east-1, or "global" for the global types\.$/},
        {args: delta('--snapshot', 'good', '-r', 'us-east-1', '-r', 'US-EST-1'), message: /^Error: Unknown region "us-est-1" for --region\. Did you mean "us-east-1"\? Use names like us-east-1, or "global" for the global types\.$/},
        {args: delta('--snapshot', 'good', '--export', join(root, 'missing', 'drift.json')), message: /^Error: Cannot write .*missing\/drift\.json: its directory does not exist\.$/},
        {args: delta('--snapshot', 'good', '--save-as', 'x', '--no-save'), message: /^Error: --no-save and --save-as cannot be used together\. See more help with --help\.$/},
      ],
      dir,
    )
    // For CI, --exit-code keeps 2 for "drift found": usage errors exit 1 then.
    const usage = await runCli(diff('good', 'good2', '--exit-code', '--bogus'))
    expectRefused(usage, /Nonexistent flag: --bogus/)
    expect(usage.code).toBe(1)
    const partial = await runCliJson<{drift: boolean}>(diff('good', 'cut', '--allow-partial'))
    expect(partial.drift).toBe(false)
  })

  it('with --json, an error exits non-zero with a JSON error object on stdout', async () => {
    const cases: Case[] = [
      {args: ['snapshot', 'show', 'nope', ...at()], message: /Unknown snapshot "nope"/},
      {args: [...create('good'), ...at()], message: /snapshot named "good" already exists/},
      {args: ['snapshot', 'create', 'x', '--regions', 'us-east-7', ...at()], message: /Unknown region "us-east-7"/},
      {args: ['inventory', 'delete', 'default', '--yes', ...at()], message: /"default" inventory cannot be deleted/},
      {args: [...create('x'), '--storage-path', storage, '--endpoint-url', 'http://127.0.0.1:1', '--max-attempts', '1'], message: /Cannot reach the AWS endpoint/},
      // The exit code is the one the same error has without --json.
      {args: ['query', 'sql', 'select * from v_nope', ...at()], message: /^SQL error: no such table: v_nope/, exit: 1},
      {args: ['query', 'sql', ...at()], message: /^Missing 1 required arg/, exit: 2},
      {args: ['query', 'sql', 'select 1', '--limit', '0', ...at()], message: /^--limit: Expected an integer greater than or equal to 1 but received: 0\. See more help with --help\.$/, exit: 2},
      {args: ['snapshot', 'list', '--bogus', ...at()], message: /^Nonexistent flag: --bogus/, exit: 2},
      {args: ['snapshots', 'list', ...at()], message: /^Unknown command "snapshots list"\. Did you mean "awsinv snapshot list"\?$/, exit: 2},
      {args: ['cleanup', 'execute', 'good', ...at()], message: /^Nothing was deleted: "cleanup execute" deletes only with --confirm/, exit: 2},
    ]
    const results = await Promise.all(cases.map((c) => runCli([...c.args, '--json'])))
    results.forEach((result, i) => {
      const context = `awsinv ${cases[i]!.args.join(' ')} --json\nexit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
      expect(result.code, context).not.toBe(0)
      expect(result.code, context).not.toBeNull()
      const output = JSON.parse(result.stdout) as {error?: {message?: string; oclif?: {exit?: number}}}
      expect(output.error?.message, context).toMatch(cases[i]!.message)
      const exit = cases[i]!.exit
      if (exit !== undefined) {
        expect(result.code, context).toBe(exit)
        expect(output.error?.oclif?.exit, context).toBe(exit)
      }

      expect(output.error?.message, context).not.toMatch(/\n/)
      expect(result.stderr, context).not.toMatch(/^\s+at /m)
    })
    expect(storeDigest(storage)).toBe(baseline)
  })
})
