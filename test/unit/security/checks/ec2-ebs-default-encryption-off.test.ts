import {describe, expect, it} from 'vitest'

import {ec2EbsDefaultEncryptionOff} from '../../../../src/security/checks/ec2-ebs-default-encryption-off.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

// What the collector yields against the emulator, which does not implement GetEbsDefaultKmsKeyId (key null).
const setting = (region: string, EbsEncryptionByDefault: boolean, KmsKeyId: string | null = null) =>
  collected('Account::EC2::EbsEncryptionByDefault', {EbsEncryptionByDefault, KmsKeyId}, region)

describe('ec2-ebs-default-encryption-off', () => {
  it('passes regions with encryption by default on and fails those with it off, per region', async () => {
    const findings = ec2EbsDefaultEncryptionOff.evaluate(
      scanSnapshot({resources: [await setting('eu-west-1', true, 'alias/aws/ebs'), await setting('us-east-1', false)], regions: ['us-east-1', 'eu-west-1']}),
    )
    expect(verdicts(findings)).toEqual([
      'FAIL arn:aws:ec2:us-east-1:123456789012:ebs-encryption-by-default',
      'PASS arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default',
    ])
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      region: 'us-east-1',
      evidence: 'EBS encryption by default is off in us-east-1',
      remediation: 'aws ec2 enable-ebs-encryption-by-default --region us-east-1',
    })
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe('EBS encryption by default is on in eu-west-1 (default key alias/aws/ebs)')
  })

  it('is UNKNOWN for a region whose setting was not recorded', async () => {
    const unrecorded = await collected('Account::EC2::EbsEncryptionByDefault', {KmsKeyId: null}, 'us-east-1')
    expect(ec2EbsDefaultEncryptionOff.evaluate(scanSnapshot({resources: [unrecorded]}))).toMatchObject([
      {status: 'UNKNOWN', evidence: 'the EBS encryption by default setting of us-east-1 was not recorded'},
    ])
  })

  it('is UNKNOWN for a region that was not collected', async () => {
    const snapshot = scanSnapshot({
      resources: [await setting('us-east-1', true)],
      cells: {'Account::EC2::EbsEncryptionByDefault': [{region: 'us-east-1'}, {region: 'ap-south-1', status: 'not_enabled', error: 'OptInRequired'}]},
    })
    expect(verdicts(ec2EbsDefaultEncryptionOff.evaluate(snapshot))).toEqual(['PASS arn:aws:ec2:us-east-1:123456789012:ebs-encryption-by-default', 'UNKNOWN 123456789012/ap-south-1'])
  })
})
