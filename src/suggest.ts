/** Levenshtein distance, with a transposition of neighbours counted as one edit (`craete` is one from `create`). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = best
    }
  }

  return rows[a.length]![b.length]!
}

/** How many edits still make a typo of `word`: one for a word of up to five letters, a third of its letters beyond. */
export function typoAllowance(word: string): number {
  return Math.max(1, Math.floor(word.length / 3))
}

/** The candidates `word` could be a typo of, closest first (then alphabetically). */
export function closestWords(word: string, candidates: Iterable<string>, limit = 3): string[] {
  return [...new Set(candidates)]
    .map((candidate) => ({candidate, distance: editDistance(word, candidate)}))
    .filter(({candidate, distance}) => distance > 0 && distance <= typoAllowance(candidate))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({candidate}) => candidate)
}

/**
 * ` Did you mean "X"?` (with its leading space) for the candidate `word` is probably a typo of, else ''. A
 * candidate that differs only in case comes first. With `ignoreCase`, words are compared in lower case and
 * the candidate is named as written.
 */
export function didYouMean(word: string, candidates: Iterable<string>, options: {ignoreCase?: boolean} = {}): string {
  const list = [...candidates]
  // A name that differs only in case is the likeliest of all (snapshot "Baseline" for "baseline").
  const otherCase = list.find((candidate) => candidate !== word && candidate.toLowerCase() === word.toLowerCase())
  if (otherCase !== undefined) return ` Did you mean "${otherCase}"?`
  const written = new Map(list.map((candidate) => [options.ignoreCase ? candidate.toLowerCase() : candidate, candidate]))
  const [meant] = closestWords(options.ignoreCase ? word.toLowerCase() : word, written.keys(), 1)
  return meant === undefined ? '' : ` Did you mean "${written.get(meant)}"?`
}
