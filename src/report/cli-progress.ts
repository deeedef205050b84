// Terminal lines for the CLI, one per finished step and one for the end, e.g.
//   [25%] candidate 48/48 ok p99 12ms · current 49/49 ok p99 10ms → pass

import type { ProbeSummary } from '../analysis/stats.js'
import type { RolloutReport, StepReport } from './types.js'
import { escapeUntrusted } from './untrusted.js'

/** `unit` names the Service (and cluster) when a run rolls out several. */
export function formatStepLine(step: StepReport, unit?: string): string {
  const parts = [
    ...(unit ? [`[${escapeUntrusted(unit)}]`] : []),
    `[${step.percent}%]`,
    `candidate ${probeText(step.candidate)}`
  ]
  if (step.current) parts.push(`· current ${probeText(step.current)}`)
  const net = step.networkErrors
  if (net && net.candidate + net.current > 0)
    parts.push(`· network errors: candidate ${net.candidate}, current ${net.current}`)
  parts.push(`→ ${step.verdict}${step.reason ? ` (${escapeUntrusted(step.reason)})` : ''}`)
  return parts.join(' ')
}

export function formatResultLine(report: RolloutReport): string {
  const revisions = revisionsText(report)
  // Reasons quote apps, servers and annotations: one bounded line (src/report/untrusted.ts).
  const reason = report.reason ? `: ${escapeUntrusted(report.reason)}` : ''
  const name = serviceName(report)
  return `${report.result}${name ? ` ${name}` : ''}${revisions ? ` (${revisions})` : ''}${reason}`
}

/** `namespace/service`; empty when the Service is unknown (its manifest was refused: the reason names it). */
export function serviceName(report: Pick<RolloutReport, 'namespace' | 'service'>): string {
  return report.service ? `${report.namespace}/${report.service}` : ''
}

/**
 * `current → candidate`, or the one revision known (a status names the serving one: no
 * `→ ?`); a preview is no step from production to it (both keep serving), so it is named
 * alone, and a cleanup's says it is gone.
 */
function revisionsText(report: RolloutReport): string {
  const { currentRevision: current, candidateRevision: candidate } = report
  if (report.command === 'preview' && candidate)
    return `preview ${candidate}${report.result === 'aborted' ? ' removed' : ''}`
  return current && candidate ? `${current} → ${candidate}` : (candidate ?? current ?? '')
}

function probeText(s: ProbeSummary | undefined): string {
  if (!s || s.requests === 0) return 'no requests'
  return `${s.requests - s.errors}/${s.requests} ok p99 ${Math.round(s.p99)}ms`
}
