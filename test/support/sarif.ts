import type AjvDraft04 from 'ajv-draft-04'
import type formatsPlugin from 'ajv-formats'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {expect} from 'vitest'

const require = createRequire(import.meta.url)
// CommonJS modules whose default export the NodeNext typings misread: loaded as Node loads them.
const Ajv = require('ajv-draft-04') as typeof AjvDraft04.default
const addFormats = require('ajv-formats') as typeof formatsPlugin.default

let compiled: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined

/**
 * Asserts `log` is valid against the official SARIF 2.1.0 JSON schema (draft-04), as the SARIF test SDK
 * ships it (no download), with every schema error in the failure message.
 */
export function expectValidSarif(log: unknown): void {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>
    // The schema's `language` pattern (`…{2}]?$`, a stray bracket) is valid only without the `u` flag.
    const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false})
    addFormats(ajv)
    compiled = ajv.compile(schema)
  }

  const valid = compiled(log)
  expect(compiled.errors ?? [], JSON.stringify(compiled.errors, null, 2)).toEqual([])
  expect(valid).toBe(true)
}
