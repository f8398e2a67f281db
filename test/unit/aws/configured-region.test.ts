import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {configuredRegion} from '../../../src/aws/configured-region.js'

describe('configuredRegion', () => {
  let dir: string

  beforeEach(() => {
    // A fresh directory per test: the SDK caches the shared files it read by path.
    dir = mkdtempSync(join(tmpdir(), 'awsinv-region-'))
    for (const key of ['AWSINV_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) vi.stubEnv(key, undefined)
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'))
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'))
  })

  afterEach(() => {
    vi.unstubAllEnvs()
    rmSync(dir, {recursive: true, force: true})
  })

  it('is AWSINV_REGION, else AWS_REGION, else the profile’s region', async () => {
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-3\n[profile sandbox]\nregion = ap-south-1\n')
    expect(await configuredRegion(undefined)).toBe('eu-west-3')
    expect(await configuredRegion('sandbox')).toBe('ap-south-1')
    vi.stubEnv('AWS_REGION', 'us-west-2')
    expect(await configuredRegion('sandbox')).toBe('us-west-2')
    vi.stubEnv('AWSINV_REGION', ' eu-central-1 ')
    expect(await configuredRegion('sandbox')).toBe('eu-central-1')
  })

  it('is undefined when no region is set anywhere, where the home region would be us-east-1 by default', async () => {
    expect(await configuredRegion(undefined)).toBeUndefined()
    writeFileSync(join(dir, 'config'), '[profile sandbox]\nregion = ap-south-1\n')
    expect(await configuredRegion(undefined)).toBeUndefined()
    vi.stubEnv('AWSINV_REGION', '  ')
    expect(await configuredRegion(undefined)).toBeUndefined()
  })
})
