// "Did you mean --steps?": the nearest known name to a mistyped one. Pure.

/**
 * Optimal string alignment distance: Levenshtein's insertions, deletions and substitutions,
 * plus a swap of two neighbours as one edit (`--stpes` is one slip from `--steps`).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/**
 * The closest of `known` to `typed`, or undefined when none is close: within 2 edits (1 for
 * names of up to 4 characters, where 2 edits make another word), or a known name `typed`
 * starts (`--prometheus` for `--prometheus-url`, at least 4 characters), as cobra suggests.
 * Ties go to the first in `known`.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const limit = typed.length <= 4 ? 1 : 2
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(typed, name)
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance }
  }
  if (best) return best.name
  return typed.length >= 4 ? known.find((name) => name.startsWith(typed)) : undefined
}
