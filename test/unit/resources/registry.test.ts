import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {specOf, specs} from '../../../src/resources/registry.js'

const srcDir = join(import.meta.dirname, '../../../src/resources')

describe('resource registry', () => {
  it('has unique type ids in AWS Config / CloudFormation form', () => {
    const types = specs.map((s) => s.type)
    expect(new Set(types).size).toBe(types.length)
    for (const type of types) expect(type).toMatch(/^(AWS|Account)::\w+::\w+$/)
  })

  it('lists every spec exported from src/resources/<service>/', async () => {
    const registered = new Set<unknown>(specs)
    const files = readdirSync(srcDir, {recursive: true})
      .map(String)
      .filter((f) => f.includes('/') && f.endsWith('.ts'))
    let found = 0
    for (const file of files) {
      const module = (await import(join(srcDir, file))) as Record<string, unknown>
      for (const [name, value] of Object.entries(module)) {
        const looksLikeSpec = typeof value === 'object' && value !== null && 'type' in value && 'list' in value && 'toResource' in value
        if (!looksLikeSpec) continue
        found++
        expect(registered.has(value), `${file} exports ${name}, which registry.ts does not list`).toBe(true)
      }
    }

    expect(found).toBe(specs.length)
  })

  it('declares every dependency target as a registered type', () => {
    for (const spec of specs) {
      for (const target of spec.dependsOn ?? []) expect(specOf(target), `${spec.type} depends on unregistered ${target}`).toBeDefined()
    }
  })

  it('has an acyclic type-level dependency graph (a type may only depend on itself)', () => {
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (type: string, path: string[]): void => {
      if (state.get(type) === 'done') return
      if (state.get(type) === 'visiting') throw new Error(`dependency cycle: ${[...path, type].join(' -> ')}`)
      state.set(type, 'visiting')
      for (const next of specOf(type)?.dependsOn ?? []) if (next !== type) visit(next, [...path, type])
      state.set(type, 'done')
    }

    for (const spec of specs) expect(() => visit(spec.type, [])).not.toThrow()
  })

  it('gives every spec its own test file, a docs link and a service', () => {
    for (const spec of specs) {
      expect(spec.docs, spec.type).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//)
      expect(spec.service).toMatch(/^[a-z0-9]+$/)
    }

    const testRoot = join(import.meta.dirname)
    const testFiles = readdirSync(testRoot, {recursive: true}).map(String)
    const specFiles = readdirSync(srcDir, {recursive: true})
      .map(String)
      .filter((f) => f.includes('/') && f.endsWith('.ts'))
    for (const file of specFiles) {
      expect(testFiles, `missing test for src/resources/${file}`).toContain(file.replace(/\.ts$/, '.test.ts'))
    }

    expect(existsSync(join(testRoot, 'registry.test.ts'))).toBe(true)
  })
})
