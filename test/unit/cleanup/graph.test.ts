import {describe, expect, it} from 'vitest'

import {buildAdjacency, findCycles, layerNodes, predecessorsOf} from '../../../src/cleanup/graph.js'

describe('buildAdjacency', () => {
  it('keeps every node, drops self-edges and edges to unknown nodes', () => {
    const adjacency = buildAdjacency(['a', 'b', 'c'], [['a', 'b'], ['a', 'a'], ['b', 'z'], ['z', 'a'], ['a', 'b']])
    expect(adjacency).toEqual(new Map([['a', new Set(['b'])], ['b', new Set()], ['c', new Set()]]))
  })
})

describe('findCycles', () => {
  it('finds none in an acyclic graph', () => {
    expect(findCycles(buildAdjacency(['a', 'b', 'c'], [['a', 'b'], ['b', 'c'], ['a', 'c']]))).toEqual([])
  })

  it('finds every cycle as a sorted component, in sorted order, whatever order the graph was built in', () => {
    const edges: Array<[string, string]> = [['y', 'x'], ['x', 'y'], ['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['d', 'y']]
    const expected = [['a', 'b', 'c'], ['x', 'y']]
    expect(findCycles(buildAdjacency(['a', 'b', 'c', 'd', 'x', 'y'], edges))).toEqual(expected)
    expect(findCycles(buildAdjacency(['y', 'x', 'd', 'c', 'b', 'a'], [...edges].reverse()))).toEqual(expected)
  })

  it('handles long chains without deep recursion', () => {
    const nodes = Array.from({length: 50_000}, (_, i) => `n${String(i).padStart(6, '0')}`)
    const edges = nodes.slice(1).map((n, i) => [nodes[i]!, n] as [string, string])
    expect(findCycles(buildAdjacency(nodes, edges))).toEqual([])
    expect(findCycles(buildAdjacency(nodes, [...edges, [nodes.at(-1)!, nodes[0]!]]))[0]).toHaveLength(nodes.length)
  })
})

describe('layerNodes', () => {
  it('puts every node one level above its highest predecessor', () => {
    // a → b → d, a → c → d, c → e: d waits for b and c.
    const adjacency = buildAdjacency(['a', 'b', 'c', 'd', 'e', 'f'], [['a', 'b'], ['b', 'd'], ['a', 'c'], ['c', 'd'], ['c', 'e']])
    expect(layerNodes(adjacency)).toEqual(new Map([['a', 0], ['f', 0], ['b', 1], ['c', 1], ['d', 2], ['e', 2]]))
  })

  it('uses the longest path, not the shortest', () => {
    const adjacency = buildAdjacency(['a', 'b', 'c', 'd'], [['a', 'd'], ['a', 'b'], ['b', 'c'], ['c', 'd']])
    expect(layerNodes(adjacency).get('d')).toBe(3)
  })

  it('refuses a cycle', () => {
    expect(() => layerNodes(buildAdjacency(['a', 'b', 'c'], [['a', 'b'], ['b', 'a'], ['c', 'a']]))).toThrow('layerNodes: the graph has a cycle')
  })
})

describe('predecessorsOf', () => {
  it('reverses the edges, sorted', () => {
    const adjacency = buildAdjacency(['a', 'b', 'c'], [['c', 'b'], ['a', 'b']])
    expect(predecessorsOf(adjacency)).toEqual(new Map([['a', []], ['b', ['a', 'c']], ['c', []]]))
  })
})
