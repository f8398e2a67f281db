import {describe, expect, it} from 'vitest'

import type {ConfigCheckReport} from '../../../src/collect/config/check.js'
import {formatConfigCheck} from '../../../src/render/config-check.js'

const report: ConfigCheckReport = {
  accountId: '123456789012',
  homeRegion: 'us-east-1',
  regions: [
    {
      region: 'us-east-1',
      status: 'available',
      home: true,
      errorCode: null,
      error: null,
      recorders: [
        {
          name: 'default',
          recording: true,
          lastStatus: 'Success',
          lastStatusChangeTime: '2024-05-01T00:00:00.000Z',
          lastErrorCode: null,
          lastErrorMessage: null,
          recordingGroup: {strategy: 'INCLUSION_BY_RESOURCE_TYPES', includeGlobalResourceTypes: false, resourceTypes: ['AWS::S3::Bucket'], excludedResourceTypes: []},
          records: 'only AWS::S3::Bucket',
        },
      ],
    },
    {region: 'eu-west-1', status: 'available', home: false, errorCode: null, error: null, recorders: []},
    {region: 'ap-east-2', status: 'unavailable', home: false, errorCode: 'ENOTFOUND', error: 'getaddrinfo ENOTFOUND', recorders: []},
  ],
  types: [
    {region: 'us-east-1', type: 'AWS::S3::Bucket', source: 'config', reason: 'AWS Config: recorder "default" records this type'},
    {region: 'eu-west-1', type: 'AWS::S3::Bucket', source: 'api', reason: 'AWS Config: no configuration recorder in eu-west-1'},
  ],
}

describe('formatConfigCheck', () => {
  it('shows the recorders of each region, then the source of every type', () => {
    const text = formatConfigCheck(report, 'md')
    expect(text).toContain('AWS Config in account 123456789012 (global types are decided in the home region us-east-1)')
    expect(text).toContain('| us-east-1 (home) | default | yes | Success | 2024-05-01T00:00:00.000Z | only AWS::S3::Bucket |')
    expect(text).toContain('| eu-west-1 | - | no | no configuration recorder |  |  |')
    expect(text).toContain('| ap-east-2 | - | - | AWS Config not available (ENOTFOUND) |  |  |')
    expect(text).toContain('1 of 2 cells through AWS Config')
    expect(text).toContain('| us-east-1 | AWS::S3::Bucket | config | AWS Config: recorder "default" records this type |')
  })

  it('gives machine formats one document', () => {
    expect(JSON.parse(formatConfigCheck(report, 'json'))).toEqual(report)
    expect(formatConfigCheck(report, 'csv').split('\r\n')).toEqual([
      'Region,Type,Source,Reason',
      'us-east-1,AWS::S3::Bucket,config,"AWS Config: recorder ""default"" records this type"',
      'eu-west-1,AWS::S3::Bucket,api,AWS Config: no configuration recorder in eu-west-1',
    ])
  })
})
