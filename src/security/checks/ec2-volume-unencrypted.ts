import type {Volume} from '@aws-sdk/client-ec2'

import {fail, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'

export const ec2VolumeUnencrypted: Check = {
  id: 'ec2-volume-unencrypted',
  title: 'EBS volumes are encrypted',
  severity: 'medium',
  resourceTypes: ['AWS::EC2::Volume'],
  risk: 'Data on an unencrypted volume, and every snapshot taken of it, is readable by anyone who gets a copy of the snapshot or the underlying storage.',
  remediation: {
    text: 'Encryption cannot be turned on for an existing volume: snapshot it, copy the snapshot with encryption, create a volume from the copy and swap it in. Turn on EBS encryption by default so new volumes are encrypted.',
    cli: 'aws ec2 copy-snapshot --source-snapshot-id <snapshot-id> --source-region <region> --encrypted --region <region>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::EC2::Volume', (resource) => {
      const volume = resource.configuration as Volume
      if (volume.Encrypted === true) return pass(`encrypted${volume.KmsKeyId ? ` with ${volume.KmsKeyId}` : ''}`)
      if (volume.Encrypted !== false) return unknown(`whether volume ${resource.id} is encrypted was not recorded`)
      return fail(
        `volume ${resource.id} (${volume.Size ?? '?'} GiB) is not encrypted`,
        `aws ec2 create-snapshot --volume-id ${resource.id} --region ${resource.region}  # then copy-snapshot --encrypted and create-volume from the copy`,
      )
    })
  },
}
