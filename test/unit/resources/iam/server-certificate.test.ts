import {IAMClient, ListServerCertificatesCommand, ListServerCertificateTagsCommand} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {serverCertificate, type ServerCertificateItem} from '../../../../src/resources/iam/server-certificate.js'
import {awsError} from '../../../support/aws-error.js'
import {testContext} from '../../../support/context.js'

/**
 * Captured from the emulator (moto 5.2, with the test emulator's ListServerCertificateTags): moto
 * reports fixed upload and expiry dates (2010 and 2012) and one id for every certificate.
 */
const legacy: ServerCertificateItem = {
  Path: '/cloudfront/',
  ServerCertificateName: 'legacy-web',
  ServerCertificateId: 'ASCACKCEVSQ6C2EXAMPLE',
  Arn: 'arn:aws:iam::123456789012:server-certificate/cloudfront/legacy-web',
  UploadDate: new Date('2010-05-08T01:02:03.004Z'),
  Expiration: new Date('2012-05-08T01:02:03.004Z'),
  Tags: [
    {Key: 'env', Value: 'prod'},
    {Key: 'app', Value: 'web'},
  ],
}

describe('AWS::IAM::ServerCertificate', () => {
  const ctx = testContext({region: 'us-east-1'})

  it('builds the canonical resource from the metadata: global, named, created at upload', async () => {
    const resource = await serverCertificate.toResource(legacy, ctx)
    expect(resource).toMatchObject({
      arn: legacy.Arn,
      type: 'AWS::IAM::ServerCertificate',
      id: 'legacy-web',
      name: 'legacy-web',
      region: 'global',
      accountId: '123456789012',
      createdAt: '2010-05-08T01:02:03.004Z',
      tags: {env: 'prod', app: 'web'},
      source: 'api',
    })
    expect(resource.configuration).toEqual({
      Path: '/cloudfront/',
      ServerCertificateName: 'legacy-web',
      ServerCertificateId: 'ASCACKCEVSQ6C2EXAMPLE',
      Arn: legacy.Arn,
      UploadDate: '2010-05-08T01:02:03.004Z',
      Expiration: '2012-05-08T01:02:03.004Z',
      Tags: [
        {Key: 'app', Value: 'web'},
        {Key: 'env', Value: 'prod'},
      ],
    })
    expect(serverCertificate.uniqueId).toBe('ServerCertificateId')
    expect(serverCertificate.relationships).toBeUndefined()
    // AWS Config's documented item has no expiry or upload date: the direct API is used.
    expect(serverCertificate.fromConfigItem).toBeUndefined()
  })

  it('lists every page with each certificate’s tags, skipping one deleted since it was listed; never the body', async () => {
    const iam = mockClient(IAMClient)
    try {
      const {Tags, ...metadata} = legacy
      iam.on(ListServerCertificatesCommand).resolves({ServerCertificateMetadataList: [metadata], IsTruncated: true, Marker: 'm2'})
      iam.on(ListServerCertificatesCommand, {Marker: 'm2'}).resolves({ServerCertificateMetadataList: [{...metadata, ServerCertificateName: 'gone'}], IsTruncated: false})
      iam.on(ListServerCertificateTagsCommand, {ServerCertificateName: 'legacy-web'}).resolves({Tags, IsTruncated: false})
      iam.on(ListServerCertificateTagsCommand, {ServerCertificateName: 'gone'}).rejects(awsError('NoSuchEntity', 404))

      const items: ServerCertificateItem[] = []
      for await (const page of serverCertificate.list(ctx)) items.push(...page)

      expect(items).toEqual([legacy])
      expect(iam.commandCalls(ListServerCertificatesCommand)).toHaveLength(2)
      // Only the two listings: GetServerCertificate (body and chain) is never called.
      expect(iam.calls().every((c) => /ListServerCertificate(s|Tags)Command/.test(c.args[0].constructor.name))).toBe(true)
    } finally {
      iam.restore()
    }
  })

  it('lets a denial through, so the cell is recorded as denied', async () => {
    const iam = mockClient(IAMClient)
    try {
      iam.on(ListServerCertificatesCommand).rejects(awsError('AccessDenied', 403))
      await expect(serverCertificate.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDenied'})
    } finally {
      iam.restore()
    }
  })
})

describe('AWS::IAM::ServerCertificate deleter', () => {
  it('deletes the certificate by name', async () => {
    const resource = await serverCertificate.toResource(legacy, testContext({region: 'us-east-1'}))
    expect(serverCertificate.deleter?.steps(resource)).toEqual([
      {action: 'delete-server-certificate', description: 'Delete server certificate legacy-web', params: {serverCertificateName: 'legacy-web'}},
    ])
  })
})
