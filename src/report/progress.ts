// Live progress during a step's analysis: the snapshot the step loop hands out after every
// slice of a look (rollout/step-loop.ts, at least every PROGRESS_EVERY_MS), and its one-line
// rendering for the Actions log and a terminal that is not redrawn. Pure.
//   step 2/4 at 25%: candidate shop-v2 48 requests, 0 errors · current shop-v1 150 requests, 1 error · 12s in, 18s left

import { formatDuration } from '../duration.js'
import { escapeUntrusted } from './untrusted.js'

/** A line at least this often while a step is analysed (issue 15: the log is never silent). */
export const PROGRESS_EVERY_MS = 10_000

export interface Tally {
  requests: number
  errors: number
}

export interface StepProgress {
  /** The candidate's share now. */
  percent: number
  /** The rollout's step plan (the state's `steps`), for "step n/N". */
  plan: readonly number[]
  /** A confirm-* gate the candidate is held at, analysed until it opens. */
  gate?: string
  candidateRevision: string
  currentRevision: string
  /** Since the step's analysis began. */
  elapsedMs: number
  /** The earliest the step may pass (step-interval). */
  intervalMs: number
  /** An inconclusive step ends here (Infinity while held at a gate). */
  maxStepMs: number
  /** Probes sent so far in this step, per revision. */
  candidate: Tally
  current: Tally
}

/** `n` of `N` analysed steps (a share under 100%); a share between them counts as the one below. */
export function stepOrdinal(plan: readonly number[], percent: number): { n: number; of: number } {
  const analysed = plan.filter((p) => p < 100)
  const of = Math.max(1, analysed.length)
  // The plan is strictly increasing (inputs/schedule.ts): the steps at or below the share.
  const n = analysed.filter((p) => p <= percent).length
  return { n: Math.min(of, Math.max(1, n)), of }
}

/**
 * What is left of the step: until its interval, then (an inconclusive step goes on) until its
 * maximum; nothing while held at a gate, which ends when the gate opens.
 */
export function timeLeft(p: StepProgress): { ms: number; extended: boolean } | undefined {
  if (p.elapsedMs <= p.intervalMs) return { ms: p.intervalMs - p.elapsedMs, extended: false }
  if (!Number.isFinite(p.maxStepMs)) return undefined
  return { ms: Math.max(0, p.maxStepMs - p.elapsedMs), extended: true }
}

/** Whole seconds, Go-style (`1m5s`): a progress line does not need milliseconds. */
export function seconds(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000)
}

export function tallyText(t: Tally): string {
  const requests = `${t.requests} request${t.requests === 1 ? '' : 's'}`
  return `${requests}, ${t.errors} error${t.errors === 1 ? '' : 's'}`
}

/** "step 2/4 at 25%" or "holding at 50% for confirm-promotion". */
export function stepTitle(p: Pick<StepProgress, 'plan' | 'percent' | 'gate'>): string {
  if (p.gate) return `holding at ${p.percent}% for ${p.gate}`
  const { n, of } = stepOrdinal(p.plan, p.percent)
  return `step ${n}/${of} at ${p.percent}%`
}

export function timeText(p: StepProgress): string {
  const left = timeLeft(p)
  const elapsed = `${seconds(p.elapsedMs)} in`
  if (!left) return `${elapsed}, until the gate opens`
  return `${elapsed}, ${seconds(left.ms)} left${left.extended ? ' (extended: too little data)' : ''}`
}

/** One line: revision names come from the cluster (state annotations), so they are escaped. */
/** `unit` names the Service (and cluster) when a run rolls out several, as step lines do. */
export function formatProgressLine(p: StepProgress, unit?: string): string {
  const name = (revision: string) => escapeUntrusted(revision, 80)
  return (
    (unit ? `[${escapeUntrusted(unit)}] ` : '') +
    `${stepTitle(p)}: candidate ${name(p.candidateRevision)} ${tallyText(p.candidate)}` +
    ` · current ${name(p.currentRevision)} ${tallyText(p.current)} · ${timeText(p)}`
  )
}
