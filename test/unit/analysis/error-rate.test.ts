import { errorRateEvidence, type CountsPair } from '../../../src/analysis/error-rate.js'
import { logRateEvidence, normalMixtureBoundary } from '../../../src/analysis/sequential.js'
import { seededRandom } from '../../../emulator/dataplane/random.js'

const failAt = Math.log(1000) // the judge's alpha = 0.001

describe('errorRateEvidence: candidate against current', () => {
  test.each([
    {
      name: 'zero-error current, rare new errors on the candidate',
      candidate: [2000, 6],
      current: [18000, 0],
      fails: true
    },
    {
      name: 'clearly worse (2% against 0.1%)',
      candidate: [500, 10],
      current: [4500, 4],
      fails: true
    },
    {
      name: 'one stray error against a zero-error current',
      candidate: [1000, 1],
      current: [9000, 0],
      fails: false
    },
    { name: 'equal rates', candidate: [10000, 10], current: [90000, 90], fails: false },
    { name: 'candidate better', candidate: [10000, 0], current: [90000, 90], fails: false },
    {
      name: 'new errors rarer than the floor (1 in 100,000)',
      candidate: [100000, 1],
      current: [900000, 0],
      fails: false
    },
    { name: 'no errors anywhere', candidate: [1000, 0], current: [9000, 0], fails: false }
  ])('$name', ({ candidate, current, fails }) => {
    const e = errorRateEvidence(
      { requests: candidate[0], errors: candidate[1] },
      { requests: current[0], errors: current[1] },
      5
    )
    expect(e.evidence >= failAt).toBe(fails)
  })

  test.each([
    {
      name: 'equal rates lean good',
      candidate: [10000, 10],
      current: [90000, 90],
      leansBad: false
    },
    {
      name: 'a 5x rate leans bad before it is proven',
      candidate: [300, 2],
      current: [2700, 3],
      leansBad: true
    }
  ])('lean: $name', ({ candidate, current, leansBad }) => {
    const e = errorRateEvidence(
      { requests: candidate[0], errors: candidate[1] },
      { requests: current[0], errors: current[1] },
      5
    )
    expect(e.lean > 0).toBe(leansBad)
  })
})

// A seeded stream for the calibration checks.
const rng = seededRandom

describe('sequential evidence stays valid when read after every sample', () => {
  // Under H0 the chance of EVER crossing ln(1/alpha) is at most alpha, however often it is read.
  test.each([
    { name: 'rate test at p0 = 1%', p0: 0.01, scale: 'rate' as const },
    { name: 'odds test at a 25% share', p0: 0.25, scale: 'odds' as const }
  ])(
    '$name: false alarms near alpha over 1,000 looks, where a naive re-test is far above',
    ({ p0, scale }) => {
      const alpha = 0.05
      const r = rng(42)
      let alarms = 0
      let naiveAlarms = 0
      const runs = 200
      for (let run = 0; run < runs; run++) {
        let events = 0
        let alarmed = false
        let naive = false
        for (let n = 1; n <= 1000; n++) {
          if (r() < p0) events++
          if (!alarmed && logRateEvidence(events, n, p0, scale) >= Math.log(1 / alpha))
            alarmed = true
          // the one-look test "z > 1.645", repeated at every look
          if (!naive && n >= 20 && (events - n * p0) / Math.sqrt(n * p0 * (1 - p0)) > 1.645)
            naive = true
        }
        if (alarmed) alarms++
        if (naive) naiveAlarms++
      }
      // alpha plus the sampling noise of 200 runs (one standard error is 0.015)
      expect(alarms / runs).toBeLessThan(alpha + 0.03)
      expect(naiveAlarms / runs).toBeGreaterThan(3 * alpha)
    }
  )

  test('across a rollout’s steps (strongest since any step): at most one alpha per step', () => {
    // Four steps at shares 10/25/50/75%, the candidate as good as the current (0.5% errors),
    // the errors' evidence read after every batch of 50 requests.
    const alpha = 0.05
    const shares = [0.1, 0.25, 0.5, 0.75]
    const r = rng(11)
    const runs = 200
    let alarms = 0
    for (let run = 0; run < runs; run++) {
      const earlier: CountsPair[] = []
      let alarmed = false
      for (const share of shares) {
        const step = { candidate: { requests: 0, errors: 0 }, current: { requests: 0, errors: 0 } }
        for (let batch = 0; batch < 40 && !alarmed; batch++) {
          for (let i = 0; i < 50; i++) {
            const side = r() < share ? step.candidate : step.current
            side.requests++
            if (r() < 0.005) side.errors++
          }
          const e = errorRateEvidence(step.candidate, step.current, 5, earlier)
          if (e.evidence >= Math.log(1 / alpha)) alarmed = true
        }
        earlier.push(step)
      }
      if (alarmed) alarms++
    }
    expect(alarms / runs).toBeLessThan(shares.length * alpha)
  })

  test('the rate test does reach the bar on a 5x rate', () => {
    const r = rng(7)
    let events = 0
    let crossedAt = 0
    for (let n = 1; n <= 5000 && !crossedAt; n++) {
      if (r() < 0.05) events++
      if (logRateEvidence(events, n, 0.01) >= Math.log(1000)) crossedAt = n
    }
    expect(crossedAt).toBeGreaterThan(0)
  })

  test('no data is no evidence', () => {
    expect(logRateEvidence(0, 0, 0.01)).toBeCloseTo(0, 12)
  })

  test.each([
    { name: 'no information', information: 0, above: Infinity },
    { name: 'little information: stricter than a fixed test', information: 10, above: 3.09 },
    {
      name: 'much information: still above the fixed one-look bar',
      information: 10000,
      above: 3.09
    }
  ])('normalMixtureBoundary: $name', ({ information, above }) => {
    const b = normalMixtureBoundary(information, 0.001)
    if (above === Infinity) expect(b).toBe(Infinity)
    else expect(b).toBeGreaterThan(above)
  })
})
