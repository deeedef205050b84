// The sequential tests' arithmetic (sequential.ts), each row against the formula written out.

import {
  alternative,
  logLikelihoodRatio,
  logRateEvidence,
  logRateEvidenceOver,
  normalMixtureBoundary
} from '../../../src/analysis/sequential.js'

const RATIOS = [2, 3, 5, 10, 30, 100, 300]
const llr = (k: number, n: number, p0: number, p1: number) =>
  k * Math.log(p1 / p0) + (n - k) * Math.log((1 - p1) / (1 - p0))
/** The mixture written out: mean of the likelihood ratios over the distinct alternatives. */
const mixture = (lrs: number[]) => Math.log(lrs.reduce((s, x) => s + Math.exp(x), 0) / lrs.length)

test.each([
  { name: 'rate: R times p0', p0: 0.01, r: 3, scale: 'rate' as const, out: 0.03 },
  { name: 'rate: capped at 0.95', p0: 0.5, r: 3, scale: 'rate' as const, out: 0.95 },
  { name: 'odds: p0 odds times R', p0: 0.5, r: 3, scale: 'odds' as const, out: 0.75 },
  { name: 'odds: small p0', p0: 0.1, r: 2, scale: 'odds' as const, out: 0.2 / 1.1 }
])('alternative, $name', ({ p0, r, scale, out }) => {
  expect(alternative(p0, r, scale)).toBeCloseTo(out, 12)
})

test.each([
  { name: 'events favour p1', k: 2, n: 10, p0: 0.1, p1: 0.3 },
  { name: 'no events favour p0', k: 0, n: 10, p0: 0.1, p1: 0.3 },
  { name: 'all events', k: 5, n: 5, p0: 0.2, p1: 0.6 }
])('logLikelihoodRatio: $name', ({ k, n, p0, p1 }) => {
  expect(logLikelihoodRatio(k, n, p0, p1)).toBeCloseTo(llr(k, n, p0, p1), 12)
})

describe('logRateEvidence', () => {
  test.each([
    {
      name: 'p0 0.2: the alternatives 0.4, 0.6 and 0.95 (the capped ones once)',
      k: 6,
      n: 10,
      p0: 0.2,
      scale: 'rate' as const,
      p1s: [0.4, 0.6, 0.95]
    },
    {
      name: 'p0 0.5: every alternative capped, one term',
      k: 5,
      n: 10,
      p0: 0.5,
      scale: 'rate' as const,
      p1s: [0.95]
    },
    {
      name: 'odds: all seven ratios',
      k: 7,
      n: 10,
      p0: 0.5,
      scale: 'odds' as const,
      p1s: RATIOS.map((r) => r / (r + 1))
    },
    {
      name: 'a small p0: all seven ratios on the rate',
      k: 1,
      n: 100,
      p0: 0.001,
      scale: 'rate' as const,
      p1s: RATIOS.map((r) => r * 0.001)
    }
  ])('$name', ({ k, n, p0, scale, p1s }) => {
    const want = mixture(p1s.map((p1) => llr(k, n, p0, p1)))
    expect(logRateEvidence(k, n, p0, scale)).toBeCloseTo(want, 9)
  })

  test.each([
    { name: 'no trials', k: 0, n: 0, p0: 0.1 },
    { name: 'p0 above every alternative', k: 9, n: 10, p0: 0.96 },
    { name: 'p0 at the cap', k: 9, n: 10, p0: 0.95 },
    { name: 'p0 0: nothing is above it in ratio', k: 1, n: 10, p0: 0 }
  ])('no evidence: $name', ({ k, n, p0 }) => {
    expect(logRateEvidence(k, n, p0)).toBe(0)
  })

  test('the default scale is the rate', () => {
    expect(logRateEvidence(3, 10, 0.2)).toBe(logRateEvidence(3, 10, 0.2, 'rate'))
    expect(logRateEvidence(3, 10, 0.2)).not.toBe(logRateEvidence(3, 10, 0.2, 'odds'))
  })
})

describe('logRateEvidenceOver: several segments, one martingale', () => {
  test('a segment without trials changes nothing', () => {
    expect(
      logRateEvidenceOver([
        { events: 0, trials: 0, p0: 0.3 },
        { events: 2, trials: 50, p0: 0.01 }
      ])
    ).toBeCloseTo(logRateEvidence(2, 50, 0.01), 12)
  })

  test('each alternative multiplies the segments before the mixture', () => {
    const a = { events: 2, trials: 40, p0: 0.001 }
    const b = { events: 3, trials: 20, p0: 0.002 }
    const want = mixture(
      RATIOS.map(
        (r) => llr(a.events, a.trials, a.p0, r * a.p0) + llr(b.events, b.trials, b.p0, r * b.p0)
      )
    )
    expect(logRateEvidenceOver([a, b])).toBeCloseTo(want, 9)
  })

  test('capped alternatives: each distinct combination counts once', () => {
    // p0 0.4: R=2 gives 0.8, R>=3 the cap 0.95; p0 0.001 keeps the seven apart.
    const a = { events: 5, trials: 10, p0: 0.4 }
    const b = { events: 1, trials: 30, p0: 0.001 }
    const want = mixture(
      RATIOS.map(
        (r) =>
          llr(a.events, a.trials, a.p0, Math.min(r * a.p0, 0.95)) +
          llr(b.events, b.trials, b.p0, r * b.p0)
      )
    )
    expect(logRateEvidenceOver([a, b])).toBeCloseTo(want, 9)
  })

  test('an alternative that tests nothing in one segment is left out for all', () => {
    // p0 0.96 is above every capped alternative: no alternative is left.
    const a = { events: 9, trials: 10, p0: 0.96 }
    const b = { events: 5, trials: 30, p0: 0.001 }
    expect(logRateEvidenceOver([a, b])).toBe(0)
    // On the odds scale every alternative stays above p0 and below 1.
    expect(logRateEvidenceOver([a, b], 'odds')).not.toBe(0)
  })

  test('a segment without trials rules out no alternative, whatever its p0', () => {
    // p0 0.96 would leave no alternative at all if the empty segment took part.
    expect(
      logRateEvidenceOver([
        { events: 0, trials: 0, p0: 0.96 },
        { events: 2, trials: 50, p0: 0.01 }
      ])
    ).toBeCloseTo(logRateEvidence(2, 50, 0.01), 12)
  })

  test('overwhelming evidence stays finite: the mixture is summed relative to its largest term', () => {
    const k = 6000
    const n = 10_000
    // 100 and 300 times 1% are both capped at 0.95: one term.
    const lrs = [0.02, 0.03, 0.05, 0.1, 0.3, 0.95].map((p1) => llr(k, n, 0.01, p1))
    const max = Math.max(...lrs)
    const want = max + Math.log(lrs.reduce((s, x) => s + Math.exp(x - max), 0) / lrs.length)
    expect(max).toBeGreaterThan(1000)
    expect(logRateEvidence(k, n, 0.01)).toBeCloseTo(want, 6)
  })

  test('no segments: 0', () => {
    expect(logRateEvidenceOver([])).toBe(0)
  })
})

describe('normalMixtureBoundary', () => {
  const robbins = (t: number, alpha: number, rho: number) =>
    Math.sqrt((1 + rho / t) * (2 * Math.log(1 / alpha) + Math.log(1 + t / rho)))
  test.each([
    { name: 'at rho', t: 25, alpha: 0.001, rho: 25 },
    { name: 'early', t: 2, alpha: 0.05, rho: 25 },
    { name: 'late', t: 10_000, alpha: 0.001, rho: 25 },
    { name: 'another rho', t: 50, alpha: 0.01, rho: 100 }
  ])('$name', ({ t, alpha, rho }) => {
    expect(normalMixtureBoundary(t, alpha, rho)).toBeCloseTo(robbins(t, alpha, rho), 12)
  })

  test('rho defaults to 25', () => {
    expect(normalMixtureBoundary(40, 0.001)).toBeCloseTo(robbins(40, 0.001, 25), 12)
  })

  test.each([0, -1])('no information (%d): never crossed', (t) => {
    expect(normalMixtureBoundary(t, 0.001)).toBe(Infinity)
  })
})
