// The judge: after each batch of samples in a step, is the candidate worse than the
// current (fail), as good (pass), or is it too early to tell (inconclusive)?
//
// What is tested, in plain words
// ------------------------------
// 1. Error rate, candidate against current. If both revisions fail equally often, each
//    error lands on the candidate with probability equal to its share of the requests.
//    The test asks whether more errors land on the candidate than that share: a mixture
//    likelihood ratio weighs "the candidate's error odds are R x the current's" (R from
//    2 to 300) against "equal". Errors on the candidate push it up, errors on the current
//    pull it down, so 3 errors in 20 requests and 30 in 5,000 both count for what they
//    are, and no unknown rate has to be estimated. A current with zero errors is credited
//    with a floor of 0.01%, so rare new errors on the candidate still count against it
//    (a plain ratio test sees "0 vs a few" as no data: kayenta#377) without one stray
//    error failing a candidate against a perfect current. The test does not start from
//    nothing at each step: it is the strongest of the tests begun at this step, at the
//    one before, and so on back to the first (`earlier`), so three errors at 10% still
//    count at 25%, while calm early steps cannot hide a candidate that turns bad later.
// 2. Latency, candidate against current. Mann-Whitney U asks whether the candidate's
//    latencies are stochastically larger; the Hodges-Lehmann estimate (the median of all
//    pairwise differences) says by how much. As in Kayenta, the candidate fails only when
//    both hold: the difference is significant AND the shift exceeds 25% of the current's
//    median (at least 5 ms: see latencyFloorMs). A slower-but-within-tolerance candidate
//    is not failed.
// 3. Hard guards, from the first version's thresholds, also used alone on a first deploy
//    (no current to compare with): the success rate must not be below min-success-rate
//    and the p99 not above max-latency-p99. Mid-step they fail a candidate only when the
//    breach is established with the same kind of sequential test (error rate above
//    1 − min-success-rate; more than 1% of requests slower than max-latency-p99); a step
//    never passes while the observed figures breach them, and a breach still observed at
//    the step's maximum time fails it.
//
// Why it may look after every batch ("sequential", "anytime-valid")
// ------------------------------------------------------------------
// Re-running an ordinary test after every batch and stopping at the first "significant"
// result raises the false-alarm rate far above its nominal level. The error tests here
// are likelihood-ratio martingales: if the candidate is as good as the current (or the
// threshold), the chance they EVER reach 1/alpha is at most alpha (Ville's inequality),
// however often they are read. The latency test uses Robbins' normal-mixture boundary,
// the same guarantee for the normal approximation of U. alpha is 0.001 per test and step
// (for the error tests: per step a test may begin at), so with four tests over four steps
// the mid-step tests roll a healthy candidate back at most ~1.6% of the time in the worst
// case, and far less in practice; the end-of-step look below adds a little
// (bench/results/judge.md measures the total: at most 0.6% of healthy rollouts with
// Prometheus, 1.0% on probes alone).
//
// How a step ends
// ---------------
// - fail, at once, whenever a test above establishes a failure: a bad candidate is rolled
//   back mid-step, without waiting for the step's minimum time;
// - never pass before minStepMs; pass at minStepMs when the candidate has served at least
//   min-requests, no guard is breached and the data do not lean bad (a 5x worse error
//   rate is not more likely than the current's; no latency shift beyond the tolerance);
// - otherwise inconclusive: the step is extended, up to maxStepMs. There, a guard breach
//   is a fail; too few requests is a final inconclusive (the engine fails it as "not
//   enough evidence": never promote on no data); and a step that still leans bad gets one
//   last look at a laxer bar (error evidence of 20:1 rather than 1000:1): above it, final
//   inconclusive too (not promoted on doubt), below it a pass. That one look happens only
//   on steps already in doubt, which is why it costs healthy candidates little (the
//   benchmark measures it) while it stops most 1%-error candidates at low traffic.
//
// What it cannot do: tell 1% errors from 0.1% with 60 requests (a 10% step at 10 req/s
// for a minute; the chance of seeing no error at all at 1% is 55%). Such candidates are
// caught at later, larger steps, or not at all: on users' traffic alone 4.4% were promoted
// in the benchmark at 10 req/s, 0.1% with the default probes added.
//
// Pure: no clock, no I/O; the same input always gives the same judgement.

import { errorRateEvidence, strongestSince, type CountsPair } from './error-rate.js'
import { hodgesLehmannShift, mannWhitney, median } from './mann-whitney.js'
import { logRateEvidence, logRateEvidenceOver, normalMixtureBoundary } from './sequential.js'
import type { Verdict } from './verdict.js'

/** One revision's outcomes, cumulative within the step. */
export interface RevisionEvidence {
  requests: number
  errors: number
  latenciesMs: number[]
}

export interface JudgeInput {
  candidate: RevisionEvidence
  /** Absent on a first deploy (and treated as absent when it has served no request). */
  current?: RevisionEvidence
  /**
   * The counts of this rollout's earlier passed steps: the error tests continue from them,
   * one test across the rollout rather than one per step.
   */
  earlier?: readonly CountsPair[]
  /** Time since the step began. */
  elapsedMs: number
  minStepMs: number
  maxStepMs: number
  thresholds: { minSuccessRate: number; maxLatencyP99Ms: number; minRequests: number }
}

export interface Judgement {
  verdict: Verdict
  /** true: act now (fail mid-step, or pass at/after minStepMs); false: keep collecting. */
  final: boolean
  /** A sentence saying why. */
  reason: string
  /** The figures behind it, for the history and the summary. */
  stats: Record<string, number>
  /** The current revision fails as badly as the candidate: the setup is at fault, not it. */
  setupFault?: boolean
}

/** The judge's fixed tuning, exported so benchmarks and summaries can state it. */
export const JUDGE_TUNING = {
  /** False-alarm bound per test and step. */
  alpha: 0.001,
  /** The bar for the one look at the end of a doubtful step: still this unlikely under "as good" → not promoted. */
  endAlpha: 0.05,
  /** "Leaning bad": a rate this many times the reference is more likely than the reference. */
  suspectRatio: 5,
  /** A latency shift up to this share of the current's median is tolerated (Kayenta: 25%). */
  latencyTolerance: 0.25,
  /**
   * ...and never less than this many ms. 25% of a ~1 ms median is a quarter millisecond,
   * below the jitter of any HTTP hop (scheduling, GC, a TCP round trip), so without a floor
   * noise alone fails healthy fast services. 5 ms is still far below what a user notices
   * and below any latency threshold people set (Flagger's default: 500 ms).
   */
  latencyFloorMs: 5,
  /** Latency lists are thinned to this many evenly spaced samples per revision. */
  maxLatencySamples: 2000
} as const

export function judge(input: JudgeInput): Judgement {
  const { candidate, thresholds, elapsedMs, minStepMs, maxStepMs } = input
  const earlier = input.earlier ?? []
  const current = input.current && input.current.requests > 0 ? input.current : undefined
  const failEvidence = Math.log(1 / JUDGE_TUNING.alpha)
  const stats: Record<string, number> = {
    elapsedMs,
    candidateRequests: candidate.requests,
    candidateErrors: candidate.errors,
    candidateSuccessRate: successRate(candidate),
    candidateP99Ms: p99(candidate.latenciesMs)
  }
  const failures: string[] = []
  const breaches: string[] = []
  const doubts: string[] = []

  // 1. Error rate against the current's.
  if (current) {
    const e = errorRateEvidence(candidate, current, JUDGE_TUNING.suspectRatio, earlier)
    Object.assign(stats, {
      currentRequests: current.requests,
      currentErrors: current.errors,
      currentSuccessRate: successRate(current),
      currentP99Ms: p99(current.latenciesMs),
      candidateExposure: e.exposure,
      errorEvidence: e.evidence
    })
    const comparison =
      `${errorsOf(candidate)} against the current's ${errorsOf(current)}` + earlierOf(earlier)
    if (e.evidence >= failEvidence)
      failures.push(`the candidate fails more often: ${comparison}${odds(e.evidence)}`)
    else if (e.lean > 0) doubts.push(`the error rate leans high: ${comparison}`)
  }

  // 2. Latency against the current's.
  if (current && candidate.latenciesMs.length > 0 && current.latenciesMs.length > 0) {
    const a = thin(candidate.latenciesMs)
    const b = thin(current.latenciesMs)
    const mw = mannWhitney(a, b)
    const boundary = normalMixtureBoundary(mw.information, JUDGE_TUNING.alpha)
    Object.assign(stats, { latencyZ: mw.z, latencyBoundary: boundary })
    // The shift costs more than U, so it is computed only when it can change the verdict
    // (a shift beyond the tolerance shows as z well above 1 long before it is proven).
    if (mw.z >= 1 && (mw.z >= boundary || elapsedMs >= minStepMs)) {
      const shift = hodgesLehmannShift(a, b)
      const tolerance = Math.max(
        JUDGE_TUNING.latencyTolerance * median(b),
        JUDGE_TUNING.latencyFloorMs
      )
      Object.assign(stats, { latencyShiftMs: shift, latencyToleranceMs: tolerance })
      const comparison = `median shift +${ms(shift)} against a tolerance of ${ms(tolerance)}`
      if (shift > tolerance && mw.z >= boundary)
        failures.push(
          `the candidate is slower: ${comparison} (Mann-Whitney z ${mw.z.toFixed(1)} ≥ ${boundary.toFixed(1)})`
        )
      else if (shift > tolerance)
        doubts.push(`latency leans slower: ${comparison}, not yet significant`)
    }
  }

  // 3. Hard guards: established breaches fail now; observed ones block a pass.
  const maxErrorRate = 1 - thresholds.minSuccessRate
  if (maxErrorRate > 0 && maxErrorRate < 1) {
    const g = strongestSince(
      [...earlier.map((e) => e.candidate), candidate].map((c) => ({
        events: c.errors,
        trials: c.requests,
        p0: maxErrorRate
      })),
      (from) => logRateEvidenceOver(from)
    )
    stats.successGuardEvidence = g
    if (g >= failEvidence)
      failures.push(
        `the success rate is below ${pct(thresholds.minSuccessRate)}: ${errorsOf(candidate)}${earlierOf(earlier)}${odds(g)}`
      )
  }
  // Only weighed once the candidate has served min-requests (a step with fewer ends below).
  if (successRate(candidate) < thresholds.minSuccessRate)
    breaches.push(
      `success rate ${pct(successRate(candidate))} is below ${pct(thresholds.minSuccessRate)}`
    )
  const latencies = candidate.latenciesMs
  if (latencies.length > 0) {
    let slow = 0
    for (const v of latencies) if (v > thresholds.maxLatencyP99Ms) slow++
    const g = logRateEvidence(slow, latencies.length, 0.01)
    stats.latencyGuardEvidence = g
    if (g >= failEvidence)
      failures.push(
        `p99 is above ${ms(thresholds.maxLatencyP99Ms)}: ${slow} of ${latencies.length} requests slower${odds(g)}`
      )
    if (
      latencies.length >= thresholds.minRequests &&
      stats.candidateP99Ms > thresholds.maxLatencyP99Ms
    )
      breaches.push(`p99 ${ms(stats.candidateP99Ms)} is above ${ms(thresholds.maxLatencyP99Ms)}`)
  }

  const atMax = elapsedMs >= maxStepMs
  if (failures.length > 0)
    return { verdict: 'fail', final: true, reason: sentence(failures), stats }
  if (elapsedMs < minStepMs)
    return {
      verdict: 'inconclusive',
      final: atMax, // only when maxStepMs < minStepMs: never a pass before the minimum

      reason: `Collecting evidence: ${seconds(elapsedMs)} of the step's ${seconds(minStepMs)} minimum`,
      stats
    }
  if (candidate.requests < thresholds.minRequests)
    return {
      verdict: 'inconclusive',
      final: atMax,
      reason: `Not enough evidence: ${candidate.requests} of ${thresholds.minRequests} required requests${atMax ? ` after ${seconds(elapsedMs)}` : ''}`,
      stats
    }
  if (breaches.length > 0)
    return atMax
      ? {
          verdict: 'fail',
          final: true,
          reason: sentence(breaches) + ` at the step's end (${seconds(elapsedMs)})`,
          stats
        }
      : {
          verdict: 'inconclusive',
          final: false,
          reason: sentence(breaches) + ', not yet established: extending the step',
          stats
        }
  if (doubts.length > 0 && !atMax)
    return {
      verdict: 'inconclusive',
      final: false,
      reason: sentence(doubts) + ': extending the step',
      stats
    }
  // One last look at the step's end, at a laxer bar: only for doubtful steps, once.
  if (doubts.length > 0 && (stats.errorEvidence ?? 0) >= Math.log(1 / JUDGE_TUNING.endAlpha))
    return {
      verdict: 'inconclusive',
      final: true,
      reason:
        sentence(doubts) + `, still after ${seconds(elapsedMs)}: not enough evidence to promote`,
      stats
    }
  const caveat =
    doubts.length > 0 ? ` (${doubts.join('; ')}, but not by enough at the step's end)` : ''
  const against = current ? 'as good as the current' : 'within the thresholds'
  return {
    verdict: 'pass',
    final: true,
    reason: `The candidate is ${against}: ${errorsOf(candidate)}, p99 ${ms(stats.candidateP99Ms)}${caveat}`,
    stats
  }
}

function successRate(e: RevisionEvidence): number {
  return e.requests === 0 ? 0 : (e.requests - e.errors) / e.requests
}

/** Nearest-rank p99 (as stats.ts), 0 when empty. */
function p99(latencies: readonly number[]): number {
  if (latencies.length === 0) return 0
  const s = Float64Array.from(latencies).sort()
  return s[Math.min(s.length, Math.max(1, Math.ceil(0.99 * s.length))) - 1]
}

/** Evenly spaced samples, so the rank tests stay cheap on very long lists. */
function thin(values: readonly number[]): readonly number[] {
  const max = JUDGE_TUNING.maxLatencySamples
  if (values.length <= max) return values
  const stride = values.length / max
  return Array.from({ length: max }, (_, i) => values[Math.floor(i * stride)])
}

function errorsOf(e: RevisionEvidence): string {
  return `${e.errors} errors in ${e.requests} requests (${pct(e.requests ? e.errors / e.requests : 0, 2)})`
}

/** The earlier steps' share of the evidence, when there is any. */
function earlierOf(earlier: readonly CountsPair[]): string {
  const sum = (side: 'candidate' | 'current') =>
    earlier.reduce(
      (t, e) => ({ requests: t.requests + e[side].requests, errors: t.errors + e[side].errors }),
      { requests: 0, errors: 0 }
    )
  const c = sum('candidate')
  if (c.requests === 0) return ''
  const k = sum('current')
  return ` (earlier steps: ${c.errors} errors in ${c.requests} requests, the current's ${k.errors} in ${k.requests})`
}

/** "(evidence 1,720:1, needed 1,000:1)"; past a million the exact figure means nothing. */
function odds(lnEvidence: number): string {
  const n = Math.exp(lnEvidence)
  const shown = n >= 1e6 ? 'over 1,000,000' : Math.round(n).toLocaleString('en-US')
  return ` (evidence ${shown}:1, needed ${Math.round(1 / JUDGE_TUNING.alpha).toLocaleString('en-US')}:1)`
}

function sentence(parts: readonly string[]): string {
  const s = parts.join('; ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`
}

function ms(x: number): string {
  return `${Math.round(x)} ms`
}

function seconds(x: number): string {
  return `${Math.round(x / 1000)}s`
}
