// bench/results/flagger-grid.md: the target per variant, then the false-rollback grid and
// the harm ratios (ours ÷ each configuration's) per variant and rate.

import {
  GRID,
  INTERVALS_MS,
  MAX_FALSE_ROLLBACKS,
  QUALIFYING_RPS,
  THRESHOLDS,
  VARIANTS,
  label,
  type CountResult,
  type GridTargets,
  type Row,
  type Variant
} from './flagger-grid-targets.js'
import {
  LOAD_TESTER_RPS,
  PROBE_RPS,
  RATES,
  ROLLBACK_DELAYS_MIN,
  SCRAPE_LAG_MS,
  STEPS,
  pct
} from './judge-setup.js'
import { SCENARIOS } from './judge-sim.js'
import { BOUND_ALPHA } from './flagger-grid-bounds.js'

const TITLES: Record<Variant, string> = {
  userTrafficOnly: 'user traffic only',
  asDeployed: 'as deployed'
}

export function gridMarkdown(result: {
  seed: number
  rolloutsPerScenario: number
  targets: Record<Variant, GridTargets>
  rows: Row[]
}): string {
  const lines = [
    '# The judge on a grid of Flagger configurations',
    '',
    `${result.rolloutsPerScenario} simulated rollouts per scenario, rate and policy (steps ${STEPS.join('/')}%, seed ${result.seed}, virtual time), on the same seeded user streams as bench/results/judge.md: rollout i of every policy draws its users from one seed, so the grid's 1m × 10 column repeats the judge bench's Flagger. Flagger is modelled as docs/judge.md, "Flagger's rules as modelled", says: every analysis interval (15s, 30s, 1m) it checks success ≥ 99% and p99 ≤ 500 ms over a 1m window; each failed check adds one to a counter that never resets, and the counter reaching the threshold (1, 2, 5, 10, 15) rolls back.`,
    'Harm = failed user requests served by the candidate (p99 rows: requests served by the slower candidate). **Until the decision**: until the policy promotes or rolls back. **Until rollback** (+1h): a wrongly promoted candidate goes on failing users at full traffic until a person rolls it back an hour later (the issue’s "before rollback").',
    `Variants (as in the judge bench): **user traffic only**, both policies see the users' requests alone; **as deployed**, ours adds its default probes (${PROBE_RPS} req/s to each revision), Flagger its docs' load tester (${LOAD_TESTER_RPS} req/s to the canary), both read Prometheus ${SCRAPE_LAG_MS / 1000}s late, steps below 100% only.`,
    `Target (issue 14): for every configuration whose false-rollback rate at ${QUALIFYING_RPS} req/s is at most ${pct(MAX_FALSE_ROLLBACKS)}, our harm is at most a fifth of its harm on every bad scenario (checked here at every rate: ${RATES.join(', ')} req/s). Each ratio is ours ÷ that configuration's, both measured in this run.`,
    'Raw figures in flagger-grid.json (`flagger[i]` follows `config.rowOrder`); reproduce with `npm run bench -- flagger-grid`.',
    '',
    '## Targets',
    ''
  ]
  for (const v of VARIANTS) lines.push(...targetLines(v, result.targets[v]))
  for (const v of VARIANTS) lines.push(...boundLines(v, result.targets[v]), '')
  for (const v of VARIANTS) {
    lines.push(...falseRollbackTable(v, result.rows), '')
    for (const rps of RATES) lines.push(...ratioTable(v, rps, result.rows, result.targets[v]), '')
  }
  return lines.join('\n') + '\n'
}

function targetLines(v: Variant, t: GridTargets): string[] {
  const compared = t.configs.filter((c) => c.qualifying)
  const others = t.configs.filter((c) => !c.qualifying)
  const frr = (c: GridTargets['configs'][number]) =>
    Object.values(c.falseRollbacks)
      .map((x) => pct(x))
      .join(' / ')
  const ours = Object.entries(t.oursFalseRollbacks)
    .map(([rps, rate]) => `${pct(rate)} at ${rps} req/s`)
    .join(', ')
  const verdict = (all: boolean, at: boolean) =>
    all ? 'met' : at ? `NOT met (met at ${QUALIFYING_RPS} req/s alone)` : 'NOT met'
  const count = (c: CountResult) =>
    `${cell(c.worst)} | ${cell(c.worstAtQualifyingRps)} | ${c.misses.length}`
  return [
    `**${TITLES[v][0].toUpperCase()}${TITLES[v].slice(1)}**`,
    '',
    `- Compared (false rollbacks ≤ ${pct(MAX_FALSE_ROLLBACKS)} at ${QUALIFYING_RPS} req/s): ${compared.length ? compared.map((c) => c.config).join(', ') : 'none'}. Not compared: ${others.map((c) => `${c.config} (${pct(c.falseRollbacks[QUALIFYING_RPS] ?? NaN)})`).join(', ') || 'none'}. Ours: ${ours}.`,
    `- Harm until rollback (+1h) at most 1/5 of every compared configuration's on every bad scenario: **${verdict(t.untilRollbackMet, t.untilRollbackMetAtQualifyingRps)}**.`,
    `- Harm until the decision, the same: **${verdict(t.untilDecisionMet, t.untilDecisionMetAtQualifyingRps)}**.`,
    '',
    `| compared configuration | false rollbacks at ${Object.keys(t.oursFalseRollbacks).join(' / ')} req/s | until rollback: worst ratio | at ${QUALIFYING_RPS} req/s | rows over 1/5 | until decision: worst ratio | at ${QUALIFYING_RPS} req/s | rows over 1/5 | fifth holds from hand-rollback delay |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...compared.map(
      (c) =>
        `| ${c.config} | ${frr(c)} | ${count(c.untilRollback)} | ${count(c.untilDecision)} | ${c.holdsFromDelayMin === null ? `none of ${ROLLBACK_DELAYS_MIN.join(', ')} min` : `${c.holdsFromDelayMin} min`} |`
    ),
    '',
    `Rows over 1/5 are out of ${SCENARIOS.filter((s) => s.bad).length * RATES.length} (each bad scenario at each rate); every one is listed in flagger-grid.json (targets.*.configs[].untilRollback.misses).`,
    '',
    ...missLines(t.untilRollbackMisses),
    ''
  ]
}

/** The missed fifths (until rollback) sorted by what the lower bounds say of them. */
function missLines(m: GridTargets['untilRollbackMisses']): string[] {
  if (m.total === 0) return []
  const list = (xs: typeof m.feasible) =>
    xs.length
      ? xs
          .map(
            (x) =>
              `${x.config} on ${x.scenario} at ${x.rps} req/s (a fifth of its harm: ${x.fifth.toFixed(2)}; ours ${x.ratio === null ? '–' : `${x.ratio.toFixed(2)}×`} its harm${x.bound ? `; least possible ${x.bound.anyTest.toFixed(2)} for any test, ${x.bound.relativeTest.toFixed(2)} for a relative one` : ''})`
          )
          .join('; ')
      : 'none'
  return [
    `Of the ${m.total} missed fifths until rollback against compared configurations (lower bounds below, at ${pct(BOUND_ALPHA)} false alarms):`,
    '',
    `- **beyond any test** (no test with ≤ ${pct(BOUND_ALPHA)} false rollbacks, even one told the healthy rate, does less harm than that fifth): ${list(m.beyondAnyTest)}.`,
    `- **beyond a relative test** (possible only for a test that may fail a candidate failing exactly as often as the current): ${list(m.beyondRelativeTest)}.`,
    `- **within reach** (real misses): ${list(m.feasible)}.`,
    ...(m.notBounded.length ? [`- not bounded (latency, degrading): ${list(m.notBounded)}.`] : [])
  ]
}

/** The lower bounds beside our harm, per error scenario and rate. */
function boundLines(v: Variant, t: GridTargets): string[] {
  const rows = t.bounds.filter((b) => b.bound !== null)
  return [
    `## What no test can beat, ${TITLES[v]}: least mean harm until rollback at ${pct(BOUND_ALPHA)} false alarms`,
    '',
    `Wald's bound (docs/judge.md, "How fast a test can be"; bench/lib/harm-bound.ts): a test with false alarms ≤ ${pct(BOUND_ALPHA)} gathers on average at least ln(1/${BOUND_ALPHA}) nats of evidence before rolling back; each user request the candidate serves carries at most KL nats and fails with the bad rate, so the harm per nat bounds the harm (a promotion instead costs the hour). **Any test**: against a healthy candidate at the current's known rate. **Relative test**: against both revisions failing at one common rate, which a judge comparing with the current must leave alone. Seconds: the least mean time to a rollback at the first step.`,
    '',
    '| scenario | req/s | any test: harm / s | relative test: harm / s | ours: harm until rollback | ours ÷ relative bound |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (b) =>
        `| ${b.scenario} | ${b.rps} | ${b.bound!.anyTest.toFixed(2)} / ${b.bound!.anyTestSeconds.toFixed(1)} | ${b.bound!.relativeTest.toFixed(2)} / ${b.bound!.relativeTestSeconds.toFixed(1)} | ${b.ours.toFixed(2)} | ${(b.ours / b.bound!.relativeTest).toFixed(1)} |`
    )
  ]
}

/** A worst cell: its ratio and where. */
function cell(x: CountResult['worst']): string {
  if (x === null) return '–'
  const r = x.ratio === null ? (x.met ? '0 of 0' : '∞ (Flagger none)') : x.ratio.toFixed(2)
  return `${r} (${x.scenario}, ${x.rps})`
}

function falseRollbackTable(v: Variant, rows: Row[]): string[] {
  const healthy = rows.filter((r) => r.variant === v && !r.bad).sort((a, b) => a.rps - b.rps)
  const rates = healthy.map((r) => r.rps).join(' / ')
  const cell = (c: number) =>
    healthy.map((r) => pct(r.flagger[c].rolledBack / r.flagger[c].rollouts)).join(' / ')
  const ours = healthy.map((r) => pct(r.ours.rolledBack / r.ours.rollouts)).join(' / ')
  return [
    `## False rollbacks of healthy candidates, ${TITLES[v]} (at ${rates} req/s)`,
    '',
    `| interval \\ threshold | ${THRESHOLDS.join(' | ')} |`,
    `|---|${THRESHOLDS.map(() => '---:').join('|')}|`,
    ...INTERVALS_MS.map(
      (ms, i) =>
        `| ${label(GRID[i * THRESHOLDS.length]).split(' ×')[0]} | ${THRESHOLDS.map((_, j) => cell(i * THRESHOLDS.length + j)).join(' | ')} |`
    ),
    '',
    `Ours on the same streams: ${ours}.`
  ]
}

function ratioTable(v: Variant, rps: number, rows: Row[], t: GridTargets): string[] {
  const bad = SCENARIOS.filter((s) => s.bad)
    .map((s) => rows.find((r) => r.variant === v && r.rps === rps && r.scenario === s.name))
    .filter((r): r is Row => r !== undefined)
  const f = (ours: number, theirs: number) => (theirs > 0 ? (ours / theirs).toFixed(2) : '–')
  return [
    `## Harm ratios ours ÷ Flagger, ${TITLES[v]}, ${rps} req/s (until the decision / until rollback +1h)`,
    '',
    `| configuration | false rollbacks at ${QUALIFYING_RPS} req/s | ${bad.map((r) => r.scenario).join(' | ')} |`,
    `|---|---:|${bad.map(() => '---:').join('|')}|`,
    `| ours: harm | ${pct(t.oursFalseRollbacks[QUALIFYING_RPS] ?? NaN)} | ${bad.map((r) => `${r.ours.harmMean.toFixed(1)} / ${r.ours.harmWithHorizonMean.toFixed(1)}`).join(' | ')} |`,
    ...GRID.map((config, c) => {
      const q = t.configs[c]
      return `| ${q.qualifying ? '**' + label(config) + '**' : label(config)} | ${pct(q.falseRollbacks[QUALIFYING_RPS] ?? NaN)} | ${bad.map((r) => `${f(r.ours.harmMean, r.flagger[c].harmMean)} / ${f(r.ours.harmWithHorizonMean, r.flagger[c].harmWithHorizonMean)}`).join(' | ')} |`
    }),
    '',
    `Bold: a configuration compared by the target (false rollbacks ≤ ${pct(MAX_FALSE_ROLLBACKS)} at ${QUALIFYING_RPS} req/s). Flagger's harm itself is in flagger-grid.json.`
  ]
}
