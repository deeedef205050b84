// The benchmarks' model of Flagger (bench/lib/judge-policies.ts; docs/judge.md, "Flagger's
// rules as modelled"): its failed-checks counting, and its checks over a metric window
// that is not the analysis interval.
import { afterCheck, runFlagger, type FlaggerConfig } from '../../../bench/lib/judge-policies.js'
import { rng, type Scenario } from '../../../bench/lib/judge-sim.js'

describe('Flagger counting rule (afterCheck)', () => {
  // Each row: the checks' results in order (true = failed), the threshold, and what the
  // rollout comes to: the decision, after how many checks, at which step, with how many failures.
  const rows: {
    name: string
    checks: boolean[]
    threshold: number
    want: { decision: string; after: number; stepIndex: number; failedChecks: number }
  }[] = [
    {
      name: 'threshold 1: the first failed check rolls back',
      checks: [true],
      threshold: 1,
      want: { decision: 'rolled-back', after: 1, stepIndex: 0, failedChecks: 1 }
    },
    {
      name: 'a passing check between failures does not reset the counter',
      checks: [true, false, true],
      threshold: 2,
      want: { decision: 'rolled-back', after: 3, stepIndex: 1, failedChecks: 2 }
    },
    {
      name: 'a failed check holds the weight; the pass after it advances one step',
      checks: [true, false, false, false, false],
      threshold: 2,
      want: { decision: 'promoted', after: 5, stepIndex: 4, failedChecks: 1 }
    },
    {
      name: 'a pass at every step promotes after as many checks as steps',
      checks: [false, false, false, false],
      threshold: 1,
      want: { decision: 'promoted', after: 4, stepIndex: 4, failedChecks: 0 }
    },
    {
      name: 'failures below the threshold, spread over the steps, still promote',
      checks: [true, false, true, false, false, true, false],
      threshold: 4,
      want: { decision: 'promoted', after: 7, stepIndex: 4, failedChecks: 3 }
    },
    {
      name: 'reaching the threshold at the last step rolls back instead of promoting',
      checks: [false, false, false, true, true],
      threshold: 2,
      want: { decision: 'rolled-back', after: 5, stepIndex: 3, failedChecks: 2 }
    }
  ]
  it.each(rows)('$name', ({ checks, threshold, want }) => {
    let state = { failedChecks: 0, stepIndex: 0, decision: 'continue' }
    let after = 0
    for (const failed of checks) {
      expect(state.decision).toBe('continue')
      state = afterCheck(state, failed, threshold, 4)
      after++
    }
    expect({ ...state, after }).toEqual(want)
  })
})

describe('Flagger rollout (runFlagger)', () => {
  const steady = (errorRate: number | ((tMs: number) => number)): Scenario => ({
    name: 'test',
    bad: false,
    harm: 'errors',
    errorRate: typeof errorRate === 'number' ? () => errorRate : errorRate,
    latencyScale: () => 1
  })
  const config = (over: Partial<FlaggerConfig>): FlaggerConfig => ({
    intervalMs: 15_000,
    threshold: 4,
    metricWindowMs: 60_000,
    minSuccessRatePercent: 99,
    maxDurationMs: 500,
    ...over
  })
  const traffic = (rps: number) => ({
    rps,
    steps: [10, 25, 50, 100],
    batchMs: 5_000,
    latencyPerSecond: 5
  })
  const rows: {
    name: string
    scenario: Scenario
    rps: number
    config: FlaggerConfig
    want: { outcome: string; decisionMs: number }
  }[] = [
    {
      name: 'every check failing rolls back after interval × threshold',
      scenario: steady(1),
      rps: 100,
      config: config({ intervalMs: 30_000, threshold: 5 }),
      want: { outcome: 'rolled-back', decisionMs: 150_000 }
    },
    {
      name: 'no requests ("no values found") is a failed check',
      scenario: steady(0),
      rps: 0,
      config: config({ threshold: 2 }),
      want: { outcome: 'rolled-back', decisionMs: 30_000 }
    },
    {
      name: 'no errors promotes after one interval per step',
      scenario: steady(0),
      rps: 100,
      config: config({ intervalMs: 60_000, threshold: 1 }),
      want: { outcome: 'promoted', decisionMs: 240_000 }
    },
    {
      name: 'a 15s burst fails each check whose 1m window holds it (4 checks at 15s)',
      scenario: steady((t) => (t < 15_000 ? 1 : 0)),
      rps: 1000,
      config: config({ threshold: 4 }),
      want: { outcome: 'rolled-back', decisionMs: 60_000 }
    },
    {
      name: 'the same burst in a 15s window fails one check only',
      scenario: steady((t) => (t < 15_000 ? 1 : 0)),
      rps: 1000,
      config: config({ threshold: 2, metricWindowMs: 15_000 }),
      want: { outcome: 'promoted', decisionMs: 75_000 }
    }
  ]
  it.each(rows)('$name', ({ scenario, rps, config, want }) => {
    const got = runFlagger(rng(7), scenario, traffic(rps), config)
    expect({ outcome: got.outcome, decisionMs: got.decisionMs }).toEqual(want)
  })
})
