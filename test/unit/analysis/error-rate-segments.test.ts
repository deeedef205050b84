// Error-rate evidence's bookkeeping (error-rate.ts): the exposure, the floor credited to a
// perfect current, steps without traffic, and the strongest test since any step.

import {
  ERROR_RATE_FLOOR,
  errorRateEvidence,
  strongestSince
} from '../../../src/analysis/error-rate.js'
import {
  alternative,
  logLikelihoodRatio,
  logRateEvidenceOver
} from '../../../src/analysis/sequential.js'

const c = (requests: number, errors: number) => ({ requests, errors })

test('the floor is 1 in 10,000', () => {
  expect(ERROR_RATE_FLOOR).toBe(0.0001)
})

describe('one step: the binomial question on the errors', () => {
  test.each([
    {
      name: 'errors on both',
      candidate: c(1000, 6),
      current: c(9000, 20),
      trials: { events: 6, trials: 26, p0: 0.1 }
    },
    {
      name: 'a perfect current is credited the floor',
      candidate: c(2000, 3),
      current: c(18000, 0),
      trials: { events: 3, trials: 3 + 1.8, p0: 0.1 }
    },
    {
      name: 'a current below the floor is credited the floor',
      candidate: c(500, 2),
      current: c(50000, 1),
      trials: { events: 2, trials: 2 + 5, p0: 500 / 50500 }
    }
  ])('$name', ({ candidate, current, trials }) => {
    const e = errorRateEvidence(candidate, current, 5)
    expect(e.exposure).toBeCloseTo(trials.p0, 12)
    expect(e.evidence).toBeCloseTo(logRateEvidenceOver([trials], 'odds'), 9)
    const p1 = alternative(trials.p0, 5, 'odds')
    expect(e.lean).toBeCloseTo(logLikelihoodRatio(trials.events, trials.trials, trials.p0, p1), 9)
  })

  test('the suspect ratio sets the lean, not the evidence', () => {
    const at3 = errorRateEvidence(c(1000, 6), c(9000, 20), 3)
    const at10 = errorRateEvidence(c(1000, 6), c(9000, 20), 10)
    expect(at3.evidence).toBe(at10.evidence)
    expect(at3.lean).not.toBeCloseTo(at10.lean, 3)
  })

  test.each([
    { name: 'no candidate requests', candidate: c(0, 0), current: c(100, 1), exposure: 0 },
    { name: 'no current requests', candidate: c(100, 5), current: c(0, 0), exposure: 1 }
  ])('$name: no evidence', ({ candidate, current, exposure }) => {
    expect(errorRateEvidence(candidate, current, 5)).toEqual({ evidence: 0, lean: 0, exposure })
  })
})

describe('earlier steps', () => {
  const s10 = { candidate: c(1000, 4), current: c(9000, 10) }
  const s25 = { candidate: c(2500, 3), current: c(7500, 9) }
  const trials = ({ candidate, current }: typeof s10) => ({
    events: candidate.errors,
    trials: candidate.errors + current.errors,
    p0: candidate.requests / (candidate.requests + current.requests)
  })

  test('the evidence is the strongest of the tests begun at each step', () => {
    const now = { candidate: c(5000, 2), current: c(5000, 10) }
    const e = errorRateEvidence(now.candidate, now.current, 5, [s10, s25])
    const all = [s10, s25, now].map(trials)
    const want = Math.max(
      logRateEvidenceOver(all, 'odds'),
      logRateEvidenceOver(all.slice(1), 'odds'),
      logRateEvidenceOver(all.slice(2), 'odds')
    )
    expect(e.evidence).toBeCloseTo(want, 9)
    expect(e.exposure).toBe(0.5)
  })

  test('a step without traffic is skipped', () => {
    const empty = { candidate: c(0, 0), current: c(0, 0) }
    expect(errorRateEvidence(c(1000, 4), c(9000, 10), 5, [empty, s10])).toEqual(
      errorRateEvidence(c(1000, 4), c(9000, 10), 5, [s10])
    )
  })

  test('bad earlier steps carry into a calm one', () => {
    const calm = errorRateEvidence(c(5000, 1), c(5000, 1), 5)
    const after = errorRateEvidence(c(5000, 1), c(5000, 1), 5, [
      { candidate: c(1000, 8), current: c(9000, 2) }
    ])
    expect(after.evidence).toBeGreaterThan(calm.evidence)
  })
})

test.each([
  { name: 'the best start is the first', xs: [5, -1, -1], out: 3 },
  { name: 'the best start is the last', xs: [-5, -5, 2], out: 2 },
  { name: 'one segment', xs: [-3], out: -3 },
  { name: 'none', xs: [], out: -Infinity }
])('strongestSince (sum of the suffix): $name', ({ xs, out }) => {
  expect(strongestSince(xs, (from) => from.reduce((s, x) => s + x, 0))).toBe(out)
})
