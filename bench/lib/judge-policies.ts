// The two policies the judge benchmark compares, each driving one simulated rollout:
// our sequential judge, and Flagger's documented rules (absolute thresholds checked once
// per interval, a failed-checks counter that rolls back at `threshold`).

import { judge } from '../../src/analysis/judge.js'
import { serveBatch, syntheticBatch, type Rng, type Scenario, type Served } from './judge-sim.js'

export interface RolloutOutcome {
  outcome: 'promoted' | 'rolled-back'
  /** Our judge only: the rollback came from a final inconclusive (not enough evidence). */
  inconclusive: boolean
  /** Virtual ms from the first step to the decision. */
  decisionMs: number
  /** Requests the candidate served, and how many of them failed. */
  candidateRequests: number
  failedRequests: number
}

export interface Traffic {
  rps: number
  steps: readonly number[]
  batchMs: number
  latencyPerSecond: number
}

/** Synthetic traffic beside the users', drawn from its own stream so users' draws stay the same. */
export interface Synthetic {
  rng: Rng
  /** Requests per second (to each revision for our probes; to the candidate for a load tester). */
  rps: number
}

/** What our judge is given: users' requests (as a data plane's figures), probes, or both. */
export interface OursEvidence {
  userTraffic: boolean
  probes?: Synthetic
}

export interface OursConfig {
  minStepMs: number
  maxStepMs: number
  thresholds: { minSuccessRate: number; maxLatencyP99Ms: number; minRequests: number }
}

export function runOurs(
  r: Rng,
  scenario: Scenario,
  traffic: Traffic,
  config: OursConfig,
  evidence: OursEvidence = { userTraffic: true }
): RolloutOutcome {
  let t = 0
  let candidateRequests = 0
  let failedRequests = 0
  for (const percent of traffic.steps) {
    const stepStart = t
    const candidate = empty()
    const current = empty()
    for (;;) {
      const batch = serveBatch(
        r,
        scenario,
        traffic.rps,
        percent,
        t,
        traffic.batchMs,
        traffic.latencyPerSecond
      )
      if (evidence.userTraffic) {
        add(candidate, batch.candidate)
        add(current, batch.current)
      }
      if (evidence.probes) {
        const p = evidence.probes
        const probed = syntheticBatch(
          p.rng,
          scenario,
          p.rps,
          t,
          traffic.batchMs,
          traffic.latencyPerSecond,
          'both'
        )
        add(candidate, probed.candidate)
        add(current, probed.current)
      }
      // Harm is users' only: a failed probe hurts nobody.
      candidateRequests += batch.candidate.requests
      failedRequests += batch.candidate.errors
      t += traffic.batchMs
      const j = judge({ candidate, current, elapsedMs: t - stepStart, ...config })
      if (!j.final) continue
      if (j.verdict === 'pass') break
      return {
        outcome: 'rolled-back',
        inconclusive: j.verdict === 'inconclusive',
        decisionMs: t,
        candidateRequests,
        failedRequests
      }
    }
  }
  return {
    outcome: 'promoted',
    inconclusive: false,
    decisionMs: t,
    candidateRequests,
    failedRequests
  }
}

export interface FlaggerConfig {
  intervalMs: number
  threshold: number
  /** request-success-rate thresholdRange.min, percent */
  minSuccessRatePercent: number
  /** request-duration thresholdRange.max, ms (p99) */
  maxDurationMs: number
}

export function runFlagger(
  r: Rng,
  scenario: Scenario,
  traffic: Traffic,
  config: FlaggerConfig,
  /** Flagger's load tester (its docs: `hey -z 1m -q 10 -c 2` = 20 req/s to the canary). */
  loadTester?: Synthetic
): RolloutOutcome {
  let t = 0
  let candidateRequests = 0
  let failedRequests = 0
  let failedChecks = 0
  let stepIndex = 0
  for (;;) {
    // One interval at the current weight; the metric window (1m) equals the interval.
    const window = empty()
    for (let elapsed = 0; elapsed < config.intervalMs; elapsed += traffic.batchMs) {
      const batch = serveBatch(
        r,
        scenario,
        traffic.rps,
        traffic.steps[stepIndex],
        t,
        traffic.batchMs,
        traffic.latencyPerSecond
      )
      add(window, batch.candidate)
      if (loadTester) {
        const tested = syntheticBatch(
          loadTester.rng,
          scenario,
          loadTester.rps,
          t,
          traffic.batchMs,
          traffic.latencyPerSecond,
          'candidate'
        )
        add(window, tested.candidate)
      }
      candidateRequests += batch.candidate.requests
      failedRequests += batch.candidate.errors
      t += traffic.batchMs
    }
    if (checkFails(window, config)) {
      failedChecks++ // cumulative for the rollout; it never resets on a passing check
      if (failedChecks >= config.threshold)
        return {
          outcome: 'rolled-back',
          inconclusive: false,
          decisionMs: t,
          candidateRequests,
          failedRequests
        }
    } else if (++stepIndex === traffic.steps.length) {
      return {
        outcome: 'promoted',
        inconclusive: false,
        decisionMs: t,
        candidateRequests,
        failedRequests
      }
    }
  }
}

/** Flagger's built-in checks over the window; "no values found" counts as a failure. */
function checkFails(window: Served, config: FlaggerConfig): boolean {
  if (window.requests === 0) return true
  const successPercent = (100 * (window.requests - window.errors)) / window.requests
  if (successPercent < config.minSuccessRatePercent) return true
  const sorted = Float64Array.from(window.latenciesMs).sort()
  const p99 = sorted.length
    ? sorted[Math.min(sorted.length, Math.ceil(0.99 * sorted.length)) - 1]
    : 0
  return p99 > config.maxDurationMs
}

function empty(): Served {
  return { requests: 0, errors: 0, latenciesMs: [] }
}

function add(into: Served, batch: Served): void {
  into.requests += batch.requests
  into.errors += batch.errors
  for (const v of batch.latenciesMs) into.latenciesMs.push(v)
}
