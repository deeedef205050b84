// The steps table (one row per analysed step, with its times) and the statistics fold.

import type { ProbeSummary } from '../../analysis/stats.js'
import type { Verdict } from '../../analysis/verdict.js'
import type { StepReport } from '../types.js'
import { clockTime, count, duration, ms, percentOf } from './format.js'
import { clip, table, type Escape } from './markdown.js'
import { stepStatLines } from './stats.js'
import { stepWords } from './verdict.js'

const VERDICT: Record<Verdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive'
}

const HEADER = [
  'Step',
  'Share',
  'Time (UTC)',
  'Took',
  'Candidate failed',
  'Candidate p99',
  'Current failed',
  'Current p99',
  'Verdict'
]

/**
 * The table; `quoted` is the index of the step whose words the page's headline already
 * says (each reason once), so its row shows the verdict alone.
 */
export function stepsTable(
  steps: readonly StepReport[],
  maxRows: number,
  text: Escape,
  quoted?: number
): string[] {
  const rows = steps.map((step, i) => row(step, i, text, i === quoted))
  if (rows.length <= maxRows) return table(HEADER, 'rrrrrrrrl', rows)
  const half = Math.floor(maxRows / 2)
  const omitted = rows.length - 2 * half
  return table(HEADER, 'rrrrrrrrl', [
    ...rows.slice(0, half),
    ['…', `${omitted} steps omitted`],
    ...rows.slice(-half)
  ])
}

function row(step: StepReport, i: number, text: Escape, quoted: boolean): string[] {
  const words = quoted ? undefined : stepWords(step)
  // Figures from the data plane count users' requests too, far more than the probes send.
  const share = step.source ? `${step.percent}% (all traffic)` : `${step.percent}%`
  const took =
    step.startedAt !== undefined && step.endedAt !== undefined
      ? duration(step.endedAt - step.startedAt)
      : '–'
  return [
    String(i + 1),
    share,
    stepTime(step),
    took,
    failures(step.candidate),
    p99(step.candidate),
    failures(step.current),
    p99(step.current),
    VERDICT[step.verdict] + (words ? `: ${text(clip(words, 300))}` : '')
  ]
}

/** The fold: per step, the statistics in plain names (no reason again: the table has it). */
export function statisticsFold(
  steps: readonly StepReport[],
  maxRows: number,
  text: Escape
): string[] {
  const shown = steps.slice(-maxRows)
  const first = steps.length - shown.length
  const entries = shown
    .map((step, i) => ({ step, n: first + i + 1, lines: stepStatLines(step, text) }))
    .filter((e) => e.lines.length > 0)
  if (entries.length === 0) return []
  return [
    '<details><summary>Statistics behind the verdicts</summary>',
    '',
    ...entries.map((e) => `- **Step ${e.n} (${e.step.percent}%):** ${e.lines.join('; ')}.`),
    '',
    '</details>',
    ''
  ]
}

/** When the step began and ended, `14:02:05 → 14:02:35`; a step still open shows its start. */
function stepTime(step: StepReport): string {
  if (step.startedAt === undefined) return '–'
  const end = step.endedAt !== undefined ? clockTime(step.endedAt) : ''
  return `${clockTime(step.startedAt)} → ${end}`.trimEnd()
}

const failures = (s?: ProbeSummary): string =>
  s
    ? s.requests > 0
      ? `${count(s.errors)} of ${count(s.requests)} (${percentOf(s.errors / s.requests)})`
      : '0 of 0'
    : '–'
const p99 = (s?: ProbeSummary): string => (s && s.requests > 0 ? ms(s.p99) : '–')
