import {describe, expect, it} from 'vitest'

import {parseRulesText} from '../../src/cleanup/rules.js'
import {parseIgnoreRules} from '../../src/diff/ignore.js'
import {UserError} from '../../src/errors.js'
import {parseYamlText, yamlSources} from '../../src/yaml-text.js'

describe('parseYamlText', () => {
  it('gives plain data, an alias used twice included', () => {
    expect(parseYamlText('a: &tag {key: keep}\nb: *tag\n', 'x.yaml')).toEqual({a: {key: 'keep'}, b: {key: 'keep'}})
    expect(parseYamlText('', 'x.yaml')).toBeNull()
  })

  it('refuses text that is not YAML, and a value containing itself, naming the file', () => {
    expect(() => parseYamlText('a: [1, 2\n', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML: /)
    const cyclic = new UserError('x.yaml: a value contains itself through an alias (such as &a [*a]): write it out instead.')
    expect(() => parseYamlText('&a [*a]\n', 'x.yaml')).toThrow(cyclic)
    expect(() => parseYamlText('protection: &p\n  tags: [*p]\n', 'x.yaml')).toThrow(cyclic)
  })

  it('refuses more than one document, and a tag that resolves to nothing, in one line instead of a warning', () => {
    expect(() => parseYamlText('max_deletions: 5\n---\nmax_deletions: 6\n', 'x.yaml')).toThrow(new UserError('x.yaml: holds 2 YAML documents (separated by ---): write the settings as one.'))
    expect(() => parseYamlText('max_deletions: 5\n---\n', 'x.yaml')).toThrow(/^x\.yaml: holds 2 YAML documents/)
    expect(() => parseYamlText('max_deletions: !!float 5\n', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML: Unresolved tag: tag:yaml\.org,2002:float at line 1, column 16$/)
    expect(parseYamlText('---\nmax_deletions: 5\n', 'x.yaml')).toEqual({max_deletions: 5})
  })

  it('is how rules and ignore files are read', () => {
    expect(() => parseRulesText('&a [*a]\n', '.awsinv-cleanup.yaml')).toThrow(new UserError('.awsinv-cleanup.yaml: a value contains itself through an alias (such as &a [*a]): write it out instead.'))
    expect(() => parseIgnoreRules('ignore: &a [*a]\n', '.awsinv-ignore.yaml')).toThrow(/^\.awsinv-ignore\.yaml: a value contains itself through an alias/)
  })
})

describe('yamlSources', () => {
  it('gives the text of a scalar as written, through aliases', () => {
    const {sourceAt} = yamlSources('a: [1e2, 012345678901, "7", 0x10]\nb: &n 2.0\nc: *n\nd: &l {e: [+5]}\nf: *l\n')
    expect([0, 1, 2, 3].map((i) => sourceAt(['a', i]))).toEqual(['1e2', '012345678901', '7', '0x10'])
    expect(sourceAt(['b'])).toBe('2.0')
    expect(sourceAt(['c'])).toBe('2.0')
    expect(sourceAt(['f', 'e', 0])).toBe('+5')
  })

  it('gives undefined where there is no scalar', () => {
    const {sourceAt} = yamlSources('a: [1]\nb: {c: 1}\n')
    expect(sourceAt(['a'])).toBeUndefined()
    expect(sourceAt(['a', 1])).toBeUndefined()
    expect(sourceAt(['b', 'x'])).toBeUndefined()
    expect(sourceAt(['a', 0, 'deeper'])).toBeUndefined()
    expect(yamlSources('').sourceAt(['a'])).toBeUndefined()
  })
})
