import {parseReport} from '../../src/resources/iam/credential-report.js'
import type {Resource} from '../../src/resources/types.js'
import {collected} from './scan.js'

/** The credential report's header row, as the emulator (moto 5.2) and AWS write it. */
export const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'

/**
 * The root user's row as AWS documents it (the emulator's report has none): `not_supported` password fields,
 * with MFA and the two keys' activity as given.
 */
export function rootReportRow(options: {mfa?: boolean; activeKey2?: boolean} = {}): string {
  const key2 = options.activeKey2 ? 'true,2020-01-01T00:00:00+00:00,2026-05-30T00:00:00+00:00,us-east-1,s3' : 'false,N/A,N/A,N/A,N/A'
  return `<root_account>,arn:aws:iam::123456789012:root,2014-10-17T16:59:37+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,${options.mfa ?? false},false,N/A,N/A,N/A,N/A,${key2},false,N/A,false,N/A`
}

/** The credential report setting as the collector builds it from these CSV rows (header added). */
export function collectedReport(...rows: string[]): Promise<Resource> {
  return collected('Account::IAM::CredentialReport', {GeneratedTime: '2026-06-01T11:00:00.000Z', Users: parseReport([REPORT_HEADER, ...rows].join('\n'))})
}

/** GetAccountPasswordPolicy's answer from the emulator after a strict UpdateAccountPasswordPolicy. */
export const STRICT_PASSWORD_POLICY = {
  MinimumPasswordLength: 16,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
  HardExpiry: false,
}
