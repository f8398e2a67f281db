import {
  DeleteAccessPointCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetSecurityGroupsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  type FileSystemDescription,
} from '@aws-sdk/client-efs'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import type {DeleteStep} from '../../../../src/cleanup/types.js'
import {fileSystem, type FileSystemItem} from '../../../../src/resources/efs/file-system.js'
import {testContext} from '../../../support/context.js'
import {emulatorContexts, planItemOf} from '../../../support/deleters.js'
import {CAPTURED_KEY_ARN, CAPTURED_KEY_ID, capturedFileSystem, capturedMountedFileSystem, capturedPlainFileSystem} from '../../../support/rds-efs-kms-items.js'
import {collected} from '../../../support/scan.js'

/** The DescribeFileSystems item a list() item was made from (without what the spec adds to it). */
function listed(item: FileSystemItem): FileSystemDescription {
  const {MountTargets: _targets, AccessPoints: _points, ...description} = item
  return description
}

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
    expect(fileSystem.volatile).toEqual(['SizeInBytes'])
  })

  it('is in the subnets and VPC of its mount targets and uses their security groups', async () => {
    const resource = await collected('AWS::EFS::FileSystem', capturedMountedFileSystem())
    expect(resource.relationships).toEqual([
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-b579d667e228fb83b', id: 'subnet-b579d667e228fb83b', kind: 'in'},
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-2a96905b8b1d99e42', id: 'vpc-2a96905b8b1d99e42', kind: 'in'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-45303c5a70eb476e0', id: 'sg-45303c5a70eb476e0', kind: 'uses'},
    ])
    for (const edge of [...resource.relationships, ...((await collected('AWS::EFS::FileSystem', capturedFileSystem())).relationships)]) {
      expect(fileSystem.dependsOn).toContain(edge.type)
    }

    expect(resource.configuration).toMatchObject({
      MountTargets: [{MountTargetId: 'fsmt-674707ef', SubnetId: 'subnet-b579d667e228fb83b', NetworkInterfaceId: 'eni-eeb0f3afc2f0a810c', SecurityGroups: ['sg-45303c5a70eb476e0']}],
      AccessPoints: [{AccessPointId: 'fsap-84b50656', RootDirectory: {Path: '/app'}}],
    })
    expect(fileSystem.stateFields).toContain('MountTargets.*.LifeCycleState')
  })

  it('describes the mount targets with their security groups and the access points of each file system, and asks nothing for mount targets it has none of', async () => {
    const efs = mockClient(EFSClient)
    try {
      const mounted = capturedMountedFileSystem()
      const {SecurityGroups: _groups, ...target} = mounted.MountTargets[0]!
      efs.on(DescribeFileSystemsCommand).resolves({FileSystems: [listed(mounted), listed(capturedPlainFileSystem())]})
      efs.on(DescribeMountTargetsCommand, {FileSystemId: 'fs-49cbc275'}).resolves({MountTargets: [target]})
      efs.on(DescribeMountTargetSecurityGroupsCommand, {MountTargetId: 'fsmt-674707ef'}).resolves({SecurityGroups: ['sg-45303c5a70eb476e0']})
      efs.on(DescribeAccessPointsCommand).resolves({AccessPoints: []})
      efs.on(DescribeAccessPointsCommand, {FileSystemId: 'fs-49cbc275'}).resolves({AccessPoints: mounted.AccessPoints})
      const items: FileSystemItem[] = []
      for await (const page of fileSystem.list(ctx)) items.push(...page)
      expect(items).toEqual([mounted, capturedPlainFileSystem()])
      expect(efs.commandCalls(DescribeMountTargetsCommand).map((c) => c.args[0].input.FileSystemId)).toEqual(['fs-49cbc275'])
    } finally {
      efs.restore()
    }
  })

  describe('deleter', () => {
    const deleter = fileSystem.deleter!

    it('deletes the access points, then the mount targets (waiting for them), then the file system', async () => {
      expect(deleter.steps(await collected('AWS::EFS::FileSystem', capturedMountedFileSystem()))).toEqual([
        {action: 'delete-access-points', description: 'Delete the access point of file system fs-49cbc275: fsap-84b50656', params: {fileSystemId: 'fs-49cbc275', accessPointIds: ['fsap-84b50656']}},
        {
          action: 'delete-mount-targets',
          description: 'Delete the mount target of file system fs-49cbc275 (fsmt-674707ef in subnet-b579d667e228fb83b) with its network interface, and wait until they are gone',
          params: {fileSystemId: 'fs-49cbc275', mountTargetIds: ['fsmt-674707ef']},
        },
        {action: 'delete-file-system', description: 'Delete file system fs-49cbc275 and every file in it: its data is not kept. Wait until it is gone', params: {fileSystemId: 'fs-49cbc275'}},
      ])
      expect(deleter.steps(await collected('AWS::EFS::FileSystem', capturedPlainFileSystem())).map((s) => s.action)).toEqual(['delete-file-system'])
    })

    it('takes the network interfaces of its mount targets along', async () => {
      const resource = await collected('AWS::EFS::FileSystem', capturedMountedFileSystem())
      expect(deleter.includes?.(resource, {ofType: () => []})).toEqual([
        {type: 'AWS::EC2::NetworkInterface', arn: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-eeb0f3afc2f0a810c', id: 'eni-eeb0f3afc2f0a810c'},
      ])
      expect(deleter.includes?.(await collected('AWS::EFS::FileSystem', capturedPlainFileSystem()), {ofType: () => []})).toEqual([])
    })

    // The emulator deletes at once; AWS takes a while, which only a mock can show.
    it('waits while mount targets and the file system are being deleted, and then reports them deleted', async () => {
      const efs = mockClient(EFSClient)
      try {
        const item = planItemOf(await collected('AWS::EFS::FileSystem', capturedMountedFileSystem()))
        const [, targets, remove] = item.steps as [DeleteStep, DeleteStep, DeleteStep]
        const run = (step: DeleteStep) => deleter.run(emulatorContexts('http://127.0.0.1:9').delete, item, step)
        const target = {...capturedMountedFileSystem().MountTargets[0]!, SecurityGroups: undefined}
        efs.on(DescribeMountTargetsCommand).resolvesOnce({MountTargets: [target]}).resolves({MountTargets: [{...target, LifeCycleState: 'deleting'}]})
        efs.on(DeleteMountTargetCommand).resolves({$metadata: {requestId: 'req-mt'}})
        expect(await run(targets)).toEqual({status: 'wait', detail: 'the mount target of fs-49cbc275 is being deleted', retryAfterMs: 10_000, requestIds: ['req-mt']})
        expect(await run(targets)).toMatchObject({status: 'wait'})
        efs.on(DescribeMountTargetsCommand).rejects(Object.assign(new Error('gone'), {name: 'MountTargetNotFound', $metadata: {httpStatusCode: 404}}))
        expect(await run(targets)).toEqual({status: 'done', detail: 'the mount target of fs-49cbc275 deleted'})
        expect(efs.commandCalls(DeleteMountTargetCommand)).toHaveLength(1)

        const fs = listed(capturedMountedFileSystem({NumberOfMountTargets: 0}))
        efs.on(DescribeFileSystemsCommand).resolvesOnce({FileSystems: [fs]}).resolves({FileSystems: [{...fs, LifeCycleState: 'deleting'}]})
        efs.on(DeleteFileSystemCommand).resolves({$metadata: {requestId: 'req-fs'}})
        expect(await run(remove)).toEqual({status: 'wait', detail: 'file system fs-49cbc275 is being deleted', retryAfterMs: 5000, requestIds: ['req-fs']})
        efs.on(DescribeFileSystemsCommand).resolves({FileSystems: [{...fs, LifeCycleState: 'deleted'}]})
        expect(await run(remove)).toEqual({status: 'done', detail: 'file system fs-49cbc275 deleted'})
        expect(efs.commandCalls(DeleteFileSystemCommand)).toHaveLength(1)
      } finally {
        efs.restore()
      }
    })

    it('reports gone what was gone before it started, and refuses a step it does not know', async () => {
      const efs = mockClient(EFSClient)
      try {
        const item = planItemOf(await collected('AWS::EFS::FileSystem', capturedMountedFileSystem()))
        const ctx = emulatorContexts('http://127.0.0.1:9').delete
        const notFound = (name: string) => Object.assign(new Error(name), {name, $metadata: {httpStatusCode: 404}})
        efs.on(DescribeAccessPointsCommand).rejects(notFound('AccessPointNotFound'))
        efs.on(DescribeMountTargetsCommand).rejects(notFound('MountTargetNotFound'))
        efs.on(DescribeFileSystemsCommand).rejects(notFound('FileSystemNotFound'))
        for (const step of item.steps) expect(await deleter.run(ctx, item, step)).toMatchObject({status: 'gone'})
        expect(efs.commandCalls(DeleteAccessPointCommand)).toHaveLength(0)
        expect(await deleter.current(ctx, item)).toBeUndefined()
        await expect(deleter.run(ctx, item, {action: 'empty-bucket', description: '', params: {fileSystemId: 'fs-49cbc275'}})).rejects.toThrow('AWS::EFS::FileSystem has no step empty-bucket')
      } finally {
        efs.restore()
      }
    })
  })

  it('lists every page, skips deleted file systems and lets a denial through', async () => {
    const efs = mockClient(EFSClient)
    try {
      efs.on(DescribeFileSystemsCommand).resolves({FileSystems: [listed(capturedFileSystem()), listed(capturedPlainFileSystem({LifeCycleState: 'deleted'}))], NextMarker: 'page-2'})
      efs.on(DescribeFileSystemsCommand, {Marker: 'page-2'}).resolves({FileSystems: [listed(capturedPlainFileSystem({LifeCycleState: 'deleting'}))]})
      efs.on(DescribeAccessPointsCommand).resolves({AccessPoints: []})
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
