import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {renderChecks} from '../../../src/render/security.js'
import {checks} from '../../../src/security/catalogue.js'
import {listChecks} from '../../../src/security/scan.js'
import {repoRoot} from '../../support/emulator.js'

describe('docs/security.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'security.md'), 'utf8')

  it('lists every check of the catalogue, exactly as `security checks --format md` prints it (regenerate: npx tsx scripts/security-docs.ts)', () => {
    const section = /<!-- checks:start -->\n([\s\S]*?)\n<!-- checks:end -->/.exec(doc)?.[1]
    expect(section).toBe(renderChecks(listChecks({}), 'md'))
    for (const check of checks) expect(doc).toContain(`| ${check.id} | ${check.title} | ${check.severity} |`)
  })
})
