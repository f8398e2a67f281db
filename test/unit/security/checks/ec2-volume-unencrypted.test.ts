import {describe, expect, it} from 'vitest'

import {ec2VolumeUnencrypted} from '../../../../src/security/checks/ec2-volume-unencrypted.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const volume = (id: string, Encrypted: boolean, region = 'us-east-1') =>
  collected('AWS::EC2::Volume', {VolumeId: id, Size: 8, Encrypted, State: 'available', CreateTime: new Date('2026-01-01T00:00:00Z'), Tags: []}, region)

describe('ec2-volume-unencrypted', () => {
  it('passes encrypted volumes and fails unencrypted ones with a command naming the volume', async () => {
    const findings = ec2VolumeUnencrypted.evaluate(scanSnapshot({resources: [await volume('vol-enc', true), await volume('vol-plain', false)]}))
    expect(verdicts(findings)).toEqual([
      'FAIL arn:aws:ec2:us-east-1:123456789012:volume/vol-plain',
      'PASS arn:aws:ec2:us-east-1:123456789012:volume/vol-enc',
    ])
    const failed = findings.find((f) => f.status === 'FAIL')
    expect(failed?.evidence).toContain('vol-plain (8 GiB) is not encrypted')
    expect(failed?.remediation).toContain('--volume-id vol-plain --region us-east-1')
  })

  it('is UNKNOWN for a volume whose encryption was not recorded: never a FAIL by default', async () => {
    const unrecorded = await collected('AWS::EC2::Volume', {VolumeId: 'vol-odd', Size: 8, State: 'available', CreateTime: new Date('2026-01-01T00:00:00Z'), Tags: []})
    expect(ec2VolumeUnencrypted.evaluate(scanSnapshot({resources: [unrecorded]}))).toMatchObject([{status: 'UNKNOWN', evidence: 'whether volume vol-odd is encrypted was not recorded'}])
  })

  it('is UNKNOWN for a region whose volumes were not collected, and for a snapshot without volumes', async () => {
    const gap = scanSnapshot({
      resources: [await volume('vol-enc', true)],
      cells: {'AWS::EC2::Volume': [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'ec2:DescribeVolumes denied'}]},
    })
    expect(verdicts(ec2VolumeUnencrypted.evaluate(gap))).toEqual(['PASS arn:aws:ec2:us-east-1:123456789012:volume/vol-enc', 'UNKNOWN 123456789012/eu-west-1'])
    expect(ec2VolumeUnencrypted.evaluate(gap)[1]?.evidence).toContain('access_denied (ec2:DescribeVolumes denied)')

    const none = scanSnapshot({cells: {'AWS::EC2::Volume': []}})
    expect(ec2VolumeUnencrypted.evaluate(none)).toMatchObject([{status: 'UNKNOWN', resource: '123456789012', evidence: 'AWS::EC2::Volume was not collected in this snapshot'}])
  })

  it('passes an account with no volumes at all (collected, nothing to judge)', () => {
    expect(ec2VolumeUnencrypted.evaluate(scanSnapshot({cells: {'AWS::EC2::Volume': [{region: 'us-east-1'}]}}))).toEqual([])
  })
})
