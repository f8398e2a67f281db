import {describe, expect, it} from 'vitest'

import {costExplorerServices, costServicesOf} from '../../../src/cost/services.js'
import {specs} from '../../../src/resources/registry.js'

describe('Cost Explorer services of awsinv services', () => {
  it('knows where every registered service is billed (an empty list for a free one)', () => {
    const unmapped = [...new Set(specs.map((s) => s.service))].filter((service) => !Object.hasOwn(costExplorerServices, service))
    expect(unmapped, 'add these services to costExplorerServices in src/cost/services.ts').toEqual([])
  })

  it('maps a service to its Cost Explorer SERVICE values, and anything else to none', () => {
    expect(costServicesOf('lambda')).toEqual(['AWS Lambda'])
    expect(costServicesOf('ec2')).toContain('EC2 - Other')
    expect(costServicesOf('iam')).toEqual([])
    expect(costServicesOf('constructor')).toEqual([])
    expect(costServicesOf('unknown')).toEqual([])
  })
})
