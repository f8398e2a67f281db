import {accessanalyzerAnalyzerMissing} from './checks/accessanalyzer-analyzer-missing.js'
import {cloudtrailKmsEncryptionOff} from './checks/cloudtrail-kms-encryption-off.js'
import {cloudtrailLogValidationOff} from './checks/cloudtrail-log-validation-off.js'
import {cloudtrailMultiregionMissing} from './checks/cloudtrail-multiregion-missing.js'
import {configRecorderNotRecording} from './checks/config-recorder-not-recording.js'
import {ec2DefaultSgAllowsTraffic} from './checks/ec2-default-sg-allows-traffic.js'
import {ec2EbsDefaultEncryptionOff} from './checks/ec2-ebs-default-encryption-off.js'
import {ec2InstanceImdsv2NotRequired} from './checks/ec2-instance-imdsv2-not-required.js'
import {ec2NaclAdminPortsOpen} from './checks/ec2-nacl-admin-ports-open.js'
import {ec2SgAdminPortsOpenIpv4} from './checks/ec2-sg-admin-ports-open-ipv4.js'
import {ec2SgAdminPortsOpenIpv6} from './checks/ec2-sg-admin-ports-open-ipv6.js'
import {ec2SgDatabasePortsOpen} from './checks/ec2-sg-database-ports-open.js'
import {ec2VolumeUnencrypted} from './checks/ec2-volume-unencrypted.js'
import {ec2VpcFlowLogsMissing} from './checks/ec2-vpc-flow-logs-missing.js'
import {efsFilesystemUnencrypted} from './checks/efs-filesystem-unencrypted.js'
import {iamAccessKeyNotRotated} from './checks/iam-access-key-not-rotated.js'
import {iamCredentialsUnused} from './checks/iam-credentials-unused.js'
import {iamPasswordPolicyReuseAllowed} from './checks/iam-password-policy-reuse-allowed.js'
import {iamPasswordPolicyShort} from './checks/iam-password-policy-short.js'
import {iamPolicyFullAdmin} from './checks/iam-policy-full-admin.js'
import {iamRootAccessKeyPresent} from './checks/iam-root-access-key-present.js'
import {iamRootMfaDisabled} from './checks/iam-root-mfa-disabled.js'
import {iamServerCertificateExpired} from './checks/iam-server-certificate-expired.js'
import {iamSupportRoleMissing} from './checks/iam-support-role-missing.js'
import {iamUserConsoleWithoutMfa} from './checks/iam-user-console-without-mfa.js'
import {iamUserMultipleActiveKeys} from './checks/iam-user-multiple-active-keys.js'
import {iamUserPolicyAttached} from './checks/iam-user-policy-attached.js'
import {kmsKeyRotationOff} from './checks/kms-key-rotation-off.js'
import {rdsInstancePublic} from './checks/rds-instance-public.js'
import {rdsStorageUnencrypted} from './checks/rds-storage-unencrypted.js'
import {s3AccountPublicAccessBlockOff} from './checks/s3-account-public-access-block-off.js'
import {s3BucketPublicAccessBlockOff} from './checks/s3-bucket-public-access-block-off.js'
import {s3BucketTlsNotEnforced} from './checks/s3-bucket-tls-not-enforced.js'
import {secretsmanagerSecretNotRotated} from './checks/secretsmanager-secret-not-rotated.js'
import type {Check} from './types.js'

/** Every security check, listed explicitly, grouped as the CIS benchmark groups them (in control order). */
export const checks: readonly Check[] = [
  // IAM
  iamRootAccessKeyPresent,
  iamRootMfaDisabled,
  iamPasswordPolicyShort,
  iamPasswordPolicyReuseAllowed,
  iamUserConsoleWithoutMfa,
  iamCredentialsUnused,
  iamUserMultipleActiveKeys,
  iamAccessKeyNotRotated,
  iamUserPolicyAttached,
  iamPolicyFullAdmin,
  iamSupportRoleMissing,
  iamServerCertificateExpired,
  accessanalyzerAnalyzerMissing,

  // Storage
  s3BucketTlsNotEnforced,
  s3AccountPublicAccessBlockOff,
  s3BucketPublicAccessBlockOff,
  rdsStorageUnencrypted,
  rdsInstancePublic,
  efsFilesystemUnencrypted,
  ec2VolumeUnencrypted,

  // Logging
  cloudtrailMultiregionMissing,
  cloudtrailLogValidationOff,
  configRecorderNotRecording,
  cloudtrailKmsEncryptionOff,
  kmsKeyRotationOff,
  ec2VpcFlowLogsMissing,

  // Networking
  ec2EbsDefaultEncryptionOff,
  ec2NaclAdminPortsOpen,
  ec2SgAdminPortsOpenIpv4,
  ec2SgAdminPortsOpenIpv6,
  ec2DefaultSgAllowsTraffic,
  ec2InstanceImdsv2NotRequired,
  ec2SgDatabasePortsOpen,

  // Other services
  secretsmanagerSecretNotRotated,
]

const byId = new Map(checks.map((c) => [c.id, c]))

/** The check with this id, if there is one. */
export function checkOf(id: string): Check | undefined {
  return byId.get(id)
}
