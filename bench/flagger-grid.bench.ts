// The judge on a grid of Flagger configurations: analysis interval 15s / 30s / 1m ×
// failed-check threshold 1 / 2 / 5 / 10 / 15, each beside our judge on the same seeded
// user streams as bench/judge.bench.ts (virtual time; no HTTP, no sleeping). Flagger's
// model is the judge bench's (docs/judge.md, "Flagger's rules as modelled"): success ≥ 99%
// and p99 ≤ 500 ms over a 1m metric window, checked every interval. For each
// configuration: its false-rollback rate on healthy candidates, and its harm on every bad
// scenario as the baseline our harm is a ratio of. Target (issue 14): for every
// configuration whose false-rollback rate at 10 req/s is at most 1%, our harm is at most a
// fifth of its harm on every bad scenario. Two variants, as in the judge bench: users'
// traffic only, and as deployed (our probes; Flagger's docs' load tester; scrape lag).
// Each missed fifth is set against a lower bound on the harm any test could have done
// (lib/harm-bound.ts; docs/judge.md, "How fast a test can be"), so the report tells a miss
// of the judge from a target no test could meet.
// Run: `npm run bench -- flagger-grid` (writes bench/results/flagger-grid.json from what
// runFlaggerGridBench returns; this file writes flagger-grid.md).
// FLAGGER_GRID_ROLLOUTS=100 makes a quick run; FLAGGER_GRID_SCENARIOS=healthy,degrading picks scenarios.

import { writeFileSync } from 'node:fs'
import { runFlagger, runOurs } from './lib/judge-policies.js'
import {
  FLAGGER_DOCS,
  HORIZON_MS,
  LOAD_TESTER_RPS,
  OURS,
  PROBE_RPS,
  RATES,
  SCRAPE_LAG_MS,
  SEED,
  STEPS,
  inWorkers,
  pct,
  runPolicy,
  serveJobs,
  streams,
  userTraffic
} from './lib/judge-setup.js'
import { SCENARIOS } from './lib/judge-sim.js'
import { gridMarkdown } from './lib/flagger-grid-report.js'
import {
  GRID,
  INTERVALS_MS,
  MAX_FALSE_ROLLBACKS,
  MAX_HARM_RATIO,
  QUALIFYING_RPS,
  THRESHOLDS,
  VARIANTS,
  gridTargets,
  keep,
  label,
  type Row,
  type Variant
} from './lib/flagger-grid-targets.js'

interface Job {
  scenario: string
  rps: number
  rollouts: number
  variant: Variant
}

/** One scenario at one rate in one variant: ours, and every configuration, on the same seeds. */
function runJob(job: Job): Row {
  const scenario = SCENARIOS.find((s) => s.name === job.scenario)!
  const run = (policy: Parameters<typeof runPolicy>[3]) =>
    keep(runPolicy(scenario, job.rps, job.rollouts, policy))
  const { users, synthetic } = streams(scenario, job.rps)
  const deployed = job.variant === 'asDeployed'
  const traffic = userTraffic(job.rps, deployed)
  const ours = run((i) =>
    runOurs(
      users(i),
      scenario,
      traffic,
      OURS,
      deployed ? { userTraffic: true, probes: synthetic(i, PROBE_RPS) } : { userTraffic: true }
    )
  )
  const flagger = GRID.map((config) =>
    run((i) =>
      runFlagger(
        users(i),
        scenario,
        traffic,
        config,
        deployed ? synthetic(i, LOAD_TESTER_RPS) : undefined
      )
    )
  )
  return {
    scenario: scenario.name,
    bad: scenario.bad,
    rps: job.rps,
    variant: job.variant,
    ours,
    flagger
  }
}

export async function runFlaggerGridBench(opts: { rollouts?: number } = {}): Promise<object> {
  const rollouts = opts.rollouts ?? Number(process.env.FLAGGER_GRID_ROLLOUTS ?? 1000)
  const only = process.env.FLAGGER_GRID_SCENARIOS?.split(',')
  const jobs: Job[] = VARIANTS.flatMap((variant) =>
    SCENARIOS.filter((s) => !only || only.includes(s.name)).flatMap((s) =>
      RATES.map((rps) => ({ scenario: s.name, rps, rollouts, variant }))
    )
  )
  const rows = await inWorkers<Job, Row>(import.meta.url, 'flaggerGridJob', jobs, (r) =>
    console.log(
      `${r.variant.padEnd(15)} ${r.scenario.padEnd(11)} ${String(r.rps).padStart(4)} rps  ours: harm ${r.ours.harmMean.toFixed(1)}, rolled back ${pct(r.ours.rolledBack / r.ours.rollouts)}  flagger ${GRID.map((c, i) => `${label(c)}: ${r.flagger[i].harmMean.toFixed(1)}/${pct(r.flagger[i].rolledBack / r.flagger[i].rollouts)}`).join(', ')}`
    )
  )
  const targets = {
    userTrafficOnly: gridTargets(rows, 'userTrafficOnly'),
    asDeployed: gridTargets(rows, 'asDeployed')
  }
  const result = {
    seed: SEED,
    rolloutsPerScenario: rollouts,
    config: {
      steps: STEPS,
      ratesPerSecond: RATES,
      grid: { intervalsMs: INTERVALS_MS, thresholds: THRESHOLDS, metrics: FLAGGER_DOCS },
      ours: OURS,
      probeRps: PROBE_RPS,
      loadTesterRps: LOAD_TESTER_RPS,
      scrapeLagMs: SCRAPE_LAG_MS,
      horizonAfterWrongPromotionMs: HORIZON_MS,
      target: `for every configuration whose false-rollback rate at ${QUALIFYING_RPS} req/s is at most ${pct(MAX_FALSE_ROLLBACKS)}, our harm ≤ ${MAX_HARM_RATIO} × its harm on every bad scenario at every rate`,
      flaggerModel: 'docs/judge.md, "Flagger\'s rules as modelled"',
      rowOrder: 'flagger[i] is config.grid in interval-major order: ' + GRID.map(label).join(', ')
    },
    targets,
    rows
  }
  writeFileSync('bench/results/flagger-grid.md', gridMarkdown(result))
  return result
}

// This bundle is also the worker script (placed last, once everything above is defined).
serveJobs('flaggerGridJob', runJob)
