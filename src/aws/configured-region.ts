/**
 * The region the SDK resolves from AWS_REGION or the profile's `region`; undefined when there is none.
 */
export async function sdkRegion(profile: string | undefined): Promise<string | undefined> {
  const {STS} = await import('@aws-sdk/client-sts')
  const probe = new STS(profile ? {profile} : {})
  try {
    return (await probe.config.region()).trim() || undefined
  } catch {
    // The SDK found no region in the environment or the profile.
    return undefined
  } finally {
    probe.destroy()
  }
}

/**
 * The region the user configured: AWSINV_REGION, else the one the SDK resolves (AWS_REGION, the profile's
 * `region`); undefined when there is none. The session's home region then falls back to us-east-1, which
 * serves the global APIs well enough but must never decide, unasked, where awsinv deletes.
 */
export async function configuredRegion(profile: string | undefined): Promise<string | undefined> {
  return process.env.AWSINV_REGION?.trim() || sdkRegion(profile)
}
