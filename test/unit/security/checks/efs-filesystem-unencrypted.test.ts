import {describe, expect, it} from 'vitest'

import {efsFilesystemUnencrypted} from '../../../../src/security/checks/efs-filesystem-unencrypted.js'
import {CAPTURED_KEY_ID, capturedFileSystem, capturedPlainFileSystem} from '../../../support/rds-efs-kms-items.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const arn = (id: string) => `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${id}`

describe('efs-filesystem-unencrypted', () => {
  it('passes an encrypted file system and fails an unencrypted one with a command naming it', async () => {
    const findings = efsFilesystemUnencrypted.evaluate(
      scanSnapshot({
        resources: [
          await collected('AWS::EFS::FileSystem', capturedFileSystem()),
          await collected('AWS::EFS::FileSystem', capturedPlainFileSystem()),
          await collected('AWS::EFS::FileSystem', capturedPlainFileSystem({FileSystemId: 'fs-0named', FileSystemArn: arn('fs-0named'), Name: 'scratch', Tags: [{Key: 'Name', Value: 'scratch'}]})),
        ],
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('fs-0named')}`, `FAIL ${arn('fs-bc938739')}`, `PASS ${arn('fs-a382957c')}`])
    const byId = Object.fromEntries(findings.map((f) => [f.resource.split('/')[1], f]))
    expect(byId['fs-a382957c']?.evidence).toBe(`encrypted with ${CAPTURED_KEY_ID}`)
    expect(byId['fs-bc938739']).toMatchObject({
      evidence: 'file system fs-bc938739 is not encrypted at rest',
      remediation: 'aws efs create-file-system --encrypted --kms-key-id <kms-key-id> --creation-token fs-bc938739-encrypted --region us-east-1  # then copy the data across and delete fs-bc938739',
    })
    expect(byId['fs-0named']?.evidence).toBe('file system fs-0named (scratch) is not encrypted at rest')
  })

  it('is UNKNOWN where encryption was not recorded or file systems were not collected', async () => {
    const unrecorded = await collected('AWS::EFS::FileSystem', capturedPlainFileSystem({Encrypted: undefined}))
    expect(efsFilesystemUnencrypted.evaluate(scanSnapshot({resources: [unrecorded]}))).toMatchObject([{status: 'UNKNOWN', evidence: 'file system fs-bc938739 has no recorded encryption setting'}])
    const gap = scanSnapshot({cells: {'AWS::EFS::FileSystem': [{region: 'us-east-1', status: 'error', error: 'InternalError'}]}})
    expect(verdicts(efsFilesystemUnencrypted.evaluate(gap))).toEqual(['UNKNOWN 123456789012/us-east-1'])
  })
})
