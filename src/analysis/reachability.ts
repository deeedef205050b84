// Probes that reach nothing say nothing about the candidate: a runner that cannot resolve
// `current-<svc>.<ns>.<domain>` sees 0% success on both revisions. Two pure rules: one for the
// check before the candidate exists (setup error, no writes), one for a step (inconclusive).

import { escapeUntrusted } from '../report/untrusted.js'
import { isError } from './stats.js'

/** One probe answer; status 0 is a network error or timeout (src/analysis/prober.ts). */
export interface ReachSample {
  status: number
  /** The network error's code or message when status is 0, e.g. ENOTFOUND. */
  error?: string
}

export type Reachability =
  { reachable: true } | { reachable: false; message: string; networkErrors: number }

/** Network errors among samples (status 0): counted and shown per step. */
export function countNetworkErrors(samples: readonly ReachSample[]): number {
  return samples.filter((s) => s.status === 0).length
}

/**
 * Before creating the candidate: the current revision's tag URL must answer at least once
 * with an HTTP status below 500. Otherwise a setup error naming the URL, the network
 * error and the likely fix.
 */
export function judgeReachability(url: string, samples: readonly ReachSample[]): Reachability {
  if (samples.some((s) => s.status > 0 && s.status < 500)) return { reachable: true }
  const networkErrors = countNetworkErrors(samples)
  const firstError = samples.find((s) => s.status === 0)?.error
  const what =
    samples.length === 0
      ? 'no probe was sent'
      : networkErrors === samples.length
        ? `every request failed on the network (${escapeUntrusted(firstError ?? 'no answer', 200)})`
        : `every answer failed (${samples.find((s) => s.status >= 500)?.status ?? 0})`
  return {
    reachable: false,
    networkErrors,
    message:
      `the current revision is not reachable at ${escapeUntrusted(url, 300)}: ${what}. ` +
      'This is a setup problem, not the candidate: set ingress-address to the ingress ' +
      "gateway's address, check the Knative domain, or check that the runner's network " +
      'can reach the cluster. Nothing was changed.'
  }
}

/** Failure rate of a set of samples (network errors and 5xx), NaN when empty. */
function failureRate(samples: readonly ReachSample[]): number {
  if (samples.length === 0) return Number.NaN
  return samples.filter(isError).length / samples.length
}

/**
 * During a step: when the current fails at least as badly as the candidate and most of its
 * requests fail, the evidence cannot be held against the candidate; the judge's fail is
 * replaced by inconclusive with this reason. Undefined when the rule does not apply.
 */
export function currentAsBadReason(
  current: readonly ReachSample[],
  candidate: readonly ReachSample[],
  threshold = 0.5
): string | undefined {
  const cur = failureRate(current)
  const cand = failureRate(candidate)
  if (!(cur >= threshold) || !(cur >= cand)) return undefined
  return (
    `the current revision fails as badly as the candidate (${(cur * 100).toFixed(1)}% against ` +
    `${(cand * 100).toFixed(1)}%, ${countNetworkErrors(current) + countNetworkErrors(candidate)} ` +
    'network errors): not evidence against the candidate'
  )
}
