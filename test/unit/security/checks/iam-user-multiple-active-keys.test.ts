import {describe, expect, it} from 'vitest'

import {iamUserMultipleActiveKeys} from '../../../../src/security/checks/iam-user-multiple-active-keys.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {userItem} from '../../../support/security-fixtures.js'

const arn = (name: string) => `arn:aws:iam::123456789012:user/${name}`
const key = (AccessKeyId: string, Status: 'Active' | 'Inactive', created: string) => ({AccessKeyId, Status, CreateDate: new Date(created)})

describe('iam-user-multiple-active-keys', () => {
  it('fails users with two active keys, naming both with their age, and deactivates the older', async () => {
    const findings = iamUserMultipleActiveKeys.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          // Listed newest first: the order must not decide which key is retired.
          collected('AWS::IAM::User', userItem('alice', {AccessKeys: [key('AKIANEW', 'Active', '2026-05-22T12:00:00Z'), key('AKIAOLD', 'Active', '2025-11-13T12:00:00Z')]})),
          // As the emulator returned it after one key was made inactive.
          collected('AWS::IAM::User', userItem('bob', {AccessKeys: [key('AKIARZPUZDIKMJ5BTT5O', 'Active', '2026-05-05T07:21:53.858Z'), key('AKIARZPUZDIKDY56HSTB', 'Inactive', '2026-05-05T07:21:53.870Z')]})),
          collected('AWS::IAM::User', userItem('carol')),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('alice')}`, `PASS ${arn('bob')}`, `PASS ${arn('carol')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.alice).toMatchObject({
      evidence: 'user alice has 2 active access keys: AKIAOLD (created 2025-11-13, 200 days old), AKIANEW (created 2026-05-22, 10 days old)',
      // Deactivated once its callers have moved to the key that stays.
      remediation: 'aws iam update-access-key --user-name alice --access-key-id AKIAOLD --status Inactive  # once its callers use AKIANEW',
    })
    expect(byName.bob?.evidence).toBe('one active access key')
    expect(byName.carol?.evidence).toBe('no active access key')
  })

  it('is UNKNOWN when users were not part of the snapshot', () => {
    expect(verdicts(iamUserMultipleActiveKeys.evaluate(scanSnapshot({cells: {'AWS::IAM::User': []}})))).toEqual(['UNKNOWN 123456789012'])
  })
})
