import type {FileSystemDescription} from '@aws-sdk/client-efs'

import {fail, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'

export const efsFilesystemUnencrypted: Check = {
  id: 'efs-filesystem-unencrypted',
  title: 'EFS file systems are encrypted at rest',
  severity: 'medium',
  cis: {v4: '2.3.1', v7: '3.3.1'},
  resourceTypes: ['AWS::EFS::FileSystem'],
  risk: 'Files on an unencrypted file system, and its backups, are stored in the clear: anyone who obtains the underlying storage or a copy reads them, and no KMS key policy or CloudTrail record of key use governs access.',
  remediation: {
    text: 'Encryption at rest can only be chosen when a file system is created: create an encrypted file system, copy the data across (e.g. with AWS DataSync), move the clients and delete the old one.',
    cli: 'aws efs create-file-system --encrypted --kms-key-id <kms-key-id> --creation-token <file-system-id>-encrypted --region <region>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::EFS::FileSystem', (resource) => {
      const fs = resource.configuration as Partial<FileSystemDescription>
      if (fs.Encrypted === undefined) return unknown(`file system ${resource.id} has no recorded encryption setting`)
      if (fs.Encrypted) return pass(`encrypted${fs.KmsKeyId ? ` with ${fs.KmsKeyId}` : ''}`)
      const name = resource.name !== resource.id ? ` (${resource.name})` : ''
      return fail(
        `file system ${resource.id}${name} is not encrypted at rest`,
        `aws efs create-file-system --encrypted --kms-key-id <kms-key-id> --creation-token ${resource.id}-encrypted --region ${resource.region}  # then copy the data across and delete ${resource.id}`,
      )
    })
  },
}
