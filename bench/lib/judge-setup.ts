// What the judge benchmarks share: the simulated rollout (steps, rates, seeds), both
// policies' configurations, how a policy's rollouts are summarised into harm, and the pool
// of worker threads that runs their jobs. bench/judge.bench.ts compares our judge with
// Flagger's docs' example; bench/flagger-grid.bench.ts with a grid of Flagger settings, on
// the same seeded streams, so the grid's (1m, 10) column repeats the judge bench's Flagger.

import { availableParallelism } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { FlaggerConfig, OursConfig, RolloutOutcome, Traffic } from './judge-policies.js'
import { rng, seedOf, type Rng, type Scenario } from './judge-sim.js'

export const SEED = 20261126
export const RATES = [10, 100, 1000]
export const STEPS = [10, 25, 50, 100]
export const BATCH_MS = 5_000
export const LATENCY_SAMPLES_PER_SECOND = 5
/** A wrongly promoted candidate is assumed to serve all traffic for this long before someone rolls it back by hand. */
export const HORIZON_MS = 3_600_000
/** The same count for shorter and longer delays: from which delay does the target hold? */
export const ROLLBACK_DELAYS_MIN = [1, 2, 5, 10, 15, 30, 60]
/** Our default probe-rps, to each revision. */
export const PROBE_RPS = 10
/**
 * As deployed, both read Prometheus, whose figures are up to a scrape interval old: 15s,
 * the interval of Prometheus' example configuration, taken at its worst (the full interval).
 */
export const SCRAPE_LAG_MS = 15_000
/** Flagger's docs' load tester: `hey -z 1m -q 10 -c 2` = 2 workers × 10 req/s, to the canary. */
export const LOAD_TESTER_RPS = 20
/**
 * As deployed, neither product analyses at 100%: the action promotes after its last step
 * below 100, Flagger after the analysis at maxWeight. (At a simulated 100% step the current
 * would have probe traffic only, a comparison the action never makes.)
 */
export const DEPLOYED_STEPS = STEPS.filter((p) => p < 100)

export const OURS: OursConfig = {
  minStepMs: 60_000,
  maxStepMs: 300_000,
  thresholds: { minSuccessRate: 0.99, maxLatencyP99Ms: 500, minRequests: 50 }
}

/**
 * Flagger's docs example (docs/judge.md, "Against Flagger"): interval 1m, threshold 10,
 * success ≥ 99% and p99 ≤ 500 ms over a 1m metric window.
 */
export const FLAGGER_DOCS: FlaggerConfig = {
  intervalMs: 60_000,
  threshold: 10,
  metricWindowMs: 60_000,
  minSuccessRatePercent: 99,
  maxDurationMs: 500
}

/** One scenario's simulated users at one rate, as each policy is given them. */
export function userTraffic(rps: number, deployed: boolean): Traffic {
  const traffic = {
    rps,
    steps: STEPS,
    batchMs: BATCH_MS,
    latencyPerSecond: LATENCY_SAMPLES_PER_SECOND
  }
  return deployed ? { ...traffic, steps: DEPLOYED_STEPS, scrapeLagMs: SCRAPE_LAG_MS } : traffic
}

/**
 * Common random numbers: rollout i of every policy draws its users from the same seed, and
 * synthetic traffic from a stream of its own, so users' draws are the same in every variant.
 */
export function streams(scenario: Scenario, rps: number) {
  return {
    users: (i: number): Rng => rng(seedOf(SEED, scenario.name, rps, i)),
    synthetic: (i: number, syntheticRps: number) => ({
      rng: rng(seedOf(SEED, scenario.name, rps, i, 'synthetic')),
      rps: syntheticRps
    })
  }
}

export interface Summary {
  rollouts: number
  promoted: number
  rolledBack: number
  inconclusiveRollbacks: number
  /** failed requests (error scenarios) or requests served slower (latency scenarios), during the rollout */
  harmMean: number
  harmP95: number
  /** the same, plus HORIZON_MS at full traffic after a wrong promotion */
  harmWithHorizonMean: number
  /** the same for each delay of ROLLBACK_DELAYS_MIN (minutes → mean harm) */
  harmByRollbackDelayMin: Record<number, number>
  failedRequestsMean: number
  failedRequestsP95: number
  decisionSecondsMean: number
  decisionSecondsP95: number
}

/** `rollouts` rollouts of one policy, summarised. */
export function runPolicy(
  scenario: Scenario,
  rps: number,
  rollouts: number,
  policy: (i: number) => RolloutOutcome
): Summary {
  return summarise(
    scenario,
    rps,
    Array.from({ length: rollouts }, (_, i) => policy(i))
  )
}

export function summarise(scenario: Scenario, rps: number, outcomes: RolloutOutcome[]): Summary {
  const harm = outcomes.map((o) =>
    scenario.harm === 'errors' ? o.failedRequests : o.candidateRequests
  )
  /** Harm until a person rolls a wrongly promoted candidate back, `delayMs` after promotion. */
  const untilRollback = (delayMs: number) =>
    outcomes.map((o, i) => {
      if (!scenario.bad || o.outcome !== 'promoted') return harm[i]
      const perRequest =
        scenario.harm === 'errors' ? scenario.errorRate(o.decisionMs + delayMs / 2) : 1
      return harm[i] + (rps * delayMs * perRequest) / 1000
    })
  const failed = outcomes.map((o) => o.failedRequests)
  const seconds = outcomes.map((o) => o.decisionMs / 1000)
  return {
    rollouts: outcomes.length,
    promoted: outcomes.filter((o) => o.outcome === 'promoted').length,
    rolledBack: outcomes.filter((o) => o.outcome === 'rolled-back').length,
    inconclusiveRollbacks: outcomes.filter((o) => o.inconclusive).length,
    harmMean: mean(harm),
    harmP95: p95(harm),
    harmWithHorizonMean: mean(untilRollback(HORIZON_MS)),
    harmByRollbackDelayMin: Object.fromEntries(
      ROLLBACK_DELAYS_MIN.map((m) => [m, mean(untilRollback(m * 60_000))])
    ),
    failedRequestsMean: mean(failed),
    failedRequestsP95: p95(failed),
    decisionSecondsMean: mean(seconds),
    decisionSecondsP95: p95(seconds)
  }
}

/**
 * Runs each job on a worker thread of `moduleUrl` (at most two at once: the machine's
 * cores), returning the rows in the jobs' order. The module answers through `serveJobs`.
 */
export async function inWorkers<J, R>(
  moduleUrl: string,
  key: string,
  jobs: J[],
  onRow: (row: R) => void
): Promise<R[]> {
  const rows: R[] = new Array(jobs.length)
  let next = 0
  const lane = async () => {
    while (next < jobs.length) {
      const index = next++
      rows[index] = await new Promise<R>((resolve, reject) => {
        const worker = new Worker(new URL(moduleUrl), { workerData: { [key]: jobs[index] } })
        worker.once('message', resolve)
        worker.once('error', reject)
      })
      onRow(rows[index])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, availableParallelism())) }, lane))
  return rows
}

/** In a worker started by `inWorkers(…, key, …)`: runs its one job and posts the row. */
export function serveJobs<J>(key: string, run: (job: J) => unknown): void {
  if (!isMainThread && workerData?.[key]) parentPort!.postMessage(run(workerData[key] as J))
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
export const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length, Math.ceil(0.95 * s.length)) - 1] : 0
}
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null)
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`
