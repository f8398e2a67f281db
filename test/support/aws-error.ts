/**
 * An error shaped as the AWS SDK v3 throws it: `name` (the error code), the HTTP status in `$metadata`,
 * and for query-compatible services (SQS) the legacy code in `Code`.
 */
export function awsError(name: string, status: number, code?: string): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: status}}, code === undefined ? {} : {Code: code})
}
