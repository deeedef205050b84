// A step's verdict in words a person reads at a glance ("clearly worse: 12 of 50 failed
// against 0 of 50"), drawn from the judge's figures rather than its sentence; the odds and
// test scores behind it go to the statistics fold (stats.ts).

import { JUDGE_TUNING } from '../../analysis/judge.js'
import type { StepReport } from '../types.js'
import { count, failed, ms } from './format.js'

/** The ln-odds at which a test fails a step (stats.ts shows them as "N to 1"). */
export const FAIL_AT = Math.log(1 / JUDGE_TUNING.alpha)

/** The judge's own parenthetical odds, "(evidence over 1,000,000:1, needed 1,000:1)", left to the fold. */
const ODDS_NOTE = /\s*\(evidence [^)]*\)/g

/** A reason with the judge's odds left out (they are in the statistics fold). */
export function plainReason(reason: string): string {
  return reason.replace(ODDS_NOTE, '')
}

/** The words for one step's verdict; undefined when there is nothing to say beyond the label. */
export function stepWords(step: StepReport): string | undefined {
  const s = step.stats ?? {}
  const c = step.candidate
  const k = step.current
  const against =
    c && k && k.requests > 0 ? ` against ${count(k.errors)} of ${count(k.requests)}` : ''
  const candidate = c ? failed(c.errors, c.requests) : undefined
  if (step.verdict === 'fail' && step.stats) {
    const parts: string[] = []
    if ((s.errorEvidence ?? 0) >= FAIL_AT && candidate)
      parts.push(`clearly worse: ${candidate}${against}`)
    if (
      s.latencyShiftMs !== undefined &&
      s.latencyToleranceMs !== undefined &&
      s.latencyShiftMs > s.latencyToleranceMs &&
      (s.latencyZ ?? 0) >= (s.latencyBoundary ?? Infinity)
    )
      parts.push(
        `clearly slower: median +${ms(s.latencyShiftMs)} (${ms(s.latencyToleranceMs)} tolerated)`
      )
    if ((s.successGuardEvidence ?? 0) >= FAIL_AT && candidate)
      parts.push(`too many failures for min-success-rate: ${candidate}`)
    if ((s.latencyGuardEvidence ?? 0) >= FAIL_AT && c)
      parts.push(`too slow for max-latency-p99: p99 ${ms(c.p99)}`)
    if (parts.length) return parts.join('; ')
  }
  if (step.verdict === 'pass' && step.stats && candidate) {
    const p99 = k && k.requests > 0 ? `p99 ${ms(c!.p99)} against ${ms(k.p99)}` : `p99 ${ms(c!.p99)}`
    return `${against ? 'as good as the current' : 'within the thresholds'}: ${candidate}${against}, ${p99}`
  }
  return step.reason ? plainReason(step.reason) : undefined
}
