// The two policies the judge benchmarks compare, each driving one simulated rollout:
// our sequential judge, and Flagger's documented rules (docs/judge.md, "Flagger's rules as
// modelled": absolute thresholds checked once per interval over a metric window, a
// failed-checks counter that rolls back at `threshold`).

import { chooseEvidence, type Evidence } from '../../src/analysis/choose-evidence.js'
import type { Counts, CountsPair } from '../../src/analysis/error-rate.js'
import { judge } from '../../src/analysis/judge.js'
import {
  serveBatch,
  syntheticBatch,
  type Batch,
  type Rng,
  type Scenario,
  type Served
} from './judge-sim.js'

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
  /** How old Prometheus' figures are (its scrape interval); both policies read them. */
  scrapeLagMs?: number
}

/** Synthetic traffic beside the users', drawn from its own stream so users' draws stay the same. */
export interface Synthetic {
  rng: Rng
  /** Requests per second (to each revision for our probes; to the candidate for a load tester). */
  rps: number
}

/**
 * What our judge is given, as the action gets it: with `userTraffic`, the data plane's
 * per-revision counts (users' requests, and the probes' too), `traffic.scrapeLagMs` old
 * as Prometheus serves them; with `probes`, the probes' own results at once. With both, the
 * action's rule picks (src/analysis/choose-evidence.ts).
 */
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
  /** Per batch since the rollout began: what the data plane counted (users and probes). */
  const counted: Batch[] = []
  const lagBatches = Math.round((traffic.scrapeLagMs ?? 0) / traffic.batchMs)
  /** The passed steps' counts, as the engine hands them to the judge. */
  const earlier: CountsPair[] = []
  for (const percent of traffic.steps) {
    const stepStart = t
    const probes = { candidate: empty(), current: empty(), source: 'probes' }
    // A window opened at the step's start sees what was scraped by then, so it runs
    // lagBatches behind the step throughout: from its start to the latest scrape.
    const dataPlane = { candidate: empty(), current: empty(), source: 'data plane' }
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
      const seen: Batch = { candidate: copy(batch.candidate), current: copy(batch.current) }
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
        add(probes.candidate, probed.candidate)
        add(probes.current, probed.current)
        add(seen.candidate, probed.candidate)
        add(seen.current, probed.current)
      }
      counted.push(seen)
      const scraped = counted[counted.length - 1 - lagBatches]
      if (scraped) {
        add(dataPlane.candidate, scraped.candidate)
        add(dataPlane.current, scraped.current)
      }
      // Harm is users' only: a failed probe hurts nobody.
      candidateRequests += batch.candidate.requests
      failedRequests += batch.candidate.errors
      t += traffic.batchMs
      const judged = chooseEvidence(
        evidence.probes ? probes : undefined,
        evidence.userTraffic ? dataPlane : undefined
      ) as Evidence
      const j = judge({
        candidate: judged.candidate,
        current: judged.current,
        earlier,
        elapsedMs: t - stepStart,
        ...config
      })
      if (!j.final) continue
      if (j.verdict === 'pass') {
        earlier.push({ candidate: counts(judged.candidate), current: counts(judged.current) })
        break
      }
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
  /** analysis.interval: how often the checks run (and the weight advances on a pass) */
  intervalMs: number
  /** analysis.threshold: failed checks that roll back */
  threshold: number
  /** the metrics' own `interval`: the query window, 1m by default whatever the analysis interval */
  metricWindowMs: number
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
  let state: FlaggerState = { failedChecks: 0, stepIndex: 0 }
  /** Per batch since the rollout began: what Prometheus counted for the canary. */
  const counted: Served[] = []
  const lagBatches = Math.round((traffic.scrapeLagMs ?? 0) / traffic.batchMs)
  const windowBatches = Math.round(config.metricWindowMs / traffic.batchMs)
  for (;;) {
    // One interval at the current weight; then the checks, over the metric window ending at
    // the latest scrape (at a short interval it reaches back into earlier intervals).
    for (let elapsed = 0; elapsed < config.intervalMs; elapsed += traffic.batchMs) {
      const batch = serveBatch(
        r,
        scenario,
        traffic.rps,
        traffic.steps[state.stepIndex],
        t,
        traffic.batchMs,
        traffic.latencyPerSecond
      )
      const seen = copy(batch.candidate)
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
        add(seen, tested.candidate)
      }
      counted.push(seen)
      candidateRequests += batch.candidate.requests
      failedRequests += batch.candidate.errors
      t += traffic.batchMs
    }
    const window = empty()
    const end = counted.length - lagBatches
    for (const b of counted.slice(Math.max(0, end - windowBatches), Math.max(0, end)))
      add(window, b)
    const next = afterCheck(
      state,
      checkFails(window, config),
      config.threshold,
      traffic.steps.length
    )
    if (next.decision !== 'continue')
      return {
        outcome: next.decision,
        inconclusive: false,
        decisionMs: t,
        candidateRequests,
        failedRequests
      }
    state = next
  }
}

export interface FlaggerState {
  /** status.failedChecks: failed checks since the rollout began */
  failedChecks: number
  /** the step (weight) the canary is at */
  stepIndex: number
}

/**
 * Flagger's counting rule after one check: a failed check adds one to the counter, which
 * never resets while the rollout lasts (a passing check leaves it as it is), holds the
 * weight, and rolls back once the counter reaches `threshold`; a passing check advances
 * the weight, and the pass at the last step promotes. (Flagger rolls back on the tick after
 * the counter reaches the threshold; rolling back at once, as here, spares it one interval
 * of harm, in its favour.)
 */
export function afterCheck(
  state: FlaggerState,
  failed: boolean,
  threshold: number,
  steps: number
): FlaggerState & { decision: 'continue' | 'promoted' | 'rolled-back' } {
  if (failed) {
    const failedChecks = state.failedChecks + 1
    return {
      failedChecks,
      stepIndex: state.stepIndex,
      decision: failedChecks >= threshold ? 'rolled-back' : 'continue'
    }
  }
  const stepIndex = state.stepIndex + 1
  return {
    failedChecks: state.failedChecks,
    stepIndex,
    decision: stepIndex === steps ? 'promoted' : 'continue'
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

function counts(s: Served): Counts {
  return { requests: s.requests, errors: s.errors }
}

function copy(s: Served): Served {
  return { requests: s.requests, errors: s.errors, latenciesMs: [...s.latenciesMs] }
}

function add(into: Served, batch: Served): void {
  into.requests += batch.requests
  into.errors += batch.errors
  for (const v of batch.latenciesMs) into.latenciesMs.push(v)
}
