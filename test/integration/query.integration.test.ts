import {cpSync, existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ResourceSearchResult} from '../../src/query/resources.js'
import type {SqlQueryResult} from '../../src/query/sql.js'
import type {SnapshotReport} from '../../src/store/reports.js'
import {openStore} from '../../src/store/database.js'
import {insertInventory} from '../../src/store/inventories.js'
import {type CliResult, expectRefused, runCli, runCliJson} from '../support/cli.js'
import {parseCsv} from '../support/csv.js'
import {databaseFileDigest, fakeResource, finishedSnapshot} from '../support/store.js'
import {exampleQueries} from './database-examples.js'

/**
 * `query sql` and `query resources` end to end, on a real store holding two snapshots (built without
 * AWS): what they return in every format, and that nothing they are given can change the store.
 */

let root: string
let storage: string
const at = (dir = storage) => ['--storage-path', dir]
const sql = (query: string, ...extra: string[]) => runCli(['query', 'sql', query, ...extra, ...at()])
const sqlJson = (query: string, ...extra: string[]) => runCliJson<SqlQueryResult>(['query', 'sql', query, ...extra, ...at()])
const resources = (...args: string[]) => runCli(['query', 'resources', ...args, ...at()])
const resourcesJson = (...args: string[]) => runCliJson<ResourceSearchResult>(['query', 'resources', ...args, ...at()])

const longDescription = `a description far wider than any terminal ${'x'.repeat(300)}`

/** Success with nothing on stderr. */
function expectOk(result: CliResult): string {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0)
  expect(result.stderr).toBe('')
  return result.stdout
}

/** Runs refused invocations four at a time; each must be refused, and the database file must keep its bytes. */
async function expectAllRefused(cases: Array<{args: string[]; message: RegExp}>): Promise<void> {
  const before = databaseFileDigest(storage)
  for (let i = 0; i < cases.length; i += 4) {
    const group = cases.slice(i, i + 4)
    const results = await Promise.all(group.map((c) => runCli([...c.args, ...at()])))
    results.forEach((result, j) => expectRefused(result, group[j]!.message, `awsinv ${group[j]!.args.join(' ')}`))
  }

  expect(databaseFileDigest(storage)).toBe(before)
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'awsinv-query-'))
  storage = join(root, 'store')
  const store = openStore(storage)
  try {
    finishedSnapshot(store, 'baseline', {
      resources: [fakeResource('vpc-1', {tags: {env: 'prod'}}), fakeResource('vpc-2', {region: 'eu-west-1'}), fakeResource('vpc-gone')],
    })
    finishedSnapshot(store, 'after-deploy', {
      setActive: true,
      resources: [
        fakeResource('vpc-1', {name: 'prod-net', tags: {env: 'prod', owner: 'team-a'}}),
        fakeResource('vpc-2', {name: 'dev-net', region: 'eu-west-1', tags: {env: 'dev', owner: 'team-b'}}),
        fakeResource('vpc-3', {name: 'sbx, "quoted"', tags: {env: 'sandbox'}, configuration: {VpcId: 'vpc-3', Description: longDescription}}),
        fakeResource('vpc-4', {name: 'sbx-4', region: 'eu-central-1'}),
        fakeResource('app', {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/app', name: 'app', region: 'global', tags: {owner: 'team-a'}}),
      ],
    })
    insertInventory(store, {name: 'empty'})
  } finally {
    store.close()
  }
})

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('query sql: refused statements leave the database file byte for byte unchanged', () => {
  const refused = (kind: string, extra = '') => new RegExp(`^Error: query sql is read-only: ${kind} statements are refused${extra}\\.$`)

  it('refuses every kind of write, naming it', async () => {
    await expectAllRefused([
      {args: ['query', 'sql', "insert into inventories (name, created_at) values ('x', 'now')"], message: refused('INSERT')},
      {args: ['query', 'sql', "insert or replace into inventories (name, created_at) values ('x', 'now') on conflict do nothing"], message: refused('INSERT')},
      {args: ['query', 'sql', "update snapshots set name = 'hacked'"], message: refused('UPDATE')},
      {args: ['query', 'sql', 'delete from resources'], message: refused('DELETE')},
      {args: ['query', 'sql', "replace into configurations (hash, json) values ('h', '{}')"], message: refused('REPLACE')},
      {args: ['query', 'sql', 'drop table resource_tags'], message: refused('DROP')},
      {args: ['query', 'sql', 'DROP VIEW v_resources'], message: refused('DROP')},
      {args: ['query', 'sql', 'create table evil (x)'], message: refused('CREATE')},
      {args: ['query', 'sql', 'create temp table scratch (x)'], message: refused('CREATE')},
      {args: ['query', 'sql', 'create index evil_idx on resources (name)'], message: refused('CREATE')},
      {args: ['query', 'sql', 'create trigger evil after insert on resources begin delete from resources; end'], message: refused('CREATE', ' \\(found in statement 1 of 2\\)')},
      {args: ['query', 'sql', 'alter table resources add column evil text'], message: refused('ALTER')},
      {args: ['query', 'sql', 'vacuum'], message: refused('VACUUM')},
      {args: ['query', 'sql', 'reindex'], message: refused('REINDEX')},
      {args: ['query', 'sql', 'analyze'], message: refused('ANALYZE')},
      {args: ['query', 'sql', 'delete from snapshots', '--snapshot', 'baseline'], message: refused('DELETE')},
    ])
  })

  it('refuses ATTACH, DETACH and VACUUM INTO, creating no file', async () => {
    const attached = join(root, 'attached.db')
    const copy = join(root, 'copy.db')
    await expectAllRefused([
      {args: ['query', 'sql', `attach database '${attached}' as evil`], message: refused('ATTACH')},
      {args: ['query', 'sql', 'detach database main'], message: refused('DETACH')},
      {args: ['query', 'sql', `vacuum into '${copy}'`], message: refused('VACUUM')},
    ])
    expect(existsSync(attached)).toBe(false)
    expect(existsSync(copy)).toBe(false)
  })

  it('refuses pragmas that change state, in both forms, and transaction control', async () => {
    await expectAllRefused([
      {args: ['query', 'sql', 'pragma user_version = 42'], message: /^Error: query sql is read-only: PRAGMA user_version = … sets a value and is refused\.$/},
      {args: ['query', 'sql', 'PRAGMA journal_mode=DELETE'], message: /PRAGMA journal_mode = … sets a value and is refused/},
      {args: ['query', 'sql', 'pragma query_only = off'], message: /PRAGMA query_only = … sets a value and is refused/},
      {args: ['query', 'sql', 'pragma user_version(42)'], message: /^Error: query sql is read-only: PRAGMA user_version\(…\) is refused; only pragmas that read are allowed/},
      {args: ['query', 'sql', 'pragma wal_checkpoint(truncate)'], message: /PRAGMA wal_checkpoint\(…\) is refused/},
      {args: ['query', 'sql', 'pragma optimize'], message: /PRAGMA optimize is refused/},
      {args: ['query', 'sql', 'begin immediate'], message: refused('BEGIN', ' \\(each query runs alone, on a read-only connection\\)')},
      {args: ['query', 'sql', 'commit'], message: /COMMIT statements are refused/},
      {args: ['query', 'sql', 'savepoint s'], message: /SAVEPOINT statements are refused/},
    ])
  })

  it('refuses a write hidden behind a CTE, a comment or an earlier statement, and never runs the read before it', async () => {
    await expectAllRefused([
      {args: ['query', 'sql', 'with doomed as (select id from snapshots) delete from snapshots where id in (select id from doomed)'], message: refused('DELETE')},
      {args: ['query', 'sql', "with v(x) as (values (1)) insert into inventories (name, created_at) select 'cte', 'now' from v"], message: refused('INSERT')},
      {args: ['query', 'sql', 'select count(*) from v_resources; delete from resources'], message: refused('DELETE', ' \\(found in statement 2 of 2\\)')},
      {args: ['query', 'sql', 'select 1; /* only a comment */ drop table snapshots; select 2'], message: refused('DROP', ' \\(found in statement 2 of 3\\)')},
      {args: ['query', 'sql', 'select 1;\n-- harmless\nUPDATE snapshots SET name = name'], message: refused('UPDATE', ' \\(found in statement 2 of 2\\)')},
      {args: ['query', 'sql', 'select 1; select 2'], message: /^Error: query sql runs one statement at a time; found 2\. Run them one by one\.$/},
    ])
  })

  it('makes load_extension impossible', async () => {
    await expectAllRefused([
      {args: ['query', 'sql', "select load_extension('/tmp/evil.so')"], message: /^Error: query sql cannot load SQLite extensions: load_extension is refused\.$/},
      {args: ['query', 'sql', "select load_extension('/tmp/evil.so', 'entry') from v_resources"], message: /cannot load SQLite extensions/},
    ])
  })

  it('reports a refusal as a JSON error with --json', async () => {
    const result = await sql('delete from resources', '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({error: {message: 'query sql is read-only: DELETE statements are refused.'}})
  })

  it('detects a change to the file: the digest is not blind', async () => {
    const copy = join(root, 'changed')
    cpSync(storage, copy, {recursive: true})
    const before = databaseFileDigest(copy)
    await runCliJson(['snapshot', 'rename', 'baseline', 'renamed', ...at(copy)])
    expect(databaseFileDigest(copy)).not.toBe(before)
  })
})

describe('query sql: errors', () => {
  it('reports SQL errors, unknown tables and columns, and unknown snapshots in one line', async () => {
    await expectAllRefused([
      {args: ['query', 'sql', 'select * form v_resources'], message: /^Error: SQL error: near "form": syntax error \(line 1, column 10: select \* form v_resources\)\.$/},
      {args: ['query', 'sql', 'select * from v_nope'], message: /^Error: SQL error: no such table: v_nope \(line 1, column 15: select \* from v_nope\)\.$/},
      {args: ['query', 'sql', 'select arn,\n  nope\nfrom v_resources'], message: /^Error: SQL error: no such column: nope \(line 2, column 3: nope\)\.$/},
      {args: ['query', 'sql', 'select * from v_resource'], message: /^Error: SQL error: no such table: v_resource \(line 1, column 15: select \* from v_resource\)\. Did you mean v_resources\?$/},
      {args: ['query', 'sql', 'select r.nme from v_resources r'], message: /^Error: SQL error: no such column: r\.nme \(line 1, column 10: select r\.nme from v_resources r\)\. Did you mean name\?$/},
      {args: ['query', 'sql', 'select 1 +'], message: /^Error: SQL error: incomplete input/},
      {args: ['query', 'sql', 'select 1', '--snapshot', 'ghost'], message: /^Error: Unknown snapshot "ghost"\. Run "awsinv snapshot list"/},
      {args: ['query', 'sql', '   '], message: /^Error: No SQL to run: the query is empty\.$/},
    ])
  })

  it('refuses a --limit below 1 as a usage error', async () => {
    const result = await sql('select 1', '--limit', '0')
    expect(result.code).toBe(2)
  })
})

describe('query sql: results', () => {
  it('--json gives {columns, rows, rowCount, truncated}, the same document as --format json', async () => {
    const query = "select snapshot_name, count(*) as n, null as missing from v_resources group by snapshot_name order by snapshot_name"
    const json = await sqlJson(query)
    expect(json).toEqual({
      columns: ['snapshot_name', 'n', 'missing'],
      rows: [
        ['after-deploy', 5, null],
        ['baseline', 3, null],
      ],
      rowCount: 2,
      truncated: false,
    })
    expect(JSON.parse(expectOk(await sql(query, '--format', 'json')))).toEqual(json)
  })

  it('csv is one RFC 4180 document: header of column names, CRLF records, NULL as an empty field', async () => {
    const out = expectOk(await sql("select name, tags, null as missing from v_resources where snapshot_name = 'after-deploy' and resource_id = 'vpc-3'", '--format', 'csv'))
    expect(out.endsWith('\r\n')).toBe(true)
    expect(parseCsv(out)).toEqual([
      ['name', 'tags', 'missing'],
      ['sbx, "quoted"', '{"env":"sandbox"}', ''],
    ])
  })

  it('prints tables in full when piped, and markdown on request', async () => {
    const table = expectOk(await sql("select resource_id, configuration from v_resources where resource_id = 'vpc-3'"))
    expect(table).toContain(longDescription)
    expect(table).not.toContain('…')
    const md = expectOk(await sql("select resource_id, name from v_resources where resource_id = 'vpc-3'", '--format', 'md'))
    expect(md.split('\n').slice(0, 3)).toEqual(['| resource_id | name |', '| --- | --- |', '| vpc-3 | sbx, "quoted" |'])
    // Choices are case-insensitive.
    expect(expectOk(await sql("select resource_id, name from v_resources where resource_id = 'vpc-3'", '--format=MD'))).toBe(md)
  })

  it('--limit stops after N rows and says so on stderr', async () => {
    const query = 'select arn from v_resources order by snapshot_id, arn'
    const cut = await sql(query, '--limit', '3', '--format', 'csv')
    expect(cut.code).toBe(0)
    expect(parseCsv(cut.stdout)).toHaveLength(4)
    expect(cut.stderr).toBe('Showing the first 3 rows; more were cut by --limit.\n')
    expect(await sqlJson(query, '--limit', '3')).toMatchObject({rowCount: 3, truncated: true})
    // Exactly as many rows as the limit: nothing was cut, nothing is said.
    const exact = await sql(query, '--limit', '8')
    expect(expectOk(exact)).toContain('vpc-gone')
    expect(await sqlJson(query, '--limit', '8')).toMatchObject({rowCount: 8, truncated: false})
  })

  it('--snapshot scopes all four documented views to one snapshot', async () => {
    const counts = `select (select count(*) from v_resources), (select count(*) from v_resource_tags), (select count(*) from v_coverage),
      (select group_concat(name) from v_snapshots)`
    const [all, baseline, after] = await Promise.all([sqlJson(counts), sqlJson(counts, '--snapshot', 'baseline'), sqlJson(counts, '--snapshot', 'after-deploy')])
    expect(all.rows).toEqual([[8, 7, 2, expect.stringMatching(/^(baseline,after-deploy|after-deploy,baseline)$/)]])
    expect(baseline.rows).toEqual([[3, 1, 1, 'baseline']])
    expect(after.rows).toEqual([[5, 6, 1, 'after-deploy']])
    // The same query, untouched, on each snapshot: the documented per-type count.
    const perType = 'select type, count(*) from v_resources group by type order by type'
    expect((await sqlJson(perType, '--snapshot', 'after-deploy')).rows).toEqual([
      ['AWS::EC2::VPC', 4],
      ['AWS::IAM::Role', 1],
    ])
  })

  it('allows pragmas that only read', async () => {
    const info = await sqlJson('pragma table_info(v_resources)')
    expect(info.columns).toEqual(['cid', 'name', 'type', 'notnull', 'dflt_value', 'pk'])
    expect(info.rows.map((r) => r[1])).toContain('configuration')
    expect((await sqlJson("select name from pragma_table_list where schema = 'main' order by name")).rows.flat()).toContain('v_snapshots')
  })

  it("runs every DATABASE.md example query unchanged (none is refused)", async () => {
    for (let i = 0; i < exampleQueries.length; i += 4) {
      const group = exampleQueries.slice(i, i + 4)
      const results = await Promise.all(group.map((q) => sql(q.sql, '--format', 'csv')))
      results.forEach((result, j) => expect(result.code, `${group[j]!.title}\n${result.stderr}`).toBe(0))
    }
  })
})

describe('stdin', () => {
  it('query sql - reads the statement from stdin, refused like any other when it writes', async () => {
    const piped = await runCli(['query', 'sql', '-', '--format', 'csv', ...at()], {stdin: "select resource_id from v_resources\nwhere snapshot_name = 'baseline'\norder by 1;\n"})
    expect(parseCsv(expectOk(piped))).toEqual([['resource_id'], ['vpc-1'], ['vpc-2'], ['vpc-gone']])
    const before = databaseFileDigest(storage)
    expectRefused(await runCli(['query', 'sql', '-', ...at()], {stdin: 'delete from resources'}), /^Error: query sql is read-only: DELETE statements are refused\.$/)
    expectRefused(await runCli(['query', 'sql', '-', ...at()]), /^Error: No SQL to run: the query is empty\.$/)
    expect(databaseFileDigest(storage)).toBe(before)
  })

  it('never fills a missing argument from piped stdin', async () => {
    // The SQL given as the argument runs; what is piped is left alone.
    const argument = await runCli(['query', 'sql', 'select 2 as two', '--format', 'csv', ...at()], {stdin: 'select 1 as one'})
    expect(parseCsv(expectOk(argument))).toEqual([['two'], ['2']])
    // Without a name, the report is of the active snapshot, not of the name piped in.
    const report = await runCliJson<SnapshotReport>(['snapshot', 'report', ...at()], {stdin: 'baseline\n'})
    expect(report.snapshot.name).toBe('after-deploy')
    // A required name missing is a usage error, whatever stdin holds: nothing is deleted.
    const before = databaseFileDigest(storage)
    const deletion = await runCli(['snapshot', 'delete', '--yes', ...at()], {stdin: 'baseline\n'})
    expect(deletion.code).toBe(2)
    expect(deletion.stderr).toMatch(/Missing 1 required arg/)
    expect(databaseFileDigest(storage)).toBe(before)
  })
})

describe('query resources', () => {
  it('searches the active snapshot of the default inventory by default, with the result shape', async () => {
    const [result, report] = await Promise.all([resourcesJson('--tag', 'env=prod'), runCliJson<SnapshotReport>(['snapshot', 'report', '--detailed', ...at()])])
    expect(result).toMatchObject({snapshot: {name: 'after-deploy', active: true}, count: 1, truncated: false})
    expect(Object.keys(result.resources[0]!).sort()).toEqual(['accountId', 'arn', 'createdAt', 'id', 'name', 'region', 'source', 'tags', 'type'])
    // The same resource objects as `snapshot report --detailed`.
    expect(result.resources).toEqual(report.resources!.filter((r) => r.tags.env === 'prod'))
    expect(result.resources[0]).toMatchObject({id: 'vpc-1', name: 'prod-net', tags: {env: 'prod', owner: 'team-a'}})
  })

  it('filters by type, region, tags, ARN and name globs', async () => {
    const ids = async (...args: string[]) => (await resourcesJson(...args)).resources.map((r) => r.id)
    const [types, regions, repeated, tags, anyValue, arn, name, combined, older] = await Promise.all([
      ids('--type', 'AWS::IAM::*'),
      ids('--region', 'eu-west-1,global'),
      ids('--region', 'eu-*', '--region', 'global'),
      ids('--tag', 'env=*', '--tag', 'owner=team-?'),
      ids('--tag', 'owner=*'),
      ids('--arn', 'arn:aws:ec2:*:vpc/vpc-[34]'),
      ids('--name', 'sbx*'),
      ids('--type', 'AWS::EC2::*', '--region', 'us-east-1', '--tag', 'env=s*'),
      ids('--snapshot', 'baseline', '--tag', 'env=prod'),
    ])
    expect(types).toEqual(['app'])
    expect(regions).toEqual(['vpc-2', 'app'])
    expect(repeated).toEqual(['vpc-4', 'vpc-2', 'app'])
    expect(tags).toEqual(['vpc-2', 'vpc-1'])
    expect(anyValue).toEqual(['vpc-2', 'vpc-1', 'app'])
    // `[` is literal, as AWS globs have no character classes.
    expect(arn).toEqual([])
    expect(name).toEqual(['vpc-4', 'vpc-3'])
    expect(combined).toEqual(['vpc-3'])
    expect(older).toEqual(['vpc-1'])

    // Services, type ids and globs in any case, as every command takes types; region ids in any case too.
    const [service, lower, upperRegion] = await Promise.all([ids('--type', 'IAM'), ids('--type', 'aws::iam::role'), ids('--type', 'aws::ec2::*', '--region', 'EU-*')])
    expect(service).toEqual(['app'])
    expect(lower).toEqual(['app'])
    expect(upperRegion).toEqual(['vpc-4', 'vpc-2'])
  })

  it('takes the type and region flags under the spellings other commands use', async () => {
    const ids = async (...args: string[]) => (await resourcesJson(...args)).resources.map((r) => r.id)
    const [plural, long] = await Promise.all([
      ids('--types', 'AWS::EC2::*', '--regions', 'us-east-1', '--tag', 'env=s*'),
      ids('--resource-types', 'AWS::IAM::*', '--resource-type', 'AWS::EC2::VPC', '--regions', 'global'),
    ])
    expect(plural).toEqual(['vpc-3'])
    expect(long).toEqual(['app'])
  })

  it('prints a table, csv with every field, and says when --limit cut the list', async () => {
    const table = expectOk(await resources('--inventory', 'default'))
    expect(table).toMatch(/│ AWS::IAM::Role +│ global +│ app +│ app +│ owner=team-a +│ arn:aws:iam::123456789012:role\/app +│/)
    expect(table.trimEnd().split('\n').at(-1)).toBe('5 resources in snapshot "after-deploy" (active)')

    const csv = expectOk(await resources('--format', 'csv', '--name', 'sbx*'))
    const [header, ...rows] = parseCsv(csv)
    expect(header).toEqual(['arn', 'type', 'id', 'name', 'region', 'accountId', 'createdAt', 'source', 'tags'])
    expect(rows.map((r) => [r[2], r[3], r[8]])).toEqual([
      ['vpc-4', 'sbx-4', '{}'],
      ['vpc-3', 'sbx, "quoted"', '{"env":"sandbox"}'],
    ])

    const cut = await resources('--limit', '2')
    expect(cut.code).toBe(0)
    expect(cut.stderr).toBe('Showing the first 2 resources; more matched (raise --limit to see them).\n')
    expect(await resourcesJson('--limit', '2')).toMatchObject({count: 2, truncated: true})
    expect(expectOk(await resources('--name', 'nothing-*'))).toBe('No resources in snapshot "after-deploy" (active) match.\n')
  })

  it('refuses malformed tags, unknown snapshots and inventories, and an inventory without an active snapshot', async () => {
    await expectAllRefused([
      {args: ['query', 'resources', '--tag', 'env'], message: /^Error: --tag "env" must be KEY=VALUE \(VALUE may use \* and \?; KEY=\* matches any value\)\.$/},
      {args: ['query', 'resources', '--tag', '=prod'], message: /^Error: --tag "=prod" has an empty key: use KEY=VALUE\.$/},
      {args: ['query', 'resources', '--snapshot', 'ghost'], message: /^Error: Unknown snapshot "ghost"/},
      {args: ['query', 'resources', '--inventory', 'ghost'], message: /^Error: Unknown inventory "ghost"/},
      {args: ['query', 'resources', '--inventory', 'empty'], message: /^Error: Inventory "empty" has no active snapshot\. Name one with --snapshot, or take one with "awsinv snapshot create --inventory empty"\.$/},
    ])
  })
})
