// The statistics behind each verdict, in plain names, for the summary's details fold. The
// judge's figures (src/analysis/judge.ts) keep their code names in the state's history; a
// person reading the summary gets what each one means and the value at which it fails.

import type { StepReport } from '../types.js'
import type { Escape } from './markdown.js'
import { clip } from './markdown.js'
import { count, ms } from './format.js'
import { FAIL_AT } from './verdict.js'

/** Figures the table already shows, and bookkeeping: not repeated in the fold. */
const SHOWN = new Set([
  'elapsedMs',
  'candidateRequests',
  'candidateErrors',
  'candidateSuccessRate',
  'candidateP99Ms',
  'currentRequests',
  'currentErrors',
  'currentSuccessRate',
  'currentP99Ms',
  // Pairs with its test's score below.
  'latencyBoundary',
  'latencyToleranceMs'
])

/** The judge's ln-odds figures: what each is the odds of. */
const ODDS: Record<string, string> = {
  errorEvidence: 'odds that the candidate fails more often than the current',
  successGuardEvidence: 'odds that its success rate is below min-success-rate',
  latencyGuardEvidence: 'odds that over 1% of its requests are slower than max-latency-p99'
}

/** One line per figure, plain names first; unknown figures (a custom judge) in words too. */
export function statLines(stats: Record<string, number>): string[] {
  const lines: string[] = []
  for (const [key, value] of Object.entries(stats)) {
    if (SHOWN.has(key) || !Number.isFinite(value)) continue
    if (ODDS[key]) lines.push(`${ODDS[key]}: ${odds(value)} (fails at ${odds(FAIL_AT)})`)
    else if (key === 'latencyZ')
      lines.push(
        `latency rank test (Mann–Whitney z): ${value.toFixed(1)}` +
          (stats.latencyBoundary !== undefined
            ? ` (fails at ${stats.latencyBoundary.toFixed(1)})`
            : '')
      )
    else if (key === 'latencyShiftMs')
      lines.push(
        `median latency shift: ${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}` +
          (stats.latencyToleranceMs !== undefined
            ? ` (${ms(stats.latencyToleranceMs)} tolerated)`
            : '')
      )
    else if (key === 'candidateExposure')
      lines.push(
        `the candidate's share of the requests, as the error test weighs it: ${Math.round(value * 100)}%`
      )
    else lines.push(`${words(key)}: ${Number(value.toPrecision(3))}`)
  }
  return lines
}

/** Every line of one step's fold entry: statistics, network errors, checks. */
export function stepStatLines(step: StepReport, text: Escape): string[] {
  const lines = statLines(step.stats ?? {})
  if (step.source) lines.push(`judged on all traffic the data plane counted (${text(step.source)})`)
  const n = step.networkErrors
  if (n && n.candidate + n.current > 0)
    lines.push(
      `probes with no answer at all: candidate ${count(n.candidate)}, current ${count(n.current)}`
    )
  for (const c of step.checks ?? [])
    lines.push(
      `check ${text(clip(c.name, 100))}: ${c.value === undefined ? 'no data' : Number(c.value.toPrecision(4))}, ${c.verdict} (${text(clip(c.reason, 300))})`
    )
  return lines
}

/** ln-odds as "N to 1", capped where the number stops meaning anything. */
function odds(ln: number): string {
  const n = Math.exp(ln)
  if (n >= 1e9) return 'over 1,000,000,000 to 1'
  if (n >= 10) return `${count(n)} to 1`
  return `${Number(n.toPrecision(2))} to 1`
}

/** `someFigureMs` → `some figure (ms)`. */
function words(key: string): string {
  const unit = key.endsWith('Ms') ? ' (ms)' : ''
  return (
    key
      .replace(/Ms$/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase() + unit
  )
}
