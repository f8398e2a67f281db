import {CloudTrail} from '@aws-sdk/client-cloudtrail'
import {IAM} from '@aws-sdk/client-iam'
import {S3} from '@aws-sdk/client-s3'
import {SecretsManager} from '@aws-sdk/client-secrets-manager'
import {SNS} from '@aws-sdk/client-sns'
import {SQS} from '@aws-sdk/client-sqs'
import Database from 'better-sqlite3'
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {CleanupResult} from '../../src/cleanup/run-plan.js'
import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import type {Relationship} from '../../src/resources/types.js'
import {runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials, selfSignedCertificate} from '../support/seed.js'

interface StoredResource {
  arn: string
  type: string
  resource_id: string
  name: string
  region: string
  created_at: string | null
  source: string
  configuration: string
  tags: string
  relationships: string
}

interface CoverageRow {
  resource_type: string
  region: string
  status: string
  source: string
  item_count: number
}

const ACCOUNT = '123456789012'
// Values that must never reach the database: two secret strings and the certificate's private key.
const SECRET_VALUES = ['db-password-5d1e9c0b', 'api-token-77a3f2e4']

/** The base64 line of a PEM that is most its own (the middle one), to look for in the database. */
function pemLine(pem: string): string {
  const lines = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'))
  return lines[Math.floor(lines.length / 2)]!
}

async function seed(endpoint: string, certificate: {body: string; privateKey: string}): Promise<void> {
  const config = (region: string) => ({endpoint, region, credentials: seedCredentials, maxAttempts: 2})
  const east = config('us-east-1')
  const west = config('eu-west-1')

  const secrets = new SecretsManager(east)
  await secrets.createSecret({Name: 'app/db', SecretString: SECRET_VALUES[0], Tags: [{Key: 'team', Value: 'payments'}]})
  // Without a rotation function the emulator rotates at once and records the schedule.
  await secrets.rotateSecret({SecretId: 'app/db', RotationRules: {AutomaticallyAfterDays: 30}})
  await new SecretsManager(west).createSecret({Name: 'app/token', SecretString: SECRET_VALUES[1], Description: 'never rotated'})

  const s3 = new S3({...east, forcePathStyle: true})
  await s3.createBucket({Bucket: 'audit-logs-123456789012'})
  await new SNS(east).createTopic({Name: 'audit-alerts'})
  const trails = new CloudTrail(east)
  await trails.createTrail({
    Name: 'org-audit',
    S3BucketName: 'audit-logs-123456789012',
    SnsTopicName: 'audit-alerts',
    IsMultiRegionTrail: true,
    EnableLogFileValidation: true,
    KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    TagsList: [{Key: 'team', Value: 'security'}],
  })
  await trails.startLogging({Name: 'org-audit'})
  await new CloudTrail(west).createTrail({Name: 'west-local', S3BucketName: 'audit-logs-123456789012'})

  await new IAM(east).uploadServerCertificate({
    ServerCertificateName: 'legacy-web',
    Path: '/cloudfront/',
    CertificateBody: certificate.body,
    PrivateKey: certificate.privateKey,
    Tags: [{Key: 'app', Value: 'web'}],
  })

  const sqs = new SQS(east)
  const dlq = await sqs.createQueue({QueueName: 'orders-dlq', tags: {team: 'orders'}})
  const {Attributes} = await sqs.getQueueAttributes({QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn']})
  const orders = await sqs.createQueue({
    QueueName: 'orders',
    Attributes: {VisibilityTimeout: '60', RedrivePolicy: JSON.stringify({deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 5})},
    tags: {team: 'orders'},
  })
  // A message in flight: its counter must not be stored.
  await sqs.sendMessage({QueueUrl: orders.QueueUrl, MessageBody: 'order 42'})
}

describe('collecting secrets, trails, server certificates and queues', () => {
  let emulator: Emulator
  let storage: string
  let certificate: {body: string; privateKey: string}
  let result: Extract<SnapshotCreateResult, {dryRun: false}>
  let rows: StoredResource[]
  let coverage: CoverageRow[]
  const row = (type: string, name: string) => rows.find((r) => r.type === type && r.name === name)
  const configurationOf = (type: string, name: string) => JSON.parse(row(type, name)?.configuration ?? 'null') as Record<string, unknown>
  const edgesOf = (type: string, name: string) => JSON.parse(row(type, name)?.relationships ?? '[]') as Relationship[]

  beforeAll(async () => {
    emulator = await startEmulator()
    certificate = selfSignedCertificate('legacy.example.test')
    await seed(emulator.url, certificate)
    storage = mkdtempSync(join(tmpdir(), 'awsinv-sec-'))
    result = await runCliJson<Extract<SnapshotCreateResult, {dryRun: false}>>([
      'snapshot',
      'create',
      'security-inputs',
      '--storage-path',
      storage,
      '--endpoint-url',
      emulator.url,
      '--regions',
      'us-east-1,eu-west-1',
      '--resource-types',
      'secretsmanager,cloudtrail,AWS::IAM::ServerCertificate,sqs',
      '--no-config',
    ])
    const db = new Database(join(storage, 'inventory.db'), {readonly: true})
    rows = db.prepare(`select * from v_resources where snapshot_name = 'security-inputs'`).all() as StoredResource[]
    coverage = db.prepare('select resource_type, region, status, source, item_count from coverage order by resource_type, region').all() as CoverageRow[]
    db.close()
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  it('collects every cell through the direct APIs', () => {
    expect(result.snapshot).toMatchObject({name: 'security-inputs', status: 'complete'})
    expect(result.gaps).toEqual([])
    expect(coverage).toEqual([
      {resource_type: 'AWS::CloudTrail::Trail', region: 'eu-west-1', status: 'ok', source: 'api', item_count: 1},
      {resource_type: 'AWS::CloudTrail::Trail', region: 'us-east-1', status: 'ok', source: 'api', item_count: 1},
      {resource_type: 'AWS::IAM::ServerCertificate', region: 'global', status: 'ok', source: 'api', item_count: 1},
      {resource_type: 'AWS::SQS::Queue', region: 'eu-west-1', status: 'ok', source: 'api', item_count: 0},
      {resource_type: 'AWS::SQS::Queue', region: 'us-east-1', status: 'ok', source: 'api', item_count: 2},
      {resource_type: 'AWS::SecretsManager::Secret', region: 'eu-west-1', status: 'ok', source: 'api', item_count: 1},
      {resource_type: 'AWS::SecretsManager::Secret', region: 'us-east-1', status: 'ok', source: 'api', item_count: 1},
    ])
    expect(rows).toHaveLength(7)
  })

  it('stores secrets as metadata: rotation settings and dates, tags, the ARN as id', () => {
    const db = row('AWS::SecretsManager::Secret', 'app/db')!
    expect(db).toMatchObject({region: 'us-east-1', source: 'api'})
    expect(db.resource_id).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/db-\\w{6}$`))
    expect(db.arn).toBe(db.resource_id)
    expect(db.created_at).not.toBeNull()
    expect(JSON.parse(db.tags)).toEqual({team: 'payments'})
    expect(configurationOf('AWS::SecretsManager::Secret', 'app/db')).toMatchObject({RotationEnabled: true, RotationRules: {AutomaticallyAfterDays: 30}})
    expect(configurationOf('AWS::SecretsManager::Secret', 'app/db').LastRotatedDate).toEqual(expect.any(String))
    expect(configurationOf('AWS::SecretsManager::Secret', 'app/db')).not.toHaveProperty('SecretVersionsToStages')
    const token = configurationOf('AWS::SecretsManager::Secret', 'app/token')
    expect(token).toMatchObject({Name: 'app/token', Description: 'never rotated'})
    expect(token).not.toHaveProperty('RotationEnabled')
    expect(row('AWS::SecretsManager::Secret', 'app/token')?.region).toBe('eu-west-1')
  })

  it('stores each trail once, in its home region, with status, selectors, tags and its bucket and topic', async () => {
    // Listed with shadow trails, the multi-region trail also appears in eu-west-1: it is kept in us-east-1 only.
    const shadows = await new CloudTrail({endpoint: emulator.url, region: 'eu-west-1', credentials: seedCredentials, maxAttempts: 2}).describeTrails({includeShadowTrails: true})
    expect(shadows.trailList?.map((t) => `${t.Name} ${t.HomeRegion}`).sort()).toEqual(['org-audit us-east-1', 'west-local eu-west-1'])
    const trails = rows.filter((r) => r.type === 'AWS::CloudTrail::Trail').map((r) => `${r.arn} ${r.region}`)
    expect(trails.sort()).toEqual([`arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/west-local eu-west-1`, `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-audit us-east-1`])

    const audit = rows.filter((r) => r.type === 'AWS::CloudTrail::Trail' && r.name === 'org-audit')
    expect(audit.map((r) => r.region)).toEqual(['us-east-1'])
    expect(audit[0]).toMatchObject({arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-audit`, resource_id: 'org-audit', created_at: null})
    expect(JSON.parse(audit[0]!.tags)).toEqual({team: 'security'})
    expect(configurationOf('AWS::CloudTrail::Trail', 'org-audit')).toMatchObject({
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      KmsKeyId: expect.stringContaining(':key/'),
      Status: {IsLogging: true},
      EventSelectors: [],
      AdvancedEventSelectors: [],
    })
    expect(edgesOf('AWS::CloudTrail::Trail', 'org-audit')).toEqual([
      {type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::audit-logs-123456789012', kind: 'uses'},
      {type: 'AWS::SNS::Topic', arn: `arn:aws:sns:us-east-1:${ACCOUNT}:audit-alerts`, kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, id: '1234abcd-12ab-34cd-56ef-1234567890ab', kind: 'uses'},
    ])
    expect(configurationOf('AWS::CloudTrail::Trail', 'west-local')).toMatchObject({
      HomeRegion: 'eu-west-1',
      IsMultiRegionTrail: false,
      LogFileValidationEnabled: false,
      Status: {IsLogging: false},
    })
  })

  it('keeps a multi-region trail homed outside the selected regions in the first of them, read in its home region', async () => {
    const outside = await runCliJson<Extract<SnapshotCreateResult, {dryRun: false}>>([
      'snapshot',
      'create',
      'trails-outside-home',
      '--storage-path',
      storage,
      '--endpoint-url',
      emulator.url,
      '--regions',
      'us-west-2,eu-west-1',
      '--resource-types',
      'cloudtrail',
      '--no-config',
    ])
    expect(outside.snapshot.status).toBe('complete')
    const db = new Database(join(storage, 'inventory.db'), {readonly: true})
    const stored = db
      .prepare(`select name, region, configuration from v_resources where snapshot_name = 'trails-outside-home' order by name`)
      .all() as Array<Pick<StoredResource, 'name' | 'region' | 'configuration'>>
    db.close()
    // org-audit (multi-region, homed in us-east-1) is listed in both regions: kept once, in eu-west-1, the
    // first of them; west-local, homed in eu-west-1, stays there.
    expect(stored.map((r) => `${r.name} ${r.region}`)).toEqual(['org-audit eu-west-1', 'west-local eu-west-1'])
    expect(JSON.parse(stored[0]!.configuration)).toMatchObject({
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: true,
      Status: {IsLogging: true},
      EventSelectors: [],
      AdvancedEventSelectors: [],
      Tags: [{Key: 'team', Value: 'security'}],
    })

    // A purge of those regions plans west-local, and never org-audit: deleting it would stop its logging everywhere.
    const purge = await runCliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--storage-path', storage, '--endpoint-url', emulator.url, '--regions', 'us-west-2,eu-west-1', '--type', 'AWS::CloudTrail::Trail'])
    expect(purge.plan.waves.flatMap((w) => w.items.map((i) => `${i.name} ${i.region}`))).toEqual(['west-local eu-west-1'])
    expect(purge.plan.protected.map((p) => `${p.name} ${p.region} ${p.reasons.map((r) => r.kind).join(',')}`)).toEqual(['org-audit eu-west-1 outside-regions'])
  })

  it('stores the server certificate’s metadata and tags, never its body or key', () => {
    const stored = row('AWS::IAM::ServerCertificate', 'legacy-web')!
    expect(stored).toMatchObject({arn: `arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/legacy-web`, resource_id: 'legacy-web', region: 'global'})
    // Uploaded during this run; it expires when openssl made it expire (one day after it was made).
    expect(Date.now() - Date.parse(stored.created_at!)).toBeLessThan(600_000)
    const expiration = Date.parse(String(configurationOf('AWS::IAM::ServerCertificate', 'legacy-web').Expiration))
    expect(expiration - Date.parse(stored.created_at!)).toBeGreaterThan(86_000_000)
    expect(expiration - Date.parse(stored.created_at!)).toBeLessThan(86_800_000)
    expect(JSON.parse(stored.tags)).toEqual({app: 'web'})
    expect(Object.keys(configurationOf('AWS::IAM::ServerCertificate', 'legacy-web')).sort()).toEqual([
      'Arn',
      'Expiration',
      'Path',
      'ServerCertificateId',
      'ServerCertificateName',
      'Tags',
      'UploadDate',
    ])
  })

  it('stores queues by URL with their attributes, without message counters, and references the dead-letter queue', () => {
    const orders = row('AWS::SQS::Queue', 'orders')!
    expect(orders.arn).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:orders`)
    expect(orders.resource_id).toMatch(/\/123456789012\/orders$/)
    expect(orders.created_at).not.toBeNull()
    expect(JSON.parse(orders.tags)).toEqual({team: 'orders'})
    const configuration = configurationOf('AWS::SQS::Queue', 'orders')
    expect(configuration).toMatchObject({
      VisibilityTimeout: '60',
      RedrivePolicy: {deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`, maxReceiveCount: 5},
      CreatedTimestamp: orders.created_at,
    })
    expect(configuration).not.toHaveProperty('ApproximateNumberOfMessages')
    expect(edgesOf('AWS::SQS::Queue', 'orders')).toEqual([{type: 'AWS::SQS::Queue', arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`, kind: 'references'}])
    expect(edgesOf('AWS::SQS::Queue', 'orders-dlq')).toEqual([])
  })

  it('never stores a secret value or the certificate’s private key, in any database file', () => {
    const forbidden = [...SECRET_VALUES, pemLine(certificate.privateKey), pemLine(certificate.body)]
    const files = readdirSync(storage).filter((f) => f.startsWith('inventory.db'))
    expect(files).toContain('inventory.db')
    // The search does find what was stored (the trail's bucket), wherever SQLite keeps it.
    expect(files.some((file) => readFileSync(join(storage, file)).includes('audit-logs-123456789012'))).toBe(true)
    for (const file of files) {
      const bytes = readFileSync(join(storage, file))
      for (const value of forbidden) expect(bytes.includes(value), `${value.slice(0, 12)}… in ${file}`).toBe(false)
    }
  })
})
