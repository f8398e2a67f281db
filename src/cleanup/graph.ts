/**
 * Small graph algorithms over string-keyed nodes, for deletion ordering. An edge `from → to` means
 * "`from` must be finished before `to` starts". Results are deterministic: nodes are visited in sorted
 * order, so the same graph always gives the same answer whatever order it was built in.
 */

/** Successors of every node (every node is a key, possibly with no successors). */
export type Adjacency = ReadonlyMap<string, ReadonlySet<string>>

/** An adjacency map over `nodes` from `[from, to]` pairs; edges naming other nodes or a node itself are dropped. */
export function buildAdjacency(nodes: Iterable<string>, edges: Iterable<readonly [string, string]>): Map<string, Set<string>> {
  const adjacency = new Map<string, Set<string>>()
  for (const node of nodes) adjacency.set(node, new Set())
  for (const [from, to] of edges) if (from !== to && adjacency.has(to)) adjacency.get(from)?.add(to)
  return adjacency
}

/**
 * The strongly connected components with more than one node — the cycles — each sorted, in sorted order.
 * Tarjan's algorithm, iterative so that long chains cannot overflow the stack.
 */
export function findCycles(adjacency: Adjacency): string[][] {
  const indexOf = new Map<string, number>()
  const lowLink = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const cycles: string[][] = []
  let counter = 0
  const successors = (node: string) => [...(adjacency.get(node) ?? [])].sort()

  for (const root of [...adjacency.keys()].sort()) {
    if (indexOf.has(root)) continue
    const work: Array<{node: string; next: string[]; at: number}> = []
    const open = (node: string) => {
      indexOf.set(node, counter)
      lowLink.set(node, counter)
      counter++
      stack.push(node)
      onStack.add(node)
      work.push({node, next: successors(node), at: 0})
    }

    open(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      if (frame.at < frame.next.length) {
        const next = frame.next[frame.at++]!
        if (!indexOf.has(next)) open(next)
        else if (onStack.has(next)) lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, indexOf.get(next)!))
        continue
      }

      work.pop()
      const parent = work[work.length - 1]
      if (parent) lowLink.set(parent.node, Math.min(lowLink.get(parent.node)!, lowLink.get(frame.node)!))
      if (lowLink.get(frame.node) !== indexOf.get(frame.node)) continue
      const component: string[] = []
      let member: string | undefined
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== frame.node)
      if (component.length > 1) cycles.push(component.sort())
    }
  }

  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))
}

/**
 * Topological levels of an acyclic graph: a node with no predecessor is at level 0, every other one level
 * above its highest predecessor (so everything a node waits for is at a lower level). Throws on a cycle.
 */
export function layerNodes(adjacency: Adjacency): Map<string, number> {
  const inDegree = new Map<string, number>()
  for (const node of adjacency.keys()) inDegree.set(node, 0)
  for (const targets of adjacency.values()) for (const to of targets) inDegree.set(to, (inDegree.get(to) ?? 0) + 1)

  const level = new Map<string, number>()
  let ready = [...inDegree].filter(([, degree]) => degree === 0).map(([node]) => node)
  for (const node of ready) level.set(node, 0)
  while (ready.length > 0) {
    const next: string[] = []
    for (const node of ready) {
      for (const to of adjacency.get(node) ?? []) {
        level.set(to, Math.max(level.get(to) ?? 0, level.get(node)! + 1))
        const remaining = inDegree.get(to)! - 1
        inDegree.set(to, remaining)
        if (remaining === 0) next.push(to)
      }
    }

    ready = next
  }

  if (level.size !== adjacency.size || [...inDegree.values()].some((d) => d > 0)) throw new Error('layerNodes: the graph has a cycle')
  return level
}

/** Predecessors of every node (the reverse adjacency), each list sorted. */
export function predecessorsOf(adjacency: Adjacency): Map<string, string[]> {
  const predecessors = new Map<string, string[]>()
  for (const node of adjacency.keys()) predecessors.set(node, [])
  for (const [from, targets] of adjacency) for (const to of targets) predecessors.get(to)?.push(from)
  for (const list of predecessors.values()) list.sort()
  return predecessors
}
