import {describe, expect, it} from 'vitest'

import {checkPurgeRegionChosen} from '../../../src/cleanup/preview.js'
import {UserError} from '../../../src/errors.js'

describe('checkPurgeRegionChosen', () => {
  const none = async () => undefined
  const configured = async () => 'eu-west-1'

  it('refuses a purge without --region when no region is configured, as a usage error', async () => {
    const refusal = await checkPurgeRegionChosen({types: ['AWS::SQS::Queue'], regions: null}, undefined, none).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(UserError)
    expect(refusal).toMatchObject({
      exitCode: 2,
      message:
        "Nothing was planned: no region is configured (AWSINV_REGION, the profile's region or AWS_REGION), and a purge does not pick one for you. Name the regions to purge with --region (e.g. --region us-east-1 --region global), or set AWS_REGION or AWSINV_REGION.",
    })
  })

  it('lets a purge go on with --region, or with a region configured, asking with the profile in use', async () => {
    await expect(checkPurgeRegionChosen({types: null, regions: ['us-east-1']}, undefined, none)).resolves.toBeUndefined()
    await expect(checkPurgeRegionChosen({types: ['AWS::IAM::*'], regions: ['global']}, undefined, none)).resolves.toBeUndefined()
    const asked: Array<string | undefined> = []
    await expect(checkPurgeRegionChosen({types: null, regions: null}, 'sandbox', async (profile) => (asked.push(profile), configured()))).resolves.toBeUndefined()
    expect(asked).toEqual(['sandbox'])
  })
})
