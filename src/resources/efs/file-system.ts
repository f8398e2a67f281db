import type {FileSystemDescription} from '@aws-sdk/client-efs'

import {paginateItems} from '../../aws/paginate.js'
import {kmsKeyEdges} from '../kms/key.js'
import {apiResource, isoDate, nameFromTags, regionalArn, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

export const fileSystem: ResourceSpec<FileSystemDescription> = {
  type: 'AWS::EFS::FileSystem',
  service: 'efs',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html',

  async *list(ctx) {
    const efs = await ctx.clients.get('efs', ctx.region)
    for await (const page of paginateItems((r) => efs.describeFileSystems(r), {MaxItems: 100}, 'Marker', 'NextMarker', 'FileSystems')) {
      // A deleted file system can still be listed for a short while but no longer exists.
      const current = page.filter((fs) => fs.LifeCycleState !== 'deleted')
      if (current.length > 0) yield current
    }
  },

  toResource(item, ctx) {
    const id = item.FileSystemId ?? ''
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.FileSystemArn ?? regionalArn(ctx, 'elasticfilesystem', `file-system/${id}`),
      type: fileSystem.type,
      id,
      // `Name` mirrors the Name tag; a file system without one is known by its id.
      name: nameFromTags(tags, item.Name || id),
      createdAt: isoDate(item.CreationTime),
      tags,
      configuration: item,
    })
  },

  relationships(resource) {
    // KmsKeyId is a key ARN in AWS's answers (a bare key id in the emulator's).
    const {KmsKeyId} = resource.configuration as {KmsKeyId?: string}
    return kmsKeyEdges(resource, [KmsKeyId], 'uses')
  },

  // The file system goes before the key its data is encrypted with.
  dependsOn: ['AWS::KMS::Key'],
  // The metered size (and the time it was metered) changes with every write.
  volatile: ['SizeInBytes'],
  stateFields: ['LifeCycleState'],
  sets: {Tags: 'Key'},
}
