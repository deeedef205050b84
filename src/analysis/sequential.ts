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
  return logRateEvidenceOver([{ events, trials, p0 }], scale)
}

/** Bernoulli trials that share one probability under H0. */
export interface Trials {
  events: number
  trials: number
  p0: number
}

/**
 * The same test over several segments (steps of one rollout), each with its own p0: each
 * alternative "R times higher" multiplies the segments' likelihood ratios before the
 * mixture, so evidence from an earlier segment carries into the next one and the whole is
 * still one test martingale (Ville's bound holds for the rollout, not per segment).
 */
export function logRateEvidenceOver(
  segments: readonly Trials[],
  scale: 'rate' | 'odds' = 'rate'
): number {
  const used = segments.filter((s) => s.trials > 0)
  if (used.length === 0) return 0
  const seen = new Set<string>()
  const terms: number[] = []
  for (const ratio of RATIOS) {
    const p1s = used.map((s) => alternative(s.p0, ratio, scale))
    // An alternative no higher than p0 (or certain) tests nothing; equal ones count once.
    if (p1s.some((p1, i) => !(p1 > used[i].p0 && p1 < 1)) || seen.has(p1s.join())) continue
    seen.add(p1s.join())
    terms.push(
      used.reduce((sum, s, i) => sum + logLikelihoodRatio(s.events, s.trials, s.p0, p1s[i]), 0)
    )
  }
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

function logSumExp(xs: readonly number[]): number {
  const max = Math.max(...xs)
  if (max === -Infinity) return -Infinity
  return max + Math.log(xs.reduce((sum, x) => sum + Math.exp(x - max), 0))
}
