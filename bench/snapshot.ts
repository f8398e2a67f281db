// `npm run bench` — how close `awsinv snapshot create` comes to the raw floor, and how fast the CLI starts.
//   tsx bench/snapshot.ts [--scale N] [--runs K]
// Seeds about N resources into the AWS emulator, then times (median of K runs, whole processes):
//   awsinv snapshot create --no-config   vs  bench/raw-snapshot.mjs (the same SDK calls, same concurrency, no storage)
//   awsinv --help                        vs  node -e 0
//   Config-recorded types through AWS Config vs the same types through direct APIs (API calls per resource)
// and prints API calls, calls per resource, peak RSS and the ratios. Figures only: nothing is asserted.
import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {S3} from '@aws-sdk/client-s3'
import Database from 'better-sqlite3'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {emulatorEnv, ensureEmulatorInstalled, repoRoot, startEmulator} from '../test/support/emulator.js'
import {emulatorRecordedTypes, fixMotoConfigTimestamps, seedTopics, setUpRecorder} from '../test/support/config.js'
import {startFaultProxy} from '../test/support/fault-proxy.js'
import {seedCredentials} from '../test/support/seed.js'
import {median, timed} from './measure.js'

const {values} = parseArgs({options: {scale: {type: 'string', default: '1000'}, runs: {type: 'string', default: '3'}}})
const scale = Number(values.scale)
const runs = Number(values.runs)
const regions = ['us-east-1', 'eu-west-1']
const env = {...process.env, ...emulatorEnv}
// The types bench/raw-snapshot.mjs lists: the same cells on both sides (the registry has more since).
const rawTypes = [
  ...['VPC', 'Subnet', 'SecurityGroup', 'NetworkInterface', 'InternetGateway', 'NatGateway', 'RouteTable', 'NetworkAcl', 'VPCEndpoint', 'FlowLog']
    .concat(['Instance', 'Volume', 'Snapshot', 'LaunchTemplate', 'KeyPair', 'EIP'])
    .map((t) => `AWS::EC2::${t}`),
  'AWS::SNS::Topic',
  'AWS::Lambda::Function',
  'AWS::S3::Bucket',
  ...['User', 'Group', 'Role', 'Policy', 'InstanceProfile'].map((t) => `AWS::IAM::${t}`),
].join(',')

/** Seeds about `n` resources spread over cheap-to-create types in two regions and IAM. */
async function seed(endpoint: string, n: number): Promise<void> {
  const per = (share: number) => Math.max(1, Math.round(n * share))
  const batch = async (count: number, make: (i: number) => Promise<unknown>) => {
    const started = Date.now()
    for (let i = 0; i < count; i += 16) await Promise.all(Array.from({length: Math.min(16, count - i)}, (_, j) => make(i + j)))
    if (process.env.BENCH_DEBUG) process.stderr.write(`  seeded ${count} in ${Date.now() - started} ms\n`)
  }

  const tags = (name: string) => [{ResourceType: 'security-group' as const, Tags: [{Key: 'Name', Value: name}, {Key: 'env', Value: 'bench'}]}]
  for (const region of regions) {
    const ec2 = new EC2({endpoint, region, credentials: seedCredentials})
    const vpc = (await ec2.createVpc({CidrBlock: '10.30.0.0/16'})).Vpc!.VpcId!
    await batch(per(0.15), (i) => ec2.createSecurityGroup({GroupName: `sg-${i}`, Description: 'bench', VpcId: vpc, TagSpecifications: tags(`sg-${i}`)}))
    await batch(per(0.1), (i) => ec2.createVolume({AvailabilityZone: `${region}a`, Size: 1, TagSpecifications: [{ResourceType: 'volume', Tags: [{Key: 'Name', Value: `v-${i}`}]}]}))
    await batch(per(0.05), (i) => ec2.createSubnet({VpcId: vpc, CidrBlock: `10.30.${Math.floor(i / 16)}.${(i % 16) * 16}/28`}))
    await batch(per(0.05), (i) => ec2.createKeyPair({KeyName: `key-${i}`}))
    ec2.destroy()
  }

  const s3 = new S3({endpoint, region: 'us-east-1', credentials: seedCredentials, forcePathStyle: true})
  await batch(per(0.05), (i) => s3.createBucket({Bucket: `bench-bucket-${i}`}))
  s3.destroy()
  const iam = new IAM({endpoint, region: 'us-east-1', credentials: seedCredentials})
  const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]})
  await batch(per(0.05), (i) => iam.createRole({RoleName: `role-${i}`, AssumeRolePolicyDocument: trust}))
  await batch(per(0.05), (i) =>
    iam.createPolicy({PolicyName: `policy-${i}`, PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]})}),
  )
  iam.destroy()
}

const configTypes = emulatorRecordedTypes

/**
 * Records the Config-served types in us-east-1, adds SNS topics, then snapshots those types through
 * AWS Config and through direct APIs. Calls are read from the coverage rows of the cells Config served.
 * The Config run goes through the test proxy that repairs the emulator's Config timestamps.
 */
async function benchConfig(emulatorUrl: string, storage: string, cli: string, n: number, runs: number) {
  const region = 'us-east-1'
  // About n/4 more of each recorded type, so the per-resource figure reflects full pages and batches of 100.
  const each = Math.max(1, Math.round(n / 4))
  await seedTopics(emulatorUrl, region, 'bench', Array.from({length: each}, (_, i) => `topic-${i}`))
  const s3 = new S3({endpoint: emulatorUrl, region, credentials: seedCredentials, forcePathStyle: true})
  const iam = new IAM({endpoint: emulatorUrl, region, credentials: seedCredentials})
  const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]})
  const document = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'sns:Publish', Resource: '*'}]})
  for (let i = 0; i < each; i += 16) {
    const batch = Array.from({length: Math.min(16, each - i)}, (_, j) => i + j)
    await Promise.all(batch.flatMap((k) => [
      s3.createBucket({Bucket: `bench-config-bucket-${k}`}),
      iam.createRole({RoleName: `config-role-${k}`, AssumeRolePolicyDocument: trust}),
      iam.createPolicy({PolicyName: `config-policy-${k}`, PolicyDocument: document}),
    ]))
  }

  s3.destroy()
  iam.destroy()
  await setUpRecorder(emulatorUrl, region)
  const proxy = await startFaultProxy(emulatorUrl, [], {transform: fixMotoConfigTimestamps})
  const endpoint = proxy.url

  const run = async (name: string, extra: string[]) => {
    const t = await timed(process.execPath, [cli, 'snapshot', 'create', name, '--storage-path', storage, '--endpoint-url', endpoint, '--regions', region, '--resource-types', configTypes.join(','), '--json', ...extra], env)
    const db = new Database(join(storage, 'inventory.db'), {readonly: true})
    const rows = db
      .prepare(`select source, sum(api_calls) as calls, sum(item_count) as items from v_coverage where snapshot_name = ? group by source`)
      .all(name) as Array<{source: string; calls: number; items: number}>
    db.close()
    return {seconds: t.seconds, rows}
  }

  const viaConfig: number[] = []
  const direct: number[] = []
  let configCalls = 0
  let directCalls = 0
  let resources = 0
  let directResources = 0
  for (let i = 0; i < runs; i++) {
    const c = await run(`config-${i}`, [])
    viaConfig.push(c.seconds)
    const served = c.rows.find((r) => r.source === 'config')
    // Only the cells AWS Config served: any cell that fell back to a direct API is not counted here.
    configCalls = served?.calls ?? Number.NaN
    resources = served?.items ?? 0
    const d = await run(`direct-${i}`, ['--no-config'])
    direct.push(d.seconds)
    directCalls = d.rows.reduce((sum, r) => sum + r.calls, 0)
    directResources = d.rows.reduce((sum, r) => sum + r.items, 0)
  }

  await proxy.close()
  return {configSeconds: median(viaConfig), directSeconds: median(direct), configCalls, directCalls, resources, directResources}
}

ensureEmulatorInstalled()
const emulator = await startEmulator()
try {
  process.stdout.write(`Seeding about ${scale} resources into the emulator at ${emulator.url}…\n`)
  await seed(emulator.url, scale)
  process.stdout.write(`Seeded. Timing ${runs} run(s) of each…\n`)
  const storage = mkdtempSync(join(tmpdir(), 'awsinv-bench-'))
  const cli = join(repoRoot, 'bin', 'run.js')

  // Warm the emulator and the OS caches once, untimed.
  await timed(process.execPath, [join(repoRoot, 'bench', 'raw-snapshot.mjs'), emulator.url, regions.join(',')], env)

  const awsinv: number[] = []
  const raw: number[] = []
  let rss = 0
  let rawRss = 0
  let calls = 0
  let rawCalls = 0
  let resources = 0
  for (let run = 0; run < runs; run++) {
    const a = await timed(process.execPath, [cli, 'snapshot', 'create', `bench-${run}`, '--storage-path', storage, '--endpoint-url', emulator.url, '--regions', regions.join(','), '--resource-types', rawTypes, '--no-config', '--json'], env)
    const result = JSON.parse(a.stdout) as {snapshot: {apiCalls: number; resourceCount: number; status: string}}
    if (result.snapshot.status !== 'complete') throw new Error(`snapshot ${result.snapshot.status}`)
    awsinv.push(a.seconds)
    rss = Math.max(rss, a.rssKiB)
    calls = result.snapshot.apiCalls
    resources = result.snapshot.resourceCount
    const r = await timed(process.execPath, [join(repoRoot, 'bench', 'raw-snapshot.mjs'), emulator.url, regions.join(',')], env)
    raw.push(r.seconds)
    rawRss = Math.max(rawRss, r.rssKiB)
    rawCalls = (JSON.parse(r.stdout) as {calls: number}).calls
  }

  const help: number[] = []
  const bare: number[] = []
  for (let run = 0; run < 10; run++) {
    help.push((await timed(process.execPath, [cli, '--help'], env)).seconds)
    bare.push((await timed(process.execPath, ['-e', '0'], env)).seconds)
  }

  const config = await benchConfig(emulator.url, storage, cli, scale, runs)

  const fmt = (s: number) => `${s.toFixed(3)} s`
  const lines = [
    `snapshot create: ${resources} resources in ${regions.length} regions, median of ${runs} runs`,
    `  awsinv snapshot create   ${fmt(median(awsinv))}   ${calls} API calls (${(calls / resources).toFixed(3)} per resource), peak RSS ${(rss / 1024).toFixed(0)} MiB`,
    `  raw SDK floor            ${fmt(median(raw))}   ${rawCalls} API calls, peak RSS ${(rawRss / 1024).toFixed(0)} MiB`,
    `  ratio                    ${(median(awsinv) / median(raw)).toFixed(2)}x   (target <= 1.3x)`,
    `cold start, median of 10 runs`,
    `  awsinv --help            ${fmt(median(help))}`,
    `  node -e 0                ${fmt(median(bare))}`,
    `  ratio                    ${(median(help) / median(bare)).toFixed(2)}x   (target <= 2.5x)`,
    `AWS Config-recorded types (${configTypes.join(', ')}) in us-east-1, median of ${runs} runs`,
    `  through AWS Config       ${fmt(config.configSeconds)}   ${config.resources} resources from Config, ${config.configCalls} API calls (${(config.configCalls / config.resources).toFixed(3)} per resource; target <= 0.03)`,
    `  through direct APIs      ${fmt(config.directSeconds)}   ${config.directResources} resources, ${config.directCalls} API calls (${(config.directCalls / config.directResources).toFixed(3)} per resource)`,
    `  wall-time ratio          ${(config.configSeconds / config.directSeconds).toFixed(2)}x (Config / direct)`,
  ]
  process.stdout.write(`\n${lines.join('\n')}\n`)
} finally {
  await emulator.stop()
}
