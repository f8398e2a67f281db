import type {Instance} from '@aws-sdk/client-ec2'
import {describe, expect, it} from 'vitest'

import {ec2InstanceImdsv2NotRequired} from '../../../../src/security/checks/ec2-instance-imdsv2-not-required.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'
import {instanceItem} from '../../../support/security-fixtures.js'

// The emulator's MetadataOptions for `--metadata-options HttpTokens=optional`.
const optional: Instance['MetadataOptions'] = {
  State: 'applied',
  HttpTokens: 'optional',
  HttpPutResponseHopLimit: 1,
  HttpEndpoint: 'enabled',
  HttpProtocolIpv6: 'disabled',
  InstanceMetadataTags: 'disabled',
}
const instance = (id: string, options: Instance['MetadataOptions']) => collected('AWS::EC2::Instance', instanceItem(id, options))
const arn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:instance/${id}`

describe('ec2-instance-imdsv2-not-required', () => {
  it('fails instances that accept IMDSv1 and passes those that require tokens or have no metadata endpoint', async () => {
    const findings = ec2InstanceImdsv2NotRequired.evaluate(
      scanSnapshot({
        resources: await Promise.all([
          instance('i-v1', optional),
          instance('i-v2', {...optional, HttpTokens: 'required'}),
          instance('i-off', {...optional, HttpEndpoint: 'disabled'}),
        ]),
      }),
    )
    expect(verdicts(findings)).toEqual([`FAIL ${arn('i-v1')}`, `PASS ${arn('i-off')}`, `PASS ${arn('i-v2')}`])
    const failed = findings.find((f) => f.status === 'FAIL')
    expect(failed?.evidence).toBe('instance i-v1 accepts IMDSv1: HttpTokens is optional with the metadata endpoint enabled')
    expect(failed?.remediation).toBe('aws ec2 modify-instance-metadata-options --instance-id i-v1 --http-tokens required --http-endpoint enabled --region us-east-1')
  })

  it('is UNKNOWN for an instance without recorded metadata options and for a region not collected', async () => {
    const findings = ec2InstanceImdsv2NotRequired.evaluate(
      scanSnapshot({
        resources: [await instance('i-bare', undefined)],
        cells: {'AWS::EC2::Instance': [{region: 'us-east-1'}, {region: 'eu-west-1', status: 'access_denied', error: 'ec2:DescribeInstances denied'}]},
      }),
    )
    expect(verdicts(findings)).toEqual(['UNKNOWN 123456789012/eu-west-1', `UNKNOWN ${arn('i-bare')}`])
    expect(findings[0]?.evidence).toBe('instance i-bare has no recorded metadata options')
  })
})
