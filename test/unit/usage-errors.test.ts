import {Args, Flags, Parser} from '@oclif/core'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {pathFlag} from '../../src/base-command.js'
import {oneLine, usageErrorMessage} from '../../src/usage-errors.js'

// A command's flags and arguments, parsed by oclif's own parser, which throws the errors awsinv rewrites.
const flags = {
  regions: Flags.string({char: 'r', aliases: ['region']}),
  type: Flags.string({char: 't', multiple: true}),
  'save-as': Flags.string({exclusive: ['no-save']}),
  'no-save': Flags.boolean({exclusive: ['save-as']}),
  tag: Flags.string({multiple: true}),
}
const args = {
  before: Args.string({description: 'The earlier snapshot.', required: true}),
  after: Args.string({description: 'ARN of the resource.', required: true}),
}

async function refusal(argv: string[]): Promise<string> {
  try {
    await Parser.parse(argv, {flags, args, strict: true})
  } catch (error) {
    return oneLine(usageErrorMessage(error as Error, {argv, flags, jsonFlag: true}))
  }

  throw new Error(`oclif accepted ${argv.join(' ')}`)
}

describe('usageErrorMessage', () => {
  it('names each missing argument with its description, as a fragment of the sentence', async () => {
    expect(await refusal([])).toBe('Missing 2 required args: before (the earlier snapshot), after (ARN of the resource). See more help with --help.')
    expect(await refusal(['a'])).toBe('Missing 1 required arg: after (ARN of the resource). See more help with --help.')
  })

  it('gives the advice on multiple-value flags only when one of them was used, under any of its names', async () => {
    expect(await refusal(['-t', 'x', 'a'])).toBe(
      'Missing 2 required args: before (the earlier snapshot), after (ARN of the resource). --type takes several values: give arguments before it, or after "--". See more help with --help.',
    )
    expect(await refusal(['a', '--type=x', '--tag', 'k=v'])).toMatch(/ --type and --tag take several values: give arguments before them, or after "--"\. /)
    expect(await refusal(['a', '--regions', 'x'])).not.toMatch(/several values/)
  })

  it('names the flag an unknown one is probably a typo of, --json included', async () => {
    expect(await refusal(['a', 'b', '--regoins', 'x'])).toBe('Nonexistent flag: --regoins (did you mean --regions?). See more help with --help.')
    expect(await refusal(['a', 'b', '--tga=x', '--jsno', '--bogus'])).toBe(
      'Nonexistent flags: --tga=x (did you mean --tag?), --jsno (did you mean --json?), --bogus. See more help with --help.',
    )
  })

  it('says that an argument starting with a dash (SQL opening with a comment) is read as a flag, and how to give it', async () => {
    expect(await refusal(['a', 'b', '-- count\nselect 1'])).toBe(
      '"-- count…" starts with a dash, so it is read as a flag: put -- before it to give it as an argument (-- "-- count…"). See more help with --help.',
    )
    expect(await refusal(['a', 'b', '--  all resources'])).toBe(
      '"--  all resources" starts with a dash, so it is read as a flag: put -- before it to give it as an argument (-- "--  all resources"). See more help with --help.',
    )
  })

  it('names two exclusive flags once, as a pair, without the heading', async () => {
    expect(await refusal(['a', 'b', '--save-as', 'x', '--no-save'])).toBe('--no-save and --save-as cannot be used together. See more help with --help.')
  })

  it('names a flag whose value its own parse refused, on one line: an empty path', async () => {
    const pathFlags = {out: pathFlag({description: 'File to write.'})}
    for (const argv of [['--out', ''], ['--out=  ']]) {
      const error = await Parser.parse(argv, {flags: pathFlags, strict: true}).then(
        () => undefined,
        (error_: unknown) => error_ as Error & {oclif?: {exit?: number}},
      )
      expect(error?.oclif?.exit, argv.join(' ')).toBe(2)
      expect(oneLine(usageErrorMessage(error!, {argv, flags: pathFlags}))).toBe('--out: Expected a path, got an empty value. See more help with --help.')
    }

    expect((await Parser.parse(['--out', '~/plan.json'], {flags: pathFlags})).flags.out).toBe(join(homedir(), 'plan.json'))
  })

  it('names a flag whose value oclif\'s own parse refused in the same way: an integer out of range', async () => {
    const limitFlags = {limit: Flags.integer({min: 1})}
    const error = await Parser.parse(['--limit', '0'], {flags: limitFlags}).then(
      () => undefined,
      (error_: unknown) => error_ as Error,
    )
    expect(oneLine(usageErrorMessage(error!, {argv: ['--limit', '0'], flags: limitFlags}))).toBe(
      '--limit: Expected an integer greater than or equal to 1 but received: 0. See more help with --help.',
    )
  })

  it('keeps any other message as it is', () => {
    expect(usageErrorMessage(new Error('Expected --format=xml to be one of: table, json\nSee more help with --help'), {argv: [], flags})).toBe(
      'Expected --format=xml to be one of: table, json\nSee more help with --help',
    )
  })
})

describe('oneLine', () => {
  it('joins lines as sentences and ends the last with a full stop', () => {
    expect(oneLine('Unexpected argument: 1\nSee more help with --help')).toBe('Unexpected argument: 1. See more help with --help.')
    expect(oneLine('Missing 1 required arg:\nname  Snapshot name.')).toBe('Missing 1 required arg: name  Snapshot name.')
    expect(oneLine('Flag --fail-on expects a value')).toBe('Flag --fail-on expects a value.')
    expect(oneLine('Is it?')).toBe('Is it?')
  })
})
