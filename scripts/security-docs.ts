// Rewrites the check catalogue table in docs/security.md from the catalogue itself (what
// `awsinv security checks --format md` prints). test/unit/security/catalogue-docs.test.ts fails until it is run
// after a check is added or changed.  Usage: npx tsx scripts/security-docs.ts
import {readFileSync, writeFileSync} from 'node:fs'

import {renderChecks} from '../src/render/security.js'
import {listChecks} from '../src/security/scan.js'

const path = 'docs/security.md'
const doc = readFileSync(path, 'utf8')
const section = /(<!-- checks:start -->\n)[\s\S]*?(\n<!-- checks:end -->)/
if (!section.test(doc)) throw new Error(`${path} has no <!-- checks:start --> … <!-- checks:end --> section`)
writeFileSync(path, doc.replace(section, (_all, start: string, end: string) => `${start}${renderChecks(listChecks({}), 'md')}${end}`))
console.log(`${path}: ${listChecks({}).checks.length} checks`)
