import {describe, expect, it} from 'vitest'

import {s3BucketPublicAccessBlockOff} from '../../../../src/security/checks/s3-bucket-public-access-block-off.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {bucketItem} from '../../../support/security-fixtures.js'

const on = {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
const bucket = (name: string, block?: typeof on, region = 'us-east-1') =>
  collected('AWS::S3::Bucket', bucketItem(name, {BucketRegion: region, PublicAccessBlockConfiguration: block}), region)
const fix = (name: string, region: string) =>
  `aws s3api put-public-access-block --bucket ${name} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true --region ${region}`

describe('s3-bucket-public-access-block-off', () => {
  it('passes fully blocked buckets; without the account-level block, which may cover the rest, the others are UNKNOWN', async () => {
    const findings = s3BucketPublicAccessBlockOff.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          bucket('locked', on),
          // As the emulator returned it: three settings on, RestrictPublicBuckets off.
          bucket('tls-bucket', {...on, RestrictPublicBuckets: false}),
          bucket('plain-bucket', undefined, 'eu-west-1'),
        ]),
        regions: ['us-east-1', 'eu-west-1'],
      }),
    )
    expect(verdicts(findings)).toEqual(['PASS arn:aws:s3:::locked', 'UNKNOWN arn:aws:s3:::plain-bucket', 'UNKNOWN arn:aws:s3:::tls-bucket'])
    const byName = Object.fromEntries(findings.map((f) => [f.name, f]))
    expect(byName['tls-bucket']?.evidence).toBe(
      'bucket tls-bucket has Block Public Access settings off: RestrictPublicBuckets=false, and the account-level block, which S3 applies too, was not collected (AWS::S3::AccountPublicAccessBlock)',
    )
    expect(byName['plain-bucket']?.evidence).toBe(
      'bucket plain-bucket has no bucket-level Block Public Access configuration, and the account-level block, which S3 applies too, was not collected (AWS::S3::AccountPublicAccessBlock)',
    )
    expect(byName.locked?.evidence).toBe('all four Block Public Access settings on')
  })

  it('counts each setting on at either level, as S3 applies them: a bucket is open only where both are off', async () => {
    const account = (block: object | null) => collected('AWS::S3::AccountPublicAccessBlock', {PublicAccessBlockConfiguration: block})
    const buckets = () => Promise.all([bucket('locked', on), bucket('tls-bucket', {...on, RestrictPublicBuckets: false}), bucket('plain-bucket')])
    const scan = async (block: object | null) => s3BucketPublicAccessBlockOff.evaluate(scanSnapshot({resources: [...(await buckets()), await account(block)]}))

    const covered = await scan(on)
    expect(verdicts(covered)).toEqual(['PASS arn:aws:s3:::locked', 'PASS arn:aws:s3:::plain-bucket', 'PASS arn:aws:s3:::tls-bucket'])
    expect(covered.find((f) => f.name === 'plain-bucket')?.evidence).toBe('all four Block Public Access settings on, with the account-level block')

    const partly = await scan({...on, RestrictPublicBuckets: false, BlockPublicPolicy: false})
    expect(verdicts(partly)).toEqual(['FAIL arn:aws:s3:::plain-bucket', 'FAIL arn:aws:s3:::tls-bucket', 'PASS arn:aws:s3:::locked'])
    expect(partly.find((f) => f.name === 'tls-bucket')?.evidence).toBe('bucket tls-bucket has Block Public Access settings off at both the bucket and the account level: RestrictPublicBuckets=false')
    expect(partly.find((f) => f.name === 'plain-bucket')?.evidence).toBe(
      'bucket plain-bucket has no bucket-level Block Public Access configuration, and the account-level block has BlockPublicPolicy=false, RestrictPublicBuckets=false',
    )

    const none = await scan(null)
    expect(verdicts(none)).toEqual(['FAIL arn:aws:s3:::plain-bucket', 'FAIL arn:aws:s3:::tls-bucket', 'PASS arn:aws:s3:::locked'])
    expect(none.find((f) => f.name === 'plain-bucket')).toMatchObject({remediation: fix('plain-bucket', 'us-east-1')})
    expect(none.find((f) => f.name === 'plain-bucket')?.evidence).toBe('bucket plain-bucket has no bucket-level Block Public Access configuration, and no account-level block is configured')
    expect(none.find((f) => f.name === 'tls-bucket')?.evidence).toBe('bucket tls-bucket has Block Public Access settings off: RestrictPublicBuckets=false, and no account-level block is configured')
  })

  it('is UNKNOWN for a region whose buckets were not collected', async () => {
    const findings = s3BucketPublicAccessBlockOff.evaluate(
      scanSnapshot({resources: [await bucket('locked', on)], cells: {'AWS::S3::Bucket': [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 's3:GetBucketPublicAccessBlock denied'}]}}),
    )
    expect(verdicts(findings)).toEqual(['PASS arn:aws:s3:::locked', 'UNKNOWN 123456789012/eu-west-1'])
  })
})
