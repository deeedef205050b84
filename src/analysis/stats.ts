// Pure statistics over probe samples, or over any revision's evidence.

import type { RevisionEvidence } from './judge.js'
import type { ProbeSample } from '../rollout/ports.js'

export interface ProbeSummary {
  requests: number
  /** Network errors (status 0) and 5xx answers. */
  errors: number
  /** (requests - errors) / requests; 0 when there were no requests (check `requests` first). */
  successRate: number
  /** Nearest-rank percentiles of latency in ms over all samples (a timeout counts at its full length). */
  p50: number
  p99: number
}

/** A failed request: a network error or timeout (status 0) or a 5xx. */
export function isError(sample: Pick<ProbeSample, 'status'>): boolean {
  return sample.status === 0 || sample.status >= 500
}

export function summarise(samples: readonly ProbeSample[]): ProbeSummary {
  return summariseEvidence(evidenceOf(samples))
}

/** Probe samples as the judge takes them. */
export function evidenceOf(samples: readonly ProbeSample[]): RevisionEvidence {
  return {
    requests: samples.length,
    errors: samples.filter(isError).length,
    latenciesMs: samples.map((s) => s.latencyMs)
  }
}

export function summariseEvidence({
  requests,
  errors,
  latenciesMs
}: RevisionEvidence): ProbeSummary {
  const latencies = Float64Array.from(latenciesMs).sort()
  return {
    requests,
    errors,
    successRate: requests === 0 ? 0 : (requests - errors) / requests,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99)
  }
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p% at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]
}
