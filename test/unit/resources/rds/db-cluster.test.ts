import {DeleteDBClusterCommand, DescribeDBClustersCommand, RDSClient} from '@aws-sdk/client-rds'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {dbCluster} from '../../../../src/resources/rds/db-cluster.js'
import {testContext} from '../../../support/context.js'
import {emulatorContexts, planItemOf} from '../../../support/deleters.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, capturedDbCluster, MANAGED_SECRET_ARN} from '../../../support/rds-efs-kms-items.js'
import {collected} from '../../../support/scan.js'

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

  describe('deleter', () => {
    const deleter = dbCluster.deleter!
    const remove = {
      action: 'delete-db-cluster',
      description: 'Delete DB cluster aurora1 with no final snapshot and without its automated backups: its data is not kept. Wait until it is gone',
      params: {dbClusterIdentifier: 'aurora1', skipFinalSnapshot: true, deleteAutomatedBackups: true},
    }

    it('deletes the cluster with no final snapshot and without its automated backups, turning its deletion protection off first', async () => {
      expect(deleter.steps(await collected('AWS::RDS::DBCluster', capturedDbCluster()))).toEqual([remove])
      expect(deleter.steps(await collected('AWS::RDS::DBCluster', capturedDbCluster({DeletionProtection: true})))).toEqual([
        {action: 'disable-deletion-protection', description: 'Turn off deletion protection of DB cluster aurora1, applied immediately', params: {dbClusterIdentifier: 'aurora1'}},
        remove,
      ])
    })

    it('takes along the instances of a Multi-AZ DB cluster (not of an Aurora cluster) and the master password secret RDS manages', async () => {
      const aurora = await collected('AWS::RDS::DBCluster', capturedDbCluster())
      expect(deleter.includes?.(aurora, {ofType: () => []})).toEqual([])
      // A Multi-AZ DB cluster: an engine that is not Aurora, an instance class of its own, three members.
      const multiAz = await collected(
        'AWS::RDS::DBCluster',
        capturedDbCluster({
          Engine: 'postgres',
          DBClusterInstanceClass: 'db.m5d.large',
          DBClusterMembers: ['aurora1-a', 'aurora1-b'].map((DBInstanceIdentifier, i) => ({DBInstanceIdentifier, IsClusterWriter: i === 0})),
          MasterUserSecret: {SecretArn: MANAGED_SECRET_ARN, SecretStatus: 'active'},
        }),
      )
      expect(deleter.includes?.(multiAz, {ofType: () => []})).toEqual([
        {type: 'AWS::RDS::DBInstance', arn: 'arn:aws:rds:us-east-1:123456789012:db:aurora1-a', id: 'aurora1-a'},
        {type: 'AWS::RDS::DBInstance', arn: 'arn:aws:rds:us-east-1:123456789012:db:aurora1-b', id: 'aurora1-b'},
        {type: 'AWS::SecretsManager::Secret', arn: MANAGED_SECRET_ARN},
      ])
    })

    // The emulator deletes clusters at once; AWS takes minutes, which only a mock can show.
    it('waits while the cluster is being deleted and reports it deleted once it is gone', async () => {
      const rds = mockClient(RDSClient)
      try {
        const item = planItemOf(await collected('AWS::RDS::DBCluster', capturedDbCluster()))
        const ctx = emulatorContexts('http://127.0.0.1:9').delete
        rds.on(DescribeDBClustersCommand).resolvesOnce({DBClusters: [capturedDbCluster()]}).resolves({DBClusters: [capturedDbCluster({Status: 'deleting'})]})
        rds.on(DeleteDBClusterCommand).resolves({$metadata: {requestId: 'req-1'}})
        expect(await deleter.run(ctx, item, item.steps[0]!)).toEqual({status: 'wait', detail: 'DB cluster aurora1 is being deleted', retryAfterMs: 30_000, requestIds: ['req-1']})
        expect(rds.commandCalls(DeleteDBClusterCommand)[0]!.args[0].input).toEqual({DBClusterIdentifier: 'aurora1', SkipFinalSnapshot: true, DeleteAutomatedBackups: true})
        rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 404))
        expect(await deleter.run(ctx, item, item.steps[0]!)).toEqual({status: 'done', detail: 'DB cluster aurora1 deleted'})
        expect(await deleter.run(ctx, item, {...item.steps[0]!})).toEqual({status: 'gone', detail: 'DB cluster aurora1 no longer exists'})
      } finally {
        rds.restore()
      }
    })
  })
})
