// The lower bounds the Flagger grid report compares its misses with (bench/lib/harm-bound.ts,
// docs/judge.md "How fast a test can be"): each row against the formula worked by hand.
import {
  binaryKl,
  decisionEvidence,
  decisionSecondsLowerBound,
  harmLowerBound,
  harmPerNat,
  type BoundInput
} from '../../../bench/lib/harm-bound.js'
import { feasibility, rowBound } from '../../../bench/lib/flagger-grid-bounds.js'

const kl = (p: number, q: number) => p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q))

/** 5% errors against a 0.1% current, users only at 10 req/s, the first step (10%). */
const base: BoundInput = {
  badRate: 0.05,
  currentRate: 0.001,
  rps: 10,
  shares: [0.1],
  probeRps: 0,
  alpha: 0.01,
  missHarm: 1800
}

test.each([
  { name: 'equal rates carry nothing', p: 0.2, q: 0.2, want: 0 },
  { name: 'p 0 keeps only the successes term', p: 0, q: 0.1, want: Math.log(1 / 0.9) },
  { name: '5% against 0.1%', p: 0.05, q: 0.001, want: kl(0.05, 0.001) }
])('binaryKl: $name', ({ p, q, want }) => {
  expect(binaryKl(p, q)).toBeCloseTo(want, 12)
})

test.each([
  { name: 'no misses: ln(1/alpha)', alpha: 0.01, beta: 0, want: Math.log(100) },
  { name: 'misses lower what must be gathered', alpha: 0.01, beta: 0.5, want: kl(0.5, 0.01) },
  { name: 'a coin flip needs nothing', alpha: 0.5, beta: 0.5, want: 0 }
])('decisionEvidence: $name', ({ alpha, beta, want }) => {
  expect(decisionEvidence(alpha, beta)).toBeCloseTo(want, 12)
})

describe('harmPerNat', () => {
  test.each([
    {
      name: 'oracle, users only: the rate does not matter, only p1 / KL(p1 ‖ p0)',
      input: base,
      against: 'oracle' as const,
      want: 0.05 / kl(0.05, 0.001)
    },
    {
      name: 'oracle, ten times the users: the same',
      input: { ...base, rps: 100 },
      against: 'oracle' as const,
      want: 0.05 / kl(0.05, 0.001)
    },
    {
      name: 'oracle with probes: they carry evidence and harm nobody',
      input: { ...base, probeRps: 10 },
      against: 'oracle' as const,
      want: (1 * 0.05) / (11 * kl(0.05, 0.001))
    },
    {
      name: 'relative: against the common rate of all requests, 0.59%',
      input: base,
      against: 'relative' as const,
      want: 0.05 / (1 * kl(0.05, 0.0059) + 9 * kl(0.001, 0.0059))
    },
    {
      name: 'relative at 100% without probes: nothing to compare with, the step is no bound',
      input: { ...base, shares: [0.1, 1] },
      against: 'relative' as const,
      want: 0.05 / (1 * kl(0.05, 0.0059) + 9 * kl(0.001, 0.0059))
    }
  ])('$name', ({ input, against, want }) => {
    expect(harmPerNat(input, against)).toBeCloseTo(want, 9)
  })

  test('the least over the steps bounds every step', () => {
    const steps = { ...base, probeRps: 10, shares: [0.1, 0.25, 0.5] }
    const each = steps.shares.map((s) => harmPerNat({ ...steps, shares: [s] }, 'oracle'))
    expect(harmPerNat(steps, 'oracle')).toBeCloseTo(Math.min(...each), 12)
    // With probes, more users per probe means more harm per nat: the first step is the least.
    expect(each[0]).toBeLessThan(each[2])
  })
})

describe('harmLowerBound', () => {
  test('with an hour of harm per miss, missing nothing is cheapest: harm per nat × ln(1/alpha)', () => {
    const want = harmPerNat(base, 'oracle') * Math.log(100)
    expect(harmLowerBound(base, 'oracle')).toBeCloseTo(want, 9)
    expect(harmLowerBound(base, 'oracle')).toBeCloseTo(1.56, 2)
  })

  test('the relative bound is above the oracle one (it must also spare a current as bad)', () => {
    expect(harmLowerBound(base, 'relative')).toBeCloseTo(2.5, 1)
    expect(harmLowerBound(base, 'relative')).toBeGreaterThan(harmLowerBound(base, 'oracle'))
  })

  test('a cheap miss is taken: promoting costs less than gathering the evidence', () => {
    const cheapMiss = { ...base, missHarm: 0.1 }
    // At most the miss itself (beta 1), far below what gathering the evidence costs.
    expect(harmLowerBound(cheapMiss, 'oracle')).toBeLessThanOrEqual(0.1 + 1e-3)
    expect(harmLowerBound(cheapMiss, 'oracle')).toBeGreaterThan(0.09)
  })

  test('a stricter alpha costs more harm', () => {
    expect(harmLowerBound({ ...base, alpha: 0.001 }, 'relative')).toBeGreaterThan(
      harmLowerBound(base, 'relative')
    )
  })
})

test('decisionSecondsLowerBound: ln(1/alpha) ÷ the nats per second of the first step', () => {
  const input = { ...base, shares: [0.1, 0.5] }
  expect(decisionSecondsLowerBound(input, 'oracle')).toBeCloseTo(Math.log(100) / kl(0.05, 0.001), 9)
})

describe('the grid rows', () => {
  test('user traffic at 10 req/s, 5% errors: the bounds as worked above', () => {
    const b = rowBound('errors 5%', 10, 'userTrafficOnly')!
    expect(b.anyTest).toBeCloseTo(1.56, 2)
    expect(b.relativeTest).toBeCloseTo(2.5, 1)
  })

  test('as deployed, the probes lower the bound', () => {
    const users = rowBound('errors 5%', 10, 'userTrafficOnly')!
    const deployed = rowBound('errors 5%', 10, 'asDeployed')!
    expect(deployed.anyTest).toBeLessThan(users.anyTest)
  })

  test.each(['healthy', 'degrading', 'p99 +30%', 'no such scenario'])('%s: not bounded', (s) => {
    expect(rowBound(s, 10, 'userTrafficOnly')).toBeUndefined()
  })

  const bound = { anyTest: 1.5, relativeTest: 2.5, anyTestSeconds: 0, relativeTestSeconds: 0 }
  test.each([
    { name: 'below even the oracle', fifth: 1, want: 'beyond any test' },
    { name: 'between the two', fifth: 2, want: 'beyond a relative test' },
    { name: 'above both', fifth: 3, want: 'feasible' }
  ])('feasibility: $name', ({ fifth, want }) => {
    expect(feasibility(fifth, bound)).toBe(want)
  })

  test('feasibility without a bound says so', () => {
    expect(feasibility(1, undefined)).toBe('not bounded')
  })
})
