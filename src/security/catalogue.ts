import {cloudtrailKmsEncryptionOff} from './checks/cloudtrail-kms-encryption-off.js'
import {cloudtrailLogValidationOff} from './checks/cloudtrail-log-validation-off.js'
import {cloudtrailMultiregionMissing} from './checks/cloudtrail-multiregion-missing.js'
import {ec2VolumeUnencrypted} from './checks/ec2-volume-unencrypted.js'
import {efsFilesystemUnencrypted} from './checks/efs-filesystem-unencrypted.js'
import {kmsKeyRotationOff} from './checks/kms-key-rotation-off.js'
import {rdsInstancePublic} from './checks/rds-instance-public.js'
import {rdsStorageUnencrypted} from './checks/rds-storage-unencrypted.js'
import {iamServerCertificateExpired} from './checks/iam-server-certificate-expired.js'
import {secretsmanagerSecretNotRotated} from './checks/secretsmanager-secret-not-rotated.js'
import type {Check} from './types.js'

/** Every security check, listed explicitly, grouped as the CIS benchmark groups them. */
export const checks: readonly Check[] = [
  // IAM
  iamServerCertificateExpired,

  // Storage
  ec2VolumeUnencrypted,
  rdsStorageUnencrypted,
  rdsInstancePublic,
  efsFilesystemUnencrypted,

  // Logging
  kmsKeyRotationOff,
  cloudtrailMultiregionMissing,
  cloudtrailLogValidationOff,
  cloudtrailKmsEncryptionOff,

  // Networking

  // Other services
  secretsmanagerSecretNotRotated,
]

const byId = new Map(checks.map((c) => [c.id, c]))

/** The check with this id, if there is one. */
export function checkOf(id: string): Check | undefined {
  return byId.get(id)
}
