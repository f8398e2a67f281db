import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'
import {describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {policy, type PolicyItem} from '../../../../src/resources/iam/policy.js'
import {parsePolicyDocument} from '../../../../src/resources/normalize.js'
import type {Resource} from '../../../../src/resources/types.js'
import {canonicalJson, sha256} from '../../../../src/store/hash.js'
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
        VersionIds: ['v1', 'v2'],
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
    expect(resource.configuration).toMatchObject({UpdateDate: '2020-02-01T00:00:00.000Z', Document: document, VersionIds: ['v1', 'v2']})
    expect(policy.volatile).toContain('AttachmentCount')
    // Kept, but not compared: a new default version is reported by its document and version ids.
    expect(policy.volatile).toContain('UpdateDate')
  })

  it('reports a new default version that widens the document as security drift', async () => {
    const item: PolicyItem = {PolicyName: 'read', PolicyId: 'ANPAEXAMPLE1', Arn: 'arn:aws:iam::123456789012:policy/read', DefaultVersionId: 'v1', VersionIds: ['v1'], Document: document, Tags: []}
    const wider = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]}
    const before = await policy.toResource(item, ctx)
    const after = await policy.toResource({...item, DefaultVersionId: 'v2', VersionIds: ['v1', 'v2'], Document: wider}, ctx)
    const changes = diffResource(before, after, policy)
    expect(changes.map((c) => [c.path.replace(/\[\{.*\}\]$/, '[…]'), c.kind, c.category])).toEqual([
      ['DefaultVersionId', 'changed', 'security'],
      ['Document.Statement[…]', 'added', 'security'],
      ['Document.Statement[…]', 'removed', 'security'],
      ['VersionIds[v2]', 'added', 'configuration'],
    ])
    // Only the document changed: still security.
    const sameVersions = diffResource(before, {...after, configuration: {...after.configuration, DefaultVersionId: 'v1', VersionIds: ['v1']}}, policy)
    expect(sameVersions.map((c) => c.category)).toEqual(['security', 'security'])
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

describe('AWS::IAM::Policy: parity with AWS Config', () => {
  const ctx = testContext({region: 'us-east-1'})
  const v1 = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::parity-rich/*'}]}
  const v2 = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::parity-rich', 'arn:aws:s3:::parity-rich/*']}]}

  /** Captured from the emulator (moto 5.2): what policy.list() yields for a tagged policy with two versions (v2 default). */
  const direct: PolicyItem = {
    PolicyName: 'parity-policy',
    PolicyId: 'ACJXF2I95ZQMJAJ5TGGI0',
    Arn: 'arn:aws:iam::123456789012:policy/team/parity-policy',
    Path: '/team/',
    DefaultVersionId: 'v2',
    VersionIds: ['v1', 'v2'],
    AttachmentCount: 1,
    IsAttachable: true,
    CreateDate: new Date('2026-11-25T02:29:28.499Z'),
    UpdateDate: new Date('2026-11-25T02:29:28.499Z'),
    Document: v2,
    Tags: [
      {Key: 'cost', Value: '42'},
      {Key: 'owner', Value: 'team-a'},
    ],
  }

  /**
   * The same policy's BatchGetResourceConfig item from the emulator, timestamps as the SDK returns them.
   * Its quirks: an ARN without the path, dates without a zone, `permissionsBoundaryUsageCount` always 0
   * (its ListPolicies leaves the field out).
   */
  const motoItem: BaseConfigurationItem = {
    version: '1.3',
    accountId: '123456789012',
    configurationItemCaptureTime: new Date('2026-11-25T02:29:28.499Z'),
    configurationItemStatus: 'OK',
    configurationStateId: '1795573792',
    arn: 'arn:aws:iam::123456789012:policy/parity-policy',
    resourceType: 'AWS::IAM::Policy',
    resourceId: 'ACJXF2I95ZQMJAJ5TGGI0',
    resourceName: 'parity-policy',
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    resourceCreationTime: new Date('2026-11-25T02:29:28.499Z'),
    configuration: JSON.stringify({
      policyName: 'parity-policy',
      policyId: 'ACJXF2I95ZQMJAJ5TGGI0',
      arn: 'arn:aws:iam::123456789012:policy/parity-policy',
      path: '/team/',
      defaultVersionId: 'v2',
      attachmentCount: 1,
      permissionsBoundaryUsageCount: 0,
      isAttachable: true,
      description: 'Read the rich bucket',
      createDate: '2026-11-25T02:29:28.499384',
      updateDate: '2026-11-25T02:29:28.499384',
      tags: [
        {key: 'owner', value: 'team-a'},
        {key: 'cost', value: '42'},
      ],
      policyVersionList: [
        {document: encodeURIComponent(JSON.stringify(v1)), versionId: 'v1', isDefaultVersion: false, createDate: '2026-11-25 02:29:28.499338'},
        {document: encodeURIComponent(JSON.stringify(v2)), versionId: 'v2', isDefaultVersion: true, createDate: '2026-11-25 02:29:29.638379'},
      ],
    }),
    supplementaryConfiguration: {},
  }

  function expectParity(api: Resource, config: Resource | undefined): void {
    expect(config).toBeDefined()
    expect(config?.configuration).toEqual(api.configuration)
    const identity = (r: Resource | undefined) => r && {arn: r.arn, id: r.id, name: r.name, region: r.region, accountId: r.accountId, tags: r.tags, createdAt: r.createdAt}
    expect(identity(config)).toEqual(identity(api))
    expect(sha256(canonicalJson(config?.configuration))).toBe(sha256(canonicalJson(api.configuration)))
    expect(config?.source).toBe('config')
  }

  it('gives the same resource from the emulator’s Config item as from the direct calls', async () => {
    const api = await policy.toResource(direct, ctx)
    const config = policy.fromConfigItem?.(motoItem, ctx)
    expectParity(api, config)
    expect(config).toMatchObject({arn: 'arn:aws:iam::123456789012:policy/team/parity-policy', configuration: {Document: v2, VersionIds: ['v1', 'v2']}})
    // Recorded by Config only: not part of the canonical configuration.
    expect(config?.configuration).not.toHaveProperty('Description')
  })

  it('maps the documented real-AWS item, keeping a non-zero boundary usage count', async () => {
    const api = await policy.toResource({...direct, PermissionsBoundaryUsageCount: 2, UpdateDate: new Date('2026-11-25T02:29:29Z')}, ctx)
    const config = policy.fromConfigItem?.(
      {
        ...motoItem,
        arn: 'arn:aws:iam::123456789012:policy/team/parity-policy',
        configuration: JSON.stringify({
          ...(JSON.parse(motoItem.configuration ?? '{}') as object),
          arn: 'arn:aws:iam::123456789012:policy/team/parity-policy',
          permissionsBoundaryUsageCount: 2,
          createDate: '2026-11-25T02:29:28.499Z',
          updateDate: '2026-11-25T02:29:29.000Z',
        }),
      },
      ctx,
    )
    expectParity(api, config)
    expect(config?.configuration.PermissionsBoundaryUsageCount).toBe(2)
  })

  it('gives nothing for a deleted policy', () => {
    expect(policy.fromConfigItem?.({...motoItem, configurationItemStatus: 'ResourceDeletedNotRecorded'}, ctx)).toBeUndefined()
  })
})

describe('AWS::IAM::Policy deleter', () => {
  const ctx = testContext({region: 'us-east-1'})
  const item: PolicyItem = {
    PolicyName: 'app',
    PolicyId: 'ANPAEXAMPLEAPP',
    Arn: 'arn:aws:iam::123456789012:policy/team/app',
    Path: '/team/',
    DefaultVersionId: 'v2',
    VersionIds: ['v1', 'v2', 'v3'],
    AttachmentCount: 1,
    IsAttachable: true,
    CreateDate: new Date('2026-11-25T02:29:28.499Z'),
    UpdateDate: new Date('2026-11-25T02:29:28.499Z'),
    Tags: [],
  }
  const arn = 'arn:aws:iam::123456789012:policy/team/app'

  it('deletes every version but the default one, then the policy (by ARN)', async () => {
    const resource = await policy.toResource(item, ctx)
    expect(policy.deleter?.steps(resource)).toEqual([
      {action: 'delete-policy-version', description: 'Delete version v1 of policy app', params: {policyArn: arn, versionId: 'v1'}},
      {action: 'delete-policy-version', description: 'Delete version v3 of policy app', params: {policyArn: arn, versionId: 'v3'}},
      {action: 'delete-policy', description: `Delete policy ${arn}`, params: {policyArn: arn}},
    ])
  })

  it('deletes a policy with one version in one step, also from a snapshot taken before version ids were collected', async () => {
    const single = await policy.toResource({...item, DefaultVersionId: 'v1', VersionIds: ['v1']}, ctx)
    expect(policy.deleter?.steps(single)).toEqual([{action: 'delete-policy', description: `Delete policy ${arn}`, params: {policyArn: arn}}])
    const {VersionIds: _v, ...older} = single.configuration
    expect(policy.deleter?.steps({...single, configuration: older})).toEqual([{action: 'delete-policy', description: `Delete policy ${arn}`, params: {policyArn: arn}}])
  })
})
