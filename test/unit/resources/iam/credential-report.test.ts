import {
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAM,
} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {prepareForDiff} from '../../../../src/diff/normalize.js'
import {
  type CredentialReportItem,
  credentialReport,
  parseReport,
  readCredentialReport,
} from '../../../../src/resources/iam/credential-report.js'
import {REPORT_HEADER} from '../../../support/account-settings.js'
import {testContext} from '../../../support/context.js'

/** GetCredentialReport's Content from the emulator (moto 5.2): alice (console password, one key), bob (key 1 inactive, key 2 active). */
const motoCsv = `${REPORT_HEADER}
bob,arn:aws:iam::123456789012:user/bob,2026-12-05T07:24:04+00:00,false,not_supported,2026-12-05T07:24:04+00:00,not_supported,false,false,2026-12-05T07:24:04+00:00,N/A,not_supported,not_supported,true,2026-12-05T07:24:04+00:00,N/A,not_supported,not_supported,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2026-12-05T07:24:04+00:00,true,no_information,2026-12-05T07:24:04+00:00,not_supported,false,true,2026-12-05T07:24:04+00:00,N/A,not_supported,not_supported,false,N/A,N/A,not_supported,not_supported,false,N/A,false,N/A
`

/**
 * The root user's row as AWS documents it (the emulator's report has none): `not_supported` for the password
 * fields, keys absent. IAM user names may hold commas, which the CSV quotes.
 */
const awsCsv = `${REPORT_HEADER}\r
<root_account>,arn:aws:iam::123456789012:root,2014-10-17T16:59:37+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r
"ops,admin","arn:aws:iam::123456789012:user/ops,admin",2025-01-02T03:04:05+00:00,true,2026-05-20T08:00:00+00:00,2025-01-02T03:05:00+00:00,N/A,true,true,2025-01-02T03:04:05+00:00,2026-05-31T23:10:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r
`

const columns = REPORT_HEADER.split(',')

describe('Account::IAM::CredentialReport', () => {
  const iam = mockClient(IAMClient)
  afterEach(() => iam.reset())
  afterAll(() => iam.restore())

  it('parses the report into one row per user, every value as IAM writes it', () => {
    const rows = parseReport(awsCsv)
    expect(rows).toHaveLength(2)
    expect(Object.keys(rows[0]!)).toEqual(columns)
    expect(rows[0]).toMatchObject({user: '<root_account>', arn: 'arn:aws:iam::123456789012:root', password_enabled: 'not_supported', mfa_active: 'true', access_key_1_active: 'false'})
    expect(rows[1]).toMatchObject({user: 'ops,admin', password_last_used: '2026-05-20T08:00:00+00:00', access_key_1_last_used_service: 's3', cert_2_last_rotated: 'N/A'})
    expect(parseReport('')).toEqual([])
  })

  it('is one global setting: the report\'s rows ordered by ARN and its generation time', async () => {
    const item: CredentialReportItem = {GeneratedTime: '2015-02-02T20:02:02.000Z', Users: parseReport(motoCsv)}
    const resource = await credentialReport.toResource(item, testContext())
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:credential-report',
      id: '123456789012',
      name: 'credential-report',
      region: 'global',
      createdAt: null,
      tags: {},
    })
    const users = resource.configuration.Users as Array<Record<string, string>>
    expect(users.map((u) => u.user)).toEqual(['alice', 'bob'])
    expect(users[0]).toMatchObject({password_enabled: 'true', password_last_used: 'no_information', access_key_1_active: 'true', access_key_1_last_used_date: 'N/A'})
    expect(resource.configuration.GeneratedTime).toBe('2015-02-02T20:02:02.000Z')
    expect(credentialReport).toMatchObject({untagged: true, singleton: true})
  })

  it('compares without the generation time and the last-used fields, which move on their own', async () => {
    const {configuration} = await credentialReport.toResource({GeneratedTime: '2026-06-01T00:00:00.000Z', Users: parseReport(awsCsv)}, testContext())
    const compared = prepareForDiff(configuration, credentialReport)
    expect(compared).not.toHaveProperty('GeneratedTime')
    const ops = Object.values(compared.Users as Record<string, Record<string, string>>).find((u) => u.user === 'ops,admin')!
    for (const field of ['password_last_used', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service']) {
      expect(ops).not.toHaveProperty(field)
    }

    expect(ops).toMatchObject({password_enabled: 'true', access_key_1_active: 'true', access_key_1_last_rotated: '2025-01-02T03:04:05+00:00'})
  })

  it('generates the report, waits until it is complete, then reads it', async () => {
    iam.on(GenerateCredentialReportCommand).resolvesOnce({State: 'STARTED', Description: 'No report exists. Starting a new report generation task'}).resolves({State: 'COMPLETE'})
    iam.on(GetCredentialReportCommand).resolves({Content: new TextEncoder().encode(motoCsv), ReportFormat: 'text/csv', GeneratedTime: new Date('2015-02-02T20:02:02Z')})
    const items: CredentialReportItem[] = []
    for await (const page of credentialReport.list(testContext())) items.push(...page)
    expect(items).toHaveLength(1)
    expect(items[0]!.GeneratedTime).toBe('2015-02-02T20:02:02.000Z')
    expect(items[0]!.Users.map((u) => u.user)).toEqual(['bob', 'alice'])
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2)
  })

  it('keeps waiting while a report being replaced is not ready to read', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({State: 'COMPLETE'})
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportNotReadyException({message: 'Report is in progress', $metadata: {httpStatusCode: 404}}))
      .resolves({Content: new TextEncoder().encode(motoCsv), ReportFormat: 'text/csv', GeneratedTime: new Date()})
    const report = await readCredentialReport(new IAM({region: 'us-east-1'}), new AbortController().signal, {timeoutMs: 1000, firstDelayMs: 1, maxDelayMs: 2})
    expect(report.Users).toHaveLength(2)
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(2)
  })

  it('fails with one clear line when the report never completes within the wait', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({State: 'INPROGRESS'})
    const wait = readCredentialReport(new IAM({region: 'us-east-1'}), new AbortController().signal, {timeoutMs: 50, firstDelayMs: 5, maxDelayMs: 10})
    await expect(wait).rejects.toMatchObject({
      name: 'CredentialReportTimeout',
      message: 'IAM did not finish generating the credential report within 1 s (state INPROGRESS); take the snapshot again later',
    })
    expect(iam.commandCalls(GenerateCredentialReportCommand).length).toBeGreaterThan(1)
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(0)
  })

  it('stops waiting at once when the run is interrupted', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({State: 'INPROGRESS'})
    const controller = new AbortController()
    const started = Date.now()
    const wait = readCredentialReport(new IAM({region: 'us-east-1'}), controller.signal, {timeoutMs: 60_000, firstDelayMs: 30_000, maxDelayMs: 30_000})
    setTimeout(() => controller.abort(), 20)
    await expect(wait).rejects.toMatchObject({name: 'AbortError'})
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('lets a denial through', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(Object.assign(new Error('not authorized to perform: iam:GenerateCredentialReport'), {name: 'AccessDenied', $metadata: {httpStatusCode: 403}}))
    await expect(readCredentialReport(new IAM({region: 'us-east-1'}), new AbortController().signal)).rejects.toMatchObject({name: 'AccessDenied'})
  })
})
