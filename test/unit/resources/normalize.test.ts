import {describe, expect, it} from 'vitest'

import {orderSets} from '../../../src/resources/normalize.js'

describe('orderSets', () => {
  it('orders set-like arrays by their identity, at top level, nested, and for scalars', () => {
    const configuration = {
      Tags: [
        {Key: 'b', Value: '2'},
        {Key: 'a', Value: '1'},
      ],
      Names: ['y', 'x'],
      Rules: [{Ranges: [{Cidr: '10.0.0.0/8', Port: 2}, {Cidr: '10.0.0.0/8', Port: 1}]}],
      Other: ['z', 'a'],
    }
    const ordered = orderSets(configuration, {Tags: 'Key', Names: '.', 'Rules.*.Ranges': ['Cidr', 'Port']})
    expect(ordered).toEqual({
      Tags: [
        {Key: 'a', Value: '1'},
        {Key: 'b', Value: '2'},
      ],
      Names: ['x', 'y'],
      Rules: [{Ranges: [{Cidr: '10.0.0.0/8', Port: 1}, {Cidr: '10.0.0.0/8', Port: 2}]}],
      // Arrays that are not sets keep their order.
      Other: ['z', 'a'],
    })
    // The input is left as it was.
    expect(configuration.Tags[0]?.Key).toBe('b')
    expect(orderSets({}, {Tags: 'Key'})).toEqual({})
  })
})
