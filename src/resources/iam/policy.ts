import type {AttachedPolicy, Policy, Tag} from '@aws-sdk/client-iam'

import {unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {apiResource, isoDate, parsePolicyDocument, tagsFromList} from '../normalize.js'
import type {Relationship, Resource, ResourceSpec} from '../types.js'

/** A customer managed policy with its default version's document and its tags. */
export interface PolicyItem extends Policy {
  /** The default version's policy document, parsed. */
  Document?: unknown
  Tags: Tag[]
}

// Items described at once; each description is itself a few parallel calls.
const policyConcurrency = 4

export const policy: ResourceSpec<PolicyItem> = {
  type: 'AWS::IAM::Policy',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    // Local = customer managed: AWS managed policies are not resources of the account.
    const request = {Scope: 'Local' as const, MaxItems: 1000}
    for await (const page of paginateItems((r) => iam.listPolicies(r), request, 'Marker', 'Marker', 'Policies')) {
      yield* describeInBatches(page, policyConcurrency, ctx.signal, (p) =>
        unlessDeleted(async (): Promise<PolicyItem> => {
          const PolicyArn = p.Arn ?? ''
          const [version, Tags] = await Promise.all([
            p.DefaultVersionId === undefined ? undefined : iam.getPolicyVersion({PolicyArn, VersionId: p.DefaultVersionId}),
            collectPages(paginateItems((r) => iam.listPolicyTags(r), {PolicyArn}, 'Marker', 'Marker', 'Tags')),
          ])
          return {...p, Document: parsePolicyDocument(version?.PolicyVersion?.Document), Tags}
        }),
      )
    }
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: policy.type,
      // DeletePolicy and every other policy call take the ARN.
      id: item.Arn ?? '',
      name: item.PolicyName ?? '',
      region: 'global',
      createdAt: isoDate(item.CreateDate),
      tags,
      configuration: item,
    })
  },

  // Both counters move when other resources attach the policy or use it as a boundary.
  volatile: ['AttachmentCount', 'PermissionsBoundaryUsageCount'],
  sets: {Tags: 'Key'},
}

const awsManagedPolicyArn = /^arn:[^:]+:iam::aws:policy\//

/**
 * `attached-to` edges to the customer managed policies listed under `AttachedPolicies` in a user's,
 * group's or role's configuration. AWS managed policies belong to no account and are skipped.
 */
export function attachedPolicyRelationships(resource: Resource): Relationship[] {
  const attached = (resource.configuration.AttachedPolicies ?? []) as AttachedPolicy[]
  return attached
    .map((p) => p.PolicyArn)
    .filter((arn): arn is string => arn !== undefined && !awsManagedPolicyArn.test(arn))
    .map((arn) => ({type: policy.type, arn, kind: 'attached-to'}))
}
