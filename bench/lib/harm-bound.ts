// Lower bounds on the harm any judge does to users before it rolls a bad candidate back:
// what no test can beat, whatever its rules, at a given false-alarm rate. The Flagger grid
// report (flagger-grid-report.ts) uses them to tell a target the judge misses from a
// target no test could meet. The derivation is in docs/judge.md, "How fast a test can be".
//
// Wald's bound: a sequential test that decides between H0 and H1 with false alarms ≤ alpha
// (under H0) and misses ≤ beta (under H1) gathers, on average under H1, at least
// d(1−beta ‖ alpha) nats of log-likelihood ratio before it decides (d: binary KL). Each
// request carries KL(H1 ‖ H0) nats on average, and each harms users with some probability,
// so the harm until the decision is at least (harm per nat) × d(1−beta ‖ alpha). A
// missed (promoted) bad candidate costs the hour after promotion instead, so the bound on
// the harm until rollback is the least, over beta, of the two together.
//
// Two nulls, both candidates the judge must not fail:
// - oracle: a healthy candidate, failing exactly as often as the current's known rate. Any
//   test at all, even one told the healthy rate in advance, obeys this bound.
// - relative: both revisions failing at one common rate, whatever it is (the least
//   informative one, the requests' average). A judge that compares against the current,
//   and so must leave alone a candidate failing exactly as often as it (the current fails
//   as badly), obeys this bound too; it is the larger of the two.

/** KL(Bernoulli(p) ‖ Bernoulli(q)) in nats. */
export function binaryKl(p: number, q: number): number {
  const term = (a: number, b: number) => (a === 0 ? 0 : a * Math.log(a / b))
  return term(p, q) + term(1 - p, 1 - q)
}

/** d(1−beta ‖ alpha): the least mean log-likelihood ratio at a decision with these error rates. */
export function decisionEvidence(alpha: number, beta: number): number {
  return binaryKl(1 - beta, alpha)
}

export interface BoundInput {
  /** The bad candidate's error rate (constant). */
  badRate: number
  /** The current's error rate, which a healthy candidate shares. */
  currentRate: number
  /** Users' requests per second, split between the revisions by the step's share. */
  rps: number
  /** The candidate's share of the users at each step (0 to 1). */
  shares: readonly number[]
  /** Synthetic requests per second to each revision, failing as users' do (0: none). */
  probeRps: number
  /** False alarms allowed under the null. */
  alpha: number
  /** The harm of promoting the bad candidate (the hour until someone rolls it back). */
  missHarm: number
}

export type Null = 'oracle' | 'relative'

/**
 * The least harm per nat of evidence over the steps: users' failed requests on the
 * candidate per second ÷ the KL the step's requests carry per second. The smallest over
 * the steps bounds every rollout, whichever step it decides at.
 */
export function harmPerNat(input: BoundInput, against: Null): number {
  const { badRate: p1, currentRate: p0, rps, probeRps } = input
  let least = Infinity
  for (const share of input.shares) {
    const candidate = rps * share + probeRps
    const current = rps * (1 - share) + probeRps
    const harm = rps * share * p1
    let kl: number
    if (against === 'oracle') kl = candidate * binaryKl(p1, p0)
    else {
      // The common rate closest to the data (in KL) is the requests' average rate.
      const q = (candidate * p1 + current * p0) / (candidate + current)
      kl = candidate * binaryKl(p1, q) + current * binaryKl(p0, q)
    }
    if (kl > 0) least = Math.min(least, harm / kl)
  }
  return least
}

/** The least mean harm until rollback any test with false alarms ≤ alpha can have. */
export function harmLowerBound(input: BoundInput, against: Null): number {
  const perNat = harmPerNat(input, against)
  if (!Number.isFinite(perNat)) return input.missHarm
  let least = Infinity
  // Misses trade evidence for an hour of harm each; beta on a fine grid (the sum is convex).
  for (let i = 0; i <= 1000; i++) {
    const beta = i / 1000
    const harm = perNat * decisionEvidence(input.alpha, beta) + beta * input.missHarm
    least = Math.min(least, harm)
  }
  return least
}

/** The least mean time (s) to a decision at the first step's share, missing nothing. */
export function decisionSecondsLowerBound(input: BoundInput, against: Null): number {
  const first = { ...input, shares: input.shares.slice(0, 1) }
  const perNat = harmPerNat(first, against)
  const harmPerSecond = input.rps * input.shares[0] * input.badRate
  return (perNat * decisionEvidence(input.alpha, 0)) / harmPerSecond
}
