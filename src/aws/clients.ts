import {AsyncLocalStorage} from 'node:async_hooks'

import type {AccessAnalyzer} from '@aws-sdk/client-accessanalyzer'
import type {CloudTrail} from '@aws-sdk/client-cloudtrail'
import type {ConfigService} from '@aws-sdk/client-config-service'
import type {CostExplorer} from '@aws-sdk/client-cost-explorer'
import type {EC2} from '@aws-sdk/client-ec2'
import type {EFS} from '@aws-sdk/client-efs'
import type {IAM} from '@aws-sdk/client-iam'
import type {KMS} from '@aws-sdk/client-kms'
import type {Lambda} from '@aws-sdk/client-lambda'
import type {RDS} from '@aws-sdk/client-rds'
import type {S3} from '@aws-sdk/client-s3'
import type {S3Control} from '@aws-sdk/client-s3-control'
import type {SecretsManager} from '@aws-sdk/client-secrets-manager'
import type {SNS} from '@aws-sdk/client-sns'
import type {SQS} from '@aws-sdk/client-sqs'
import type {STS} from '@aws-sdk/client-sts'
import type {NodeHttpHandler, NodeHttpHandlerOptions} from '@smithy/node-http-handler'
import type {HttpHandlerOptions, InitializeMiddleware, MetadataBearer, MiddlewareStack} from '@smithy/types'

/** The services awsinv talks to, mapped to their SDK client classes (types only: nothing is loaded here). */
export interface ServiceClients {
  accessanalyzer: AccessAnalyzer
  cloudtrail: CloudTrail
  config: ConfigService
  costexplorer: CostExplorer
  ec2: EC2
  efs: EFS
  iam: IAM
  kms: KMS
  lambda: Lambda
  rds: RDS
  s3: S3
  s3control: S3Control
  secretsmanager: SecretsManager
  sns: SNS
  sqs: SQS
  sts: STS
}

export type ServiceName = keyof ServiceClients

/** Settings shared by every client of a run. */
export interface ClientOptions {
  profile?: string
  /** Custom endpoint for every service (emulators, private endpoints). S3 then uses path-style addressing. */
  endpointUrl?: string
  /** Attempts per call including the first, with adaptive retry. */
  maxAttempts?: number
  /**
   * How long a request may wait to connect, or between two parts of its answer, before it fails (as a retryable
   * network error). Without it a request to an endpoint that accepts connections but never answers waits forever.
   */
  requestTimeoutMs?: number
}

/** The request timeout of clients whose options set none (the CLI's --request-timeout default: 60 s, as the AWS CLI's). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000

/** Counts the API calls made inside one unit of work (one coverage cell). */
export interface CallCounter {
  calls: number
}

const callScope = new AsyncLocalStorage<CallCounter>()

// awsinv supports Node 20 (package.json engines, with a pinned SDK); the SDK's notice about its own
// future Node 22 requirement would only clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** Runs `work` so that every SDK call made inside it is counted on `counter`. */
export function countCalls<T>(counter: CallCounter, work: () => Promise<T>): Promise<T> {
  return callScope.run(counter, work)
}

// The SDK's own console warnings (one spans nine lines when a profile and environment keys are both set)
// would interleave with awsinv's output; awsinv says what matters itself (see openSession).
const quietLogger = {trace() {}, debug() {}, info() {}, warn() {}, error() {}}

type Constructor = new (config: Record<string, unknown>) => ServiceClients[ServiceName]

// Dynamic imports keep a command from loading SDK packages it never uses.
const loaders: {[K in ServiceName]: () => Promise<new (config: Record<string, unknown>) => ServiceClients[K]>} = {
  accessanalyzer: async () => (await import('@aws-sdk/client-accessanalyzer')).AccessAnalyzer,
  cloudtrail: async () => (await import('@aws-sdk/client-cloudtrail')).CloudTrail,
  config: async () => (await import('@aws-sdk/client-config-service')).ConfigService,
  costexplorer: async () => (await import('@aws-sdk/client-cost-explorer')).CostExplorer,
  ec2: async () => (await import('@aws-sdk/client-ec2')).EC2,
  efs: async () => (await import('@aws-sdk/client-efs')).EFS,
  iam: async () => (await import('@aws-sdk/client-iam')).IAM,
  kms: async () => (await import('@aws-sdk/client-kms')).KMS,
  lambda: async () => (await import('@aws-sdk/client-lambda')).Lambda,
  rds: async () => (await import('@aws-sdk/client-rds')).RDS,
  s3: async () => (await import('@aws-sdk/client-s3')).S3,
  s3control: async () => (await import('@aws-sdk/client-s3-control')).S3Control,
  secretsmanager: async () => (await import('@aws-sdk/client-secrets-manager')).SecretsManager,
  sns: async () => (await import('@aws-sdk/client-sns')).SNS,
  sqs: async () => (await import('@aws-sdk/client-sqs')).SQS,
  sts: async () => (await import('@aws-sdk/client-sts')).STS,
}

/**
 * The SDK's HTTP handler, with every request also aborted by the signal its clients are told to stop on. Loaded
 * with the first client, as the SDK packages are: a command that calls no AWS API starts without it.
 */
async function abortableHttpHandler(options: NodeHttpHandlerOptions, stopSignal: () => AbortSignal | undefined): Promise<NodeHttpHandler> {
  const {NodeHttpHandler} = await import('@smithy/node-http-handler')
  const handler = new NodeHttpHandler(options)
  const handle = handler.handle.bind(handler)
  handler.handle = (request, handlerOptions: HttpHandlerOptions = {}) => {
    const signal = handlerOptions.abortSignal ?? stopSignal()
    return handle(request, signal === undefined ? handlerOptions : {...handlerOptions, abortSignal: signal})
  }

  return handler
}

/** Region-independent factory of lazily created, cached SDK clients. */
export class AwsClients {
  private readonly cache = new Map<string, Promise<ServiceClients[ServiceName]>>()
  private stopSignal?: AbortSignal

  constructor(
    readonly options: ClientOptions,
    /** Region used by clients created through `get` without one (global services, STS). */
    readonly defaultRegion: string,
  ) {}

  /** A client for `service` in `region`, created on first use. */
  get<K extends ServiceName>(service: K, region: string = this.defaultRegion): Promise<ServiceClients[K]> {
    const key = `${service}:${region}`
    let client = this.cache.get(key)
    if (!client) {
      client = this.create(service, region)
      this.cache.set(key, client)
    }

    return client as Promise<ServiceClients[K]>
  }

  /**
   * Aborts every request in flight, and every later one, once `signal` is aborted (undefined: no longer).
   * A collection stopped by Ctrl-C then ends at once, not when its calls answer or time out.
   */
  abortWith(signal: AbortSignal | undefined): void {
    this.stopSignal = signal
  }

  /** Closes every socket the clients hold, so the process can exit promptly. */
  async destroy(): Promise<void> {
    const clients = await Promise.allSettled(this.cache.values())
    for (const c of clients) if (c.status === 'fulfilled') c.value.destroy()
    this.cache.clear()
  }

  private async create<K extends ServiceName>(service: K, region: string): Promise<ServiceClients[K]> {
    const ClientClass = (await loaders[service]()) as unknown as Constructor
    const {endpointUrl, maxAttempts, profile, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS} = this.options
    const client = new ClientClass({
      region,
      retryMode: 'adaptive',
      maxAttempts: maxAttempts ?? 5,
      logger: quietLogger,
      // The SDK only warns on a request past its timeout unless told to throw.
      requestHandler: await abortableHttpHandler({connectionTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true}, () => this.stopSignal),
      ...(profile ? {profile} : {}),
      ...(endpointUrl ? {endpoint: endpointUrl} : {}),
      ...(endpointUrl && service === 's3' ? {forcePathStyle: true} : {}),
      // S3 Control's endpoint rules put the account id in front of the host (`<account>.<endpoint host>`), which
      // a custom endpoint cannot serve (and an IP address cannot even form): the endpoint is used as it is.
      // The account still travels in the request's x-amz-account-id header.
      ...(endpointUrl && service === 's3control' ? {endpointProvider: () => ({url: new URL(endpointUrl)})} : {}),
    })
    const countCall: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
      const counter = callScope.getStore()
      if (counter) counter.calls++
      return next(args)
    }

    ;(client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>).add(countCall, {name: 'awsinvCallCounter', step: 'initialize'})
    return client as ServiceClients[K]
  }
}
