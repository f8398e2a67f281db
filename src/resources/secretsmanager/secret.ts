import type {SecretListEntry} from '@aws-sdk/client-secrets-manager'

import {paginateItems} from '../../aws/paginate.js'
import {lambdaFunction} from '../lambda/function.js'
import {apiResource, isoDate, orderSets, tagsFromList} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

/**
 * A secret as ListSecrets describes it: metadata only. awsinv never calls GetSecretValue, and no
 * Secrets Manager listing returns a secret's value.
 */
export type SecretItem = SecretListEntry

export const secret: ResourceSpec<SecretItem> = {
  type: 'AWS::SecretsManager::Secret',
  service: 'secretsmanager',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html',

  async *list(ctx) {
    const secretsManager = await ctx.clients.get('secretsmanager', ctx.region)
    // A secret scheduled for deletion still exists until its recovery window ends (it can be restored):
    // it is listed, with its `DeletedDate`. Replicas are listed in their own region, with `PrimaryRegion`.
    yield* paginateItems((r) => secretsManager.listSecrets(r), {IncludePlannedDeletion: true, MaxResults: 100}, 'NextToken', 'NextToken', 'SecretList')
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    const arn = item.ARN ?? ''
    return apiResource(ctx, {
      arn,
      type: secret.type,
      // Every secret call takes the ARN, which (unlike the name) a recreated secret does not share.
      id: arn,
      name: item.Name ?? arn,
      createdAt: isoDate(item.CreatedDate),
      tags,
      configuration: secretConfiguration(item),
    })
  },

  relationships(resource) {
    const rotationFunction = functionArn(resource.configuration.RotationLambdaARN)
    return rotationFunction === undefined ? [] : [{type: lambdaFunction.type, arn: rotationFunction, kind: 'uses'}]
  },

  // A secret rotates through its Lambda function: it goes before the function, which would otherwise
  // leave it with a rotation that cannot run.
  dependsOn: [lambdaFunction.type],
  // `LastAccessedDate` moves (to the day) whenever an application reads the value; `NextRotationDate` is
  // computed by Secrets Manager from the schedule. A new value (`LastChangedDate`) or a rotation
  // (`LastRotatedDate`) is a real change of the secret and is compared.
  volatile: ['LastAccessedDate', 'NextRotationDate'],
  securityFields: ['RotationEnabled', 'RotationRules', 'RotationLambdaARN', 'ExternalSecretRotationRoleArn'],
  sets: {Tags: 'Key', ExternalSecretRotationMetadata: 'Key'},
}

/**
 * The ListSecrets entry without `SecretVersionsToStages`: version ids are minted afresh for every new
 * value, so they would report each rotation a second time; `LastChangedDate` already records it.
 */
function secretConfiguration(item: SecretItem): Record<string, unknown> {
  const {SecretVersionsToStages: _versions, ...kept} = item
  return orderSets({...kept, Tags: kept.Tags ?? []} as Record<string, unknown>, secret.sets)
}

/** The function ARN of a rotation function (`…:function:<name>`, without a version or alias), if set. */
function functionArn(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return undefined
  return value.split(':').slice(0, 7).join(':')
}
