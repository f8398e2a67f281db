import {describe, expect, it} from 'vitest'

import {kmsKeyRotationOff} from '../../../../src/security/checks/kms-key-rotation-off.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, capturedKey, capturedSigningKey} from '../../../support/rds-efs-kms-items.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const capturedAt = new Date('2027-12-05T12:00:00Z')
const keyArn = (id: string) => `arn:aws:kms:us-east-1:123456789012:key/${id}`
const otherKey = (id: string, overrides: Parameters<typeof capturedKey>[0] = {}) =>
  collected('AWS::KMS::Key', capturedKey({KeyId: id, Arn: keyArn(id), Aliases: [], Tags: [], ...overrides}))

describe('kms-key-rotation-off', () => {
  it('fails an enabled symmetric key with rotation off, naming it and its age at capture, and passes one with rotation on', async () => {
    const findings = kmsKeyRotationOff.evaluate(
      scanSnapshot({
        capturedAt,
        resources: [await collected('AWS::KMS::Key', capturedKey()), await otherKey('rotating', {KeyRotationEnabled: true, RotationPeriodInDays: 180})],
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${CAPTURED_KEY_ARN}`, `PASS ${keyArn('rotating')}`])
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      evidence: `key ${CAPTURED_KEY_ID} (alias/app-data) has automatic rotation off; the key was created 365 days before capture`,
      remediation: `aws kms enable-key-rotation --key-id ${CAPTURED_KEY_ID} --region us-east-1`,
    })
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe('automatic rotation on, every 180 days')
  })

  it('judges a multi-Region replica through its primary: once, where the snapshot holds the primary; else with the fix aimed at it', async () => {
    const primaryArn = keyArn('mrk-1')
    const primary = await otherKey('mrk-1', {MultiRegion: true, MultiRegionConfiguration: {MultiRegionKeyType: 'PRIMARY', PrimaryKey: {Arn: primaryArn, Region: 'us-east-1'}}})
    const replicaArn = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1'
    const replica = await collected(
      'AWS::KMS::Key',
      capturedKey({KeyId: 'mrk-1', Arn: replicaArn, Aliases: [], Tags: [], MultiRegion: true, MultiRegionConfiguration: {MultiRegionKeyType: 'REPLICA', PrimaryKey: {Arn: primaryArn, Region: 'us-east-1'}}}),
      'eu-west-1',
    )
    const both = kmsKeyRotationOff.evaluate(scanSnapshot({capturedAt, resources: [primary, replica], regions: ['us-east-1', 'eu-west-1']}))
    expect(verdicts(both)).toEqual([`FAIL ${primaryArn}`])

    const alone = kmsKeyRotationOff.evaluate(scanSnapshot({capturedAt, resources: [replica], regions: ['eu-west-1']}))
    expect(alone).toMatchObject([
      {
        status: 'FAIL',
        resource: replicaArn,
        evidence: `key mrk-1 is a multi-Region replica of ${primaryArn}, whose automatic rotation is off (it is set on the primary); the key was created 365 days before capture`,
        remediation: `aws kms enable-key-rotation --key-id ${primaryArn} --region us-east-1`,
      },
    ])
  })

  it('leaves out keys rotation does not apply to: asymmetric, imported, disabled, pending deletion', async () => {
    const findings = kmsKeyRotationOff.evaluate(
      scanSnapshot({
        capturedAt,
        resources: [
          await collected('AWS::KMS::Key', capturedSigningKey()),
          await otherKey('imported', {Origin: 'EXTERNAL', KeyRotationEnabled: undefined}),
          await otherKey('off', {KeyState: 'Disabled', Enabled: false, KeyRotationEnabled: undefined}),
          // Its rotation status is read (KMS keeps it for a disabled key), but a key not in use is not judged.
          await otherKey('resting', {KeyState: 'Disabled', Enabled: false, KeyRotationEnabled: false}),
          await otherKey('leaving', {KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2027-12-12T00:00:00Z'), KeyRotationEnabled: undefined}),
        ],
      }),
    )
    expect(findings).toEqual([])
  })

  it('is UNKNOWN for an applicable key without a recorded rotation status, and for cells not collected', async () => {
    const unrecorded = await otherKey('silent', {KeyRotationEnabled: undefined})
    expect(kmsKeyRotationOff.evaluate(scanSnapshot({capturedAt, resources: [unrecorded]}))).toMatchObject([
      {status: 'UNKNOWN', resource: keyArn('silent'), evidence: 'the rotation status of key silent was not recorded'},
    ])
    const gap = scanSnapshot({cells: {'AWS::KMS::Key': [{region: 'us-east-1', status: 'access_denied', error: 'kms:ListKeys denied'}]}})
    expect(kmsKeyRotationOff.evaluate(gap)).toMatchObject([{status: 'UNKNOWN', resource: '123456789012/us-east-1'}])
    expect(kmsKeyRotationOff.evaluate(scanSnapshot())).toMatchObject([{status: 'UNKNOWN', evidence: 'AWS::KMS::Key was not collected in this snapshot'}])
  })
})
