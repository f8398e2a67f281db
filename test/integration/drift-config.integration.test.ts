import Database from 'better-sqlite3'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DriftReport} from '../../src/diff/snapshots.js'
import {runCliJson} from '../support/cli.js'
import {emulatorRecordedTypes, fixMotoConfigTimestamps, seedTopics, setUpRecorder} from '../support/config.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {emulatorClients} from '../support/seed.js'

/**
 * A resource read through AWS Config and the same resource read through its direct API must not read as
 * drift. The emulator's Config leaves bucket versioning out (see config.integration.test.ts), so the
 * buckets here have none; everything else is configured: tags, policies, trust documents, attachments.
 */
describe('drift between a Config snapshot and a direct-API snapshot of the same account', () => {
  let emulator: Emulator
  let proxy: FaultProxy
  let storage: string
  const base = () => ['--storage-path', storage, '--endpoint-url', proxy.url, '--regions', 'us-east-1', '--resource-types', emulatorRecordedTypes.join(',')]

  beforeAll(async () => {
    emulator = await startEmulator()
    const {iam, s3} = emulatorClients(emulator.url, 'us-east-1')
    const document = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*'}]})
    const policyArn = (await iam.createPolicy({PolicyName: 'p-read', PolicyDocument: document, Tags: [{Key: 'owner', Value: 'team-a'}]})).Policy!.Arn!
    await iam.createRole({
      RoleName: 'p-app',
      AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
      Tags: [{Key: 'env', Value: 'dev'}],
    })
    await iam.attachRolePolicy({RoleName: 'p-app', PolicyArn: policyArn})
    await iam.putRolePolicy({RoleName: 'p-app', PolicyName: 'inline', PolicyDocument: document})
    await s3.createBucket({Bucket: 'p-data'})
    await s3.putBucketTagging({Bucket: 'p-data', Tagging: {TagSet: [{Key: 'env', Value: 'dev'}]}})
    await s3.putBucketPolicy({
      Bucket: 'p-data',
      Policy: JSON.stringify({Version: '2012-10-17', Statement: [{Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::p-data/*', Condition: {Bool: {'aws:SecureTransport': 'false'}}}]}),
    })
    await s3.putPublicAccessBlock({Bucket: 'p-data', PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}})
    iam.destroy()
    s3.destroy()
    await seedTopics(emulator.url, 'us-east-1', 'p', ['alerts'], {env: 'dev'})
    await setUpRecorder(emulator.url, 'us-east-1')
    proxy = await startFaultProxy(emulator.url, [], {transform: fixMotoConfigTimestamps})
    storage = mkdtempSync(join(tmpdir(), 'awsinv-drift-config-'))
  })

  afterAll(async () => {
    await proxy?.close()
    await emulator?.stop()
  })

  it('reports no drift', async () => {
    await runCliJson(['snapshot', 'create', 'through-config', ...base()])
    await runCliJson(['snapshot', 'create', 'direct', '--no-config', ...base()])
    const db = new Database(join(storage, 'inventory.db'), {readonly: true})
    const sources = db.prepare(`select snapshot_name, source, count(*) as n from v_resources group by 1, 2 order by 1, 2`).all()
    db.close()
    // Both sides hold the same resources, one side entirely from Config, the other entirely from the APIs.
    expect(sources).toEqual([
      {snapshot_name: 'direct', source: 'api', n: expect.any(Number)},
      {snapshot_name: 'through-config', source: 'config', n: expect.any(Number)},
    ])
    const [direct, config] = sources as Array<{n: number}>
    expect(config!.n).toBe(direct!.n)
    expect(direct!.n).toBeGreaterThanOrEqual(5)

    const report = await runCliJson<DriftReport>(['query', 'diff', 'through-config', 'direct', '--storage-path', storage])
    expect(report.resources).toEqual([])
    expect(report.drift).toBe(false)
    expect(report.summary).toMatchObject({unchanged: direct!.n, notComparable: 0})
  })
})
