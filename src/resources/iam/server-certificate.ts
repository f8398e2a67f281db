import type {ServerCertificateMetadata, Tag} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {currentStateFrom, readCurrent, runStepCall, stringParam} from '../../cleanup/deleting.js'
import {apiResource, isoDate, orderSets, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

/**
 * A server certificate's metadata (ListServerCertificates) and tags. The certificate body and chain
 * are never collected (only the deleter's re-read calls GetServerCertificate, for the id, and keeps only
 * that), and IAM never returns the private key.
 */
export interface ServerCertificateItem extends ServerCertificateMetadata {
  Tags: Tag[]
}

// Certificates described at once; each description is one tag listing.
const certificateConcurrency = 8

export const serverCertificate: ResourceSpec<ServerCertificateItem> = {
  type: 'AWS::IAM::ServerCertificate',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListServerCertificates.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    for await (const page of paginateItems((r) => iam.listServerCertificates(r), {MaxItems: 1000}, 'Marker', 'Marker', 'ServerCertificateMetadataList')) {
      yield* describeInBatches(page, certificateConcurrency, ctx.signal, (metadata) =>
        // A certificate deleted since it was listed fails with NoSuchEntity and is skipped.
        unlessDeleted(async (): Promise<ServerCertificateItem> => {
          const ServerCertificateName = metadata.ServerCertificateName
          const Tags = await collectPages(paginateItems((r) => iam.listServerCertificateTags(r), {ServerCertificateName}, 'Marker', 'Marker', 'Tags'))
          return {...metadata, Tags}
        }),
      )
    }
  },

  toResource(item, ctx) {
    const name = item.ServerCertificateName ?? ''
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: serverCertificate.type,
      // DeleteServerCertificate and the other certificate calls take the name.
      id: name,
      name,
      region: 'global',
      createdAt: isoDate(item.UploadDate),
      tags: tagsFromList(item.Tags),
      configuration: orderSets({...item} as Record<string, unknown>, serverCertificate.sets),
    })
  },

  // A certificate uploaded again under the same name and path gets a new id.
  uniqueId: 'ServerCertificateId',
  sets: {Tags: 'Key'},

  // A certificate a load balancer or CloudFront distribution still uses fails with DeleteConflict (those
  // users are not collected as relationships), which is retried and then reported.
  deleter: {
    steps: (resource) => [
      {action: 'delete-server-certificate', description: `Delete server certificate ${resource.id}`, params: {serverCertificateName: resource.id}},
    ],

    current: (ctx, item) =>
      readCurrent(async () => {
        const iam = await ctx.clients.get('iam', ctx.region)
        const ServerCertificateName = item.id
        // Both answer NoSuchEntity for a deleted certificate. Only GetServerCertificate's metadata (its id) is
        // kept: the body it also returns is public but not needed. Tags come from the call the collector used
        // (GetServerCertificate's own are missing on the emulator).
        const [{ServerCertificate: found}, tags] = await Promise.all([
          iam.getServerCertificate({ServerCertificateName}),
          collectPages(paginateItems((r) => iam.listServerCertificateTags(r), {ServerCertificateName}, 'Marker', 'Marker', 'Tags')),
        ])
        return currentStateFrom(tags, found?.ServerCertificateMetadata?.ServerCertificateId)
      }),

    async run(ctx, _item, step) {
      const iam = await ctx.clients.get('iam', ctx.region)
      return runStepCall(step, {
        'delete-server-certificate': () => iam.deleteServerCertificate({ServerCertificateName: stringParam(step, 'serverCertificateName')}),
      })
    },
  },
}
