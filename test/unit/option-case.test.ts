import {Flags, Parser} from '@oclif/core'
import {describe, expect, it} from 'vitest'

import {canonicalOptionValues} from '../../src/option-case.js'

// Flags as commands declare them: choices, a short name and an alias, next to flags without choices.
const flags = {
  format: Flags.string({char: 'f', options: ['table', 'json', 'csv'], default: 'table'}),
  granularity: Flags.string({aliases: ['grain'], options: ['DAILY', 'MONTHLY'], default: 'DAILY'}),
  name: Flags.string(),
  yes: Flags.boolean(),
}

const parse = async (argv: string[]) => (await Parser.parse(canonicalOptionValues(argv, flags), {flags, strict: false})).flags

describe('canonicalOptionValues', () => {
  it('writes a choice as the flag spells it, in every form of the flag', async () => {
    expect(await parse(['--format', 'JSON', '--granularity', 'monthly'])).toMatchObject({format: 'json', granularity: 'MONTHLY'})
    expect(await parse(['--format=Csv', '--grain=Monthly'])).toMatchObject({format: 'csv', granularity: 'MONTHLY'})
    expect(await parse(['-f', 'JSON'])).toMatchObject({format: 'json'})
    expect(await parse(['-fJSON'])).toMatchObject({format: 'json'})
  })

  it('leaves everything else alone: other flags, values matching no choice, what follows --', () => {
    expect(canonicalOptionValues(['--name', 'JSON', '--yes', 'TABLE'], flags)).toEqual(['--name', 'JSON', '--yes', 'TABLE'])
    expect(canonicalOptionValues(['--format', 'xml'], flags)).toEqual(['--format', 'xml'])
    expect(canonicalOptionValues(['--', '--format', 'JSON'], flags)).toEqual(['--', '--format', 'JSON'])
    expect(canonicalOptionValues(['--format'], flags)).toEqual(['--format'])
  })

  it('still lets oclif refuse a value that is no choice in any case', async () => {
    await expect(parse(['--format', 'XML'])).rejects.toThrow(/Expected --format=XML to be one of: table, json, csv/)
  })
})
