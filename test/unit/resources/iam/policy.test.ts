import {describe, expect, it} from 'vitest'

import {policy} from '../../../../src/resources/iam/policy.js'
import {parsePolicyDocument} from '../../../../src/resources/normalize.js'
import {testContext} from '../../../support/context.js'

describe('AWS::IAM::Policy', () => {
  const ctx = testContext({region: 'us-east-1'})
  const document = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::a b/*'}]}

  it('builds the canonical resource from the described policy', async () => {
    const resource = await policy.toResource(
      {
        PolicyName: 'read-things',
        PolicyId: 'ANPAEXAMPLE1',
        Arn: 'arn:aws:iam::123456789012:policy/team/read-things',
        Path: '/team/',
        DefaultVersionId: 'v2',
        AttachmentCount: 3,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        CreateDate: new Date('2020-01-01T00:00:00Z'),
        UpdateDate: new Date('2020-02-01T00:00:00Z'),
        Document: document,
        Tags: [{Key: 'team', Value: 'a'}],
      },
      ctx,
    )
    expect(resource).toMatchObject({
      arn: 'arn:aws:iam::123456789012:policy/team/read-things',
      type: 'AWS::IAM::Policy',
      id: 'arn:aws:iam::123456789012:policy/team/read-things',
      name: 'read-things',
      region: 'global',
      createdAt: '2020-01-01T00:00:00.000Z',
      tags: {team: 'a'},
      source: 'api',
    })
    expect(resource.configuration).toMatchObject({UpdateDate: '2020-02-01T00:00:00.000Z', Document: document})
    expect(policy.volatile).toContain('AttachmentCount')
    expect(policy.volatile).not.toContain('UpdateDate')
  })

  it('parses URL-encoded and plain policy documents', () => {
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(document)))).toEqual(document)
    expect(parsePolicyDocument(JSON.stringify(document))).toEqual(document)
    // A literal `%` in plain JSON is not an escape.
    expect(parsePolicyDocument('{"Sid":"100%"}')).toEqual({Sid: '100%'})
    expect(parsePolicyDocument('not json')).toBe('not json')
    expect(parsePolicyDocument(undefined)).toBeUndefined()
  })
})
