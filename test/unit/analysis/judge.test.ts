import { judge, type JudgeInput, type RevisionEvidence } from '../../../src/analysis/judge.js'
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
