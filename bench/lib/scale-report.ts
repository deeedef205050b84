// The scale benchmark's figures (bench/scale.bench.ts): each run's growth against the
// 1-Service run, the targets (100 Services in at most 1.5× the wall time of one,
// under 200 MB), and bench/results/scale.md.

import type { UnitTimes } from './api-requests.js'

export interface ScaleRow {
  label: string
  services: number
  waves: number
  clusters: number
  /** Service × cluster rollouts. */
  units: number
  maxParallel: number
  wallMs: number
  peakRssMb: number
  /** The JS heap's peak in use and held: the rest of the peak RSS is Node, code and malloc. */
  peakHeapMb: { used: number; total: number }
  cpuMs: { user: number; system: number; total: number }
  /** How long the rollout's threads waited for a CPU (lib/processes.ts). */
  runQueueWaitMs: number
  /** The bench's own process meanwhile: the emulators serving the run. */
  emulator: { cpuMs: number; runQueueWaitMs: number }
  /** The machine's 1-minute load average as the run started and ended. */
  loadAverage: { before: number; after: number }
  requests: { total: number; byVerb: Record<string, number>; perUnit: number }
  /** Each unit's first API request after the spawn, and its span of requests. */
  times: UnitTimes
  /** Result → how many units ended so. */
  results: Record<string, number>
}

export interface RatedRow extends ScaleRow {
  /**
   * Rounds of at most max-parallel rollouts the driver needs: each wave's units in
   * ceil(units / max-parallel) turns, the waves one after another.
   */
  turns: number
  ratios: {
    wallTime: number
    requests: number
    peakRss: number
    cpuTime: number
    /** Wall time over (turns × the baseline's): 1 when all growth is waiting one's turn. */
    wallTimePerTurn: number
  }
}

export const TARGET_WALL_RATIO = 1.5
export const TARGET_PEAK_RSS_MB = 200
const TARGET_SERVICES = 100

export function withRatios(rows: readonly ScaleRow[]): RatedRow[] {
  const base = rows.find((r) => r.units === 1)
  if (!base) throw new Error('no 1-Service baseline among the runs')
  return rows.map((r) => {
    const turns = r.waves * Math.ceil(r.units / r.waves / r.maxParallel)
    return {
      ...r,
      turns,
      ratios: {
        wallTime: round2(r.wallMs / base.wallMs),
        requests: round2(r.requests.total / base.requests.total),
        peakRss: round2(r.peakRssMb / base.peakRssMb),
        cpuTime: round2(r.cpuMs.total / base.cpuMs.total),
        wallTimePerTurn: round2(r.wallMs / (turns * base.wallMs))
      }
    }
  })
}

export interface ScaleTarget {
  target: string
  maxParallel: number
  value: number
  met: boolean
}

/** The two targets for 100 Services, at each max-parallel measured. */
export function scaleTargets(rows: readonly RatedRow[]): ScaleTarget[] {
  return rows
    .filter((r) => r.services === TARGET_SERVICES && r.waves === 1)
    .flatMap((r) => [
      {
        target: `${TARGET_SERVICES} services in ≤ ${TARGET_WALL_RATIO}× the wall time of one`,
        maxParallel: r.maxParallel,
        value: r.ratios.wallTime,
        met: r.ratios.wallTime <= TARGET_WALL_RATIO
      },
      {
        target: `${TARGET_SERVICES} services under ${TARGET_PEAK_RSS_MB} MB peak RSS`,
        maxParallel: r.maxParallel,
        value: r.peakRssMb,
        met: r.peakRssMb < TARGET_PEAK_RSS_MB
      }
    ])
}

export function scaleMarkdown(result: {
  rollout: Record<string, string>
  cores: number
  measurement: string
  targets: readonly ScaleTarget[]
  rows: readonly RatedRow[]
}): string {
  const options = Object.entries(result.rollout)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  const verbs = [...new Set(result.rows.flatMap((r) => Object.keys(r.requests.byVerb)))].sort()
  const lines = [
    '# Scale benchmark: many Services and waves of clusters in one run',
    '',
    `One invocation of the built CLI per row, v1 → v2 of every Service (${options}), each row on fresh emulators. ${result.measurement}.`,
    'Reproduce with `npm run bench -- scale` (after `npm run build`); raw figures in scale.json.',
    '',
    '## Targets',
    '',
    ...result.targets.map(
      (t) =>
        `- ${t.target}, max-parallel ${t.maxParallel}: ${t.met ? 'met' : 'NOT met'} (${t.value})`
    ),
    '',
    '## Where the time goes',
    '',
    ...whereTimeGoes(result.rows, result.cores),
    '',
    '## Runs',
    '',
    `| run | units | turns | wall s | × | wall per turn × | requests | × | per unit | ${verbs.join(' | ')} | peak RSS MB | × | peak heap MB used / held | CPU s | × | CPU wait s | emulator CPU s | load | first request s median / max | span s median / max |`,
    `|---|${'---:|'.repeat(19 + verbs.length)}`,
    ...result.rows
      .map((r) =>
        [
          r.label,
          r.units,
          r.turns,
          seconds(r.wallMs),
          r.ratios.wallTime,
          r.ratios.wallTimePerTurn,
          r.requests.total,
          r.ratios.requests,
          r.requests.perUnit,
          ...verbs.map((v) => r.requests.byVerb[v] ?? 0),
          r.peakRssMb.toFixed(0),
          r.ratios.peakRss,
          `${r.peakHeapMb.used.toFixed(0)} / ${r.peakHeapMb.total.toFixed(0)}`,
          seconds(r.cpuMs.total),
          r.ratios.cpuTime,
          seconds(r.runQueueWaitMs),
          seconds(r.emulator.cpuMs),
          r.loadAverage.before.toFixed(1),
          `${seconds(r.times.firstRequestMs.median)} / ${seconds(r.times.firstRequestMs.max)}`,
          `${seconds(r.times.spanMs.median)} / ${seconds(r.times.spanMs.max)}`
        ].join(' | ')
      )
      .map((row) => `| ${row} |`),
    '',
    '"turns": rounds of at most max-parallel rollouts (per wave, waves in sequence); "wall per turn ×" is the wall time over turns × the 1-Service run\'s, 1 when the growth is all waiting for a turn. "CPU wait": how long the CLI\'s main thread was ready to run but waited for a CPU (schedstat): the part of the wall time other work on the machine, the emulators\' included, took from it. "emulator CPU": the bench process serving the emulators meanwhile. "load": the 1-minute load average as the run started. "first request": from the spawn to each unit\'s first API request (start-up and the checks of every manifest, then the wait for a turn); "span": from a unit\'s first API request to its last, as the emulator logged them.',
    ''
  ]
  return lines.join('\n')
}

/** For each 100-Service run: turns, and per unit what grew against the 1-Service run. */
function whereTimeGoes(rows: readonly RatedRow[], cores: number): string[] {
  const base = rows.find((r) => r.units === 1)!
  const unit = (r: ScaleRow) =>
    `first API request ${seconds(r.times.firstRequestMs.median)} s after the spawn, its requests spanning ${seconds(r.times.spanMs.median)} s (median; max ${seconds(r.times.spanMs.max)} s)`
  return [
    `- 1 service: ${unit(base)}; ${base.requests.perUnit} API requests, ${seconds(base.cpuMs.total)} s CPU.`,
    ...rows
      .filter((r) => r.services === TARGET_SERVICES && r.waves === 1)
      .map(
        (r) =>
          `- ${r.label}: ${r.turns} turn${r.turns > 1 ? 's' : ''}, wall ${r.ratios.wallTime}× one service (${r.ratios.wallTimePerTurn}× per turn); per unit ${unit(r)}; ${r.requests.perUnit} API requests and ${Math.round((r.cpuMs.total - base.cpuMs.total) / (r.units - 1))} ms CPU per extra service; the CLI's main thread waited ${seconds(r.runQueueWaitMs)} s for a CPU, the emulators' ${seconds(r.emulator.runQueueWaitMs)} s (load average ${r.loadAverage.before.toFixed(1)} on ${cores} cores).`
      )
  ]
}

const round2 = (x: number) => Math.round(x * 100) / 100
const seconds = (ms: number) => (ms / 1000).toFixed(1)
