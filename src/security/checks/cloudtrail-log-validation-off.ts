import type {Trail} from '@aws-sdk/client-cloudtrail'

import {isOwnTrail} from '../../resources/cloudtrail/trail.js'
import {fail, pass, perResource} from '../evaluate.js'
import type {Check} from '../types.js'

export const cloudtrailLogValidationOff: Check = {
  id: 'cloudtrail-log-validation-off',
  title: 'CloudTrail log file validation is enabled',
  severity: 'medium',
  cis: {v4: '3.2', v7: '4.2'},
  resourceTypes: ['AWS::CloudTrail::Trail'],
  risk: 'Without digest files nobody can prove that delivered log files were not modified or deleted afterwards, so an intruder who reaches the log bucket can cover their tracks unnoticed.',
  remediation: {
    text: 'Enable log file validation on the trail (in its home region); CloudTrail then delivers a signed digest file every hour.',
    cli: 'aws cloudtrail update-trail --name <trail-name> --enable-log-file-validation --region <home-region>',
  },

  // An organization trail seen from a member account is judged in its management account, where it is that
  // account's own trail and can be changed: the member cannot fix it.
  evaluate(snapshot) {
    return perResource(
      snapshot,
      'AWS::CloudTrail::Trail',
      (resource) => {
        const trail = resource.configuration as Trail
        if (trail.LogFileValidationEnabled === true) return pass('log file validation is enabled')
        return fail(
          `trail ${resource.name} has log file validation disabled`,
          `aws cloudtrail update-trail --name ${resource.id} --enable-log-file-validation --region ${trail.HomeRegion ?? resource.region}`,
        )
      },
      isOwnTrail,
    )
  },
}
