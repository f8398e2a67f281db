import type {SecretListEntry} from '@aws-sdk/client-secrets-manager'
import {describe, expect, it} from 'vitest'

import {secretsmanagerSecretNotRotated} from '../../../../src/security/checks/secretsmanager-secret-not-rotated.js'
import {collected, SCAN_ACCOUNT, scanSnapshot, verdicts} from '../../../support/scan.js'

const type = 'AWS::SecretsManager::Secret'
// The snapshot is captured at 2026-06-01T12:00:00Z.
const daysBeforeCapture = (days: number) => new Date(Date.parse('2026-06-01T12:00:00Z') - days * 86_400_000)

/** Shaped as the emulator's ListSecrets entries (see the spec's test): a secret without rotation… */
const plain = (name: string, createdDaysAgo: number, extra: Partial<SecretListEntry> = {}, region = 'us-east-1') =>
  collected(
    type,
    {
      ARN: `arn:aws:secretsmanager:${region}:${SCAN_ACCOUNT}:secret:${name}-AbCdEf`,
      Name: name,
      LastChangedDate: daysBeforeCapture(createdDaysAgo),
      Tags: [],
      SecretVersionsToStages: {'5e94961c-a097-4fba-b233-4d42c6df60db': ['AWSCURRENT']},
      CreatedDate: daysBeforeCapture(createdDaysAgo),
      ...extra,
    },
    region,
  )

/** …and one rotated by Secrets Manager. */
const rotated = (name: string, rotatedDaysAgo: number, RotationRules: SecretListEntry['RotationRules'] = {AutomaticallyAfterDays: 30}) =>
  plain(name, 400, {
    RotationEnabled: true,
    RotationLambdaARN: `arn:aws:lambda:us-east-1:${SCAN_ACCOUNT}:function:rotate`,
    RotationRules,
    LastRotatedDate: daysBeforeCapture(rotatedDaysAgo),
    NextRotationDate: daysBeforeCapture(rotatedDaysAgo - 30),
  })

const arn = (name: string, region = 'us-east-1') => `arn:aws:secretsmanager:${region}:${SCAN_ACCOUNT}:secret:${name}-AbCdEf`

describe('secretsmanager-secret-not-rotated', () => {
  it('passes a secret rotated within 90 days and fails one without rotation, with the command that turns it on', async () => {
    const findings = secretsmanagerSecretNotRotated.evaluate(scanSnapshot({resources: [await rotated('app/db', 10), await plain('app/token', 200)]}))
    expect(verdicts(findings)).toEqual([`FAIL ${arn('app/token')}`, `PASS ${arn('app/db')}`])
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe('rotation is enabled every 30 days; last rotated 10 days before capture')
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      evidence: 'rotation is not enabled (never rotated, created 200 days before capture)',
      remediation: `aws secretsmanager rotate-secret --secret-id app/token --rotation-lambda-arn <rotation-function-arn> --rotation-rules '{"ScheduleExpression":"rate(90 days)"}' --region us-east-1`,
    })
  })

  it('fails a secret without rotation however young it is', async () => {
    expect(secretsmanagerSecretNotRotated.evaluate(scanSnapshot({resources: [await plain('fresh', 2)]}))).toMatchObject([
      {status: 'FAIL', evidence: 'rotation is not enabled (never rotated, created 2 days before capture)'},
    ])
  })

  it('fails rotation that is on but has not happened for over 90 days, or is scheduled less often than every 90 days', async () => {
    const findings = secretsmanagerSecretNotRotated.evaluate(
      scanSnapshot({
        resources: [await rotated('stuck', 120), await rotated('yearly', 5, {AutomaticallyAfterDays: 365}), await rotated('hourly-rate', 5, {ScheduleExpression: 'rate(2400 hours)'})],
      }),
    )
    expect(findings.map((f) => [f.name, f.status, f.evidence])).toEqual([
      ['stuck', 'FAIL', 'rotation is enabled but has not happened: last rotated 120 days before capture'],
      ['yearly', 'FAIL', 'rotation is enabled but only every 365 days'],
      ['hourly-rate', 'FAIL', 'rotation is enabled but only every 100 days'],
    ])
    expect(findings[0]?.remediation).toBe("aws secretsmanager rotate-secret --secret-id stuck --region us-east-1  # rotates now; check the rotation function's logs if it fails")
    expect(findings[1]?.remediation).toBe(`aws secretsmanager rotate-secret --secret-id yearly --rotation-rules '{"ScheduleExpression":"rate(90 days)"}' --no-rotate-immediately --region us-east-1`)
  })

  it('passes a secret scheduled for deletion, and sends a replica’s fix to its primary region', async () => {
    const findings = secretsmanagerSecretNotRotated.evaluate(
      scanSnapshot({
        resources: [await plain('leaving', 300, {DeletedDate: new Date('2026-06-05T00:00:00.000Z')}), await plain('app/shared', 100, {PrimaryRegion: 'us-east-1'}, 'eu-west-1')],
        regions: ['us-east-1', 'eu-west-1'],
      }),
    )
    expect(findings.find((f) => f.name === 'leaving')).toMatchObject({status: 'PASS', evidence: 'scheduled for deletion on 2026-06-05T00:00:00.000Z: its value can no longer be read'})
    expect(findings.find((f) => f.name === 'app/shared')).toMatchObject({status: 'FAIL', region: 'eu-west-1'})
    expect(findings.find((f) => f.name === 'app/shared')?.remediation).toMatch(/--secret-id app\/shared .*--region us-east-1$/)
  })

  it('is UNKNOWN for a region whose secrets were not collected, and for a snapshot without secrets', async () => {
    const gap = scanSnapshot({
      resources: [await rotated('app/db', 10)],
      cells: {[type]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'secretsmanager:ListSecrets denied'}]},
    })
    expect(verdicts(secretsmanagerSecretNotRotated.evaluate(gap))).toEqual([`PASS ${arn('app/db')}`, `UNKNOWN ${SCAN_ACCOUNT}/eu-west-1`])
    expect(secretsmanagerSecretNotRotated.evaluate(scanSnapshot({cells: {[type]: []}}))).toMatchObject([{status: 'UNKNOWN', resource: SCAN_ACCOUNT}])
  })
})
