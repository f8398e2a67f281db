import {DeleteDBInstanceCommand, DescribeDBInstancesCommand, RDSClient} from '@aws-sdk/client-rds'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {dbInstance} from '../../../../src/resources/rds/db-instance.js'
import {specOf} from '../../../../src/resources/registry.js'
import {testContext} from '../../../support/context.js'
import {emulatorContexts, planItemOf} from '../../../support/deleters.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, capturedClusterMember, capturedDbInstance, MANAGED_SECRET_ARN} from '../../../support/rds-efs-kms-items.js'
import {collected} from '../../../support/scan.js'

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: status}})
}

describe('AWS::RDS::DBInstance', () => {
  const ctx = testContext()

  it('builds the canonical resource from the DescribeDBInstances item, tags from its TagList', async () => {
    const resource = await dbInstance.toResource(capturedDbInstance(), ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:rds:us-east-1:123456789012:db:pub',
      type: 'AWS::RDS::DBInstance',
      id: 'pub',
      name: 'pub',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: '2026-12-05T07:21:55.766Z',
      tags: {env: 'dev'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({
      PubliclyAccessible: true,
      StorageEncrypted: false,
      DbiResourceId: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U',
      LatestRestorableTime: '2026-12-05T07:26:31.658Z',
    })
    expect(resource.configuration).not.toHaveProperty('KmsKeyId')
  })

  it('is named by its Name tag where it has one, and builds the ARN when the API gives none', async () => {
    const resource = await dbInstance.toResource(capturedDbInstance({DBInstanceArn: undefined, TagList: [{Key: 'Name', Value: 'orders'}]}), testContext({region: 'eu-west-1'}))
    expect(resource).toMatchObject({arn: 'arn:aws:rds:eu-west-1:123456789012:db:pub', name: 'orders'})
  })

  it('sits in its subnet group’s subnets and VPC and uses its security groups', async () => {
    const resource = await dbInstance.toResource(capturedDbInstance(), ctx)
    expect(dbInstance.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-95673767d285122a2', id: 'sg-95673767d285122a2', kind: 'uses'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-ffd49838866c83182', id: 'subnet-ffd49838866c83182', kind: 'in'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-e11cd5a13769065f2', id: 'subnet-e11cd5a13769065f2', kind: 'in'},
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-232dbd8a704d97bea', id: 'vpc-232dbd8a704d97bea', kind: 'in'},
    ])
  })

  it('is in its cluster and uses its storage key (a key ARN as AWS reports it, or a bare id)', async () => {
    const member = await dbInstance.toResource(capturedClusterMember(), ctx)
    expect(dbInstance.relationships?.(member)).toEqual([
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-95673767d285122a2', id: 'sg-95673767d285122a2', kind: 'uses'},
      {type: 'AWS::KMS::Key', arn: CAPTURED_KEY_ARN, id: CAPTURED_KEY_ID, kind: 'uses'},
      {type: 'AWS::RDS::DBCluster', arn: 'arn:aws:rds:us-east-1:123456789012:cluster:aurora1', id: 'aurora1', kind: 'in'},
    ])
    const withArn = await dbInstance.toResource(capturedClusterMember({KmsKeyId: CAPTURED_KEY_ARN}), ctx)
    expect(dbInstance.relationships?.(withArn)).toContainEqual({type: 'AWS::KMS::Key', arn: CAPTURED_KEY_ARN, id: CAPTURED_KEY_ID, kind: 'uses'})
  })

  it('depends only on registered types, covering every edge it returns', async () => {
    for (const item of [capturedDbInstance(), capturedClusterMember()]) {
      const resource = await dbInstance.toResource(item, ctx)
      for (const edge of dbInstance.relationships?.(resource) ?? []) expect(dbInstance.dependsOn).toContain(edge.type)
    }

    for (const type of dbInstance.dependsOn ?? []) expect(specOf(type), type).toBeDefined()
    expect(dbInstance.uniqueId).toBe('DbiResourceId')
    expect(dbInstance.volatile).toContain('LatestRestorableTime')
  })

  it('lists every page and lets a denial through', async () => {
    const rds = mockClient(RDSClient)
    try {
      rds.on(DescribeDBInstancesCommand).resolves({DBInstances: [capturedDbInstance()], Marker: 'page-2'})
      rds.on(DescribeDBInstancesCommand, {Marker: 'page-2'}).resolves({DBInstances: [capturedClusterMember()]})
      const ids: Array<string | undefined> = []
      for await (const page of dbInstance.list(ctx)) ids.push(...page.map((i) => i.DBInstanceIdentifier))
      expect(ids).toEqual(['pub', 'aurora1-i1'])
      expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(2)

      rds.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 403))
      await expect(dbInstance.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDenied'})
    } finally {
      rds.restore()
    }
  })

  describe('deleter', () => {
    const deleter = dbInstance.deleter!
    const keep = 'with no final snapshot and without its automated backups: its data is not kept. Wait until it is gone'

    it('deletes a standalone instance with no final snapshot and without its automated backups, turning its deletion protection off first', async () => {
      expect(deleter.steps(await collected('AWS::RDS::DBInstance', capturedDbInstance()))).toEqual([
        {action: 'delete-db-instance', description: `Delete DB instance pub ${keep}`, params: {dbInstanceIdentifier: 'pub', skipFinalSnapshot: true, deleteAutomatedBackups: true}},
      ])
      expect(deleter.steps(await collected('AWS::RDS::DBInstance', capturedDbInstance({DeletionProtection: true})))).toEqual([
        {action: 'disable-deletion-protection', description: 'Turn off deletion protection of DB instance pub, applied immediately', params: {dbInstanceIdentifier: 'pub'}},
        {action: 'delete-db-instance', description: `Delete DB instance pub ${keep}`, params: {dbInstanceIdentifier: 'pub', skipFinalSnapshot: true, deleteAutomatedBackups: true}},
      ])
    })

    it('deletes a cluster member on its own terms: no snapshot or backup flags, and the cluster’s deletion protection does not hold it', async () => {
      expect(deleter.steps(await collected('AWS::RDS::DBInstance', capturedClusterMember({DeletionProtection: true})))).toEqual([
        {
          action: 'delete-db-instance',
          description: 'Delete DB instance aurora1-i1 of DB cluster aurora1 (the data stays in the cluster) and wait until it is gone',
          params: {dbInstanceIdentifier: 'aurora1-i1'},
        },
      ])
    })

    it('takes along the secret RDS manages its master password in', async () => {
      const managed = await collected('AWS::RDS::DBInstance', capturedDbInstance({MasterUserSecret: {SecretArn: MANAGED_SECRET_ARN, SecretStatus: 'active'}}))
      expect(deleter.includes?.(managed, {ofType: () => []})).toEqual([{type: 'AWS::SecretsManager::Secret', arn: MANAGED_SECRET_ARN}])
      expect(deleter.includes?.(await collected('AWS::RDS::DBInstance', capturedDbInstance()), {ofType: () => []})).toEqual([])
      expect(deleter.waitTimeoutMs).toBe(30 * 60_000)
    })

    // The emulator deletes instances at once; AWS takes minutes, which only a mock can show.
    it('waits while the instance is being deleted, without asking twice, and reports it deleted once it is gone', async () => {
      const rds = mockClient(RDSClient)
      try {
        const item = planItemOf(await collected('AWS::RDS::DBInstance', capturedDbInstance()))
        const step = item.steps[0]!
        const ctx = emulatorContexts('http://127.0.0.1:9').delete
        rds.on(DescribeDBInstancesCommand).resolvesOnce({DBInstances: [capturedDbInstance()]}).resolves({DBInstances: [capturedDbInstance({DBInstanceStatus: 'deleting'})]})
        rds.on(DeleteDBInstanceCommand).resolves({$metadata: {requestId: 'req-1'}})
        expect(await deleter.run(ctx, item, step)).toEqual({status: 'wait', detail: 'DB instance pub is being deleted', retryAfterMs: 30_000, requestIds: ['req-1']})
        expect(rds.commandCalls(DeleteDBInstanceCommand)[0]!.args[0].input).toEqual({DBInstanceIdentifier: 'pub', SkipFinalSnapshot: true, DeleteAutomatedBackups: true})
        expect(await deleter.run(ctx, item, step)).toEqual({status: 'wait', detail: 'DB instance pub is being deleted', retryAfterMs: 30_000})
        rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault', 404))
        expect(await deleter.run(ctx, item, step)).toEqual({status: 'done', detail: 'DB instance pub deleted'})
        expect(rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1)
        expect(await deleter.current(ctx, item)).toBeUndefined()
      } finally {
        rds.restore()
      }
    })
  })
})
