import type {EnvironmentError, FunctionConfiguration} from '@aws-sdk/client-lambda'

import {unlessDeleted} from '../../aws/errors.js'
import {describeInBatches, paginateItems} from '../../aws/paginate.js'
import {readCurrent, runStepCall, stringParam} from '../../cleanup/deleting.js'
import {apiResource} from '../normalize.js'
import {ec2Edges} from '../ec2/arn.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {kmsKeyEdges} from '../kms/key.js'

/** The environment of a function without its values: those are secrets awsinv never stores. */
export interface FunctionEnvironment {
  /** Names of the environment variables, sorted. */
  VariableNames: string[]
  /** Why Lambda could not apply the environment (e.g. a KMS failure), where it says so. */
  Error?: EnvironmentError
}

/** A function ($LATEST) as ListFunctions returns it, environment values removed, with its tags. */
export interface LambdaFunctionItem extends Omit<FunctionConfiguration, 'Environment'> {
  Environment?: FunctionEnvironment
  Tags: Record<string, string>
}

// Functions whose tags are fetched at once.
const tagConcurrency = 8

export const lambdaFunction: ResourceSpec<LambdaFunctionItem> = {
  type: 'AWS::Lambda::Function',
  service: 'lambda',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html',

  async *list(ctx) {
    const lambda = await ctx.clients.get('lambda', ctx.region)
    for await (const page of paginateItems((r) => lambda.listFunctions(r), {}, 'Marker', 'NextMarker', 'Functions')) {
      // A function deleted since it was listed fails ListTags with ResourceNotFoundException and is skipped.
      yield* describeInBatches(page, tagConcurrency, ctx.signal, (fn) =>
        unlessDeleted(async (): Promise<LambdaFunctionItem> => {
          const {Tags} = await lambda.listTags({Resource: fn.FunctionArn})
          // Values are dropped as soon as they arrive, so no later step can store or log them.
          return {...fn, Environment: redactEnvironment(fn.Environment), Tags: Tags ?? {}}
        }),
      )
    }
  },

  toResource(item, ctx) {
    const name = item.FunctionName ?? ''
    return apiResource(ctx, {
      arn: item.FunctionArn ?? '',
      type: lambdaFunction.type,
      id: name,
      name,
      // Lambda does not say when a function was created (LastModified is the last change).
      createdAt: null,
      tags: {...item.Tags},
      // Redacted again here so that an item from any other path cannot carry values either.
      configuration: {...item, Environment: redactEnvironment(item.Environment)},
    })
  },

  relationships(resource) {
    const config = resource.configuration as {Role?: string; VpcConfig?: {SubnetIds?: string[]; SecurityGroupIds?: string[]}; KMSKeyArn?: string}
    const edges: Relationship[] = []
    // IAM role ids are their names (the last path segment of the ARN).
    if (config.Role) edges.push({type: 'AWS::IAM::Role', arn: config.Role, id: config.Role.split('/').at(-1), kind: 'uses'})
    edges.push(
      ...ec2Edges(resource, 'AWS::EC2::Subnet', config.VpcConfig?.SubnetIds ?? [], 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::SecurityGroup', config.VpcConfig?.SecurityGroupIds ?? [], 'uses'),
      // The key its environment variables are encrypted with.
      ...kmsKeyEdges(resource, [config.KMSKeyArn], 'uses'),
    )
    return edges
  },

  // The function goes before its execution role, the subnets and security groups its ENIs are in, and
  // the KMS key of its environment.
  dependsOn: ['AWS::IAM::Role', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::KMS::Key'],
  // Both move with every update: the update's real changes are reported, these stamps are not.
  volatile: ['LastModified', 'RevisionId'],
  // `Layers` is not a set: Lambda extracts the layers in order, a later one overwriting an earlier one's
  // files, so reordering them changes the function. Compared by position.
  sets: {
    'Environment.VariableNames': '.',
    'VpcConfig.SubnetIds': '.',
    'VpcConfig.SecurityGroupIds': '.',
    FileSystemConfigs: 'Arn',
    Architectures: '.',
  },

  /**
   * One call deletes the function with all its versions and aliases. Left behind: event source mappings
   * (not collected) and, for a function in a VPC, the network interfaces Lambda made for it, which AWS
   * removes on its own later (they are requester-managed, so never deleted directly), often 5 to 20 minutes
   * after, up to about 40: the deletions of its subnets and security groups wait for them.
   */
  deleter: {
    steps: (resource) => [{action: 'delete-function', description: `Delete Lambda function ${resource.id} with its versions and aliases`, params: {functionName: resource.id}}],

    current: (ctx, item) =>
      readCurrent(async () => {
        const lambda = await ctx.clients.get('lambda', ctx.region)
        // ListTags answers ResourceNotFoundException for a deleted function: one call says both.
        const {Tags} = await lambda.listTags({Resource: item.arn})
        return {tags: {...Tags}}
      }),

    async run(ctx, _item, step) {
      const lambda = await ctx.clients.get('lambda', ctx.region)
      return runStepCall(step, {'delete-function': () => lambda.deleteFunction({FunctionName: stringParam(step, 'functionName')})})
    },
  },
}

/**
 * The environment with variable names only. Accepts ListFunctions' shape (`Variables` with values) or
 * an already redacted one, so redacting twice is harmless.
 */
export function redactEnvironment(
  environment: {Variables?: Record<string, string>; VariableNames?: string[]; Error?: EnvironmentError} | undefined,
): FunctionEnvironment | undefined {
  if (environment === undefined) return undefined
  const names = environment.VariableNames ?? Object.keys(environment.Variables ?? {})
  return {VariableNames: [...names].sort(), ...(environment.Error ? {Error: environment.Error} : {})}
}
