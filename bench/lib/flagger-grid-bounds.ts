// The grid's lower bounds (harm-bound.ts) on its own rows: for a bad scenario at one rate in
// one variant, the least harm until rollback any test with the target's false-alarm budget
// can have; and for a missed fifth, whether any test could have met it.

import { harmLowerBound, decisionSecondsLowerBound, type BoundInput } from './harm-bound.js'
import { DEPLOYED_STEPS, HORIZON_MS, PROBE_RPS, STEPS } from './judge-setup.js'
import { CURRENT_ERROR_RATE, SCENARIOS } from './judge-sim.js'

/** The false-alarm budget the bounds allow: the target's own (false rollbacks ≤ 1%). */
export const BOUND_ALPHA = 0.01

export interface RowBound {
  /** Least mean harm until rollback for any test (even one told the healthy rate). */
  anyTest: number
  /** The same for a test that must leave alone a candidate failing exactly as often as the current. */
  relativeTest: number
  /** Least mean seconds to a decision at the first step, for each. */
  anyTestSeconds: number
  relativeTestSeconds: number
}

/**
 * The bound for one row, or undefined where none is computed: latency scenarios, and error
 * rates that change over time (degrading).
 */
export function rowBound(
  scenarioName: string,
  rps: number,
  variant: 'userTrafficOnly' | 'asDeployed'
): RowBound | undefined {
  const s = SCENARIOS.find((x) => x.name === scenarioName)
  if (!s || !s.bad || s.harm !== 'errors') return undefined
  const p1 = s.errorRate(0)
  if (s.errorRate(HORIZON_MS) !== p1) return undefined
  const deployed = variant === 'asDeployed'
  const input: BoundInput = {
    badRate: p1,
    currentRate: CURRENT_ERROR_RATE,
    rps,
    shares: (deployed ? DEPLOYED_STEPS : STEPS).map((p) => p / 100),
    probeRps: deployed ? PROBE_RPS : 0,
    alpha: BOUND_ALPHA,
    missHarm: (rps * HORIZON_MS * p1) / 1000
  }
  const r = (x: number) => Math.round(x * 1000) / 1000
  return {
    anyTest: r(harmLowerBound(input, 'oracle')),
    relativeTest: r(harmLowerBound(input, 'relative')),
    anyTestSeconds: r(decisionSecondsLowerBound(input, 'oracle')),
    relativeTestSeconds: r(decisionSecondsLowerBound(input, 'relative'))
  }
}

export type Feasibility = 'beyond any test' | 'beyond a relative test' | 'feasible' | 'not bounded'

/** Whether a fifth of a configuration's harm is within reach of any test, by the bounds. */
export function feasibility(fifth: number, bound: RowBound | undefined): Feasibility {
  if (!bound) return 'not bounded'
  if (bound.anyTest > fifth) return 'beyond any test'
  if (bound.relativeTest > fifth) return 'beyond a relative test'
  return 'feasible'
}
