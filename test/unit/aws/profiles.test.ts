import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {definedProfiles} from '../../../src/aws/profiles.js'

const dir = mkdtempSync(join(tmpdir(), 'awsinv-profiles-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('definedProfiles', () => {
  it('lists the default and [profile …] sections of the config file and every section of the credentials file', () => {
    const config = join(dir, 'config')
    const credentials = join(dir, 'credentials')
    writeFileSync(config, '[default]\nregion = us-east-1\n\n[profile dev]\nsso_session = corp\n[ profile  prod ]\n[sso-session corp]\nsso_region = us-east-1\n[services local]\n')
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIA\n[dev]\n# [commented]\n')
    expect(definedProfiles({AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials})).toEqual(['ci', 'default', 'dev', 'prod'])
  })

  it('finds none when neither file exists', () => {
    expect(definedProfiles({AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none-either')})).toEqual([])
  })
})
