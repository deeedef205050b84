// Gross failures at low traffic: how few errors fail a candidate mid-step, and the floor no
// test at the judge's alpha can go below (docs/judge.md, "How fast a test can be"). With the
// candidate's share e of the requests and none of the current's failing, k errors on the
// candidate are at most k·ln(1/e) nats of evidence against "both fail alike": the chance
// that k errors all land on the candidate when both fail alike is e^k.
import { judge, JUDGE_TUNING, type RevisionEvidence } from '../../../src/analysis/judge.js'

const thresholds = { minSuccessRate: 0.99, maxLatencyP99Ms: 500, minRequests: 50 }
const rev = (requests: number, errors: number): RevisionEvidence => ({
  requests,
  errors,
  latenciesMs: []
})
/** A look 5 s into a step, well before its minimum: only a mid-step fail can end it. */
const look = (candidate: RevisionEvidence, current: RevisionEvidence) =>
  judge({ candidate, current, elapsedMs: 5_000, minStepMs: 60_000, maxStepMs: 300_000, thresholds })
const needed = Math.log(1 / JUDGE_TUNING.alpha)

describe('mid-step failures on a few errors', () => {
  test.each([
    {
      name: '3 errors in 3 requests against 0 in 300: fails at the first look',
      candidate: rev(3, 3),
      current: rev(300, 0),
      fails: true
    },
    {
      name: 'a 10% share, 3 errors against none: e^3 = alpha, which no mixture reaches',
      candidate: rev(30, 3),
      current: rev(270, 0),
      fails: false
    },
    {
      name: 'a 10% share, 4 errors against none: fails',
      candidate: rev(40, 4),
      current: rev(360, 0),
      fails: true
    },
    {
      name: 'a 10% share, 4 errors against the current’s 2: not yet',
      candidate: rev(40, 4),
      current: rev(360, 2),
      fails: false
    },
    {
      name: 'the current failing as badly (10% each): never a fail',
      candidate: rev(40, 4),
      current: rev(360, 36),
      fails: false
    },
    {
      name: 'half the requests (probes alike on both), 12 errors against none: fails',
      candidate: rev(200, 12),
      current: rev(200, 0),
      fails: true
    },
    {
      name: 'half the requests, 9 errors against none: 0.5^9 > alpha, not yet',
      candidate: rev(200, 9),
      current: rev(200, 0),
      fails: false
    }
  ])('$name', ({ candidate, current, fails }) => {
    const j = look(candidate, current)
    expect(j.verdict === 'fail' && j.final).toBe(fails)
    if (!fails) expect(j.final).toBe(false)
  })
})

describe('the evidence never beats k·ln(1/e) (errors all on the candidate)', () => {
  test.each([
    { share: 0.1, k: 1 },
    { share: 0.1, k: 3 },
    { share: 0.1, k: 6 },
    { share: 0.25, k: 4 },
    { share: 0.5, k: 10 },
    { share: 0.01, k: 2 }
  ])('share $share, $k errors', ({ share, k }) => {
    const total = 10_000
    const candidate = rev(Math.round(share * total), k)
    const current = rev(total - candidate.requests, 0)
    const e = look(candidate, current).stats.errorEvidence
    expect(e).toBeLessThanOrEqual(k * Math.log(1 / share) + 1e-9)
    // ...so the judge cannot fail on fewer errors than ln(1/alpha) / ln(1/e).
    if (k * Math.log(1 / share) < needed) expect(e).toBeLessThan(needed)
  })
})
