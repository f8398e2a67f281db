import {describe, expect, it} from 'vitest'

import {rdsInstancePublic} from '../../../../src/security/checks/rds-instance-public.js'
import {capturedClusterMember, capturedDbInstance} from '../../../support/rds-efs-kms-items.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

const instance = (overrides: Parameters<typeof capturedDbInstance>[0] = {}, region = 'us-east-1') => collected('AWS::RDS::DBInstance', capturedDbInstance(overrides), region)
const arn = (id: string, region = 'us-east-1') => `arn:aws:rds:${region}:123456789012:db:${id}`

describe('rds-instance-public', () => {
  it('fails a publicly accessible instance, naming its endpoint and security groups, and passes a private one', async () => {
    const findings = rdsInstancePublic.evaluate(
      scanSnapshot({
        resources: [await instance(), await instance({DBInstanceIdentifier: 'priv', DBInstanceArn: arn('priv'), PubliclyAccessible: false})],
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('pub')}`, `PASS ${arn('priv')}`])
    expect(findings.find((f) => f.status === 'FAIL')).toMatchObject({
      evidence: 'instance pub (postgres) is publicly accessible at pub.aaaaaaaaaa.us-east-1.rds.amazonaws.com:5432; security groups: sg-95673767d285122a2',
      remediation: 'aws rds modify-db-instance --db-instance-identifier pub --no-publicly-accessible --apply-immediately --region us-east-1',
    })
    expect(findings.find((f) => f.status === 'PASS')?.evidence).toBe('not publicly accessible')
    expect(rdsInstancePublic.severity).toBe('critical')
    expect(rdsInstancePublic.cis).toEqual({v4: '2.2.3', v7: '3.2.3'})
  })

  it('is UNKNOWN for an instance that does not report the setting (the emulator’s cluster members)', async () => {
    const member = await collected('AWS::RDS::DBInstance', capturedClusterMember())
    expect(rdsInstancePublic.evaluate(scanSnapshot({resources: [member]}))).toMatchObject([
      {status: 'UNKNOWN', resource: arn('aurora1-i1'), evidence: 'instance aurora1-i1 has no recorded PubliclyAccessible setting'},
    ])
  })

  it('is UNKNOWN for a region whose instances were not collected, and for a snapshot without instances', async () => {
    const gap = scanSnapshot({
      resources: [await instance({PubliclyAccessible: false})],
      cells: {'AWS::RDS::DBInstance': [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'rds:DescribeDBInstances denied'}]},
    })
    expect(verdicts(rdsInstancePublic.evaluate(gap))).toEqual([`PASS ${arn('pub')}`, 'UNKNOWN 123456789012/eu-west-1'])
    expect(rdsInstancePublic.evaluate(gap)[1]?.evidence).toContain('access_denied (rds:DescribeDBInstances denied)')
    expect(rdsInstancePublic.evaluate(scanSnapshot({cells: {'AWS::RDS::DBInstance': []}}))).toMatchObject([
      {status: 'UNKNOWN', resource: '123456789012', evidence: 'AWS::RDS::DBInstance was not collected in this snapshot'},
    ])
  })
})
