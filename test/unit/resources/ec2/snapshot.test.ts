import {describe, expect, it} from 'vitest'

import {snapshot} from '../../../../src/resources/ec2/snapshot.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::Snapshot', () => {
  const ctx = testContext({region: 'eu-central-1'})
  const item = {
    SnapshotId: 'snap-1',
    VolumeId: 'vol-1',
    VolumeSize: 100,
    State: 'completed' as const,
    Progress: '100%',
    OwnerId: '123456789012',
    StartTime: new Date('2024-03-03T03:03:03Z'),
    Description: 'nightly',
    Encrypted: false,
    Tags: [{Key: 'backup', Value: 'nightly'}],
  }

  it('builds the canonical resource with an account-less ARN', async () => {
    const resource = await snapshot.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:eu-central-1::snapshot/snap-1',
      type: 'AWS::EC2::Snapshot',
      id: 'snap-1',
      name: 'snap-1',
      region: 'eu-central-1',
      accountId: '123456789012',
      createdAt: '2024-03-03T03:03:03.000Z',
      tags: {backup: 'nightly'},
      source: 'api',
    })
    expect(resource.configuration.StartTime).toBe('2024-03-03T03:03:03.000Z')
  })

  it('references the volume it was taken from', async () => {
    const resource = await snapshot.toResource(item, ctx)
    expect(snapshot.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::Volume', arn: 'arn:aws:ec2:eu-central-1:123456789012:volume/vol-1', id: 'vol-1', kind: 'references'},
    ])
  })

  it('uses the KMS key an encrypted snapshot is encrypted with', async () => {
    const KmsKeyId = 'arn:aws:kms:eu-central-1:123456789012:key/f5e9b95c-8eb6-4a75-976d-929105b1da2a'
    const resource = await snapshot.toResource({...item, Encrypted: true, KmsKeyId}, ctx)
    expect(snapshot.relationships?.(resource)).toContainEqual({type: 'AWS::KMS::Key', arn: KmsKeyId, id: 'f5e9b95c-8eb6-4a75-976d-929105b1da2a', kind: 'uses'})
    expect(snapshot.dependsOn).toEqual(['AWS::KMS::Key'])
  })

  it('has no edge for the placeholder volume of copied snapshots', async () => {
    const resource = await snapshot.toResource({...item, VolumeId: 'vol-ffffffff'}, ctx)
    expect(snapshot.relationships?.(resource)).toEqual([])
  })

  it('lists only the account’s own snapshots', async () => {
    const requests: unknown[] = []
    const ec2 = {
      describeSnapshots: async (request: unknown) => {
        requests.push(request)
        return {Snapshots: [item]}
      },
    }
    const pages = []
    for await (const page of snapshot.list(testContext({clients: {get: async () => ec2} as never}))) pages.push(page)
    expect(pages).toEqual([[item]])
    expect(requests).toEqual([{OwnerIds: ['self'], MaxResults: 1000}])
  })
})

describe('AWS::EC2::Snapshot deleter', () => {
  it('deletes the snapshot by its id', async () => {
    const backup = await collected(snapshot.type, currentItems['AWS::EC2::Snapshot']![0])
    expect(snapshot.deleter!.steps(backup)).toEqual([{action: 'delete-snapshot', description: 'Delete snapshot sbx-backup (snap-e787cc778bfcb7832)', params: {snapshotId: 'snap-e787cc778bfcb7832'}}])
  })
})
