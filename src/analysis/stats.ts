// Pure statistics over probe samples.

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

export function isError(sample: ProbeSample): boolean {
  return sample.status === 0 || sample.status >= 500
}

export function summarise(samples: readonly ProbeSample[]): ProbeSummary {
  const requests = samples.length
  const errors = samples.filter(isError).length
  const latencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b)
  return {
    requests,
    errors,
    successRate: requests === 0 ? 0 : (requests - errors) / requests,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99)
  }
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]
}
