// Mann-Whitney U and the Hodges-Lehmann shift: is the candidate's latency distribution
// shifted up against the current's, and by how much? Rank-based, so a few huge outliers
// move neither, and no distribution shape is assumed.

export interface MannWhitney {
  /** Pairs (candidate, current) where the candidate is slower; ties count one half. */
  u: number
  /** Standardised U (tie-corrected normal approximation); positive: candidate slower. */
  z: number
  /** n1·n2 / (n1 + n2): the effective sample size, for the sequential boundary. */
  information: number
}

/** U of `candidate` against `current`, both in ms. Inputs are not modified. */
export function mannWhitney(candidate: readonly number[], current: readonly number[]): MannWhitney {
  const n1 = candidate.length
  const n2 = current.length
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, information: 0 }
  // Merge the two sorted lists; equal values form one tie group with a shared midrank.
  const a = Float64Array.from(candidate).sort()
  const b = Float64Array.from(current).sort()
  let candidateRankSum = 0
  let tieTerm = 0
  let i = 0
  let j = 0
  let rank = 0
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j]
    let fromCandidate = 0
    let fromCurrent = 0
    while (i < n1 && a[i] === v) {
      i++
      fromCandidate++
    }
    while (j < n2 && b[j] === v) {
      j++
      fromCurrent++
    }
    const t = fromCandidate + fromCurrent
    candidateRankSum += fromCandidate * (rank + (t + 1) / 2)
    tieTerm += t * t * t - t
    rank += t
  }
  const n = n1 + n2
  const u = candidateRankSum - (n1 * (n1 + 1)) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  const z = variance > 0 ? (u - (n1 * n2) / 2) / Math.sqrt(variance) : 0
  return { u, z, information: (n1 * n2) / n }
}

/**
 * Hodges-Lehmann estimate of the shift: the median of all differences candidate − current.
 * Found by bisection on the shift with a linear pair count, so it costs O(n log n), not
 * O(n1·n2) memory.
 */
export function hodgesLehmannShift(
  candidate: readonly number[],
  current: readonly number[]
): number {
  if (candidate.length === 0 || current.length === 0) return 0
  const a = Float64Array.from(candidate).sort()
  const b = Float64Array.from(current).sort()
  const pairs = a.length * b.length
  // The median of `pairs` values: the k-th smallest, or the mean of the two middle ones.
  if (pairs % 2 === 1) return kthDifference(a, b, (pairs + 1) / 2)
  return (kthDifference(a, b, pairs / 2) + kthDifference(a, b, pairs / 2 + 1)) / 2
}

/** The k-th smallest (1-based) of a[i] − b[j] over all pairs; a and b ascending. */
function kthDifference(a: Float64Array, b: Float64Array, k: number): number {
  let lo = a[0] - b[b.length - 1]
  let hi = a[a.length - 1] - b[0]
  // Smallest d with countAtMost(d) >= k, to a relative precision of 1e-7.
  for (let i = 0; i < 100 && hi - lo > 1e-7 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2
    if (countAtMost(a, b, mid) >= k) hi = mid
    else lo = mid
  }
  return hi
}

/** How many pairs have a[i] − b[j] <= d. */
function countAtMost(a: Float64Array, b: Float64Array, d: number): number {
  // For each a[i] (ascending), the b[j] >= a[i] − d form a suffix whose start only moves right.
  let count = 0
  let j = 0
  for (const x of a) {
    while (j < b.length && b[j] < x - d) j++
    count += b.length - j
  }
  return count
}

/** Median of a list (mean of the middle two for an even count); 0 when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const s = Float64Array.from(values).sort()
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
