import type {PublicAccessBlockConfiguration} from '@aws-sdk/client-s3-control'

import type {BucketItem} from '../../resources/s3/bucket.js'
import {collectedSetting} from '../account-settings.js'
import {fail, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'

const settings = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const
const ACCOUNT_BLOCK = 'AWS::S3::AccountPublicAccessBlock'

export const s3BucketPublicAccessBlockOff: Check = {
  id: 's3-bucket-public-access-block-off',
  title: 'Every S3 bucket has all four Block Public Access settings on, itself or through the account',
  severity: 'high',
  cis: {v4: '2.1.4', v7: '3.1.4'},
  resourceTypes: ['AWS::S3::Bucket', ACCOUNT_BLOCK],
  risk: 'Without Block Public Access, one bucket policy or ACL granting access to everyone (often added for a quick test) exposes every object in the bucket to the internet.',
  remediation: {
    text: 'Turn on all four Block Public Access settings for the bucket, or for the whole account (serve public content through CloudFront with origin access control instead).',
    cli: 'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },

  // S3 applies each setting when either the account or the bucket has it on: a bucket is open only where both are off.
  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::S3::Bucket', (resource) => {
      const block = (resource.configuration as Partial<BucketItem>).PublicAccessBlockConfiguration
      const account = collectedSetting(snapshot, ACCOUNT_BLOCK, resource.accountId, 'global')
      const accountBlock = account?.configuration.PublicAccessBlockConfiguration as PublicAccessBlockConfiguration | null | undefined
      const fix = `aws s3api put-public-access-block --bucket ${resource.id} --public-access-block-configuration ${settings.map((s) => `${s}=true`).join(',')} --region ${resource.region}`
      const off = settings.filter((s) => block?.[s] !== true && accountBlock?.[s] !== true)
      if (off.length === 0) return pass(block && settings.every((s) => block[s] === true) ? 'all four Block Public Access settings on' : 'all four Block Public Access settings on, with the account-level block')
      const listed = off.map((s) => `${s}=false`).join(', ')
      // The account-level block may turn on what the bucket leaves off: without it, no verdict.
      if (account === undefined) {
        const what = block === undefined ? 'has no bucket-level Block Public Access configuration' : `has Block Public Access settings off: ${listed}`
        return unknown(`bucket ${resource.id} ${what}, and the account-level block, which S3 applies too, was not collected (${ACCOUNT_BLOCK})`)
      }

      const accountPart = accountBlock ? `the account-level block has ${listed}` : 'no account-level block is configured'
      if (block === undefined) return fail(`bucket ${resource.id} has no bucket-level Block Public Access configuration, and ${accountPart}`, fix)
      if (!accountBlock) return fail(`bucket ${resource.id} has Block Public Access settings off: ${listed}, and ${accountPart}`, fix)
      return fail(`bucket ${resource.id} has Block Public Access settings off at both the bucket and the account level: ${listed}`, fix)
    })
  },
}
