import {describe, expect, it} from 'vitest'

import SnapshotCreate from '../../../../src/commands/snapshot/create.js'
import {specs} from '../../../../src/resources/registry.js'

describe('snapshot create --help', () => {
  it('names every service of the registry under --resource-types', () => {
    const description = SnapshotCreate.flags['resource-types'].description ?? ''
    const listed = /services \(([^)]+)\)/.exec(description)?.[1]?.split(', ')
    expect(listed).toEqual([...new Set(specs.map((s) => s.service))].sort())
  })
})
