import {DescribeFileSystemsCommand, EFSClient} from '@aws-sdk/client-efs'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {fileSystem} from '../../../../src/resources/efs/file-system.js'
import {testContext} from '../../../support/context.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, capturedFileSystem, capturedPlainFileSystem} from '../../../support/rds-efs-kms-items.js'

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: status}})
}

describe('AWS::EFS::FileSystem', () => {
  const ctx = testContext()

  it('builds the canonical resource from the DescribeFileSystems item', async () => {
    const resource = await fileSystem.toResource(capturedFileSystem(), ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-a382957c',
      type: 'AWS::EFS::FileSystem',
      id: 'fs-a382957c',
      name: 'shared',
      createdAt: '2026-12-05T07:21:55.963Z',
      tags: {Name: 'shared'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({Encrypted: true, KmsKeyId: CAPTURED_KEY_ID, SizeInBytes: {Value: 0, Timestamp: '2026-12-05T07:25:31.671Z'}})
  })

  it('is known by its id without a Name tag, and builds the ARN when the API gives none', async () => {
    const resource = await fileSystem.toResource(capturedPlainFileSystem({FileSystemArn: undefined}), testContext({region: 'eu-west-1'}))
    expect(resource).toMatchObject({arn: 'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-bc938739', name: 'fs-bc938739', tags: {}})
  })

  it('uses its KMS key, named by ARN (AWS) or bare id (the emulator)', async () => {
    const edge = {type: 'AWS::KMS::Key', arn: CAPTURED_KEY_ARN, id: CAPTURED_KEY_ID, kind: 'uses'}
    expect(fileSystem.relationships?.(await fileSystem.toResource(capturedFileSystem(), ctx))).toEqual([edge])
    expect(fileSystem.relationships?.(await fileSystem.toResource(capturedFileSystem({KmsKeyId: CAPTURED_KEY_ARN}), ctx))).toEqual([edge])
    expect(fileSystem.relationships?.(await fileSystem.toResource(capturedPlainFileSystem(), ctx))).toEqual([])
    expect(fileSystem.dependsOn).toEqual(['AWS::KMS::Key'])
    expect(fileSystem.volatile).toEqual(['SizeInBytes'])
  })

  it('lists every page, skips deleted file systems and lets a denial through', async () => {
    const efs = mockClient(EFSClient)
    try {
      efs.on(DescribeFileSystemsCommand).resolves({FileSystems: [capturedFileSystem(), capturedPlainFileSystem({LifeCycleState: 'deleted'})], NextMarker: 'page-2'})
      efs.on(DescribeFileSystemsCommand, {Marker: 'page-2'}).resolves({FileSystems: [capturedPlainFileSystem({LifeCycleState: 'deleting'})]})
      const ids: Array<string | undefined> = []
      for await (const page of fileSystem.list(ctx)) ids.push(...page.map((f) => `${f.FileSystemId} ${f.LifeCycleState}`))
      expect(ids).toEqual(['fs-a382957c available', 'fs-bc938739 deleting'])
      expect(efs.commandCalls(DescribeFileSystemsCommand)).toHaveLength(2)

      efs.on(DescribeFileSystemsCommand).rejects(awsError('AccessDeniedException', 403))
      await expect(fileSystem.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDeniedException'})
    } finally {
      efs.restore()
    }
  })
})
