import {describe, expect, it} from 'vitest'

import {iamServerCertificateExpired} from '../../../../src/security/checks/iam-server-certificate-expired.js'
import {collected, SCAN_ACCOUNT, scanSnapshot, verdicts} from '../../../support/scan.js'

const type = 'AWS::IAM::ServerCertificate'

/** Shaped as the spec's list() yields it from the emulator, which dates every certificate 2010–2012. */
const certificate = (name: string, Expiration: Date) =>
  collected(type, {
    Path: '/',
    ServerCertificateName: name,
    ServerCertificateId: 'ASCACKCEVSQ6C2EXAMPLE',
    Arn: `arn:aws:iam::${SCAN_ACCOUNT}:server-certificate/${name}`,
    UploadDate: new Date('2010-05-08T01:02:03.004Z'),
    Expiration,
    Tags: [],
  })

describe('iam-server-certificate-expired', () => {
  it('fails a certificate expired before the capture (not before now) and passes one still valid then', async () => {
    // Capture: 2026-06-01T12:00:00Z.
    const findings = iamServerCertificateExpired.evaluate(
      scanSnapshot({
        resources: [await certificate('legacy-web', new Date('2012-05-08T01:02:03.004Z')), await certificate('current-web', new Date('2026-06-02T00:00:00.000Z'))],
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL arn:aws:iam::${SCAN_ACCOUNT}:server-certificate/legacy-web`, `PASS arn:aws:iam::${SCAN_ACCOUNT}:server-certificate/current-web`])
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      region: 'global',
      evidence: 'certificate legacy-web expired on 2012-05-08T01:02:03.004Z, 5137 days before capture',
      remediation: 'aws iam delete-server-certificate --server-certificate-name legacy-web',
    })
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe('valid until 2026-06-02T00:00:00.000Z')
  })

  it('is UNKNOWN when IAM was not collected, or a certificate has no expiry date', async () => {
    const denied = scanSnapshot({cells: {[type]: [{region: 'global', status: 'access_denied', error: 'iam:ListServerCertificates denied'}]}})
    expect(iamServerCertificateExpired.evaluate(denied)).toMatchObject([{status: 'UNKNOWN', resource: SCAN_ACCOUNT}])

    const undated = await certificate('undated', new Date('2030-01-01T00:00:00Z'))
    const {Expiration: _dropped, ...configuration} = undated.configuration
    expect(iamServerCertificateExpired.evaluate(scanSnapshot({resources: [{...undated, configuration}]}))).toMatchObject([
      {status: 'UNKNOWN', evidence: 'the stored certificate has no readable expiration date'},
    ])
  })
})
