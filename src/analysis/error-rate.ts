// Error-rate evidence: does the candidate fail more often than the current?
//
// The test is conditional on the errors seen: if both revisions fail equally often, each
// error lands on the candidate with probability equal to the candidate's share of the
// requests (its "exposure"). So the question becomes "do more of the errors land on the
// candidate than its share?", a binomial question with no unknown rate left in it, which
// makes the sequential guarantee exact — and it works as well with 0 errors on the
// current: every error on the candidate then counts against it (kayenta#377's blind spot).

import { alternative, logLikelihoodRatio, logRateEvidence } from './sequential.js'

/**
 * The lowest error rate the current is credited with: it keeps a candidate whose new
 * errors are rarer than 1 in 10,000 from failing against a perfect current.
 */
export const ERROR_RATE_FLOOR = 0.0001

export interface Counts {
  requests: number
  errors: number
}

export interface RateEvidence {
  /** ln mixture likelihood ratio "the candidate's error odds are R x the current's" vs "equal": fail at ln(1/alpha). */
  evidence: number
  /** ln likelihood ratio of exactly `suspectRatio` x vs equal: above 0 the data lean bad. */
  lean: number
  /** The candidate's share of the requests: where its share of the errors should be. */
  exposure: number
}

export function errorRateEvidence(
  candidate: Counts,
  current: Counts,
  suspectRatio: number
): RateEvidence {
  const exposure = candidate.requests / (candidate.requests + current.requests)
  if (candidate.requests === 0 || current.requests === 0) return { evidence: 0, lean: 0, exposure }
  // Credited errors may be fractional; the likelihood ratio does not mind.
  const currentErrors = Math.max(current.errors, ERROR_RATE_FLOOR * current.requests)
  const errors = candidate.errors + currentErrors
  return {
    evidence: logRateEvidence(candidate.errors, errors, exposure, 'odds'),
    lean: logLikelihoodRatio(
      candidate.errors,
      errors,
      exposure,
      alternative(exposure, suspectRatio, 'odds')
    ),
    exposure
  }
}
