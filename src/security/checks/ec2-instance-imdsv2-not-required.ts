import type {Instance} from '@aws-sdk/client-ec2'

import {fail, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'

export const ec2InstanceImdsv2NotRequired: Check = {
  id: 'ec2-instance-imdsv2-not-required',
  title: 'EC2 instances require IMDSv2 (session tokens) for the instance metadata service',
  severity: 'high',
  cis: {v4: '5.7', v7: '6.7'},
  resourceTypes: ['AWS::EC2::Instance'],
  risk: "With IMDSv1 allowed, a server-side request forgery in any application on the instance is enough to read the instance role's temporary credentials from the metadata service.",
  remediation: {
    text: 'Require session tokens on the metadata service (check first that the software on the instance uses an SDK or agent recent enough for IMDSv2).',
    cli: 'aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required --http-endpoint enabled --region <region>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::EC2::Instance', (resource) => {
      const options = (resource.configuration as Instance).MetadataOptions
      if (options === undefined) return unknown(`instance ${resource.id} has no recorded metadata options`)
      // With the endpoint off there is no metadata service to abuse, whatever the token setting.
      if (options.HttpEndpoint === 'disabled') return pass('instance metadata service disabled')
      if (options.HttpTokens === 'required') return pass('IMDSv2 required (HttpTokens required)')
      return fail(
        `instance ${resource.id} accepts IMDSv1: HttpTokens is ${options.HttpTokens ?? 'not set'} with the metadata endpoint ${options.HttpEndpoint ?? 'enabled'}`,
        `aws ec2 modify-instance-metadata-options --instance-id ${resource.id} --http-tokens required --http-endpoint enabled --region ${resource.region}`,
      )
    })
  },
}
