import {describe, expect, it} from 'vitest'

import {iamUserConsoleWithoutMfa} from '../../../../src/security/checks/iam-user-console-without-mfa.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {userItem} from '../../../support/security-fixtures.js'

const arn = (name: string) => `arn:aws:iam::123456789012:user/${name}`
const password = {CreateDate: new Date('2025-03-01T10:00:00Z'), PasswordResetRequired: false}

describe('iam-user-console-without-mfa', () => {
  it('fails console users without an MFA device and passes those with one or without a password', async () => {
    const findings = iamUserConsoleWithoutMfa.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          collected('AWS::IAM::User', userItem('alice', {LoginProfile: password})),
          collected('AWS::IAM::User', userItem('bob', {LoginProfile: password, MFADevices: [{SerialNumber: 'arn:aws:iam::123456789012:mfa/bob-mfa', EnableDate: new Date('2025-03-02T10:00:00Z')}]})),
          collected('AWS::IAM::User', userItem('ci', {AccessKeys: [{AccessKeyId: 'AKIARZPUZDIKMJ5BTT5O', Status: 'Active', CreateDate: new Date('2026-05-01T00:00:00Z')}]})),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('alice')}`, `PASS ${arn('bob')}`, `PASS ${arn('ci')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.alice).toMatchObject({
      evidence: 'user alice has a console password (set 2025-03-01) and no MFA device',
      remediation:
        'aws iam create-virtual-mfa-device --virtual-mfa-device-name alice --outfile alice-mfa.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::123456789012:mfa/alice --authentication-code1 <code1> --authentication-code2 <code2>',
    })
    expect(byName.bob?.evidence).toBe('console password with MFA device arn:aws:iam::123456789012:mfa/bob-mfa')
    expect(byName.ci?.evidence).toBe('no console password')
  })

  it('is UNKNOWN for an account whose users were not collected', () => {
    const findings = iamUserConsoleWithoutMfa.evaluate(scanSnapshot({cells: {'AWS::IAM::User': [{region: 'global', status: 'access_denied', error: 'iam:ListUsers denied'}]}}))
    expect(findings).toMatchObject([{status: 'UNKNOWN', resource: '123456789012', evidence: 'AWS::IAM::User was not collected in 123456789012: access_denied (iam:ListUsers denied)'}])
  })
})
