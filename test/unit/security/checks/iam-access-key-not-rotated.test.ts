import {describe, expect, it} from 'vitest'

import {iamAccessKeyNotRotated} from '../../../../src/security/checks/iam-access-key-not-rotated.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {userItem} from '../../../support/security-fixtures.js'

const arn = (name: string) => `arn:aws:iam::123456789012:user/${name}`
const key = (AccessKeyId: string, Status: 'Active' | 'Inactive', created?: string) => ({AccessKeyId, Status, CreateDate: created === undefined ? undefined : new Date(created)})
const user = (name: string, keys: Array<ReturnType<typeof key>>) => collected('AWS::IAM::User', userItem(name, {AccessKeys: keys}))

describe('iam-access-key-not-rotated', () => {
  it('fails active keys older than 90 days at capture (the default capture is 2026-06-01T12:00Z) and passes 90 days exactly', async () => {
    const findings = iamAccessKeyNotRotated.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          user('stale', [key('AKIASTALE', 'Active', '2026-01-01T00:00:00Z')]),
          user('edge', [key('AKIA90', 'Active', '2026-03-03T12:00:00Z')]),
          user('over', [key('AKIA91', 'Active', '2026-03-02T12:00:00Z'), key('AKIAFRESH', 'Active', '2026-05-30T00:00:00Z')]),
          user('retired', [key('AKIAOLDOFF', 'Inactive', '2024-01-01T00:00:00Z')]),
          user('slot', [key('AKIAOFF', 'Inactive', '2025-01-01T00:00:00Z'), key('AKIAOLD', 'Active', '2025-06-01T00:00:00Z')]),
          user('both', [key('AKIANEWER', 'Active', '2025-12-01T00:00:00Z'), key('AKIAOLDER', 'Active', '2025-10-01T00:00:00Z')]),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('both')}`, `FAIL ${arn('over')}`, `FAIL ${arn('slot')}`, `FAIL ${arn('stale')}`, `PASS ${arn('edge')}`, `PASS ${arn('retired')}`])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName.stale).toMatchObject({
      evidence: 'user stale has active access key older than 90 days at capture: AKIASTALE (created 2026-01-01, 151 days old)',
      // The stale key keeps working until its callers have moved to the new one.
      remediation:
        'aws iam create-access-key --user-name stale  # move every caller to the new key, then deactivate AKIASTALE: aws iam update-access-key --user-name stale --access-key-id AKIASTALE --status Inactive',
    })
    // Two keys already: no slot for a new one, and the fresh key is the replacement.
    expect(byName.over).toMatchObject({
      evidence: 'user over has active access key older than 90 days at capture: AKIA91 (created 2026-03-02, 91 days old)',
      remediation: 'aws iam update-access-key --user-name over --access-key-id AKIA91 --status Inactive  # once its callers use AKIAFRESH',
    })
    // An inactive key frees its slot for the new one.
    expect(byName.slot?.remediation).toBe(
      'aws iam delete-access-key --user-name slot --access-key-id AKIAOFF && aws iam create-access-key --user-name slot  # move every caller to the new key, then deactivate AKIAOLD: aws iam update-access-key --user-name slot --access-key-id AKIAOLD --status Inactive',
    )
    // Both active and stale: the older one goes first, and a working key is left at every step.
    expect(byName.both).toMatchObject({
      evidence: 'user both has active access keys older than 90 days at capture: AKIAOLDER (created 2025-10-01, 243 days old), AKIANEWER (created 2025-12-01, 182 days old)',
      remediation:
        'aws iam update-access-key --user-name both --access-key-id AKIAOLDER --status Inactive  # once its callers use AKIANEWER; then delete it, create a new key, move every caller to the new key and deactivate AKIANEWER',
    })
    expect(byName.edge?.evidence).toBe('active keys at most 90 days old: AKIA90 (created 2026-03-03, 90 days old)')
    expect(byName.retired?.evidence).toBe('no active access keys')
  })

  it('measures age at the capture time, not now', async () => {
    const findings = iamAccessKeyNotRotated.evaluate(
      scanSnapshot({resources: [await user('then', [key('AKIATHEN', 'Active', '2025-01-01T00:00:00Z')])], capturedAt: new Date('2025-02-01T00:00:00Z')}),
    )
    expect(findings).toMatchObject([{status: 'PASS', evidence: 'active keys at most 90 days old: AKIATHEN (created 2025-01-01, 31 days old)'}])
  })

  it('is UNKNOWN for an active key without a creation date, and for users not collected', async () => {
    const undated = iamAccessKeyNotRotated.evaluate(scanSnapshot({resources: [await user('odd', [key('AKIANODATE', 'Active')])]}))
    expect(undated).toMatchObject([{status: 'UNKNOWN', resource: arn('odd'), evidence: 'creation date not recorded for active key AKIANODATE'}])
    const gap = iamAccessKeyNotRotated.evaluate(scanSnapshot({cells: {'AWS::IAM::User': [{region: 'global', status: 'throttled', error: null}]}}))
    expect(verdicts(gap)).toEqual(['UNKNOWN 123456789012'])
  })
})
