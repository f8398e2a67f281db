import {describe, expect, it} from 'vitest'

import {cloudtrailKmsEncryptionOff} from '../../../../src/security/checks/cloudtrail-kms-encryption-off.js'
import {collected, SCAN_ACCOUNT, scanSnapshot, verdicts} from '../../../support/scan.js'
import {audit, local, organizationTrail} from '../../../support/trail-items.js'

const type = 'AWS::CloudTrail::Trail'

describe('cloudtrail-kms-encryption-off', () => {
  it('passes a trail encrypted with a KMS key and fails one without, naming the trail', async () => {
    const findings = cloudtrailKmsEncryptionOff.evaluate(scanSnapshot({resources: [await collected(type, audit), await collected(type, local)]}))
    expect(verdicts(findings)).toEqual([`FAIL arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/local`, `PASS arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/audit`])
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe(`log files are encrypted with ${audit.KmsKeyId}`)
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      evidence: 'trail local delivers log files without KMS encryption (no KmsKeyId)',
      remediation: 'aws cloudtrail update-trail --name local --kms-key-id <kms-key-arn> --region us-east-1',
    })
  })

  it('is UNKNOWN where trails were not collected', async () => {
    const gap = scanSnapshot({cells: {[type]: [{region: 'us-east-1', status: 'access_denied', error: 'cloudtrail:DescribeTrails denied'}]}})
    expect(cloudtrailKmsEncryptionOff.evaluate(gap)).toMatchObject([{status: 'UNKNOWN', resource: `${SCAN_ACCOUNT}/us-east-1`}])
    expect(verdicts(cloudtrailKmsEncryptionOff.evaluate(scanSnapshot({resources: [await collected(type, audit)], cells: {[type]: []}})))).toEqual([`UNKNOWN ${SCAN_ACCOUNT}`])
  })

  it('leaves an organization trail seen from a member account to its management account, and judges it there', async () => {
    const seenFromMember = await collected(type, {...organizationTrail, KmsKeyId: undefined})
    expect(cloudtrailKmsEncryptionOff.evaluate(scanSnapshot({resources: [seenFromMember]}))).toEqual([])
    expect(verdicts(cloudtrailKmsEncryptionOff.evaluate(scanSnapshot({resources: [seenFromMember, await collected(type, audit)]})))).toEqual([`PASS arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/audit`])

    // In the management account it is the account's own trail.
    const own = await collected(type, {...organizationTrail, KmsKeyId: undefined, TrailARN: `arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/${organizationTrail.Name}`})
    expect(verdicts(cloudtrailKmsEncryptionOff.evaluate(scanSnapshot({resources: [own]})))).toEqual([`FAIL ${own.arn}`])
  })
})
