import { judge, type JudgeInput, type RevisionEvidence } from '../../../src/analysis/judge.js'
import { mannWhitney } from '../../../src/analysis/mann-whitney.js'
import { percentile } from '../../../src/analysis/stats.js'
import { seededRandom } from '../../../emulator/dataplane/random.js'

const MIN = 60_000
const MAX = 300_000
const thresholds = { minSuccessRate: 0.99, maxLatencyP99Ms: 500, minRequests: 50 }

// Seeded lognormal latencies (Box-Muller), median `medianMs`, p99 ≈ 2.5 x median.
function latencies(n: number, medianMs: number, seed: number): number[] {
  const next = seededRandom(seed)
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
    return medianMs * Math.exp(0.394 * z)
  })
}

/** `requests` with `errors`, latencies for up to 400 of them. */
function rev(requests: number, errors: number, medianMs = 40, seed = 1): RevisionEvidence {
  return { requests, errors, latenciesMs: latencies(Math.min(requests, 400), medianMs, seed) }
}

/** Every latency `ms` later: a pure shift, certain to be significant with enough samples. */
function shifted(e: RevisionEvidence, ms: number): RevisionEvidence {
  return { ...e, latenciesMs: e.latenciesMs.map((v) => v + ms) }
}

const healthyCurrent = rev(9000, 9, 40, 2)

function input(over: Partial<JudgeInput>): JudgeInput {
  return {
    candidate: rev(1000, 1),
    current: healthyCurrent,
    elapsedMs: MIN,
    minStepMs: MIN,
    maxStepMs: MAX,
    thresholds,
    ...over
  }
}

describe('the sequential decision', () => {
  test.each([
    {
      name: 'a clearly bad candidate (20% errors) fails 10s into the step',
      in: input({ candidate: rev(100, 20), current: rev(900, 1, 40, 2), elapsedMs: 10_000 }),
      verdict: 'fail',
      final: true
    },
    {
      name: 'a 2% candidate fails mid-step once the evidence is in',
      in: input({ candidate: rev(600, 12), current: rev(5400, 5, 40, 2), elapsedMs: 30_000 }),
      verdict: 'fail',
      final: true
    },
    {
      name: 'a healthy candidate never passes before the minimum time',
      in: input({ elapsedMs: MIN - 1 }),
      verdict: 'inconclusive',
      final: false
    },
    {
      name: 'a healthy candidate passes at the minimum time',
      in: input({ elapsedMs: MIN }),
      verdict: 'pass',
      final: true
    },
    {
      name: 'too few requests at the minimum time: extend',
      in: input({ candidate: rev(20, 0), elapsedMs: MIN }),
      verdict: 'inconclusive',
      final: false
    },
    {
      name: 'too few requests at the maximum time: final inconclusive',
      in: input({ candidate: rev(20, 0), elapsedMs: MAX }),
      verdict: 'inconclusive',
      final: true
    },
    {
      name: 'no requests at all at the maximum time: final inconclusive, never a pass',
      in: input({ candidate: { requests: 0, errors: 0, latenciesMs: [] }, elapsedMs: MAX }),
      verdict: 'inconclusive',
      final: true
    },
    {
      name: 'error rate leaning bad (2 errors in 300) at the minimum time: extend',
      in: input({ candidate: rev(300, 2), current: rev(2700, 2, 40, 2), elapsedMs: MIN }),
      verdict: 'inconclusive',
      final: false
    },
    {
      name: 'still leaning bad at the maximum time (6 errors in 1,000 against 8 in 9,000): final inconclusive',
      in: input({ candidate: rev(1000, 6), current: rev(9000, 8, 40, 2), elapsedMs: MAX }),
      verdict: 'inconclusive',
      final: true
    },
    {
      name: 'leaning only slightly at the maximum time (2 in 300 against 2 in 2,700): pass',
      in: input({ candidate: rev(300, 2), current: rev(2700, 2, 40, 2), elapsedMs: MAX }),
      verdict: 'pass',
      final: true
    },
    {
      name: 'zero-error current, rare new errors on the candidate (6 in 2,000): fail',
      in: input({ candidate: rev(2000, 6), current: rev(18000, 0, 40, 2), elapsedMs: 20_000 }),
      verdict: 'fail',
      final: true
    },
    {
      name: 'twice as slow: fail',
      in: input({ candidate: rev(1000, 1, 80), elapsedMs: 20_000 }),
      verdict: 'fail',
      final: true
    },
    {
      name: '+1 ms at ~1 ms medians is noise, within the 5 ms floor: pass',
      in: input({
        candidate: shifted(rev(1000, 1, 1, 3), 1),
        current: rev(9000, 9, 1, 2),
        elapsedMs: MIN
      }),
      verdict: 'pass',
      final: true
    },
    {
      name: 'twice as slow at 10 ms medians (+10 ms, above the floor): fail',
      in: input({
        candidate: rev(1000, 1, 20, 3),
        current: rev(9000, 9, 10, 2),
        elapsedMs: 20_000
      }),
      verdict: 'fail',
      final: true
    },
    {
      name: '10% slower is within the 25% tolerance: pass',
      in: input({ candidate: rev(1000, 1, 44), elapsedMs: MIN }),
      verdict: 'pass',
      final: true
    }
  ])('$name', ({ in: i, verdict, final }) => {
    const j = judge(i)
    expect({ verdict: j.verdict, final: j.final }).toEqual({ verdict, final })
    expect(j.reason.length).toBeGreaterThan(10)
  })
})

describe('hard guards and the first deploy (no current)', () => {
  test.each([
    {
      name: 'first deploy, healthy: pass against the thresholds',
      in: input({ current: undefined }),
      verdict: 'pass',
      final: true,
      reason: /within the thresholds/
    },
    {
      name: 'a current with no requests counts as none',
      in: input({ current: { requests: 0, errors: 0, latenciesMs: [] } }),
      verdict: 'pass',
      final: true,
      reason: /within the thresholds/
    },
    {
      name: 'first deploy, success rate far below 99%: fail mid-step',
      in: input({ current: undefined, candidate: rev(200, 40), elapsedMs: 5_000 }),
      verdict: 'fail',
      final: true,
      reason: /success rate is below 99.0%/
    },
    {
      name: 'first deploy, 98% observed but not proven: extend',
      in: input({ current: undefined, candidate: rev(100, 2) }),
      verdict: 'inconclusive',
      final: false,
      reason: /below 99.0%, not yet established/
    },
    {
      name: 'first deploy, 98% still observed at the maximum time: fail',
      in: input({ current: undefined, candidate: rev(100, 2), elapsedMs: MAX }),
      verdict: 'fail',
      final: true,
      reason: /below 99.0% at the step's end/
    },
    {
      name: 'p99 above the limit: fail mid-step',
      in: input({ current: undefined, candidate: rev(300, 0, 400), elapsedMs: 10_000 }),
      verdict: 'fail',
      final: true,
      reason: /p99 is above 500 ms/i
    },
    {
      name: 'the guard holds with a current as bad as the candidate',
      in: input({ candidate: rev(2000, 100), current: rev(18000, 900, 40, 2), elapsedMs: 10_000 }),
      verdict: 'fail',
      final: true,
      reason: /success rate is below 99.0%/
    }
  ])('$name', ({ in: i, verdict, final, reason }) => {
    const j = judge(i)
    expect({ verdict: j.verdict, final: j.final }).toEqual({ verdict, final })
    expect(j.reason).toMatch(reason)
  })
})

test('the stats carry the figures behind the verdict', () => {
  const j = judge(
    input({ candidate: rev(100, 20), current: rev(900, 1, 40, 2), elapsedMs: 10_000 })
  )
  expect(j.stats).toMatchObject({
    candidateRequests: 100,
    candidateErrors: 20,
    currentRequests: 900,
    currentErrors: 1
  })
  expect(j.stats.errorEvidence).toBeGreaterThan(Math.log(1000))
})

test('the same input gives the same judgement', () => {
  const i = input({ candidate: rev(600, 12), current: rev(5400, 5, 40, 2), elapsedMs: 30_000 })
  expect(judge(i)).toEqual(judge(i))
})

describe('evidence carried from the rollout’s earlier steps', () => {
  const counts = (requests: number, errors: number) => ({ requests, errors })
  // Alone, 4 errors in 600 against 2 in 5,400 is suspicious but not proven mid-step.
  const now = { candidate: rev(600, 4), current: rev(5400, 2, 40, 2), elapsedMs: 30_000 }
  test.each([
    {
      name: 'no earlier steps: not proven mid-step',
      earlier: [],
      verdict: 'inconclusive'
    },
    {
      name: 'the same lean at the earlier step: proven now',
      earlier: [{ candidate: counts(300, 3), current: counts(2700, 1) }],
      verdict: 'fail'
    },
    {
      name: 'a calm, large earlier step does not dilute the lean of this one',
      earlier: [{ candidate: counts(50_000, 40), current: counts(450_000, 450) }],
      verdict: 'inconclusive'
    },
    {
      name: 'a calm, large earlier step does not hide a candidate that turned bad',
      earlier: [{ candidate: counts(50_000, 40), current: counts(450_000, 450) }],
      candidate: rev(600, 20),
      verdict: 'fail'
    },
    {
      name: 'earlier errors the current shared are not held against the candidate',
      earlier: [{ candidate: counts(300, 3), current: counts(2700, 27) }],
      verdict: 'inconclusive'
    }
  ])('$name', ({ earlier, verdict, candidate }) => {
    const j = judge(input({ ...now, ...(candidate ? { candidate } : {}), earlier }))
    expect(j.verdict).toBe(verdict)
    if (verdict === 'fail') expect(j.final).toBe(true)
    if (verdict === 'fail' && earlier[0].candidate.errors === 3)
      expect(j.reason).toMatch(
        /\(earlier steps: 3 errors in 300 requests, the current's 1 in 2700\)/
      )
  })

  test('the success-rate guard continues across steps too', () => {
    // 2.4% errors against a 99% minimum: not established in either step alone.
    const step = { candidate: rev(500, 12), current: undefined, elapsedMs: 30_000 }
    expect(judge(input(step)).verdict).not.toBe('fail')
    const alone = judge(input({ candidate: rev(1000, 24), current: undefined, elapsedMs: 30_000 }))
    expect(alone.verdict).not.toBe('fail')
    const j = judge(
      input({ ...step, earlier: [{ candidate: counts(1000, 24), current: counts(0, 0) }] })
    )
    expect(j.verdict).toBe('fail')
    expect(j.reason).toMatch(/^The success rate is below 99\.0%/)
  })
})

// What the judge says is what the summary, the history and the PR comment show: each path's
// verdict with its exact sentence, figures included.
describe('the sentence behind each verdict', () => {
  const plain = (requests: number, errors: number, latenciesMs: number[] = []) => ({
    requests,
    errors,
    latenciesMs
  })
  const guard = (minSuccessRate: number) => ({ thresholds: { ...thresholds, minSuccessRate } })
  const earlierStep = [
    { candidate: { requests: 300, errors: 3 }, current: { requests: 2700, errors: 1 } }
  ]
  test.each([
    {
      name: 'both error tests fail: one sentence, joined by a semicolon',
      in: input({ candidate: rev(100, 20), current: rev(900, 1, 40, 2), elapsedMs: 10_000 }),
      verdict: 'fail',
      final: true,
      reason:
        "The candidate fails more often: 20 errors in 100 requests (20.00%) against the current's 1 errors in 900 requests (0.11%) (evidence over 1,000,000:1, needed 1,000:1); " +
        'the success rate is below 99.0%: 20 errors in 100 requests (20.00%) (evidence over 1,000,000:1, needed 1,000:1)'
    },
    {
      name: 'evidence below a million is shown as a figure, with the earlier steps’ counts',
      in: input({
        candidate: rev(600, 4),
        current: rev(5400, 2, 40, 2),
        elapsedMs: 30_000,
        earlier: earlierStep
      }),
      verdict: 'fail',
      final: true,
      reason:
        "The candidate fails more often: 4 errors in 600 requests (0.67%) against the current's 2 errors in 5400 requests (0.04%) (earlier steps: 3 errors in 300 requests, the current's 1 in 2700) (evidence 7,254:1, needed 1,000:1)"
    },
    {
      name: 'the success-rate guard across steps',
      in: input({
        candidate: rev(500, 12),
        current: undefined,
        elapsedMs: 30_000,
        earlier: [
          { candidate: { requests: 1000, errors: 24 }, current: { requests: 0, errors: 0 } }
        ]
      }),
      verdict: 'fail',
      final: true,
      reason:
        "The success rate is below 99.0%: 12 errors in 500 requests (2.40%) (earlier steps: 24 errors in 1000 requests, the current's 0 in 0) (evidence 6,661:1, needed 1,000:1)"
    },
    {
      name: 'slower beyond the tolerance and significant',
      in: input({ candidate: rev(1000, 1, 80), elapsedMs: 20_000 }),
      verdict: 'fail',
      final: true,
      reason:
        'The candidate is slower: median shift +40 ms against a tolerance of 10 ms (Mann-Whitney z 19.3 ≥ 4.2)'
    },
    {
      name: 'p99 above the limit, established',
      in: input({ current: undefined, candidate: rev(300, 0, 400), elapsedMs: 10_000 }),
      verdict: 'fail',
      final: true,
      reason:
        'P99 is above 500 ms: 93 of 300 requests slower (evidence over 1,000,000:1, needed 1,000:1)'
    },
    {
      name: 'before the minimum',
      in: input({ elapsedMs: 20_000 }),
      verdict: 'inconclusive',
      final: false,
      reason: "Collecting evidence: 20s of the step's 60s minimum"
    },
    {
      name: 'a maximum below the minimum ends the step inconclusive, never passed',
      in: input({ elapsedMs: 30_000, maxStepMs: 30_000 }),
      verdict: 'inconclusive',
      final: true,
      reason: "Collecting evidence: 30s of the step's 60s minimum"
    },
    {
      name: 'too few requests, the step goes on',
      in: input({ candidate: rev(20, 0) }),
      verdict: 'inconclusive',
      final: false,
      reason: 'Not enough evidence: 20 of 50 required requests'
    },
    {
      name: 'too few requests at the maximum',
      in: input({ candidate: rev(20, 0), elapsedMs: MAX }),
      verdict: 'inconclusive',
      final: true,
      reason: 'Not enough evidence: 20 of 50 required requests after 300s'
    },
    {
      name: 'exactly min-requests is enough',
      in: input({ current: undefined, candidate: plain(50, 0) }),
      verdict: 'pass',
      final: true,
      reason: 'The candidate is within the thresholds: 0 errors in 50 requests (0.00%), p99 0 ms'
    },
    {
      name: 'a success rate below the minimum at exactly min-requests blocks the pass',
      in: input({ current: undefined, candidate: plain(50, 1) }),
      verdict: 'inconclusive',
      final: false,
      reason: 'Success rate 98.0% is below 99.0%, not yet established: extending the step'
    },
    {
      name: 'a success rate exactly at the minimum is no breach',
      in: input({ current: undefined, candidate: plain(1000, 10) }),
      verdict: 'pass',
      final: true,
      reason: 'The candidate is within the thresholds: 10 errors in 1000 requests (1.00%), p99 0 ms'
    },
    {
      name: 'min-success-rate 100%: one error is a breach, not an established failure',
      in: input({ current: undefined, candidate: plain(1000, 1), elapsedMs: 10_000, ...guard(1) }),
      verdict: 'inconclusive',
      final: false,
      reason: "Collecting evidence: 10s of the step's 60s minimum"
    },
    {
      name: 'min-success-rate 100%: still breached at the maximum',
      in: input({ current: undefined, candidate: plain(1000, 1), elapsedMs: MAX, ...guard(1) }),
      verdict: 'fail',
      final: true,
      reason: "Success rate 99.9% is below 100.0% at the step's end (300s)"
    },
    {
      name: 'min-success-rate 0: no success-rate guard at all',
      in: input({ current: undefined, candidate: plain(100, 60), ...guard(0) }),
      verdict: 'pass',
      final: true,
      reason: 'The candidate is within the thresholds: 60 errors in 100 requests (60.00%), p99 0 ms'
    },
    {
      name: 'a p99 above the limit on enough latencies blocks the pass',
      in: input({
        current: undefined,
        candidate: plain(100, 0, [...Array<number>(98).fill(20), 900, 900])
      }),
      verdict: 'inconclusive',
      final: false,
      reason: 'P99 900 ms is above 500 ms, not yet established: extending the step'
    },
    {
      name: '...and fails the step at its maximum',
      in: input({
        current: undefined,
        candidate: plain(100, 0, [...Array<number>(98).fill(20), 900, 900]),
        elapsedMs: MAX
      }),
      verdict: 'fail',
      final: true,
      reason: "P99 900 ms is above 500 ms at the step's end (300s)"
    },
    {
      name: 'a p99 from fewer latencies than min-requests is no breach',
      in: input({
        current: undefined,
        candidate: plain(1000, 0, [...Array<number>(9).fill(20), 900])
      }),
      verdict: 'pass',
      final: true,
      reason:
        'The candidate is within the thresholds: 0 errors in 1000 requests (0.00%), p99 900 ms'
    },
    {
      name: 'latencies exactly at the limit are not slower than it',
      in: input({ current: undefined, candidate: plain(100, 0, Array<number>(100).fill(500)) }),
      verdict: 'pass',
      final: true,
      reason: 'The candidate is within the thresholds: 0 errors in 100 requests (0.00%), p99 500 ms'
    },
    {
      name: 'the p99 is the nearest rank of all the latencies, in any order',
      in: input({
        current: undefined,
        candidate: plain(
          200,
          0,
          Array.from({ length: 200 }, (_, i) => 200 - i)
        )
      }),
      verdict: 'pass',
      final: true,
      reason: 'The candidate is within the thresholds: 0 errors in 200 requests (0.00%), p99 198 ms'
    },
    {
      name: 'the error rate leans high: extend',
      in: input({ candidate: rev(300, 2), current: rev(2700, 2, 40, 2) }),
      verdict: 'inconclusive',
      final: false,
      reason:
        "The error rate leans high: 2 errors in 300 requests (0.67%) against the current's 2 errors in 2700 requests (0.07%): extending the step"
    },
    {
      name: 'still leaning high at the maximum, above the laxer bar: not promoted',
      in: input({ candidate: rev(1000, 6), current: rev(9000, 8, 40, 2), elapsedMs: MAX }),
      verdict: 'inconclusive',
      final: true,
      reason:
        "The error rate leans high: 6 errors in 1000 requests (0.60%) against the current's 8 errors in 9000 requests (0.09%), still after 300s: not enough evidence to promote"
    },
    {
      name: 'leaning high at the maximum, below the laxer bar: a pass with the caveat',
      in: input({ candidate: rev(300, 2), current: rev(2700, 2, 40, 2), elapsedMs: MAX }),
      verdict: 'pass',
      final: true,
      reason:
        "The candidate is as good as the current: 2 errors in 300 requests (0.67%), p99 95 ms (the error rate leans high: 2 errors in 300 requests (0.67%) against the current's 2 errors in 2700 requests (0.07%), but not by enough at the step's end)"
    },
    {
      name: 'latency leaning slower, not yet significant: extend',
      in: input({ candidate: rev(60, 0, 55, 3) }),
      verdict: 'inconclusive',
      final: false,
      reason:
        'Latency leans slower: median shift +12 ms against a tolerance of 10 ms, not yet significant: extending the step'
    },
    {
      name: 'latency still leaning slower at the maximum: a pass with the caveat',
      in: input({ candidate: rev(60, 0, 55, 3), elapsedMs: MAX }),
      verdict: 'pass',
      final: true,
      reason:
        "The candidate is as good as the current: 0 errors in 60 requests (0.00%), p99 175 ms (latency leans slower: median shift +12 ms against a tolerance of 10 ms, not yet significant, but not by enough at the step's end)"
    },
    {
      name: 'a significant shift within 25% of the current’s median passes',
      in: input({ candidate: shifted(rev(1000, 1), 8) }),
      verdict: 'pass',
      final: true,
      reason:
        'The candidate is as good as the current: 1 errors in 1000 requests (0.10%), p99 103 ms'
    },
    {
      name: 'both doubts at the maximum, below the laxer bar: a pass with both caveats',
      in: input({ candidate: rev(60, 1, 55, 3), elapsedMs: MAX, ...guard(0.95) }),
      verdict: 'pass',
      final: true,
      reason:
        "The candidate is as good as the current: 1 errors in 60 requests (1.67%), p99 175 ms (the error rate leans high: 1 errors in 60 requests (1.67%) against the current's 9 errors in 9000 requests (0.10%); latency leans slower: median shift +12 ms against a tolerance of 10 ms, not yet significant, but not by enough at the step's end)"
    },
    {
      name: 'a shift of exactly the tolerance, significant: tolerated',
      in: input({
        candidate: plain(1000, 1, Array<number>(200).fill(50)),
        current: plain(9000, 9, Array<number>(200).fill(40))
      }),
      verdict: 'pass',
      final: true,
      reason:
        'The candidate is as good as the current: 1 errors in 1000 requests (0.10%), p99 50 ms'
    },
    {
      name: 'a shift of exactly the tolerance, not significant: no doubt either',
      in: input({
        candidate: plain(1000, 1, Array<number>(8).fill(50)),
        current: plain(9000, 9, Array<number>(8).fill(40))
      }),
      verdict: 'pass',
      final: true,
      reason:
        'The candidate is as good as the current: 1 errors in 1000 requests (0.10%), p99 50 ms'
    },
    {
      name: 'a p99 above the limit on exactly min-requests latencies blocks the pass',
      in: input({
        current: undefined,
        candidate: plain(50, 0, [...Array<number>(49).fill(20), 900])
      }),
      verdict: 'inconclusive',
      final: false,
      reason: 'P99 900 ms is above 500 ms, not yet established: extending the step'
    },
    {
      // One latency each, the candidate's higher: z is exactly 1, where the shift is weighed.
      name: 'one latency each, 20 ms slower: leans slower',
      in: input({ candidate: plain(1000, 1, [60]), current: plain(9000, 9, [40]) }),
      verdict: 'inconclusive',
      final: false,
      reason:
        'Latency leans slower: median shift +20 ms against a tolerance of 10 ms, not yet significant: extending the step'
    },
    {
      name: 'no errors on either side: no lean, no caveat',
      in: input({ candidate: rev(1000, 0), current: rev(9000, 0, 40, 2) }),
      verdict: 'pass',
      final: true,
      reason:
        'The candidate is as good as the current: 0 errors in 1000 requests (0.00%), p99 95 ms'
    }
  ])('$name', ({ in: i, verdict, final, reason }) => {
    expect(judge(i)).toMatchObject({ verdict, final, reason })
  })
})

describe('the figures behind the verdict', () => {
  const keys = (i: JudgeInput) => Object.keys(judge(i).stats).sort()
  const BASE = [
    'candidateErrors',
    'candidateP99Ms',
    'candidateRequests',
    'candidateSuccessRate',
    'elapsedMs'
  ]
  const CURRENT = [
    'candidateExposure',
    'currentErrors',
    'currentP99Ms',
    'currentRequests',
    'currentSuccessRate',
    'errorEvidence'
  ]
  test.each([
    {
      name: 'first deploy without latencies: the candidate’s figures and the success guard',
      in: input({ current: undefined, candidate: { requests: 100, errors: 1, latenciesMs: [] } }),
      keys: [...BASE, 'successGuardEvidence']
    },
    {
      name: 'min-success-rate 100% or 0: no success guard to weigh',
      in: input({
        current: undefined,
        candidate: { requests: 100, errors: 1, latenciesMs: [] },
        thresholds: { ...thresholds, minSuccessRate: 1 }
      }),
      keys: BASE
    },
    {
      name: 'min-success-rate 0',
      in: input({
        current: undefined,
        candidate: { requests: 100, errors: 1, latenciesMs: [] },
        thresholds: { ...thresholds, minSuccessRate: 0 }
      }),
      keys: BASE
    },
    {
      name: 'a current, no latencies on the candidate: no latency test',
      in: input({ candidate: { requests: 1000, errors: 1, latenciesMs: [] } }),
      keys: [...BASE, ...CURRENT, 'successGuardEvidence']
    },
    {
      name: 'a current without latencies: no latency test, the p99 guard still weighed',
      in: input({ current: { requests: 9000, errors: 9, latenciesMs: [] } }),
      keys: [...BASE, ...CURRENT, 'latencyGuardEvidence', 'successGuardEvidence']
    },
    {
      name: 'z below 1: the shift is not computed',
      in: input({}),
      keys: [
        ...BASE,
        ...CURRENT,
        'latencyBoundary',
        'latencyGuardEvidence',
        'latencyZ',
        'successGuardEvidence'
      ]
    },
    {
      name: 'z beyond the boundary before the minimum: the shift is computed',
      in: input({ candidate: shifted(rev(1000, 1), 8), elapsedMs: 20_000 }),
      keys: [
        ...BASE,
        ...CURRENT,
        'latencyBoundary',
        'latencyGuardEvidence',
        'latencyShiftMs',
        'latencyToleranceMs',
        'latencyZ',
        'successGuardEvidence'
      ]
    },
    {
      name: 'z between 1 and the boundary before the minimum: not yet',
      in: input({ candidate: rev(60, 0, 55, 3), elapsedMs: 20_000 }),
      keys: [
        ...BASE,
        ...CURRENT,
        'latencyBoundary',
        'latencyGuardEvidence',
        'latencyZ',
        'successGuardEvidence'
      ]
    }
  ])('$name', ({ in: i, keys: expected }) => {
    expect(keys(i)).toEqual([...expected].sort())
  })

  test('no request: a success rate and a p99 of 0, not NaN', () => {
    const j = judge(
      input({ current: undefined, candidate: { requests: 0, errors: 0, latenciesMs: [] } })
    )
    expect(j.stats).toMatchObject({ candidateSuccessRate: 0, candidateP99Ms: 0 })
  })

  test('the tolerance is 25% of the current’s median, at least 5 ms', () => {
    const current = { requests: 9000, errors: 0, latenciesMs: [...Array<number>(200).fill(80)] }
    const candidate = { requests: 1000, errors: 0, latenciesMs: [...Array<number>(200).fill(110)] }
    expect(judge(input({ candidate, current })).stats).toMatchObject({
      latencyShiftMs: 30,
      latencyToleranceMs: 20
    })
    const fast = { ...current, latenciesMs: current.latenciesMs.map(() => 8) }
    expect(judge(input({ candidate, current: fast })).stats.latencyToleranceMs).toBe(5)
  })

  // The rank test weighs at most 2,000 evenly spaced samples per revision; the p99 guard all.
  test.each([
    { name: 'lists of 2,000 are weighed whole', n: 2000, m: 2000, stride: 1 },
    { name: 'a list of 4,000 is weighed as every second one', n: 4000, m: 2000, stride: 2 },
    { name: 'a list of 10,000 as every fifth', n: 10_000, m: 400, stride: 5 }
  ])('$name', ({ n, m, stride }) => {
    const candidate = { requests: n, errors: 0, latenciesMs: latencies(n, 45, 7) }
    const current = { requests: m, errors: 0, latenciesMs: latencies(m, 40, 8) }
    const every = (values: number[], k: number) => values.filter((_, i) => i % k === 0)
    const j = judge(input({ candidate, current }))
    expect(j.stats.latencyZ).toBe(
      mannWhitney(every(candidate.latenciesMs, stride), current.latenciesMs).z
    )
    expect(j.stats.candidateP99Ms).toBe(
      percentile(
        [...candidate.latenciesMs].sort((a, b) => a - b),
        99
      )
    )
  })
})
