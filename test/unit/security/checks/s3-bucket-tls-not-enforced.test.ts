import {describe, expect, it} from 'vitest'

import {s3BucketTlsNotEnforced} from '../../../../src/security/checks/s3-bucket-tls-not-enforced.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {bucketItem} from '../../../support/security-fixtures.js'

const bucket = (name: string, Policy?: unknown) => collected('AWS::S3::Bucket', bucketItem(name, {Policy}))
const evaluate = async (name: string, policy?: unknown) => s3BucketTlsNotEnforced.evaluate(scanSnapshot({resources: [await bucket(name, policy)]}))[0]
const denyHttp = (Resource: unknown, extra: Record<string, unknown> = {}) => ({
  Sid: 'DenyHttp',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource,
  Condition: {Bool: {'aws:SecureTransport': 'false'}},
  ...extra,
})
/** The JSON inside the single-quoted --policy argument of a remediation. */
const policyOf = (remediation: string | undefined) => JSON.parse(/--policy '(.*)' --region/.exec(remediation ?? '')?.[1] ?? 'null') as {Statement: unknown[]}

describe('s3-bucket-tls-not-enforced', () => {
  it('passes the emulator-captured policy denying s3:* without TLS, and variants of it', async () => {
    // As the emulator returned it.
    expect(await evaluate('tls-bucket', {Version: '2012-10-17', Statement: [denyHttp(['arn:aws:s3:::tls-bucket', 'arn:aws:s3:::tls-bucket/*'])]})).toMatchObject({
      status: 'PASS',
      evidence: 'statement DenyHttp denies requests with aws:SecureTransport false',
    })
    // A single statement object, a wildcard resource, {"AWS": "*"}, a boolean value and a lower-case key.
    const variant = denyHttp('arn:aws:s3:::tls-*', {Principal: {AWS: '*'}, Action: ['*'], Condition: {Bool: {'aws:securetransport': false}}})
    expect((await evaluate('tls-variant', {Version: '2012-10-17', Statement: variant}))?.status).toBe('PASS')
  })

  it('fails a bucket without a policy with a command creating one', async () => {
    const finding = await evaluate('plain-bucket')
    expect(finding).toMatchObject({status: 'FAIL', evidence: 'bucket plain-bucket has no bucket policy, so requests without TLS are allowed'})
    expect(finding?.remediation).toBe(
      `aws s3api put-bucket-policy --bucket plain-bucket --policy '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::plain-bucket","arn:aws:s3:::plain-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}' --region us-east-1`,
    )
  })

  it('fails policies whose deny is partial, and keeps their statements in the fixed policy', async () => {
    const allowRead = {Sid: 'DenyInsecureTransport', Effect: 'Allow', Principal: {AWS: "arn:aws:iam::123456789012:role/o'brien"}, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*'}
    const partial = [
      denyHttp('arn:aws:s3:::data/*', {Principal: {AWS: 'arn:aws:iam::123456789012:role/app'}}),
      denyHttp('arn:aws:s3:::data/*', {Action: 's3:PutObject'}),
      denyHttp('arn:aws:s3:::data/*', {Effect: 'Allow'}),
      denyHttp('arn:aws:s3:::data/*', {Condition: {Bool: {'aws:SecureTransport': 'true'}}}),
    ]
    const finding = await evaluate('data', {Version: '2012-10-17', Statement: [allowRead, ...partial]})
    expect(finding).toMatchObject({status: 'FAIL', evidence: 'the bucket policy of data has no statement denying all S3 actions to everyone when aws:SecureTransport is false'})
    // The quote in the principal is escaped for the shell, and the new Sid avoids the one in use.
    expect(finding?.remediation).toContain(`o'\\''brien`)
    const fixed = policyOf(finding?.remediation?.replaceAll(`'\\''`, "'"))
    expect(fixed.Statement).toHaveLength(6)
    expect(fixed.Statement[5]).toMatchObject({Sid: 'DenyInsecureTransport2', Effect: 'Deny', Condition: {Bool: {'aws:SecureTransport': 'false'}}})
    const after = await evaluate('data', fixed)
    expect(after?.status).toBe('PASS')
  })

  it('fails a deny narrowed by other conditions: requests without TLS are still allowed where they do not match', async () => {
    const narrowed = denyHttp(['arn:aws:s3:::vpc-data', 'arn:aws:s3:::vpc-data/*'], {
      Sid: 'TLSOnlyFromVpce',
      Condition: {Bool: {'aws:SecureTransport': 'false'}, StringEquals: {'aws:SourceVpce': 'vpce-1234'}},
    })
    const finding = await evaluate('vpc-data', {Version: '2012-10-17', Statement: [narrowed]})
    expect(finding).toMatchObject({
      status: 'FAIL',
      evidence: 'statement TLSOnlyFromVpce of the bucket policy of vpc-data denies requests without TLS only under further conditions (StringEquals aws:SourceVpce)',
    })
    expect((await evaluate('vpc-data', policyOf(finding?.remediation)))?.status).toBe('PASS')
    // Both operators on aws:SecureTransport alone narrow nothing.
    const both = denyHttp('arn:aws:s3:::tls-*', {Condition: {Bool: {'aws:SecureTransport': 'false'}, BoolIfExists: {'aws:SecureTransport': 'false'}}})
    expect((await evaluate('tls-both', {Version: '2012-10-17', Statement: [both]}))?.status).toBe('PASS')
  })

  it('fails a deny whose resources do not cover every object, naming them', async () => {
    for (const resource of ['arn:aws:s3:::data', 'arn:aws:s3:::data/a*', 'arn:aws:s3:::data/*.csv', ['arn:aws:s3:::data', 'arn:aws:s3:::data/logs/*']]) {
      const finding = await evaluate('data', {Version: '2012-10-17', Statement: [denyHttp(resource)]})
      expect(finding).toMatchObject({
        status: 'FAIL',
        evidence: `statement DenyHttp of the bucket policy of data denies requests without TLS, but not to every object (Resource ${[resource].flat().join(', ')})`,
      })
      expect((await evaluate('data', policyOf(finding?.remediation)))?.status).toBe('PASS')
    }

    for (const resource of ['*', 'arn:aws:s3:::*', 'arn:aws:s3:::data/*', 'arn:aws:s3:::da*', 'arn:aws:s3:::data*/**', 'arn:aws:s3:::d?ta/*']) {
      expect((await evaluate('data', {Version: '2012-10-17', Statement: [denyHttp(resource)]}))?.status, resource).toBe('PASS')
    }
  })

  it('is UNKNOWN for a policy that is not JSON and for buckets not collected', async () => {
    expect(await evaluate('odd', 'not json')).toMatchObject({status: 'UNKNOWN', evidence: 'the bucket policy of odd is not valid JSON and cannot be read'})
    expect(verdicts(s3BucketTlsNotEnforced.evaluate(scanSnapshot({cells: {'AWS::S3::Bucket': []}})))).toEqual(['UNKNOWN 123456789012'])
  })
})
