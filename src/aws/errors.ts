/** What an AWS SDK error means for awsinv. */
export type ErrorClass =
  | 'access_denied'
  | 'not_enabled'
  | 'unsupported_region'
  | 'throttled'
  | 'not_found'
  /** Blocked by another resource that still exists or uses this one (retry after that one is gone). */
  | 'dependency'
  | 'no_credentials'
  | 'invalid_credentials'
  | 'endpoint_unreachable'
  | 'error'

export interface ClassifiedError {
  kind: ErrorClass
  /** The AWS error code or SDK error name. */
  code: string
  message: string
}

const accessDenied = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'Forbidden',
  'AllAccessDisabled',
])
const notEnabled = new Set([
  'OptInRequired',
  'SubscriptionRequiredException',
  'NoSuchConfigurationRecorderException',
  'InvalidClientTokenId.OptInRequired',
  'AWSOrganizationsNotInUseException',
  // An opt-in region the account has not enabled.
  'AuthFailure.RegionNotEnabled',
])
const unsupportedRegion = new Set(['InvalidAction', 'UnsupportedOperation'])
const throttled = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
])
// Deleting something another resource still uses, or that is still changing state.
const dependency = new Set([
  'DependencyViolation',
  'DeleteConflict',
  'ResourceInUse',
  'ResourceInUseException',
  'InvalidGroup.InUse',
  'BucketNotEmpty',
  'InvalidDBInstanceState',
  'InvalidDBClusterStateFault',
  'FileSystemInUse',
  'IncorrectState',
  'IncorrectInstanceState',
  'InvalidStateException',
  'ConflictException',
  'ResourceConflictException',
])
const invalidCredentials = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'AuthFailure',
  // Lambda and other JSON services answer this to a bad or unknown access key.
  'UnrecognizedClientException',
])
const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError'])

/** Decides what an error thrown by the SDK (or the network under it) means. */
export function classifyError(error: unknown): ClassifiedError {
  const err = (error ?? {}) as {name?: string; Code?: string; code?: string; message?: string; $metadata?: {httpStatusCode?: number}; cause?: unknown}
  const code = err.Code ?? err.name ?? err.code ?? 'Error'
  const message = oneLine(err.message ?? String(error))
  const status = err.$metadata?.httpStatusCode
  const networkCode = err.code ?? (err.cause as {code?: string} | undefined)?.code

  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(message)) return {kind: 'no_credentials', code, message}
  if (invalidCredentials.has(code)) return {kind: 'invalid_credentials', code, message}
  if (accessDenied.has(code) || /AccessDenied|not authorized to perform/i.test(code + ' ' + message)) return {kind: 'access_denied', code, message}
  if (notEnabled.has(code) || /OptInRequired|SubscriptionRequired|not subscribed|opt.in/i.test(code)) return {kind: 'not_enabled', code, message}
  if (unsupportedRegion.has(code) || /not (available|supported) in (this|the) region/i.test(message)) return {kind: 'unsupported_region', code, message}
  if (throttled.has(code) || status === 429) return {kind: 'throttled', code, message}
  if (dependency.has(code) || /DependencyViolation|has dependen|in use|still (attached|associated)/i.test(`${code} ${message}`)) return {kind: 'dependency', code, message}
  // SQS says `AWS.SimpleQueueService.NonExistentQueue` (`QueueDoesNotExist` by name), with status 400.
  if (/NotFound|NoSuch|NonExistent|DoesNotExist/.test(code) || status === 404) return {kind: 'not_found', code, message}
  if ((networkCode && unreachable.has(networkCode)) || unreachable.has(code)) return {kind: 'endpoint_unreachable', code: networkCode ?? code, message}
  if (status === 403) return {kind: 'access_denied', code, message}
  // The SDK's parser message ("Unexpected token '<'…") would say nothing useful.
  if (isForeignServerError(error)) {
    return {kind: 'error', code: `HTTP${status}`, message: `HTTP ${status} answer that is not an AWS response: ${notImplementedHint}`}
  }

  return {kind: 'error', code, message}
}

/** Ends the message of an error whose answer was not AWS's (see isForeignServerError). */
export const notImplementedHint = 'the endpoint may not implement this operation'

/**
 * Whether the error is a 5xx answer the SDK could not read as an AWS error (an HTML error page): what an
 * endpoint that does not implement an operation, such as an emulator, answers.
 */
export function isForeignServerError(error: unknown): boolean {
  const err = (error ?? {}) as {message?: unknown; $metadata?: {httpStatusCode?: number}}
  const status = err.$metadata?.httpStatusCode
  return status !== undefined && status >= 500 && typeof err.message === 'string' && /Deserialization error/i.test(err.message)
}

function oneLine(text: string): string {
  return text.replaceAll(/\s+/g, ' ').trim()
}

/** Runs `describe`, or gives undefined when the entity was deleted between listing and describing it. */
export async function unlessDeleted<T>(describe: () => Promise<T>): Promise<T | undefined> {
  try {
    return await describe()
  } catch (error) {
    if (classifyError(error).kind === 'not_found') return undefined
    throw error
  }
}
