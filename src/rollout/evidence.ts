// A step's evidence in the compact form kept in the Service's history annotation, so that
// "why did it roll back?" has an answer from `status` long after the run's log is gone.
// Pure: figures in, figures and one line of text out.

import type { Verdict } from '../analysis/verdict.js'
import type { StepReport } from '../report/types.js'
import { escapeUntrusted } from '../report/untrusted.js'

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

const VERDICTS: readonly unknown[] = ['pass', 'fail', 'inconclusive'] satisfies Verdict[]
const MAX_CHECKS = 50
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const tupleOf = (v: unknown): v is [number, number, number] =>
  Array.isArray(v) && v.length === 3 && v.every(finite)

/**
 * Evidence read back from the history annotation, which anyone with `patch` on the Service
 * can write: of the shape stepEvidence writes (figures finite, a known verdict, text escaped
 * and bounded), or undefined. `status` prints it, so a wrong shape must not reach it.
 */
export function readEvidence(value: unknown): StepEvidence | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
  const e = value as Record<string, unknown>
  if (!finite(e.percent) || e.percent < 0 || e.percent > 100) return undefined
  if (!VERDICTS.includes(e.verdict) || !finite(e.ms) || e.ms < 0) return undefined
  for (const side of [e.candidate, e.current])
    if (side !== undefined && !tupleOf(side)) return undefined
  if (e.source !== undefined && typeof e.source !== 'string') return undefined
  const stats = e.stats === undefined ? undefined : readStats(e.stats)
  const checks = e.checks === undefined ? undefined : readChecks(e.checks)
  if ((e.stats !== undefined && !stats) || (e.checks !== undefined && !checks)) return undefined
  return {
    percent: e.percent,
    verdict: e.verdict as Verdict,
    ms: e.ms,
    ...(e.candidate ? { candidate: e.candidate as [number, number, number] } : {}),
    ...(e.current ? { current: e.current as [number, number, number] } : {}),
    ...(typeof e.source === 'string' ? { source: escapeUntrusted(e.source, 200) } : {}),
    ...(stats ? { stats } : {}),
    ...(checks ? { checks } : {})
  }
}

function readStats(value: unknown): Record<string, number> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
  const entries = Object.entries(value)
  if (entries.length > MAX_CHECKS || !entries.every(([k, v]) => /^\w{1,60}$/.test(k) && finite(v)))
    return undefined
  return Object.fromEntries(entries) as Record<string, number>
}

function readChecks(value: unknown): StepEvidence['checks'] {
  if (!Array.isArray(value) || value.length > MAX_CHECKS) return undefined
  const checks: NonNullable<StepEvidence['checks']> = []
  for (const c of value as Record<string, unknown>[]) {
    if (!c || typeof c !== 'object' || typeof c.name !== 'string') return undefined
    if (!VERDICTS.includes(c.verdict) || (c.value !== undefined && !finite(c.value)))
      return undefined
    checks.push({
      name: escapeUntrusted(c.name, 100),
      verdict: c.verdict as Verdict,
      ...(c.value === undefined ? {} : { value: c.value as number })
    })
  }
  return checks
}

function round(n: number): number {
  return Number(n.toPrecision(3))
}
