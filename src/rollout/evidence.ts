// A step's evidence in the compact form kept in the Service's history annotation, so that
// "why did it roll back?" has an answer from `status` long after the run's log is gone.
// Pure: figures in, figures and one line of text out.

import type { StepReport } from '../report/types.js'

export interface StepEvidence {
  percent: number
  verdict: StepReport['verdict']
  /** How long the step's analysis ran. */
  ms: number
  /** [requests, errors, p99 ms] per revision, of the probes or of what `source` counted. */
  candidate?: [number, number, number]
  current?: [number, number, number]
  /** Absent for probes; the data plane's metric when the judge weighed every request served. */
  source?: string
  /** The judge's figures, to 3 significant digits (counts already in the tuples left out). */
  stats?: Record<string, number>
  /** Metric checks and rollout hooks: name, verdict, value. */
  checks?: { name: string; verdict: StepReport['verdict']; value?: number }[]
}

/** Counts the tuples already carry; the rest of the judge's figures are kept. */
const IN_TUPLES = new Set([
  'candidateRequests',
  'candidateErrors',
  'candidateP99Ms',
  'currentRequests',
  'currentErrors',
  'currentP99Ms',
  'elapsedMs'
])

export function stepEvidence(step: StepReport): StepEvidence {
  const tuple = (s: StepReport['candidate']): [number, number, number] | undefined =>
    s && s.requests > 0 ? [s.requests, s.errors, round(s.p99)] : undefined
  const stats = step.stats
    ? Object.fromEntries(
        Object.entries(step.stats)
          .filter(([k, v]) => !IN_TUPLES.has(k) && Number.isFinite(v))
          .map(([k, v]) => [k, round(v)])
      )
    : undefined
  return {
    percent: step.percent,
    verdict: step.verdict,
    ms: Math.max(0, (step.endedAt ?? 0) - (step.startedAt ?? 0)),
    ...(tuple(step.candidate) ? { candidate: tuple(step.candidate) } : {}),
    ...(tuple(step.current) ? { current: tuple(step.current) } : {}),
    ...(step.source ? { source: step.source } : {}),
    ...(stats && Object.keys(stats).length ? { stats } : {}),
    ...(step.checks?.length
      ? {
          checks: step.checks.map((c) => ({
            name: c.name,
            verdict: c.verdict,
            ...(c.value === undefined ? {} : { value: round(c.value) })
          }))
        }
      : {})
  }
}

/** One line a person reads: `step 25%: fail after 4.2s; candidate 12/40 errors, p99 21 ms; ...`. */
export function describeEvidence(e: StepEvidence): string {
  const side = (name: string, t?: [number, number, number]) =>
    t ? `${name} ${t[1]}/${t[0]} errors, p99 ${t[2]} ms` : undefined
  const checks = e.checks?.map(
    (c) => `${c.name} ${c.value ?? 'no data'} ${c.verdict === 'pass' ? '✓' : c.verdict}`
  )
  return [
    `step ${e.percent}%: ${e.verdict} after ${round(e.ms / 1000)}s${e.source ? ` (judged on all traffic: ${e.source})` : ''}`,
    side('candidate', e.candidate),
    side('current', e.current),
    checks?.length ? `checks: ${checks.join(', ')}` : undefined
  ]
    .filter(Boolean)
    .join('; ')
}

function round(n: number): number {
  return Number(n.toPrecision(3))
}
