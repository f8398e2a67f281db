import {describe, expect, it} from 'vitest'

import {accessanalyzerAnalyzerMissing} from '../../../../src/security/checks/accessanalyzer-analyzer-missing.js'
import {collected, scanSnapshot, verdicts} from '../../../support/scan.js'

// ListAnalyzers items as AWS documents them (the emulator has no Access Analyzer).
const analyzer = (name: string, type: string, status: string, region = 'us-east-1') =>
  collected(
    'AWS::AccessAnalyzer::Analyzer',
    {arn: `arn:aws:access-analyzer:${region}:123456789012:analyzer/${name}`, name, type, status, createdAt: new Date('2025-03-01T10:00:00Z'), tags: {}},
    region,
  )

describe('accessanalyzer-analyzer-missing', () => {
  it('passes a region with an active account or organization analyzer', async () => {
    const snapshot = scanSnapshot({
      resources: [await analyzer('account-analyzer', 'ACCOUNT', 'ACTIVE'), await analyzer('org', 'ORGANIZATION', 'ACTIVE', 'eu-west-1')],
    })
    const findings = accessanalyzerAnalyzerMissing.evaluate(snapshot)
    expect(verdicts(findings)).toEqual(['PASS 123456789012/eu-west-1', 'PASS 123456789012/us-east-1'])
    expect(findings.find((f) => f.region === 'us-east-1')?.evidence).toBe('active external access analyzer: account-analyzer (ACCOUNT)')
  })

  it('fails a collected region without analyzers, or with only unused-access or inactive ones', async () => {
    const snapshot = scanSnapshot({
      resources: [await analyzer('unused', 'ACCOUNT_UNUSED_ACCESS', 'ACTIVE', 'eu-west-1'), await analyzer('broken', 'ACCOUNT', 'FAILED', 'ap-south-1')],
      cells: {'AWS::AccessAnalyzer::Analyzer': [{region: 'us-east-1'}, {region: 'eu-west-1'}, {region: 'ap-south-1'}]},
    })
    const findings = accessanalyzerAnalyzerMissing.evaluate(snapshot)
    expect(verdicts(findings)).toEqual(['FAIL 123456789012/ap-south-1', 'FAIL 123456789012/eu-west-1', 'FAIL 123456789012/us-east-1'])
    const byRegion = Object.fromEntries(findings.map((f) => [f.region, f]))
    expect(byRegion['us-east-1']).toMatchObject({evidence: 'no external access analyzer in us-east-1', remediation: 'aws accessanalyzer create-analyzer --analyzer-name account-analyzer --type ACCOUNT --region us-east-1'})
    expect(byRegion['eu-west-1']?.evidence).toBe('no external access analyzer in eu-west-1; only unused (ACCOUNT_UNUSED_ACCESS)')
    expect(byRegion['ap-south-1']?.evidence).toBe('no active external access analyzer: broken is FAILED')
  })

  it('is UNKNOWN where analyzers could not be listed (the emulator lacks Access Analyzer: an error cell)', () => {
    const snapshot = scanSnapshot({
      cells: {
        'AWS::AccessAnalyzer::Analyzer': [
          {region: 'us-east-1', status: 'error', error: 'HTTP 500 answer that is not an AWS response: the endpoint may not implement this operation'},
        ],
      },
    })
    expect(accessanalyzerAnalyzerMissing.evaluate(snapshot)).toMatchObject([
      {status: 'UNKNOWN', resource: '123456789012/us-east-1', evidence: expect.stringContaining('error (HTTP 500 answer that is not an AWS response')},
    ])
  })
})
