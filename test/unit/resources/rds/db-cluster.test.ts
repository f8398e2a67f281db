import {DescribeDBClustersCommand, RDSClient} from '@aws-sdk/client-rds'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {dbCluster} from '../../../../src/resources/rds/db-cluster.js'
import {testContext} from '../../../support/context.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, capturedDbCluster} from '../../../support/rds-efs-kms-items.js'

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: status}})
}

describe('AWS::RDS::DBCluster', () => {
  const ctx = testContext()

  it('builds the canonical resource from the DescribeDBClusters item, tags from its TagList', async () => {
    const resource = await dbCluster.toResource(capturedDbCluster(), ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:rds:us-east-1:123456789012:cluster:aurora1',
      type: 'AWS::RDS::DBCluster',
      id: 'aurora1',
      name: 'aurora',
      createdAt: '2026-12-05T07:21:55.732Z',
      tags: {Name: 'aurora'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({
      StorageEncrypted: true,
      KmsKeyId: CAPTURED_KEY_ID,
      DbClusterResourceId: 'cluster-RN5T1TJE4OVE9LWZOUVKYBAC5Q',
      DBClusterMembers: [{DBInstanceIdentifier: 'aurora1-i1', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 1}],
      EarliestRestorableTime: '2026-12-05T07:21:55.732Z',
    })
  })

  it('falls back to the identifier for its name and to a built ARN', async () => {
    const resource = await dbCluster.toResource(capturedDbCluster({TagList: [], DBClusterArn: undefined}), testContext({region: 'eu-west-1', accountId: '444455556666'}))
    expect(resource).toMatchObject({arn: 'arn:aws:rds:eu-west-1:444455556666:cluster:aurora1', name: 'aurora1'})
  })

  it('uses its security groups and its storage key', async () => {
    const resource = await dbCluster.toResource(capturedDbCluster(), ctx)
    expect(dbCluster.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-95673767d285122a2', id: 'sg-95673767d285122a2', kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: CAPTURED_KEY_ARN, id: CAPTURED_KEY_ID, kind: 'uses'},
    ])
    const plain = await dbCluster.toResource(capturedDbCluster({StorageEncrypted: false, KmsKeyId: undefined, VpcSecurityGroups: []}), ctx)
    expect(dbCluster.relationships?.(plain)).toEqual([])
    expect(dbCluster.dependsOn).toEqual(['AWS::EC2::SecurityGroup', 'AWS::KMS::Key'])
    expect(dbCluster.uniqueId).toBe('DbClusterResourceId')
    expect(dbCluster.volatile).toEqual(expect.arrayContaining(['LatestRestorableTime', 'EarliestRestorableTime']))
  })

  it('lists every page and lets a denial through', async () => {
    const rds = mockClient(RDSClient)
    try {
      rds.on(DescribeDBClustersCommand).resolves({DBClusters: [capturedDbCluster()], Marker: 'page-2'})
      rds.on(DescribeDBClustersCommand, {Marker: 'page-2'}).resolves({DBClusters: [capturedDbCluster({DBClusterIdentifier: 'second'})]})
      const ids: Array<string | undefined> = []
      for await (const page of dbCluster.list(ctx)) ids.push(...page.map((c) => c.DBClusterIdentifier))
      expect(ids).toEqual(['aurora1', 'second'])

      rds.on(DescribeDBClustersCommand).rejects(awsError('AccessDenied', 403))
      await expect(dbCluster.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDenied'})
    } finally {
      rds.restore()
    }
  })
})
