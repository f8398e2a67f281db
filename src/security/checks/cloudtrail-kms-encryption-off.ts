import type {Trail} from '@aws-sdk/client-cloudtrail'

import {isOwnTrail} from '../../resources/cloudtrail/trail.js'
import {fail, pass, perResource} from '../evaluate.js'
import type {Check} from '../types.js'

export const cloudtrailKmsEncryptionOff: Check = {
  id: 'cloudtrail-kms-encryption-off',
  title: 'CloudTrail logs are encrypted at rest with a KMS key',
  severity: 'medium',
  cis: {v4: '3.5', v7: '4.5'},
  resourceTypes: ['AWS::CloudTrail::Trail'],
  risk: 'Log files encrypted only with S3-managed keys can be read by anyone with read access to the bucket; a KMS key adds a second permission (kms:Decrypt) that can be granted narrowly and whose use is itself logged.',
  remediation: {
    text: 'Create (or choose) a customer managed KMS key whose key policy lets CloudTrail encrypt and your auditors decrypt, then set it on the trail.',
    cli: 'aws cloudtrail update-trail --name <trail-name> --kms-key-id <kms-key-arn> --region <home-region>',
  },

  // An organization trail seen from a member account is judged in its management account, where it is that
  // account's own trail and can be changed: the member cannot fix it.
  evaluate(snapshot) {
    return perResource(
      snapshot,
      'AWS::CloudTrail::Trail',
      (resource) => {
        const trail = resource.configuration as Trail
        if (trail.KmsKeyId) return pass(`log files are encrypted with ${trail.KmsKeyId}`)
        return fail(
          `trail ${resource.name} delivers log files without KMS encryption (no KmsKeyId)`,
          `aws cloudtrail update-trail --name ${resource.id} --kms-key-id <kms-key-arn> --region ${trail.HomeRegion ?? resource.region}`,
        )
      },
      isOwnTrail,
    )
  },
}
