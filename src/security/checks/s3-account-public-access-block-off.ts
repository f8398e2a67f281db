import type {PublicAccessBlockConfiguration} from '@aws-sdk/client-s3-control'

import {fail, pass} from '../evaluate.js'
import {perSetting} from '../account-settings.js'
import type {Check} from '../types.js'

const flags = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const

export const s3AccountPublicAccessBlockOff: Check = {
  id: 's3-account-public-access-block-off',
  title: 'S3 Block Public Access is on for the whole account',
  severity: 'high',
  cis: {v4: '2.1.4', v7: '3.1.4'},
  resourceTypes: ['AWS::S3::AccountPublicAccessBlock'],
  risk: 'Without the account-level block, any bucket policy or ACL can make data public, now or in a bucket created tomorrow.',
  remediation: {
    text: 'Turn on all four Block Public Access settings for the account (after making sure no bucket must stay public).',
    cli: 'aws s3control put-public-access-block --account-id <account> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },

  evaluate(snapshot) {
    return perSetting(snapshot, 'AWS::S3::AccountPublicAccessBlock', (setting) => {
      const block = setting.configuration.PublicAccessBlockConfiguration as PublicAccessBlockConfiguration | null | undefined
      const fix = `aws s3control put-public-access-block --account-id ${setting.accountId} --public-access-block-configuration ${flags.map((f) => `${f}=true`).join(',')}`
      if (!block) return fail('no account-level public access block is configured', fix)
      const off = flags.filter((flag) => block[flag] !== true)
      if (off.length > 0) return fail(`account-level public access block has ${off.map((f) => `${f}=false`).join(', ')}`, fix)
      return pass('all four account-level public access block settings are on')
    })
  },
}
