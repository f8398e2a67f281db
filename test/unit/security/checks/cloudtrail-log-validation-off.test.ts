import {describe, expect, it} from 'vitest'

import {cloudtrailLogValidationOff} from '../../../../src/security/checks/cloudtrail-log-validation-off.js'
import {collected, SCAN_ACCOUNT, scanSnapshot, verdicts} from '../../../support/scan.js'
import {audit, local} from '../../../support/trail-items.js'

const type = 'AWS::CloudTrail::Trail'

describe('cloudtrail-log-validation-off', () => {
  it('passes a trail with log file validation and fails one without, with the update-trail command for its home region', async () => {
    const west = await collected(type, {...local, Name: 'west', HomeRegion: 'eu-west-1', TrailARN: `arn:aws:cloudtrail:eu-west-1:${SCAN_ACCOUNT}:trail/west`}, 'eu-west-1')
    const findings = cloudtrailLogValidationOff.evaluate(scanSnapshot({resources: [await collected(type, audit), west], regions: ['us-east-1', 'eu-west-1']}))
    expect(verdicts(findings)).toEqual([`FAIL arn:aws:cloudtrail:eu-west-1:${SCAN_ACCOUNT}:trail/west`, `PASS arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/audit`])
    const failed = findings.find((f) => f.status === 'FAIL')
    expect(failed).toMatchObject({
      evidence: 'trail west has log file validation disabled',
      remediation: 'aws cloudtrail update-trail --name west --enable-log-file-validation --region eu-west-1',
    })
  })

  it('is UNKNOWN for a region whose trails were not collected, and for a snapshot without trails', async () => {
    const gap = scanSnapshot({
      resources: [await collected(type, audit)],
      cells: {[type]: [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'throttled', error: 'Rate exceeded'}]},
    })
    expect(verdicts(cloudtrailLogValidationOff.evaluate(gap))).toEqual([`PASS arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/audit`, `UNKNOWN ${SCAN_ACCOUNT}/eu-west-1`])
    expect(cloudtrailLogValidationOff.evaluate(scanSnapshot({cells: {[type]: []}}))).toMatchObject([{status: 'UNKNOWN', resource: SCAN_ACCOUNT}])
  })
})
