import {describe, expect, it} from 'vitest'

import {s3AccountPublicAccessBlockOff} from '../../../../src/security/checks/s3-account-public-access-block-off.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const ARN = 'arn:aws:s3::123456789012:account-public-access-block'
const block = (PublicAccessBlockConfiguration: object | null) => collected('AWS::S3::AccountPublicAccessBlock', {PublicAccessBlockConfiguration})
const fix = 'aws s3control put-public-access-block --account-id 123456789012 --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true'

describe('s3-account-public-access-block-off', () => {
  it('passes an account with all four settings on', async () => {
    const on = await block({BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true})
    expect(s3AccountPublicAccessBlockOff.evaluate(scanSnapshot({resources: [on]}))).toMatchObject([
      {status: 'PASS', resource: ARN, region: 'global', evidence: 'all four account-level public access block settings are on'},
    ])
  })

  it('fails a block with a setting off (as the emulator stored it), naming the setting', async () => {
    const partial = await block({BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true})
    expect(s3AccountPublicAccessBlockOff.evaluate(scanSnapshot({resources: [partial]}))).toMatchObject([
      {status: 'FAIL', resource: ARN, evidence: 'account-level public access block has BlockPublicPolicy=false', remediation: fix},
    ])
  })

  it('fails an account with no block configured', async () => {
    expect(s3AccountPublicAccessBlockOff.evaluate(scanSnapshot({resources: [await block(null)]}))).toMatchObject([
      {status: 'FAIL', evidence: 'no account-level public access block is configured', remediation: fix},
    ])
  })

  it('is UNKNOWN when the setting was not collected', () => {
    const snapshot = scanSnapshot({cells: {'AWS::S3::AccountPublicAccessBlock': [{region: 'global', status: 'access_denied', error: 's3:GetAccountPublicAccessBlock denied'}]}})
    expect(verdicts(s3AccountPublicAccessBlockOff.evaluate(snapshot))).toEqual(['UNKNOWN 123456789012'])
  })
})
