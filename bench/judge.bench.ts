// Judge benchmark: our sequential judge against Flagger's documented rules on the same
// simulated user traffic (virtual time, seeded; no HTTP, no sleeping). Two variants:
// "user traffic only" gives both policies the users' requests alone; "as deployed" adds
// what each ships with: our probes (probe-rps 10 to each revision, the default) and
// Flagger's docs' load tester (`hey -z 1m -q 10 -c 2`: 20 req/s to the canary), and both
// read Prometheus' figures a scrape interval late. Synthetic failures are nobody's harm;
// harm is always the users' failed (or slowed) requests.
// Run: `npm run bench -- judge` (scripts/bench.mjs bundles this file and writes
// bench/results/judge.json from what runJudgeBench returns; this file writes judge.md).
// JUDGE_BENCH_ROLLOUTS=100 makes a quick run; JUDGE_BENCH_SCENARIOS=healthy,degrading picks scenarios.

import { writeFileSync } from 'node:fs'
import { JUDGE_TUNING } from '../src/analysis/judge.js'
import { runFlagger, runOurs, type FlaggerConfig } from './lib/judge-policies.js'
import {
  BATCH_MS,
  DEPLOYED_STEPS,
  FLAGGER_DOCS,
  HORIZON_MS,
  LATENCY_SAMPLES_PER_SECOND,
  LOAD_TESTER_RPS,
  OURS,
  PROBE_RPS,
  RATES,
  ROLLBACK_DELAYS_MIN,
  SCRAPE_LAG_MS,
  SEED,
  STEPS,
  inWorkers,
  pct,
  ratio,
  runPolicy,
  serveJobs,
  streams,
  userTraffic
} from './lib/judge-setup.js'
import { CURRENT_ERROR_RATE, LATENCY, SCENARIOS } from './lib/judge-sim.js'

/** The same with threshold 5 (older docs and many tutorials): a faster rollback, for comparison. */
const FLAGGER_T5: FlaggerConfig = { ...FLAGGER_DOCS, threshold: 5 }

interface Job {
  scenario: string
  rps: number
  rollouts: number
}

/** One scenario at one rate, all three policies on the same seeds. */
function runJob(job: Job) {
  const scenario = SCENARIOS.find((s) => s.name === job.scenario)!
  const run = (policy: Parameters<typeof runPolicy>[3]) =>
    runPolicy(scenario, job.rps, job.rollouts, policy)
  const { users, synthetic } = streams(scenario, job.rps)
  const traffic = userTraffic(job.rps, false)
  const ours = run((i) => runOurs(users(i), scenario, traffic, OURS))
  const flagger = run((i) => runFlagger(users(i), scenario, traffic, FLAGGER_DOCS))
  const flaggerT5 = run((i) => runFlagger(users(i), scenario, traffic, FLAGGER_T5))
  const deployed = userTraffic(job.rps, true)
  const oursDeployed = run((i) =>
    runOurs(users(i), scenario, deployed, OURS, {
      userTraffic: true,
      probes: synthetic(i, PROBE_RPS)
    })
  )
  const oursProbesOnly = run((i) =>
    runOurs(users(i), scenario, deployed, OURS, {
      userTraffic: false,
      probes: synthetic(i, PROBE_RPS)
    })
  )
  const flaggerDeployed = run((i) =>
    runFlagger(users(i), scenario, deployed, FLAGGER_DOCS, synthetic(i, LOAD_TESTER_RPS))
  )
  return {
    scenario: scenario.name,
    bad: scenario.bad,
    harm: scenario.harm,
    rps: job.rps,
    ours,
    flagger,
    flaggerThreshold5: flaggerT5,
    ratio: {
      harmVsFlagger: ratio(ours.harmMean, flagger.harmMean),
      harmWithHorizonVsFlagger: ratio(ours.harmWithHorizonMean, flagger.harmWithHorizonMean),
      harmVsFlaggerThreshold5: ratio(ours.harmMean, flaggerT5.harmMean)
    },
    asDeployed: {
      ours: oursDeployed,
      flagger: flaggerDeployed,
      /** Informational: the judge given the probes alone (the action without a data plane's figures). */
      oursProbesOnly,
      ratio: {
        harmVsFlagger: ratio(oursDeployed.harmMean, flaggerDeployed.harmMean),
        harmWithHorizonVsFlagger: ratio(
          oursDeployed.harmWithHorizonMean,
          flaggerDeployed.harmWithHorizonMean
        ),
        probesOnlyHarmVsFlagger: ratio(oursProbesOnly.harmMean, flaggerDeployed.harmMean),
        probesOnlyHarmWithHorizonVsFlagger: ratio(
          oursProbesOnly.harmWithHorizonMean,
          flaggerDeployed.harmWithHorizonMean
        )
      }
    }
  }
}

type Row = ReturnType<typeof runJob>
type Variant = 'userTrafficOnly' | 'asDeployed' | 'probesOnly'
/** One variant's view of a row: our summary, Flagger's, and the harm ratios. */
function view(r: Row, variant: Variant) {
  const d = r.asDeployed
  if (variant === 'userTrafficOnly') return { ours: r.ours, flagger: r.flagger, ratio: r.ratio }
  if (variant === 'asDeployed') return { ours: d.ours, flagger: d.flagger, ratio: d.ratio }
  return {
    ours: d.oursProbesOnly,
    flagger: d.flagger,
    ratio: {
      harmVsFlagger: d.ratio.probesOnlyHarmVsFlagger,
      harmWithHorizonVsFlagger: d.ratio.probesOnlyHarmWithHorizonVsFlagger
    }
  }
}

/** Runs jobs on worker threads, in order of the returned rows. */
function runAll(jobs: Job[]): Promise<Row[]> {
  return inWorkers<Job, Row>(import.meta.url, 'judgeBenchJob', jobs, (r) =>
    console.log(
      `${r.scenario.padEnd(11)} ${String(r.rps).padStart(4)} rps  ours: promoted ${pct(r.ours.promoted / r.ours.rollouts)}, harm ${r.ours.harmMean.toFixed(1)}, ${r.ours.decisionSecondsMean.toFixed(0)}s` +
        `  flagger: promoted ${pct(r.flagger.promoted / r.flagger.rollouts)}, harm ${r.flagger.harmMean.toFixed(1)}, ${r.flagger.decisionSecondsMean.toFixed(0)}s` +
        `  | as deployed: ours harm ${r.asDeployed.ours.harmMean.toFixed(1)}, flagger harm ${r.asDeployed.flagger.harmMean.toFixed(1)}`
    )
  )
}

export async function runJudgeBench(opts: { rollouts?: number } = {}): Promise<object> {
  const rollouts = opts.rollouts ?? Number(process.env.JUDGE_BENCH_ROLLOUTS ?? 1000)
  const only = process.env.JUDGE_BENCH_SCENARIOS?.split(',')
  const jobs = SCENARIOS.filter((s) => !only || only.includes(s.name)).flatMap((s) =>
    RATES.map((rps) => ({ scenario: s.name, rps, rollouts }))
  )
  const rows = await runAll(jobs)
  const targets = {
    userTrafficOnly: checkTargets(rows, rollouts, 'userTrafficOnly'),
    asDeployed: checkTargets(rows, rollouts, 'asDeployed'),
    probesOnly: checkTargets(rows, rollouts, 'probesOnly')
  }
  const result = {
    seed: SEED,
    rolloutsPerScenario: rollouts,
    config: {
      steps: STEPS,
      ratesPerSecond: RATES,
      batchMs: BATCH_MS,
      latencySamplesPerSecondPerRevision: LATENCY_SAMPLES_PER_SECOND,
      currentRevision: {
        errorRate: CURRENT_ERROR_RATE,
        latency: `lognormal, median ${LATENCY.medianMs} ms, p99 ${LATENCY.p99Ms} ms`
      },
      scenarios:
        'errors N%: constant candidate error rate; p99 +N%: every latency quantile scaled by 1+N%; degrading: 0.1% errors + 0.25 points a minute',
      ours: { ...OURS, tuning: JUDGE_TUNING, judgedEvery: `${BATCH_MS / 1000}s batch` },
      flagger: {
        ...FLAGGER_DOCS,
        source:
          'Flagger docs: docs/gitbook/usage/how-it-works.md and deployment-strategies.md (analysis interval 1m, threshold 10; metrics request-success-rate thresholdRange min 99 interval 1m, request-duration thresholdRange max 500 interval 1m); rollback after `threshold` failed checks, counter cumulative for the rollout; "no values found" is a failed check',
        variantThreshold5: FLAGGER_T5
      },
      harm: 'error scenarios: failed user requests served by the candidate; latency scenarios: user requests served by the slower candidate',
      variants: {
        userTrafficOnly:
          'both policies see the users’ requests only (ours: as a data plane’s per-revision figures)',
        asDeployed: `ours: users’ requests plus its default probes (${PROBE_RPS} req/s to each revision); Flagger: users’ requests plus its docs’ load tester (${LOAD_TESTER_RPS} req/s to the canary, \`hey -z 1m -q 10 -c 2\`), same error rate; synthetic failures are not harm; steps ${DEPLOYED_STEPS.join('/')} then promotion (neither product analyses at 100%). oursProbesOnly: the judge given the probes alone`
      },
      horizonAfterWrongPromotionMs: HORIZON_MS
    },
    targets,
    rows
  }
  writeFileSync('bench/results/judge.md', markdown(result))
  return result
}

function checkTargets(rows: Row[], rollouts: number, variant: Variant) {
  const healthy = rows.filter((r) => !r.bad)
  const bad = rows.filter((r) => r.bad)
  const twoPercentOrWorse = rows.filter((r) =>
    ['errors 2%', 'errors 5%', 'errors 20%'].includes(r.scenario)
  )
  // The shortest hand-rollback delay from which every bad row is at most 1/5 of Flagger's.
  const holdsAt = (m: number) =>
    bad.every((r) => {
      const { ours, flagger } = view(r, variant)
      const q = ratio(ours.harmByRollbackDelayMin[m], flagger.harmByRollbackDelayMin[m])
      return q === null || q <= 0.2
    })
  const from = ROLLBACK_DELAYS_MIN.findIndex((_, i) => ROLLBACK_DELAYS_MIN.slice(i).every(holdsAt))
  return {
    untilRollbackHoldsFromDelayMin: from === -1 ? null : ROLLBACK_DELAYS_MIN[from],
    harmAtMostOneFifthOfFlagger: bad.map((r) => {
      const { ratio } = view(r, variant)
      return {
        scenario: r.scenario,
        rps: r.rps,
        ratio: ratio.harmVsFlagger,
        /** Counting an hour at full traffic after a wrong promotion (Flagger's harm often lands there). */
        ratioWithHorizon: ratio.harmWithHorizonVsFlagger,
        met: ratio.harmVsFlagger !== null && ratio.harmVsFlagger <= 0.2,
        metWithHorizon:
          ratio.harmWithHorizonVsFlagger !== null && ratio.harmWithHorizonVsFlagger <= 0.2
      }
    }),
    falseRollbackAtMost1Percent: healthy.map((r) => {
      const { ours } = view(r, variant)
      return {
        rps: r.rps,
        rate: ours.rolledBack / rollouts,
        met: ours.rolledBack / rollouts <= 0.01
      }
    }),
    every2PercentOrWorseCaught: twoPercentOrWorse.map((r) => {
      const { ours } = view(r, variant)
      return { scenario: r.scenario, rps: r.rps, promoted: ours.promoted, met: ours.promoted === 0 }
    })
  }
}

function markdown(result: {
  seed: number
  rolloutsPerScenario: number
  rows: Row[]
  targets: Record<Variant, ReturnType<typeof checkTargets>>
}): string {
  const n = result.rolloutsPerScenario
  const lines = [
    '# Judge benchmark: sequential judge vs Flagger’s documented rules',
    '',
    `${n} simulated rollouts per row (steps ${STEPS.join('/')}%, seed ${result.seed}, virtual time; current revision at ${pct(CURRENT_ERROR_RATE)} errors, p99 ${LATENCY.p99Ms} ms, lognormal).`,
    `Ours: judged every ${BATCH_MS / 1000}s, min step ${OURS.minStepMs / 1000}s, max step ${OURS.maxStepMs / 1000}s, alpha ${JUDGE_TUNING.alpha} per test and step. Flagger: its docs' example (interval 1m, threshold 10, request-success-rate min 99, request-duration max 500 ms; failed checks cumulative).`,
    'Harm = failed user requests served by the candidate (p99 rows: requests served by the slower candidate), counted two ways. **Until the decision**: until the policy promotes or rolls back. **Until rollback** ("+1h"): a bad candidate that was promoted keeps failing users until a person rolls it back, assumed an hour later at full traffic; this is the issue’s "before rollback", and the only count in which promoting a bad candidate costs anything.',
    'Two variants on the same seeds (users’ requests are identical in both):',
    '',
    '- **User traffic only**: each policy sees the users’ requests alone (ours as a data plane’s per-revision figures).',
    `- **As deployed**: each policy also gets the synthetic traffic it ships with, and reads Prometheus as it really does: its figures are ${SCRAPE_LAG_MS / 1000}s old (a scrape interval, at its worst). Ours (with \`prometheus-url\`): its default probes, ${PROBE_RPS} req/s to the candidate and ${PROBE_RPS} to the current whatever the split, judged at once; and the data plane’s per-revision counts, users’ and probes’ requests alike, judged as soon as they hold more requests than the probes (src/analysis/choose-evidence.ts). Flagger: its docs’ load tester (\`hey -z 1m -q 10 -c 2\`, ${LOAD_TESTER_RPS} req/s to the canary) counted in its metrics, failing as often as users’ requests, over a 1m window ending at the latest scrape. Synthetic failures are nobody’s harm. Steps ${DEPLOYED_STEPS.join('/')}% then promotion, as both products run: neither analyses at 100%. The "probes only" columns give our judge the probes alone: the action without a \`prometheus-url\`.`,
    '',
    'Raw figures, the threshold-5 Flagger variant and the config are in judge.json; reproduce with `npm run bench -- judge`.',
    '',
    '## Targets',
    '',
    'Per variant: harm at most 1/5 of Flagger’s on every bad scenario (both counts); false rollbacks of healthy candidates at most 1%; every candidate at 2% errors or worse caught.',
    '',
    ...targetLines('User traffic only', result.targets.userTrafficOnly),
    ...targetLines('As deployed', result.targets.asDeployed),
    ...targetLines('As deployed without `prometheus-url` (probes only)', result.targets.probesOnly),
    '## Results: user traffic only',
    '',
    '| scenario | req/s | ours: harm mean / p95 | Flagger: harm mean / p95 | ratio until decision | ratio until rollback (+1h) | ours: decision s | Flagger: decision s | ours: promoted | Flagger: promoted | ours: rolled back (inconclusive) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  ]
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(2))
  for (const r of result.rows) {
    lines.push(
      `| ${r.scenario} | ${r.rps} | ${r.ours.harmMean.toFixed(1)} / ${r.ours.harmP95.toFixed(0)} | ${r.flagger.harmMean.toFixed(1)} / ${r.flagger.harmP95.toFixed(0)} | ${r.bad ? f(r.ratio.harmVsFlagger) : '–'} | ${r.bad ? f(r.ratio.harmWithHorizonVsFlagger) : '–'} | ${r.ours.decisionSecondsMean.toFixed(0)} | ${r.flagger.decisionSecondsMean.toFixed(0)} | ${pct(r.ours.promoted / n)} | ${pct(r.flagger.promoted / n)} | ${pct(r.ours.rolledBack / n)} (${pct(r.ours.inconclusiveRollbacks / n)}) |`
    )
  }
  lines.push(
    '',
    '## Results: as deployed',
    '',
    `| scenario | req/s | ours + probes: harm mean / p95 | Flagger + load tester: harm mean / p95 | ratio until decision | ratio until rollback (+1h) | ours: decision s | Flagger: decision s | ours: promoted | Flagger: promoted | ours: rolled back (inconclusive) | probes only: harm mean | probes only: ratio until decision / until rollback | probes only: promoted |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  )
  for (const r of result.rows) {
    const d = r.asDeployed
    lines.push(
      `| ${r.scenario} | ${r.rps} | ${d.ours.harmMean.toFixed(1)} / ${d.ours.harmP95.toFixed(0)} | ${d.flagger.harmMean.toFixed(1)} / ${d.flagger.harmP95.toFixed(0)} | ${r.bad ? f(d.ratio.harmVsFlagger) : '–'} | ${r.bad ? f(d.ratio.harmWithHorizonVsFlagger) : '–'} | ${d.ours.decisionSecondsMean.toFixed(0)} | ${d.flagger.decisionSecondsMean.toFixed(0)} | ${pct(d.ours.promoted / n)} | ${pct(d.flagger.promoted / n)} | ${pct(d.ours.rolledBack / n)} (${pct(d.ours.inconclusiveRollbacks / n)}) | ${d.oursProbesOnly.harmMean.toFixed(1)} | ${r.bad ? `${f(d.ratio.probesOnlyHarmVsFlagger)} / ${f(d.ratio.probesOnlyHarmWithHorizonVsFlagger)}` : '–'} | ${pct(d.oursProbesOnly.promoted / n)} |`
    )
  }
  return lines.join('\n') + '\n'
}

function targetLines(title: string, t: ReturnType<typeof checkTargets>): string[] {
  const missedRatio = t.harmAtMostOneFifthOfFlagger.filter((x) => !x.met)
  const missedWithHorizon = t.harmAtMostOneFifthOfFlagger.filter((x) => !x.metWithHorizon)
  const r = (x: number | null) => (x === null ? 'no harm either side' : x.toFixed(2))
  const falseRollbacks = t.falseRollbackAtMost1Percent
    .map((x) => `${pct(x.rate)} at ${x.rps} req/s`)
    .join(', ')
  const escaped = t.every2PercentOrWorseCaught.filter((x) => !x.met)
  return [
    `**${title}**`,
    '',
    `- Harm until rollback at most 1/5 of Flagger's on every bad scenario: ${missedWithHorizon.length === 0 ? `met (worst ratio ${r(Math.max(...t.harmAtMostOneFifthOfFlagger.map((x) => x.ratioWithHorizon ?? 0)))})` : `NOT met for ${missedWithHorizon.map((x) => `${x.scenario} at ${x.rps} req/s (${r(x.ratioWithHorizon)})`).join(', ')}; met elsewhere`}; ${t.untilRollbackHoldsFromDelayMin === null ? `not met at any of the hand-rollback delays tried (${ROLLBACK_DELAYS_MIN.join(', ')} min)` : `it holds for any hand-rollback delay from ${t.untilRollbackHoldsFromDelayMin} min (tried ${ROLLBACK_DELAYS_MIN.join(', ')} min)`}.`,
    `- Harm until the decision at most 1/5 of Flagger's on every bad scenario: ${missedRatio.length === 0 ? 'met' : `NOT met for ${missedRatio.map((x) => `${x.scenario} at ${x.rps} req/s (${r(x.ratio)})`).join(', ')}; met elsewhere`}.`,
    `- False rollbacks of healthy candidates at most 1%: ${t.falseRollbackAtMost1Percent.every((x) => x.met) ? 'met' : 'NOT met'} (${falseRollbacks}).`,
    `- Every candidate at 2% errors or worse caught: ${escaped.length === 0 ? 'met (none promoted)' : `NOT met: ${escaped.map((x) => `${x.scenario} at ${x.rps} req/s, ${x.promoted} promoted`).join('; ')}`}.`,
    ''
  ]
}

// This bundle is also the worker script (placed last, once everything above is defined):
// a worker runs one job and posts its row.
serveJobs('judgeBenchJob', runJob)
