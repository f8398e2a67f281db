import {describe, expect, it} from 'vitest'

import {cloudtrailLogValidationOff} from '../../../../src/security/checks/cloudtrail-log-validation-off.js'
import {collected, SCAN_ACCOUNT, scanSnapshot, verdicts} from '../../../support/scan.js'
import {audit, local, organizationTrail} from '../../../support/trail-items.js'

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

  it('leaves an organization trail seen from a member account to its management account, and judges it there', async () => {
    const seenFromMember = await collected(type, {...organizationTrail, LogFileValidationEnabled: false})
    expect(cloudtrailLogValidationOff.evaluate(scanSnapshot({resources: [seenFromMember]}))).toEqual([])
    expect(verdicts(cloudtrailLogValidationOff.evaluate(scanSnapshot({resources: [seenFromMember, await collected(type, audit)]})))).toEqual([`PASS arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/audit`])

    // In the management account it is the account's own trail.
    const own = await collected(type, {...organizationTrail, LogFileValidationEnabled: false, TrailARN: `arn:aws:cloudtrail:us-east-1:${SCAN_ACCOUNT}:trail/${organizationTrail.Name}`})
    expect(verdicts(cloudtrailLogValidationOff.evaluate(scanSnapshot({resources: [own]})))).toEqual([`FAIL ${own.arn}`])
  })
})
