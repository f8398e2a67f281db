import {HOME_REGION_VARIABLE, checkHomeRegion} from '../collect/regions.js'
import {UserError} from '../errors.js'
import {sdkRegion} from './configured-region.js'
import {didYouMean} from '../suggest.js'
import {AwsClients, type ClientOptions, DEFAULT_REQUEST_TIMEOUT_MS} from './clients.js'
import {classifyError} from './errors.js'
import {definedProfiles, sharedFiles} from './profiles.js'

/** Who the credentials belong to. */
export interface CallerIdentity {
  accountId: string
  /** ARN of the user or assumed role in use. */
  arn: string
  userId: string
  partition: string
}

/** Clients plus the region and identity they act with. */
export interface AwsSession {
  clients: AwsClients
  /** The profile's (or AWSINV_REGION / AWS_REGION) region; global services are called there. */
  homeRegion: string
  identity: CallerIdentity
  /** What the user should know about how the session was set up (one line each). */
  notes: string[]
}

/**
 * Resolves the home region, then asks STS who the credentials belong to. Credential and endpoint
 * problems become one-line UserErrors.
 */
export async function openSession(options: ClientOptions): Promise<AwsSession> {
  if (options.endpointUrl !== undefined) checkEndpointUrl(options.endpointUrl)
  const homeRegion = await resolveHomeRegion(options)
  const clients = new AwsClients(options, homeRegion)
  try {
    const identity = await callerIdentity(clients, options)
    return {clients, homeRegion, identity, notes: credentialNotes(options.profile)}
  } catch (error) {
    await clients.destroy()
    throw error
  }
}

/**
 * A profile (--profile, AWSINV_PROFILE or AWS_PROFILE) wins over access keys in the environment (the AWS SDK's
 * choice); the user is told which credentials are in use.
 */
export function credentialNotes(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const named = profile ?? env.AWS_PROFILE
  if (!named || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return []
  const source = profile === undefined ? ' (AWS_PROFILE)' : ''
  return [`profile "${named}"${source} is in use; the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set in the environment are ignored.`]
}

function checkEndpointUrl(value: string): void {
  const protocol = URL.canParse(value) ? new URL(value).protocol : ''
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UserError(`--endpoint-url (or AWS_ENDPOINT_URL) must be an http:// or https:// URL, such as http://localhost:5000; got "${value}".`)
  }
}

/** AWSINV_REGION, else the profile's or AWS_REGION region, else us-east-1; a name that is no region is refused. */
async function resolveHomeRegion(options: ClientOptions): Promise<string> {
  // Set to blanks, it is refused as the region selection refuses it; empty, it is unset.
  const fromEnv = process.env[HOME_REGION_VARIABLE]
  if (fromEnv) return checkHomeRegion(fromEnv, 'variable')
  const region = await sdkRegion(options.profile)
  // No region in the environment or profile: the partition's main region serves the global APIs.
  return region === undefined ? 'us-east-1' : checkHomeRegion(region, 'sdk')
}

/**
 * Why no credentials were found: the profile in use (given, or AWS_PROFILE, which the SDK reads itself) is not
 * defined in the shared files, or defines no credentials; or there is no profile and no other source.
 */
function noCredentialsError(given: string | undefined, env: NodeJS.ProcessEnv = process.env): UserError {
  const profile = given ?? (env.AWS_PROFILE || undefined)
  if (!profile) return new UserError('No AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run "aws sso login", or pass --profile.')
  const named = `"${profile}"${given === undefined ? ' (AWS_PROFILE)' : ''}`
  const profiles = definedProfiles(env)
  if (!profiles.includes(profile)) {
    const {config, credentials} = sharedFiles(env)
    return new UserError(`Profile ${named} is not defined in ${config} or ${credentials}.${didYouMean(profile, profiles)} Defined profiles: ${profiles.join(', ') || 'none'}.`)
  }

  return new UserError(
    `No AWS credentials for profile ${named}: check that ~/.aws/config or ~/.aws/credentials defines it with credentials, or run "aws sso login --profile ${profile}".`,
  )
}

async function callerIdentity(clients: AwsClients, options: ClientOptions): Promise<CallerIdentity> {
  const sts = await clients.get('sts')
  try {
    const out = await sts.getCallerIdentity({})
    const arn = out.Arn ?? ''
    return {accountId: out.Account ?? '', arn, userId: out.UserId ?? '', partition: arn.split(':')[1] || 'aws'}
  } catch (error) {
    const classified = classifyError(error)
    const where = options.endpointUrl ? ` at ${options.endpointUrl}` : ''
    switch (classified.kind) {
      case 'no_credentials': {
        throw noCredentialsError(options.profile)
      }

      case 'invalid_credentials':
      case 'access_denied': {
        throw new UserError(`AWS rejected the credentials${where} (${classified.code}): ${classified.message}`)
      }

      case 'endpoint_unreachable': {
        const seconds = (options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) / 1000
        const waited = ['ETIMEDOUT', 'TimeoutError'].includes(classified.code) ? `: no answer within ${seconds} s, --request-timeout` : ''
        throw new UserError(`Cannot reach the AWS endpoint${where} (${classified.code}${waited}). Check --endpoint-url and your network.`)
      }

      default: {
        throw new UserError(`Could not identify the AWS account${where}: ${classified.code}: ${classified.message}`)
      }
    }
  }
}
