import {describe, expect, it} from 'vitest'

import {type ErrorClass, classifyError, isForeignServerError, unlessDeleted} from '../../../src/aws/errors.js'

/** An error shaped like an AWS SDK v3 service exception. */
function sdkError(name: string, message = `${name} happened`, status?: number): Error {
  return Object.assign(new Error(message), {name, $metadata: status === undefined ? {} : {httpStatusCode: status}})
}

describe('classifyError', () => {
  it.each<[string, unknown, ErrorClass, string]>([
    ['AccessDenied (S3, IAM)', sdkError('AccessDenied', 'Access Denied', 403), 'access_denied', 'AccessDenied'],
    ['UnauthorizedOperation (EC2)', sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), 'access_denied', 'UnauthorizedOperation'],
    ['AccessDeniedException (JSON services)', sdkError('AccessDeniedException', 'User is not authorized', 400), 'access_denied', 'AccessDeniedException'],
    ['an unknown code saying "not authorized to perform"', sdkError('SomethingElse', 'User: x is not authorized to perform: lambda:ListFunctions'), 'access_denied', 'SomethingElse'],
    ['a bare HTTP 403', sdkError('UnknownError', 'Forbidden-ish', 403), 'access_denied', 'UnknownError'],
    ['OptInRequired', sdkError('OptInRequired', 'You are not subscribed to this service', 401), 'not_enabled', 'OptInRequired'],
    ['SubscriptionRequiredException', sdkError('SubscriptionRequiredException', 'subscribe first', 400), 'not_enabled', 'SubscriptionRequiredException'],
    ['InvalidClientTokenId.OptInRequired', sdkError('InvalidClientTokenId.OptInRequired'), 'not_enabled', 'InvalidClientTokenId.OptInRequired'],
    ['an opt-in region not enabled (EC2)', sdkError('AuthFailure.RegionNotEnabled', 'region not enabled', 401), 'not_enabled', 'AuthFailure.RegionNotEnabled'],
    ['UnrecognizedClientException (a bad key, JSON services)', sdkError('UnrecognizedClientException', 'The security token included in the request is invalid', 403), 'invalid_credentials', 'UnrecognizedClientException'],
    ['a region-not-supported message', sdkError('BadRequest', 'The operation is not supported in this region'), 'unsupported_region', 'BadRequest'],
    ['UnsupportedOperation', sdkError('UnsupportedOperation'), 'unsupported_region', 'UnsupportedOperation'],
    ['Throttling', sdkError('Throttling', 'Rate exceeded', 400), 'throttled', 'Throttling'],
    ['ThrottlingException', sdkError('ThrottlingException', 'Rate exceeded', 400), 'throttled', 'ThrottlingException'],
    ['RequestLimitExceeded (EC2)', sdkError('RequestLimitExceeded', 'Request limit exceeded.', 503), 'throttled', 'RequestLimitExceeded'],
    ['SlowDown (S3)', sdkError('SlowDown', 'Please reduce your request rate.', 503), 'throttled', 'SlowDown'],
    ['HTTP 429 with an unknown code', sdkError('UnknownError', 'Too Many Requests', 429), 'throttled', 'UnknownError'],
    ['NoSuchEntity (IAM)', sdkError('NoSuchEntity', 'The role cannot be found.', 404), 'not_found', 'NoSuchEntity'],
    ['NoSuchBucket (S3)', sdkError('NoSuchBucket', 'The bucket does not exist', 404), 'not_found', 'NoSuchBucket'],
    ['InvalidVpcID.NotFound (EC2)', sdkError('InvalidVpcID.NotFound', 'The vpc ID does not exist', 400), 'not_found', 'InvalidVpcID.NotFound'],
    ['ResourceNotFoundException', sdkError('ResourceNotFoundException', 'Function not found', 404), 'not_found', 'ResourceNotFoundException'],
    [
      'QueueDoesNotExist (SQS, query-compatible code)',
      Object.assign(sdkError('QueueDoesNotExist', 'The specified queue does not exist.', 400), {Code: 'AWS.SimpleQueueService.NonExistentQueue'}),
      'not_found',
      'AWS.SimpleQueueService.NonExistentQueue',
    ],
    ['QueueDoesNotExist (SQS, by name)', sdkError('QueueDoesNotExist', 'The specified queue does not exist.', 400), 'not_found', 'QueueDoesNotExist'],
    ['DependencyViolation (EC2)', sdkError('DependencyViolation', 'The vpc has dependencies and cannot be deleted.', 400), 'dependency', 'DependencyViolation'],
    ['DeleteConflict (IAM)', sdkError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409), 'dependency', 'DeleteConflict'],
    ['BucketNotEmpty (S3)', sdkError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409), 'dependency', 'BucketNotEmpty'],
    ['InvalidGroup.InUse (EC2)', sdkError('InvalidGroup.InUse', 'Group sg-1 is used by another group', 400), 'dependency', 'InvalidGroup.InUse'],
    ['an unknown code saying the resource is in use', sdkError('InvalidParameterValue', 'Network interface is currently in use', 400), 'dependency', 'InvalidParameterValue'],
    ['a bare HTTP 404', sdkError('UnknownError', 'Not Found', 404), 'not_found', 'UnknownError'],
    ['CredentialsProviderError', sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), 'no_credentials', 'CredentialsProviderError'],
    ['a "could not load credentials" message', new Error('Could not load credentials from any providers'), 'no_credentials', 'Error'],
    ['InvalidClientTokenId', sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403), 'invalid_credentials', 'InvalidClientTokenId'],
    ['ExpiredToken', sdkError('ExpiredToken', 'The security token included in the request is expired', 403), 'invalid_credentials', 'ExpiredToken'],
    ['SignatureDoesNotMatch', sdkError('SignatureDoesNotMatch', 'signature mismatch', 403), 'invalid_credentials', 'SignatureDoesNotMatch'],
    ['AuthFailure (EC2)', sdkError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401), 'invalid_credentials', 'AuthFailure'],
    ['a TimeoutError', sdkError('TimeoutError', 'socket timed out'), 'endpoint_unreachable', 'TimeoutError'],
    ['a generic error', new Error('something odd'), 'error', 'Error'],
    ['an HTTP 500', sdkError('InternalError', 'We encountered an internal error.', 500), 'error', 'InternalError'],
  ])('%s → %s', (_label, error, kind, code) => {
    expect(classifyError(error)).toMatchObject({kind, code})
  })

  it('prefers the S3-style Code field over the name', () => {
    expect(classifyError(Object.assign(new Error('denied'), {name: 'S3ServiceException', Code: 'AccessDenied'}))).toMatchObject({
      kind: 'access_denied',
      code: 'AccessDenied',
    })
  })

  it('says in one clear line that a 5xx HTML page is not an AWS answer (an operation the endpoint lacks)', () => {
    // As the SDK throws them for the emulator's HTML 500 page: a JSON protocol (Access Analyzer) and an XML one (EC2).
    const json = Object.assign(
      new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
      {$metadata: {httpStatusCode: 500, attempts: 5}},
    )
    const xml = Object.assign(
      new Error('@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
      {$metadata: {httpStatusCode: 500}},
    )
    for (const error of [json, xml]) {
      expect(isForeignServerError(error)).toBe(true)
      expect(classifyError(error)).toEqual({kind: 'error', code: 'HTTP500', message: 'HTTP 500 answer that is not an AWS response: the endpoint may not implement this operation'})
    }

    // An AWS error document, a client-side parse failure and a 4xx page keep their own meaning.
    expect(isForeignServerError(sdkError('InternalError', 'We encountered an internal error.', 500))).toBe(false)
    expect(isForeignServerError(Object.assign(new Error('Deserialization error: x'), {$metadata: {httpStatusCode: 200}}))).toBe(false)
    expect(classifyError(Object.assign(new Error('Deserialization error: x'), {$metadata: {httpStatusCode: 404}}))).toMatchObject({kind: 'not_found'})
  })

  it('treats an access denial as a denial even when the status is 400', () => {
    expect(classifyError(sdkError('AccessDeniedException', 'no', 400)).kind).toBe('access_denied')
  })

  it('finds a network failure in the error itself or in its cause', () => {
    const direct = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {code: 'ECONNREFUSED'})
    expect(classifyError(direct)).toMatchObject({kind: 'endpoint_unreachable', code: 'ECONNREFUSED'})
    const wrapped = new Error('fetch failed', {cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {code: 'ECONNREFUSED'})})
    expect(classifyError(wrapped)).toMatchObject({kind: 'endpoint_unreachable', code: 'ECONNREFUSED'})
    const dns = new Error('getaddrinfo failed', {cause: {code: 'ENOTFOUND'}})
    expect(classifyError(dns)).toMatchObject({kind: 'endpoint_unreachable', code: 'ENOTFOUND'})
  })

  it('does not mistake an unrelated cause code for a network failure', () => {
    expect(classifyError(new Error('bad', {cause: {code: 'EINVAL'}})).kind).toBe('error')
  })

  it('keeps the message on one line', () => {
    expect(classifyError(sdkError('InternalError', '  line one\n  line two\t\tend  ')).message).toBe('line one line two end')
  })

  it('copes with values that are not errors', () => {
    expect(classifyError('plain string')).toEqual({kind: 'error', code: 'Error', message: 'plain string'})
    expect(classifyError(undefined)).toMatchObject({kind: 'error', code: 'Error'})
    expect(classifyError(null)).toMatchObject({kind: 'error', code: 'Error'})
    expect(classifyError({})).toMatchObject({kind: 'error', code: 'Error'})
  })
})

describe('unlessDeleted', () => {
  it('returns what the call returns', async () => {
    await expect(unlessDeleted(async () => 42)).resolves.toBe(42)
  })

  it('gives undefined when the entity is gone', async () => {
    await expect(unlessDeleted(async () => Promise.reject(sdkError('NoSuchEntity', 'gone', 404)))).resolves.toBeUndefined()
  })

  it('passes other errors on', async () => {
    await expect(unlessDeleted(async () => Promise.reject(sdkError('AccessDenied', 'no', 403)))).rejects.toThrow('no')
  })
})
