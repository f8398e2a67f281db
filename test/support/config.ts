import {ConfigService, type RecordingGroup} from '@aws-sdk/client-config-service'
import {S3} from '@aws-sdk/client-s3'
import {SNS} from '@aws-sdk/client-sns'

import type {ResponseTransform} from './fault-proxy.js'
import {seedCredentials} from './seed.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const clientConfig = (endpoint: string, region: string) => ({endpoint, region, credentials: seedCredentials, maxAttempts: 2})

/** The recording group of the integration tests: exactly the types the emulator's AWS Config returns data for. */
export const emulatorRecordedTypes = ['AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::SNS::Topic']

/**
 * Sets up AWS Config in a region as an account would: a recorder with `recordingGroup`, a delivery channel
 * to a bucket (created here), and the recorder started unless `start` is false.
 */
export async function setUpRecorder(
  endpoint: string,
  region: string,
  options: {recordingGroup?: RecordingGroup; start?: boolean; bucket?: string; name?: string} = {},
): Promise<void> {
  const config = new ConfigService(clientConfig(endpoint, region))
  const s3 = new S3({...clientConfig(endpoint, region), forcePathStyle: true})
  const name = options.name ?? 'default'
  const bucket = options.bucket ?? `config-delivery-${region}`
  try {
    await s3.createBucket({Bucket: bucket, ...(region === 'us-east-1' ? {} : {CreateBucketConfiguration: {LocationConstraint: region as never}})})
    await config.putConfigurationRecorder({
      ConfigurationRecorder: {
        name,
        roleARN: 'arn:aws:iam::123456789012:role/aws-config-recorder',
        recordingGroup: options.recordingGroup ?? {allSupported: false, resourceTypes: emulatorRecordedTypes as never[]},
      },
    })
    await config.putDeliveryChannel({DeliveryChannel: {name: 'default', s3BucketName: bucket}})
    if (options.start ?? true) await config.startConfigurationRecorder({ConfigurationRecorderName: name})
  } finally {
    config.destroy()
    s3.destroy()
  }
}

/** Starts or stops a region's recorder. */
export async function setRecording(endpoint: string, region: string, recording: boolean, name = 'default'): Promise<void> {
  const config = new ConfigService(clientConfig(endpoint, region))
  try {
    await (recording ? config.startConfigurationRecorder({ConfigurationRecorderName: name}) : config.stopConfigurationRecorder({ConfigurationRecorderName: name}))
  } finally {
    config.destroy()
  }
}

/** Creates an account aggregator over `accounts` × `regions`. */
export async function createAggregator(endpoint: string, region: string, name: string, accounts: string[], regions: string[]): Promise<void> {
  const config = new ConfigService(clientConfig(endpoint, region))
  try {
    await config.putConfigurationAggregator({ConfigurationAggregatorName: name, AccountAggregationSources: [{AccountIds: accounts, AwsRegions: regions}]})
  } finally {
    config.destroy()
  }
}

/** Creates SNS topics `<prefix>-<name>` carrying `tags` (none for an empty map); returns their ARNs. */
export async function seedTopics(endpoint: string, region: string, prefix: string, names: string[], tags: Record<string, string> = {}): Promise<string[]> {
  const sns = new SNS(clientConfig(endpoint, region))
  try {
    const arns: string[] = []
    for (const name of names) {
      const Tags = Object.entries(tags).map(([Key, Value]) => ({Key, Value}))
      const out = await sns.createTopic({Name: `${prefix}-${name}`, ...(Tags.length > 0 ? {Tags} : {})})
      if (!out.TopicArn) throw new Error('CreateTopic returned no ARN')
      arns.push(out.TopicArn)
    }

    return arns
  } finally {
    sns.destroy()
  }
}

// Timestamp members of configuration items, which AWS sends as epoch seconds.
const itemTimestamps = new Set(['configurationItemCaptureTime', 'resourceCreationTime', 'configurationItemDeliveryTime'])

/**
 * moto 5.2 answers BatchGetResourceConfig and BatchGetAggregateResourceConfig with timestamps such as
 * "2026-11-25 02:29:34.713963+00:00" for S3 buckets and IAM roles and policies, where AWS's JSON 1.1 protocol
 * sends epoch seconds; the JavaScript SDK rejects the whole answer. This proxy transform rewrites them to
 * epoch seconds, so the tests exercise awsinv and not the emulator's serialization bug.
 */
export const fixMotoConfigTimestamps: ResponseTransform = (request, body) => {
  if (request.service !== 'config' || !request.target?.includes('BatchGet')) return body
  let changed = false
  const fix = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => fix(v))
    if (!value || typeof value !== 'object') return value
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      if (itemTimestamps.has(key) && typeof v === 'string') {
        // No zone means UTC in moto's output.
        const iso = v.replace(' ', 'T')
        const millis = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`)
        if (!Number.isNaN(millis)) {
          out[key] = millis / 1000
          changed = true
          continue
        }
      }

      out[key] = fix(v)
    }

    return out
  }

  try {
    const fixed = fix(JSON.parse(body.toString('utf8')))
    return changed ? Buffer.from(JSON.stringify(fixed)) : body
  } catch {
    return body
  }
}
