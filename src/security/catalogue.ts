import {accessanalyzerAnalyzerMissing} from './checks/accessanalyzer-analyzer-missing.js'
import {configRecorderNotRecording} from './checks/config-recorder-not-recording.js'
import {ec2EbsDefaultEncryptionOff} from './checks/ec2-ebs-default-encryption-off.js'
import {ec2VolumeUnencrypted} from './checks/ec2-volume-unencrypted.js'
import {iamCredentialsUnused} from './checks/iam-credentials-unused.js'
import {iamPasswordPolicyReuseAllowed} from './checks/iam-password-policy-reuse-allowed.js'
import {iamPasswordPolicyShort} from './checks/iam-password-policy-short.js'
import {iamRootAccessKeyPresent} from './checks/iam-root-access-key-present.js'
import {iamRootMfaDisabled} from './checks/iam-root-mfa-disabled.js'
import {s3AccountPublicAccessBlockOff} from './checks/s3-account-public-access-block-off.js'
import type {Check} from './types.js'

/** Every security check, listed explicitly, grouped as the CIS benchmark groups them. */
export const checks: readonly Check[] = [
  // IAM
  iamRootAccessKeyPresent,
  iamRootMfaDisabled,
  iamPasswordPolicyShort,
  iamPasswordPolicyReuseAllowed,
  iamCredentialsUnused,
  accessanalyzerAnalyzerMissing,

  // Storage
  s3AccountPublicAccessBlockOff,
  ec2VolumeUnencrypted,

  // Logging
  configRecorderNotRecording,

  // Networking
  ec2EbsDefaultEncryptionOff,

  // Other services
]

const byId = new Map(checks.map((c) => [c.id, c]))

/** The check with this id, if there is one. */
export function checkOf(id: string): Check | undefined {
  return byId.get(id)
}
