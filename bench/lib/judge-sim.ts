// Simulated user traffic in virtual time for the judge benchmark: a seeded PRNG, batch
// counts drawn from binomials (no per-request objects), lognormal latencies.

import { seededRandom, type Random } from '../../emulator/dataplane/random.js'

export type Rng = Random

/** The emulator's seeded generator (mulberry32), so the benchmark and the data plane agree. */
export const rng = seededRandom

/** A seed mixed from several integers (FNV-1a over their decimal text). */
export function seedOf(...parts: (number | string)[]): number {
  let h = 0x811c9dc5
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

export function gaussian(r: Rng): number {
  const u = 1 - r()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r())
}

/** Binomial(n, p): exact CDF inversion while the mean is small, normal beyond. */
export function binomial(r: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0
  if (p >= 1) return n
  if (p > 0.5) return n - binomial(r, n, 1 - p)
  const mean = n * p
  if (mean < 30) {
    const u = r()
    let pmf = Math.pow(1 - p, n)
    let cdf = pmf
    let k = 0
    while (cdf < u && k < n) {
      pmf *= ((n - k) / (k + 1)) * (p / (1 - p))
      k++
      cdf += pmf
    }
    return k
  }
  const k = Math.round(mean + Math.sqrt(mean * (1 - p)) * gaussian(r))
  return Math.min(n, Math.max(0, k))
}

/** The current revision's latency: lognormal, median 40 ms, p99 100 ms. */
export const LATENCY = { medianMs: 40, p99Ms: 100 }
const SIGMA = Math.log(LATENCY.p99Ms / LATENCY.medianMs) / 2.3263478740408408

export function latencyMs(r: Rng, scale: number): number {
  return LATENCY.medianMs * scale * Math.exp(SIGMA * gaussian(r))
}

/** How a candidate behaves at time t (ms since the rollout began). */
export interface Scenario {
  name: string
  /** true when a correct judge must not promote it. */
  bad: boolean
  /** Which harm to count: failed requests, or requests served slower. */
  harm: 'errors' | 'latency'
  errorRate(tMs: number): number
  latencyScale(tMs: number): number
}

export const CURRENT_ERROR_RATE = 0.001

const constant = (name: string, bad: boolean, errorRate: number, scale = 1): Scenario => ({
  name,
  bad,
  harm: scale > 1 ? 'latency' : 'errors',
  errorRate: () => errorRate,
  latencyScale: () => scale
})

export const SCENARIOS: Scenario[] = [
  constant('healthy', false, CURRENT_ERROR_RATE),
  constant('errors 1%', true, 0.01),
  constant('errors 2%', true, 0.02),
  constant('errors 5%', true, 0.05),
  constant('errors 20%', true, 0.2),
  constant('p99 +30%', true, CURRENT_ERROR_RATE, 1.3),
  constant('p99 +100%', true, CURRENT_ERROR_RATE, 2),
  {
    // Starts as healthy as the current and loses 0.25 points of success rate a minute
    // (1% errors after ~3.6 min, 2% after ~7.6 min), as a leak or a filling queue would.
    name: 'degrading',
    bad: true,
    harm: 'errors',
    errorRate: (t) => Math.min(0.2, CURRENT_ERROR_RATE + 0.0025 * (t / 60_000)),
    latencyScale: () => 1
  }
]

export interface Served {
  requests: number
  errors: number
  latenciesMs: number[]
}

export interface Batch {
  candidate: Served
  current: Served
}

/**
 * One batch of user traffic: `rps × batchMs` requests split by the candidate's percent;
 * latencies are sampled for at most `latencyPerSecond` requests per revision (what a probe
 * or trace sampler would give; it keeps the rank tests cheap).
 */
export function serveBatch(
  r: Rng,
  scenario: Scenario,
  rps: number,
  percent: number,
  tMs: number,
  batchMs: number,
  latencyPerSecond: number
): Batch {
  const total = Math.round((rps * batchMs) / 1000)
  const toCandidate = binomial(r, total, percent / 100)
  const mid = tMs + batchMs / 2
  const sampleCap = Math.round((latencyPerSecond * batchMs) / 1000)
  const serve = (requests: number, errorRate: number, scale: number): Served => ({
    requests,
    errors: binomial(r, requests, errorRate),
    latenciesMs: Array.from({ length: Math.min(requests, sampleCap) }, () => latencyMs(r, scale))
  })
  return {
    candidate: serve(toCandidate, scenario.errorRate(mid), scenario.latencyScale(mid)),
    current: serve(total - toCandidate, CURRENT_ERROR_RATE, 1)
  }
}

/**
 * Synthetic requests over one batch: `rps` to each revision whatever the split (our
 * probes), or to the candidate only (Flagger's load tester). They fail as often as real
 * ones but are nobody's harm. Latencies are sampled as for users (at most
 * `latencyPerSecond` per revision), so every policy's latency evidence stays comparable.
 */
export function syntheticBatch(
  r: Rng,
  scenario: Scenario,
  rps: number,
  tMs: number,
  batchMs: number,
  latencyPerSecond: number,
  to: 'both' | 'candidate'
): Batch {
  const n = Math.round((rps * batchMs) / 1000)
  const mid = tMs + batchMs / 2
  const cap = Math.min(n, Math.round((latencyPerSecond * batchMs) / 1000))
  const serve = (requests: number, errorRate: number, scale: number): Served => ({
    requests,
    errors: binomial(r, requests, errorRate),
    latenciesMs: Array.from({ length: Math.min(requests, cap) }, () => latencyMs(r, scale))
  })
  return {
    candidate: serve(n, scenario.errorRate(mid), scenario.latencyScale(mid)),
    current: serve(to === 'both' ? n : 0, CURRENT_ERROR_RATE, 1)
  }
}
