import {homedir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {expandHome} from '../../src/paths.js'

describe('expandHome', () => {
  it('reads a leading ~ or ~/ as the home directory, as a shell would', () => {
    expect(expandHome('~')).toBe(homedir())
    expect(expandHome('~/.snapshots')).toBe(join(homedir(), '.snapshots'))
    expect(expandHome('~/a/b.csv')).toBe(join(homedir(), 'a', 'b.csv'))
  })

  it('leaves every other path as it is', () => {
    expect(expandHome('/tmp/~/x')).toBe('/tmp/~/x')
    expect(expandHome('~other/x')).toBe('~other/x')
    expect(expandHome('report~1.csv')).toBe('report~1.csv')
    expect(expandHome('./~')).toBe('./~')
  })
})
