import {describe, expect, it} from 'vitest'

import {rdsStorageUnencrypted} from '../../../../src/security/checks/rds-storage-unencrypted.js'
import {CAPTURED_KEY_ID, capturedClusterMember, capturedDbCluster, capturedDbInstance} from '../../../support/rds-efs-kms-items.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const dbArn = (id: string) => `arn:aws:rds:us-east-1:123456789012:db:${id}`
const clusterArn = (id: string) => `arn:aws:rds:us-east-1:123456789012:cluster:${id}`
const instance = (overrides: Parameters<typeof capturedDbInstance>[0] = {}) => collected('AWS::RDS::DBInstance', capturedDbInstance(overrides))
const member = (overrides: Parameters<typeof capturedClusterMember>[0] = {}) => collected('AWS::RDS::DBInstance', capturedClusterMember(overrides))
const cluster = (overrides: Parameters<typeof capturedDbCluster>[0] = {}) => collected('AWS::RDS::DBCluster', capturedDbCluster(overrides))

describe('rds-storage-unencrypted', () => {
  it('fails an unencrypted standalone instance and passes an encrypted one', async () => {
    const findings = rdsStorageUnencrypted.evaluate(
      scanSnapshot({
        resources: [await instance(), await instance({DBInstanceIdentifier: 'priv', DBInstanceArn: dbArn('priv'), StorageEncrypted: true, KmsKeyId: CAPTURED_KEY_ID})],
        cells: {'AWS::RDS::DBCluster': [{region: 'us-east-1'}]},
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${dbArn('pub')}`, `PASS ${dbArn('priv')}`])
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      evidence: 'instance pub (postgres, 20 GiB) is not encrypted at rest',
      remediation:
        'aws rds create-db-snapshot --db-instance-identifier pub --db-snapshot-identifier pub-unencrypted --region us-east-1  # then copy-db-snapshot --kms-key-id <kms-key-id> and restore-db-instance-from-db-snapshot from the copy',
    })
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe(`encrypted with ${CAPTURED_KEY_ID}`)
  })

  it('judges a cluster once, listing its members, and leaves the members to it', async () => {
    const encrypted = rdsStorageUnencrypted.evaluate(scanSnapshot({resources: [await cluster(), await member()]}))
    expect(verdicts(encrypted)).toEqual([`PASS ${clusterArn('aurora1')}`])
    expect(encrypted[0]?.evidence).toBe(`encrypted with ${CAPTURED_KEY_ID}; member instances: aurora1-i1`)

    const plain = rdsStorageUnencrypted.evaluate(
      scanSnapshot({
        resources: [
          await cluster({StorageEncrypted: false, KmsKeyId: undefined}),
          await member({StorageEncrypted: false, KmsKeyId: undefined}),
          await member({DBInstanceIdentifier: 'aurora1-i2', DBInstanceArn: dbArn('aurora1-i2'), StorageEncrypted: false, KmsKeyId: undefined}),
        ],
      }),
    )
    expect(verdicts(plain)).toEqual([`FAIL ${clusterArn('aurora1')}`])
    expect(plain[0]).toMatchObject({
      evidence: 'cluster aurora1 (aurora-postgresql) is not encrypted at rest; member instances: aurora1-i1, aurora1-i2',
      remediation:
        'aws rds create-db-cluster-snapshot --db-cluster-identifier aurora1 --db-cluster-snapshot-identifier aurora1-unencrypted --region us-east-1  # then restore-db-cluster-from-snapshot --kms-key-id <kms-key-id> from it',
    })
  })

  it('judges a member on its own report where its cluster is not in the snapshot, and says so', async () => {
    const findings = rdsStorageUnencrypted.evaluate(
      scanSnapshot({resources: [await member({StorageEncrypted: false, KmsKeyId: undefined})], cells: {'AWS::RDS::DBCluster': [{region: 'us-east-1'}]}}),
    )
    expect(findings).toMatchObject([
      {
        status: 'FAIL',
        resource: dbArn('aurora1-i1'),
        evidence: 'instance aurora1-i1 (aurora-postgresql, 1 GiB) is not encrypted at rest (storage of cluster aurora1, which is not in this snapshot)',
        remediation: expect.stringContaining('--db-cluster-identifier aurora1 '),
      },
    ])
  })

  it('is UNKNOWN where clusters or instances were not collected, or encryption was not recorded', async () => {
    const noClusters = rdsStorageUnencrypted.evaluate(scanSnapshot({resources: [await instance({StorageEncrypted: true})], cells: {'AWS::RDS::DBCluster': []}}))
    expect(verdicts(noClusters)).toEqual([`PASS ${dbArn('pub')}`, 'UNKNOWN 123456789012'])
    expect(noClusters.find((f) => f.status === 'UNKNOWN')?.evidence).toBe('AWS::RDS::DBCluster was not collected in this snapshot')

    const denied = rdsStorageUnencrypted.evaluate(
      scanSnapshot({
        resources: [await cluster()],
        cells: {'AWS::RDS::DBInstance': [{region: 'us-east-1', status: 'access_denied', error: 'rds:DescribeDBInstances denied'}]},
      }),
    )
    expect(verdicts(denied)).toEqual([`PASS ${clusterArn('aurora1')}`, 'UNKNOWN 123456789012/us-east-1'])

    const unrecorded = rdsStorageUnencrypted.evaluate(scanSnapshot({resources: [await instance({StorageEncrypted: undefined}), await cluster({StorageEncrypted: undefined})]}))
    expect(unrecorded.map((f) => `${f.status} ${f.evidence}`)).toEqual([
      'UNKNOWN instance pub has no recorded StorageEncrypted setting',
      'UNKNOWN cluster aurora1 has no recorded StorageEncrypted setting',
    ])
  })
})
