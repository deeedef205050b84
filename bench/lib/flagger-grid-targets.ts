// The Flagger grid's configurations, what each row keeps, and the target's check
// (bench/flagger-grid.bench.ts runs the rollouts; flagger-grid-report.ts writes the table).

import type { FlaggerConfig } from './judge-policies.js'
import { FLAGGER_DOCS, ROLLBACK_DELAYS_MIN, type Summary } from './judge-setup.js'
import { feasibility, rowBound } from './flagger-grid-bounds.js'

export const INTERVALS_MS = [15_000, 30_000, 60_000]
export const THRESHOLDS = [1, 2, 5, 10, 15]
/** The configurations, interval-major; the metrics (window, thresholds) are the docs'. */
export const GRID: FlaggerConfig[] = INTERVALS_MS.flatMap((intervalMs) =>
  THRESHOLDS.map((threshold) => ({ ...FLAGGER_DOCS, intervalMs, threshold }))
)
export const VARIANTS = ['userTrafficOnly', 'asDeployed'] as const
export type Variant = (typeof VARIANTS)[number]
/** The rate at which a configuration's false-rollback rate decides whether it is compared. */
export const QUALIFYING_RPS = 10
export const MAX_FALSE_ROLLBACKS = 0.01
export const MAX_HARM_RATIO = 0.2

export const label = (c: FlaggerConfig) =>
  `${c.intervalMs >= 60_000 ? `${c.intervalMs / 60_000}m` : `${c.intervalMs / 1000}s`} × ${c.threshold}`

/** What a row keeps of a summary: enough for the targets and the tables, rounded. */
export type Kept = Pick<
  Summary,
  | 'rollouts'
  | 'promoted'
  | 'rolledBack'
  | 'harmMean'
  | 'harmP95'
  | 'harmWithHorizonMean'
  | 'harmByRollbackDelayMin'
  | 'decisionSecondsMean'
>

export function keep(s: Summary): Kept {
  const r = (x: number) => Math.round(x * 1000) / 1000
  return {
    rollouts: s.rollouts,
    promoted: s.promoted,
    rolledBack: s.rolledBack,
    harmMean: r(s.harmMean),
    harmP95: r(s.harmP95),
    harmWithHorizonMean: r(s.harmWithHorizonMean),
    harmByRollbackDelayMin: Object.fromEntries(
      Object.entries(s.harmByRollbackDelayMin).map(([m, h]) => [m, r(h)])
    ),
    decisionSecondsMean: r(s.decisionSecondsMean)
  }
}

/** One scenario at one rate in one variant: ours, and flagger[i] for GRID[i], on the same seeds. */
export interface Row {
  scenario: string
  bad: boolean
  rps: number
  variant: Variant
  ours: Kept
  flagger: Kept[]
}

/** Our harm at most a fifth of a configuration's (both none counts as met). */
const withinFifth = (ours: number, flagger: number) => ours <= MAX_HARM_RATIO * flagger
const ratioOf = (ours: number, flagger: number) => (flagger > 0 ? ours / flagger : null)

/** The target for one variant, in both harm counts, and from which hand-rollback delay it holds. */
export function gridTargets(rows: Row[], variant: Variant) {
  const mine = rows.filter((r) => r.variant === variant)
  const healthy = mine.filter((r) => !r.bad)
  const bad = mine.filter((r) => r.bad)
  const configs = GRID.map((config, c) => {
    const falseRollbacks = Object.fromEntries(
      healthy.map((r) => [r.rps, r.flagger[c].rolledBack / r.flagger[c].rollouts])
    )
    const qualifying = (falseRollbacks[QUALIFYING_RPS] ?? 1) <= MAX_FALSE_ROLLBACKS
    return {
      config: label(config),
      intervalMs: config.intervalMs,
      threshold: config.threshold,
      falseRollbacks,
      qualifying,
      untilRollback: withBounds(
        judgeCount(bad, c, (s) => s.harmWithHorizonMean),
        bad,
        c,
        variant
      ),
      untilDecision: judgeCount(bad, c, (s) => s.harmMean),
      /** The shortest hand-rollback delay from which every bad row is within a fifth. */
      holdsFromDelayMin: holdsFrom(bad, c)
    }
  })
  const compared = configs.filter((c) => c.qualifying)
  const missed = compared.flatMap((c) =>
    c.untilRollback.misses.map((m) => ({ config: c.config, ...m }))
  )
  return {
    qualifyingConfigs: compared.map((c) => c.config),
    oursFalseRollbacks: Object.fromEntries(
      healthy.map((r) => [r.rps, r.ours.rolledBack / r.ours.rollouts])
    ),
    untilRollbackMet: compared.every((c) => c.untilRollback.met),
    untilDecisionMet: compared.every((c) => c.untilDecision.met),
    /** The same with the bad scenarios at QUALIFYING_RPS only. */
    untilRollbackMetAtQualifyingRps: compared.every((c) => c.untilRollback.metAtQualifyingRps),
    untilDecisionMetAtQualifyingRps: compared.every((c) => c.untilDecision.metAtQualifyingRps),
    /** The compared configurations' missed fifths (until rollback), by what the bounds say of them. */
    untilRollbackMisses: {
      total: missed.length,
      beyondAnyTest: missed.filter((m) => m.feasibility === 'beyond any test'),
      beyondRelativeTest: missed.filter((m) => m.feasibility === 'beyond a relative test'),
      feasible: missed.filter((m) => m.feasibility === 'feasible'),
      notBounded: missed.filter((m) => m.feasibility === 'not bounded')
    },
    /** Per bad row: the least harm until rollback any test (or any relative test) can have. */
    bounds: bad.map((r) => ({
      scenario: r.scenario,
      rps: r.rps,
      ours: r.ours.harmWithHorizonMean,
      bound: rowBound(r.scenario, r.rps, variant) ?? null
    })),
    configs
  }
}

/** One harm count against configuration c: every bad row within a fifth, and the worst. */
function judgeCount(bad: Row[], c: number, harm: (s: Kept) => number) {
  const all = bad.map((r) => ({
    scenario: r.scenario,
    rps: r.rps,
    /** null: Flagger did no harm (then met only if neither did ours) */
    ratio: ratioOf(harm(r.ours), harm(r.flagger[c])),
    met: withinFifth(harm(r.ours), harm(r.flagger[c]))
  }))
  type Cell = (typeof all)[number]
  const rank = (x: Cell) => x.ratio ?? (x.met ? 0 : Infinity)
  const worstOf = (xs: Cell[]) =>
    xs.reduce<Cell | null>((w, x) => (w === null || rank(x) > rank(w) ? x : w), null)
  const atRps = all.filter((x) => x.rps === QUALIFYING_RPS)
  return {
    met: all.every((x) => x.met),
    metAtQualifyingRps: atRps.every((x) => x.met),
    worst: worstOf(all),
    worstAtQualifyingRps: worstOf(atRps),
    misses: all.filter((x) => !x.met)
  }
}

export type CountResult = ReturnType<typeof judgeCount>

/** Each miss with a fifth of the configuration's harm and whether any test could meet it. */
function withBounds(count: CountResult, bad: Row[], c: number, variant: Variant) {
  return {
    ...count,
    misses: count.misses.map((m) => {
      const row = bad.find((r) => r.scenario === m.scenario && r.rps === m.rps)!
      const fifth = MAX_HARM_RATIO * row.flagger[c].harmWithHorizonMean
      const bound = rowBound(m.scenario, m.rps, variant)
      return { ...m, fifth, bound: bound ?? null, feasibility: feasibility(fifth, bound) }
    })
  }
}

function holdsFrom(bad: Row[], c: number): number | null {
  const holdsAt = (m: number) =>
    bad.every((r) =>
      withinFifth(r.ours.harmByRollbackDelayMin[m], r.flagger[c].harmByRollbackDelayMin[m])
    )
  const from = ROLLBACK_DELAYS_MIN.findIndex((_, i) => ROLLBACK_DELAYS_MIN.slice(i).every(holdsAt))
  return from === -1 ? null : ROLLBACK_DELAYS_MIN[from]
}

export type GridTargets = ReturnType<typeof gridTargets>
