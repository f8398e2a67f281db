import type {BucketItem} from '../../resources/s3/bucket.js'
import {fail, pass, perResource} from '../evaluate.js'
import type {Check} from '../types.js'

const settings = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const

export const s3BucketPublicAccessBlockOff: Check = {
  id: 's3-bucket-public-access-block-off',
  title: 'Every S3 bucket has all four Block Public Access settings on',
  severity: 'high',
  cis: {v4: '2.1.4', v7: '3.1.4'},
  resourceTypes: ['AWS::S3::Bucket'],
  risk: 'Without Block Public Access, one bucket policy or ACL granting access to everyone (often added for a quick test) exposes every object in the bucket to the internet.',
  remediation: {
    text: 'Turn on all four Block Public Access settings for the bucket (serve public content through CloudFront with origin access control instead).',
    cli: 'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::S3::Bucket', (resource) => {
      const block = (resource.configuration as Partial<BucketItem>).PublicAccessBlockConfiguration
      const fix = `aws s3api put-public-access-block --bucket ${resource.id} --public-access-block-configuration ${settings.map((s) => `${s}=true`).join(',')} --region ${resource.region}`
      if (block === undefined) return fail(`bucket ${resource.id} has no bucket-level Block Public Access configuration`, fix)
      const off = settings.filter((s) => block[s] !== true)
      if (off.length === 0) return pass('all four Block Public Access settings on')
      return fail(`bucket ${resource.id} has Block Public Access settings off: ${off.map((s) => `${s}=false`).join(', ')}`, fix)
    })
  },
}
