import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {S3Control} from '@aws-sdk/client-s3-control'
import Database from 'better-sqlite3'
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnapshotCreateResult} from '../../src/commands/snapshot/create.js'
import {runCliJson} from '../support/cli.js'
import {fixMotoConfigTimestamps, setUpRecorder} from '../support/config.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {EMULATOR_GAP, expectOnlyEmulatorGaps} from '../support/emulator-gaps.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {seedCredentials} from '../support/seed.js'

/**
 * Account-level settings end to end against the emulator: a password policy, EBS encryption by default on
 * in eu-west-1 and off in us-east-1, an AWS Config recorder recording every supported type in us-east-1 and
 * none in eu-west-1, the account public access block (read through AWS Config and through S3 Control), and
 * IAM users with keys for the credential report. Runs go through a proxy that corrects moto's Config
 * timestamps (see fixMotoConfigTimestamps).
 */

type Created = Extract<SnapshotCreateResult, {dryRun: false}>
interface Row {
  type: string
  arn: string
  resource_id: string
  name: string
  region: string
  created_at: string | null
  source: string
  config_hash: string
  configuration: string
  tags: string
}
interface CoverageRow {
  region: string
  resource_type: string
  status: string
  source: string
  source_reason: string
  item_count: number
  error_code: string | null
  error: string | null
}

const ACCOUNT = '123456789012'
const REGIONS = 'us-east-1,eu-west-1'
const SETTINGS = [
  'Account::IAM::PasswordPolicy',
  'Account::IAM::AccountSummary',
  'Account::IAM::CredentialReport',
  'AWS::S3::AccountPublicAccessBlock',
  'Account::EC2::EbsEncryptionByDefault',
  'Account::Config::RecorderStatus',
]
const TYPES = [...SETTINGS, EMULATOR_GAP.type].join(',')
const PASSWORD = 'Secr3t!Passw0rd-9d41'
const PAB = 'AWS::S3::AccountPublicAccessBlock'

describe('account settings against the emulator', () => {
  let emulator: Emulator
  let proxy: FaultProxy
  let storage: string
  const secretKeys: string[] = []

  const clientConfig = (region: string) => ({endpoint: emulator.url, region, credentials: seedCredentials, maxAttempts: 2})
  const s3control = () => new S3Control({...clientConfig('us-east-1'), endpointProvider: () => ({url: new URL(emulator.url)})})
  const snapshot = (name: string, options: {types?: string; extra?: string[]} = {}) =>
    runCliJson<Created>([
      'snapshot',
      'create',
      name,
      ...['--storage-path', storage, '--endpoint-url', proxy.url, '--regions', REGIONS, '--resource-types', options.types ?? TYPES],
      ...(options.extra ?? []),
    ])

  function query<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(join(storage, 'inventory.db'), {readonly: true})
    try {
      return db.prepare(sql).all(...params) as T[]
    } finally {
      db.close()
    }
  }

  const resources = (name: string) => query<Row>(`select * from v_resources where snapshot_name = ? order by type, region`, name)
  const coverage = (name: string) =>
    query<CoverageRow>(`select region, resource_type, status, source, source_reason, item_count, error_code, error from v_coverage where snapshot_name = ? order by resource_type, region`, name)
  const configurationOf = (rows: Row[], type: string, region = 'global') => JSON.parse(rows.find((r) => r.type === type && r.region === region)!.configuration) as Record<string, unknown>

  beforeAll(async () => {
    emulator = await startEmulator()
    proxy = await startFaultProxy(emulator.url, [], {transform: fixMotoConfigTimestamps})
    storage = mkdtempSync(join(tmpdir(), 'awsinv-settings-'))
  })

  afterAll(async () => {
    await proxy?.close()
    await emulator?.stop()
  })

  it('states "not configured" explicitly in a fresh account: one item per cell, never an empty cell', async () => {
    const started = Date.now()
    const fresh = await snapshot('fresh')
    const seconds = (Date.now() - started) / 1000
    expectOnlyEmulatorGaps(fresh.gaps, ['us-east-1', 'eu-west-1'])
    // Regional settings twice, global ones once, each with exactly one item.
    const rows = coverage('fresh').filter((r) => r.resource_type !== EMULATOR_GAP.type)
    expect(rows.map((r) => [r.resource_type, r.region, r.status, r.item_count])).toEqual(
      [...SETTINGS]
        .sort()
        .flatMap((type) => (type.includes('EbsEncryption') || type.includes('RecorderStatus') ? [[type, 'eu-west-1', 'ok', 1], [type, 'us-east-1', 'ok', 1]] : [[type, 'global', 'ok', 1]])),
    )
    const stored = resources('fresh')
    expect(configurationOf(stored, 'Account::IAM::PasswordPolicy')).toEqual({PasswordPolicy: null})
    expect(configurationOf(stored, PAB)).toEqual({PublicAccessBlockConfiguration: null})
    expect(configurationOf(stored, 'Account::Config::RecorderStatus', 'us-east-1')).toEqual({Recorders: []})
    expect(configurationOf(stored, 'Account::IAM::CredentialReport')).toMatchObject({Users: []})
    // The Access Analyzer cells cost the SDK's retries of the emulator's 500 page, a second or so in parallel.
    expect(seconds).toBeLessThan(60)
  })

  describe('with the settings configured', () => {
    let viaConfig: Created
    let rows: Row[]

    beforeAll(async () => {
      const iam = new IAM(clientConfig('us-east-1'))
      await iam.updateAccountPasswordPolicy({MinimumPasswordLength: 16, RequireSymbols: true, RequireNumbers: true, PasswordReusePrevention: 24, MaxPasswordAge: 90})
      await iam.createUser({UserName: 'alice'})
      await iam.createLoginProfile({UserName: 'alice', Password: PASSWORD})
      for (const [user, keys] of [
        ['alice', 1],
        ['bob', 2],
      ] as const) {
        if (user === 'bob') await iam.createUser({UserName: 'bob'})
        for (let i = 0; i < keys; i++) secretKeys.push((await iam.createAccessKey({UserName: user})).AccessKey!.SecretAccessKey!)
      }

      const west = new EC2(clientConfig('eu-west-1'))
      await west.enableEbsEncryptionByDefault({})
      const control = s3control()
      await control.putPublicAccessBlock({
        AccountId: ACCOUNT,
        PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true},
      })
      // Every supported type, without the global IAM types: the account public access block is recorded all the same.
      await setUpRecorder(emulator.url, 'us-east-1', {recordingGroup: {allSupported: true, includeGlobalResourceTypes: false}})
      for (const client of [iam, west, control]) client.destroy()

      viaConfig = await snapshot('via-config')
      rows = resources('via-config')
    })

    it('collects every setting; the only gaps are the emulator\'s missing Access Analyzer', () => {
      expect(viaConfig.snapshot.status).toBe('partial')
      expectOnlyEmulatorGaps(viaConfig.gaps, ['us-east-1', 'eu-west-1'])
      const analyzer = coverage('via-config').filter((r) => r.resource_type === EMULATOR_GAP.type)
      expect(analyzer.map((r) => [r.region, r.status, r.error_code, r.error])).toEqual([
        ['eu-west-1', 'error', EMULATOR_GAP.errorCode, EMULATOR_GAP.error],
        ['us-east-1', 'error', EMULATOR_GAP.errorCode, EMULATOR_GAP.error],
      ])
    })

    it('stores the settings under stable pseudo-ARNs, untagged, with the account as id and no creation time', () => {
      const settings = rows.filter((r) => r.type !== EMULATOR_GAP.type)
      expect(settings.map((r) => [r.type, r.arn, r.region])).toEqual([
        ['AWS::S3::AccountPublicAccessBlock', `arn:aws:s3::${ACCOUNT}:account-public-access-block`, 'global'],
        ['Account::Config::RecorderStatus', `arn:aws:config:eu-west-1:${ACCOUNT}:recorder-status`, 'eu-west-1'],
        ['Account::Config::RecorderStatus', `arn:aws:config:us-east-1:${ACCOUNT}:recorder-status`, 'us-east-1'],
        ['Account::EC2::EbsEncryptionByDefault', `arn:aws:ec2:eu-west-1:${ACCOUNT}:ebs-encryption-by-default`, 'eu-west-1'],
        ['Account::EC2::EbsEncryptionByDefault', `arn:aws:ec2:us-east-1:${ACCOUNT}:ebs-encryption-by-default`, 'us-east-1'],
        ['Account::IAM::AccountSummary', `arn:aws:iam::${ACCOUNT}:account-summary`, 'global'],
        ['Account::IAM::CredentialReport', `arn:aws:iam::${ACCOUNT}:credential-report`, 'global'],
        ['Account::IAM::PasswordPolicy', `arn:aws:iam::${ACCOUNT}:account-password-policy`, 'global'],
      ])
      for (const row of settings) expect([row.resource_id, row.created_at, row.tags], row.arn).toEqual([ACCOUNT, null, '{}'])
    })

    it('stores the password policy, the account summary and EBS encryption by default per region', () => {
      expect(configurationOf(rows, 'Account::IAM::PasswordPolicy')).toMatchObject({PasswordPolicy: {MinimumPasswordLength: 16, RequireSymbols: true, PasswordReusePrevention: 24, MaxPasswordAge: 90}})
      expect(configurationOf(rows, 'Account::IAM::AccountSummary')).toMatchObject({SummaryMap: {Users: 2, AccountMFAEnabled: 0, AccountAccessKeysPresent: 0}})
      // The emulator does not implement GetEbsDefaultKmsKeyId: the key is unknown, the setting is not.
      expect(configurationOf(rows, 'Account::EC2::EbsEncryptionByDefault', 'eu-west-1')).toEqual({EbsEncryptionByDefault: true, KmsKeyId: null})
      expect(configurationOf(rows, 'Account::EC2::EbsEncryptionByDefault', 'us-east-1')).toEqual({EbsEncryptionByDefault: false, KmsKeyId: null})
    })

    it('stores the recorder recording in us-east-1 with its group, and none in eu-west-1', () => {
      expect(configurationOf(rows, 'Account::Config::RecorderStatus', 'eu-west-1')).toEqual({Recorders: []})
      expect(configurationOf(rows, 'Account::Config::RecorderStatus', 'us-east-1')).toMatchObject({
        Recorders: [{name: 'default', recordingGroup: {allSupported: true, includeGlobalResourceTypes: false}, status: {recording: true}}],
      })
    })

    it('parses the credential report into a row per user, values as IAM writes them', () => {
      const report = configurationOf(rows, 'Account::IAM::CredentialReport') as {Users: Array<Record<string, string>>}
      expect(report.Users.map((u) => u.user)).toEqual(['alice', 'bob'])
      expect(report.Users[0]).toMatchObject({arn: `arn:aws:iam::${ACCOUNT}:user/alice`, password_enabled: 'true', password_last_used: 'no_information', access_key_1_active: 'true', access_key_2_active: 'false'})
      expect(report.Users[1]).toMatchObject({password_enabled: 'false', access_key_1_active: 'true', access_key_2_active: 'true', access_key_1_last_used_date: 'N/A'})
    })

    it('reads the account public access block through AWS Config, and the direct API gives the same configuration', async () => {
      const pab = coverage('via-config').find((r) => r.resource_type === PAB)
      expect(pab).toMatchObject({region: 'global', status: 'ok', source: 'config', source_reason: 'AWS Config: recorder "default" records this type', item_count: 1})
      const fromConfig = rows.find((r) => r.type === PAB)!
      expect(fromConfig.source).toBe('config')
      expect(JSON.parse(fromConfig.configuration)).toEqual({
        PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true},
      })

      const direct = await snapshot('via-api', {extra: ['--no-config']})
      expectOnlyEmulatorGaps(direct.gaps, ['us-east-1', 'eu-west-1'])
      const fromApi = resources('via-api').find((r) => r.type === PAB)!
      expect(fromApi).toMatchObject({arn: fromConfig.arn, region: 'global', source: 'api', config_hash: fromConfig.config_hash})
      expect(coverage('via-api').find((r) => r.resource_type === PAB)).toMatchObject({source: 'api', source_reason: '--no-config'})
      // Apart from the source, the two snapshots hold the same settings.
      const settingsOf = (list: Row[]) => list.map((r) => [r.arn, r.config_hash])
      expect(settingsOf(resources('via-api'))).toEqual(settingsOf(rows))
    })

    it('reads the block from S3 Control when AWS Config holds no item of it, saying "none configured"', async () => {
      const control = s3control()
      await control.deletePublicAccessBlock({AccountId: ACCOUNT})
      control.destroy()
      await snapshot('pab-deleted', {types: PAB})
      expect(coverage('pab-deleted')).toEqual([
        expect.objectContaining({
          resource_type: PAB,
          status: 'ok',
          source: 'api',
          source_reason: 'AWS Config: no configuration item for this setting (not configured, or not recorded yet); direct API',
          item_count: 1,
        }),
      ])
      expect(configurationOf(resources('pab-deleted'), PAB)).toEqual({PublicAccessBlockConfiguration: null})
    })

    it('never stores a password or a secret access key', () => {
      expect(secretKeys).toHaveLength(3)
      for (const file of readdirSync(storage).filter((f) => f.startsWith('inventory.db'))) {
        const bytes = readFileSync(join(storage, file))
        for (const secret of [PASSWORD, ...secretKeys]) expect(bytes.includes(secret), file).toBe(false)
      }
    })
  })
})
