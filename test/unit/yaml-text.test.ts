import {describe, expect, it} from 'vitest'

import {parseRulesText} from '../../src/cleanup/rules.js'
import {parseIgnoreRules} from '../../src/diff/ignore.js'
import {UserError} from '../../src/errors.js'
import {parseYamlText} from '../../src/yaml-text.js'

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

  it('is how rules and ignore files are read', () => {
    expect(() => parseRulesText('&a [*a]\n', '.awsinv-cleanup.yaml')).toThrow(new UserError('.awsinv-cleanup.yaml: a value contains itself through an alias (such as &a [*a]): write it out instead.'))
    expect(() => parseIgnoreRules('ignore: &a [*a]\n', '.awsinv-ignore.yaml')).toThrow(/^\.awsinv-ignore\.yaml: a value contains itself through an alias/)
  })
})
