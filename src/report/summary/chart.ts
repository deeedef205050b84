// The summary's charts: what the judge saw at each look of the rollout, candidate against
// current: the candidate's share (as steps), the share of failed requests and the p99, so
// far in each step. Mermaid xychart blocks with their colours set in an init directive:
// Mermaid's default palette draws a single series in #ECECFF, invisible on white, and
// GitHub renders the dark theme's text in dark mode. Mid-tone colours read on both.
// Labels are generated here (numbers and times), never user strings.

import type { LookFigures, RolloutReport, StepReport } from '../types.js'
import { elapsed, latency, rate } from './format.js'

/** Candidate, current: orange and blue, apart for colour-blind readers too. */
export const CANDIDATE_COLOUR = '#e8590c'
export const CURRENT_COLOUR = '#1c7ed6'
const SHARE_COLOUR = '#868e96'
const INK = '#888888'
/** Points per chart: more would crowd the x axis; longer runs are thinned evenly. */
export const MAX_POINTS = 48

interface Point {
  at: number
  percent: number
  candidate: LookFigures
  current?: LookFigures
}

/** The charts, or none when nothing was measured. */
export function charts(report: Pick<RolloutReport, 'steps'>): string[] {
  const points = thin(pointsOf(report.steps))
  if (points.length === 0) return []
  const start = report.steps.find((s) => s.startedAt !== undefined)?.startedAt ?? points[0].at
  const labels = uniqueLabels(points.map((p) => elapsed(p.at - start)))
  const both = points.some((p) => p.current)
  const legend = both ? ' — orange: candidate, blue: current' : ' — candidate'
  const errorRate = (f?: LookFigures) => (f && f.requests > 0 ? rate(f.errors / f.requests) : 0)
  const p99 = (f?: LookFigures) => (f && f.requests > 0 ? latency(f.p99Ms) : 0)
  const series = (of: (f?: LookFigures) => number) =>
    both
      ? [points.map((p) => of(p.candidate)), points.map((p) => of(p.current))]
      : [points.map((p) => of(p.candidate))]
  return [
    chart(
      'Candidate share (%) per look',
      labels,
      '%',
      100,
      'bar',
      [points.map((p) => p.percent)],
      110
    ),
    chart(
      `Failed requests (%) so far in each step${legend}`,
      labels,
      '%',
      top(series(errorRate)),
      'line',
      series(errorRate)
    ),
    chart(
      `p99 latency (ms) so far in each step${legend}`,
      labels,
      'ms',
      top(series(p99)),
      'line',
      series(p99)
    )
  ]
}

/** Every look of every step; a step without looks (older reports) counts as one at its end. */
function pointsOf(steps: readonly StepReport[]): Point[] {
  const out: Point[] = []
  steps.forEach((step, i) => {
    if (step.looks?.length) {
      for (const look of step.looks) out.push({ percent: step.percent, ...look })
    } else if (step.candidate) {
      const f = (s: NonNullable<StepReport['candidate']>): LookFigures => ({
        requests: s.requests,
        errors: s.errors,
        p99Ms: s.p99
      })
      out.push({
        at: step.endedAt ?? step.startedAt ?? i,
        percent: step.percent,
        candidate: f(step.candidate),
        ...(step.current ? { current: f(step.current) } : {})
      })
    }
  })
  return out
}

/** At most MAX_POINTS, evenly spaced, the last always kept (it ended the run). */
function thin(points: Point[]): Point[] {
  if (points.length <= MAX_POINTS) return points
  return Array.from(
    { length: MAX_POINTS },
    (_, i) => points[Math.round((i * (points.length - 1)) / (MAX_POINTS - 1))]
  )
}

/** Mermaid merges equal category names: a second look in the same second gets a mark. */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>()
  return labels.map((l) => {
    const n = seen.get(l) ?? 0
    seen.set(l, n + 1)
    return n === 0 ? l : `${l}${"'".repeat(n)}`
  })
}

/** An axis top a little above the largest value, never 0. */
function top(series: number[][]): number {
  const max = Math.max(0, ...series.flat())
  if (max <= 0) return 1
  const raw = max * 1.15
  const step = 10 ** Math.floor(Math.log10(raw))
  return Math.ceil(raw / step) * step
}

function chart(
  title: string,
  labels: string[],
  unit: string,
  max: number,
  kind: 'bar' | 'line',
  series: number[][],
  height = 170
): string {
  // Bars for the share, lines for the comparisons; colours follow the series' order.
  const palette = kind === 'bar' ? [SHARE_COLOUR] : [CANDIDATE_COLOUR, CURRENT_COLOUR]
  const theme = {
    xyChart: {
      backgroundColor: 'transparent',
      plotColorPalette: palette.join(', '),
      titleColor: INK,
      xAxisLabelColor: INK,
      xAxisTitleColor: INK,
      xAxisTickColor: INK,
      xAxisLineColor: INK,
      yAxisLabelColor: INK,
      yAxisTitleColor: INK,
      yAxisTickColor: INK,
      yAxisLineColor: INK
    }
  }
  const init = { xyChart: { width: 720, height, titleFontSize: 14 }, themeVariables: theme }
  return [
    '```mermaid',
    `%%{init: ${JSON.stringify(init)}}%%`,
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "time since the first step (m:ss)" [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "${unit}" 0 --> ${max}`,
    ...series.map((values) => `  ${kind} [${values.join(', ')}]`),
    '```'
  ].join('\n')
}
