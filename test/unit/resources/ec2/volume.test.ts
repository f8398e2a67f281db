import {describe, expect, it} from 'vitest'

import {volume} from '../../../../src/resources/ec2/volume.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::Volume', () => {
  const ctx = testContext()
  const item = {
    VolumeId: 'vol-1',
    Size: 100,
    VolumeType: 'gp3' as const,
    State: 'in-use' as const,
    SnapshotId: 'snap-1',
    AvailabilityZone: 'us-east-1a',
    CreateTime: new Date('2024-02-01T09:30:00Z'),
    Encrypted: true,
    Attachments: [{InstanceId: 'i-1', VolumeId: 'vol-1', Device: '/dev/xvda', State: 'attached' as const, AttachTime: new Date('2024-02-01T09:31:00Z')}],
    Tags: [{Key: 'Name', Value: 'root'}],
  }

  it('builds the canonical resource from DescribeVolumes output', async () => {
    const resource = await volume.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-1',
      type: 'AWS::EC2::Volume',
      id: 'vol-1',
      name: 'root',
      createdAt: '2024-02-01T09:30:00.000Z',
      tags: {Name: 'root'},
      source: 'api',
    })
    expect(resource.configuration.CreateTime).toBe('2024-02-01T09:30:00.000Z')
    expect(resource.configuration.Attachments).toEqual([
      {InstanceId: 'i-1', VolumeId: 'vol-1', Device: '/dev/xvda', State: 'attached', AttachTime: '2024-02-01T09:31:00.000Z'},
    ])
  })

  it('references the snapshot it was restored from (informational, no ordering)', async () => {
    const resource = await volume.toResource(item, ctx)
    expect(volume.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::Snapshot', arn: 'arn:aws:ec2:us-east-1::snapshot/snap-1', id: 'snap-1', kind: 'references'},
    ])
    expect(volume.dependsOn).toEqual(['AWS::KMS::Key'])
  })

  it('uses the KMS key it is encrypted with', async () => {
    const KmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/f5e9b95c-8eb6-4a75-976d-929105b1da2a'
    const resource = await volume.toResource({...item, SnapshotId: '', KmsKeyId}, ctx)
    expect(volume.relationships?.(resource)).toEqual([{type: 'AWS::KMS::Key', arn: KmsKeyId, id: 'f5e9b95c-8eb6-4a75-976d-929105b1da2a', kind: 'uses'}])
  })

  it('has no edge when created empty (SnapshotId is an empty string)', async () => {
    const resource = await volume.toResource({...item, SnapshotId: ''}, ctx)
    expect(volume.relationships?.(resource)).toEqual([])
  })
})

describe('AWS::EC2::Volume deleter', () => {
  it('deletes the volume by its id, with no detach step', async () => {
    const data = await collected(volume.type, currentItems['AWS::EC2::Volume']![1])
    expect(volume.deleter!.steps(data)).toEqual([{action: 'delete-volume', description: 'Delete volume sbx-data (vol-5077977f709f9f2b2)', params: {volumeId: 'vol-5077977f709f9f2b2'}}])
  })
})
