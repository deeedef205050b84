// Anytime-valid evidence: statistics that may be looked at after every batch of samples
// without inflating the false-alarm rate. Both are test martingales (or their normal
// approximation): under the null hypothesis the chance that they EVER cross ln(1/alpha)
// is at most alpha (Ville's inequality), however often they are inspected.

/**
 * Rate multipliers the binomial mixture bets on, with equal weight. A spread of
 * alternatives means a mildly worse rate and a catastrophically worse one are both caught
 * without knowing in advance which one is coming; the price is ln(count) of evidence.
 */
const RATIOS = [2, 3, 5, 10, 30, 100, 300]
/** The largest alternative rate: ln(1 - p1) must stay finite. */
const MAX_ALTERNATIVE = 0.95

/**
 * ln of a mixture likelihood ratio for `events` among `trials` Bernoulli trials:
 * H0 "the probability is at most p0" against H1 "it is R times higher" (averaged over
 * RATIOS). With `odds`, R multiplies the odds p/(1−p) instead, which keeps every
 * alternative below 1 when p0 is large (a share such as 50%).
 * Large values say the probability is above p0; fail when it reaches ln(1/alpha).
 */
export function logRateEvidence(
  events: number,
  trials: number,
  p0: number,
  scale: 'rate' | 'odds' = 'rate'
): number {
  const terms = alternatives(p0, scale).map((p1) => logLikelihoodRatio(events, trials, p0, p1))
  if (terms.length === 0) return 0
  return logSumExp(terms) - Math.log(terms.length)
}

/** The alternative for one ratio R: R·p0 (capped), or p0's odds times R. */
export function alternative(p0: number, ratio: number, scale: 'rate' | 'odds'): number {
  if (scale === 'odds') return (ratio * p0) / (ratio * p0 + 1 - p0)
  return Math.min(ratio * p0, MAX_ALTERNATIVE)
}

/** ln LR of one simple alternative p1 against p0: positive favours p1. */
export function logLikelihoodRatio(events: number, trials: number, p0: number, p1: number): number {
  const successes = trials - events
  return events * Math.log(p1 / p0) + successes * Math.log((1 - p1) / (1 - p0))
}

/**
 * Robbins' normal-mixture boundary for a standardised statistic z after `information`
 * units of information (about the effective sample size): crossing it at any time has
 * probability at most alpha under the null, for an approximately Gaussian process.
 * `rho` sets where the boundary is tightest (around information ≈ rho).
 */
export function normalMixtureBoundary(information: number, alpha: number, rho = 25): number {
  if (information <= 0) return Infinity
  const t = information
  return Math.sqrt((1 + rho / t) * (2 * Math.log(1 / alpha) + Math.log(1 + t / rho)))
}

function alternatives(p0: number, scale: 'rate' | 'odds'): number[] {
  const out: number[] = []
  for (const r of RATIOS) {
    const p1 = alternative(p0, r, scale)
    if (p1 > p0 && p1 < 1 && !out.includes(p1)) out.push(p1)
  }
  return out
}

function logSumExp(xs: readonly number[]): number {
  const max = Math.max(...xs)
  if (max === -Infinity) return -Infinity
  return max + Math.log(xs.reduce((sum, x) => sum + Math.exp(x - max), 0))
}
