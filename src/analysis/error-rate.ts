// Error-rate evidence: does the candidate fail more often than the current?
//
// The test is conditional on the errors seen: if both revisions fail equally often, each
// error lands on the candidate with probability equal to the candidate's share of the
// requests (its "exposure"). So the question becomes "do more of the errors land on the
// candidate than its share?", a binomial question with no unknown rate left in it, which
// makes the sequential guarantee exact — and it works as well with 0 errors on the
// current: every error on the candidate then counts against it (kayenta#377's blind spot).

import { alternative, logLikelihoodRatio, logRateEvidenceOver, type Trials } from './sequential.js'

/**
 * The lowest error rate the current is credited with: it keeps a candidate whose new
 * errors are rarer than 1 in 10,000 from failing against a perfect current.
 */
export const ERROR_RATE_FLOOR = 0.0001

export interface Counts {
  requests: number
  errors: number
}

/** Both revisions' counts over one stretch of a rollout (a step). */
export interface CountsPair {
  candidate: Counts
  current: Counts
}

export interface RateEvidence {
  /** ln mixture likelihood ratio "the candidate's error odds are R x the current's" vs "equal": fail at ln(1/alpha). */
  evidence: number
  /** ln likelihood ratio of exactly `suspectRatio` x vs equal: above 0 the data lean bad. */
  lean: number
  /** The candidate's share of the requests: where its share of the errors should be. */
  exposure: number
}

/**
 * `earlier`: the rollout's earlier steps. Their errors keep counting (each step with the
 * exposure it had): a 1% candidate that showed three errors at 10% need not start again
 * from nothing at 25%. The evidence is the strongest of the tests begun at each step
 * (this one alone, this one with the previous, and so on), so calm early steps cannot
 * dilute a candidate that turns bad later; that is one test per step, as many as testing
 * each step alone, so the false-alarm bound is the same.
 */
export function errorRateEvidence(
  candidate: Counts,
  current: Counts,
  suspectRatio: number,
  earlier: readonly CountsPair[] = []
): RateEvidence {
  const exposure = candidate.requests / (candidate.requests + current.requests)
  const segments = [...earlier, { candidate, current }].flatMap(trialsOf)
  if (segments.length === 0) return { evidence: 0, lean: 0, exposure }
  const lean = (from: readonly Trials[]) =>
    from.reduce(
      (sum, s) =>
        sum + logLikelihoodRatio(s.events, s.trials, s.p0, alternative(s.p0, suspectRatio, 'odds')),
      0
    )
  return {
    evidence: strongestSince(segments, (from) => logRateEvidenceOver(from, 'odds')),
    lean: strongestSince(segments, lean),
    exposure
  }
}

/** The largest `test` over the segments from each start to the last. */
export function strongestSince<T>(segments: readonly T[], test: (from: readonly T[]) => number) {
  let best = -Infinity
  for (let start = 0; start < segments.length; start++)
    best = Math.max(best, test(segments.slice(start)))
  return best
}

/** One step as the binomial question: how many of its errors landed on the candidate? */
function trialsOf({ candidate, current }: CountsPair): Trials[] {
  if (candidate.requests === 0 || current.requests === 0) return []
  // Credited errors may be fractional; the likelihood ratio does not mind.
  const currentErrors = Math.max(current.errors, ERROR_RATE_FLOOR * current.requests)
  return [
    {
      events: candidate.errors,
      trials: candidate.errors + currentErrors,
      p0: candidate.requests / (candidate.requests + current.requests)
    }
  ]
}
