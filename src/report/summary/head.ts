// The top of the page: what happened in one line, why (once), the revisions, the times,
// the URLs and the traffic; and the kinds with no steps: bad input, dry run, status.

import type { RolloutReport, RolloutResult, TrafficShare } from '../types.js'
import { dateTime, duration } from './format.js'
import { clip, code, fence, link, type Escape } from './markdown.js'
import { plainReason, stepWords } from './verdict.js'

const MAX_REASON_CHARS = 4_000
const MAX_CHANGES_CHARS = 20_000

export const RESULT_TITLE: Record<RolloutResult, string> = {
  promoted: '✅ Promoted',
  'rolled-back': '↩️ Rolled back',
  paused: '⏸️ Paused',
  aborted: '⏹️ Aborted',
  unchanged: '➖ Unchanged',
  previewed: '🔎 Preview ready',
  failed: '❌ Failed'
}

export function heading(report: RolloutReport, text: Escape): string {
  // A Service whose manifest was refused has no name yet: the reason names the manifest.
  const where = report.service ? `: ${text(report.service)} in ${text(report.namespace)}` : ''
  if (report.badInput) return '## ❌ Failed: the inputs were refused'
  if (report.dryRun) return `## 📝 Dry run of ${text(report.command)}${where}`
  if (report.command === 'status') return `## ℹ️ Status (${phaseName(report.result)})${where}`
  const after = report.command === 'promote' ? ' (promote of a paused rollout)' : ''
  const abort = report.command === 'abort' ? ' (abort on request)' : ''
  // A preview's cleanup ends `aborted` (the contract's word for an end asked for).
  const removed = removedPreview(report) ? ' (preview removed)' : ''
  return `## ${RESULT_TITLE[report.result]}${after}${abort}${removed}${where}`
}

function removedPreview(report: RolloutReport): boolean {
  return report.command === 'preview' && report.result === 'aborted'
}

function phaseName(result: RolloutResult): string {
  return result === 'unchanged' ? 'no rollout in progress' : result
}

/**
 * Why it ended so, once: a step's failure in the judge's words drawn from its figures, or
 * the run's reason. Returns the lines and the index of the step it quoted, if any.
 */
export function why(report: RolloutReport, text: Escape): { lines: string[]; quoted?: number } {
  const last = report.steps.length - 1
  const step = report.steps[last]
  const fromStep =
    step && step.verdict !== 'pass' && step.reason && report.reason?.endsWith(step.reason)
  const label =
    report.result === 'rolled-back'
      ? 'Rollback reason'
      : report.result === 'paused'
        ? 'Paused'
        : 'Reason'
  if (fromStep) {
    const words = stepWords(step) ?? plainReason(step.reason!)
    return {
      lines: [
        `> **${label}:** at step ${last + 1} (${step.percent}%): ${text(clip(words, MAX_REASON_CHARS))}`,
        ''
      ],
      quoted: last
    }
  }
  if (report.reason)
    return {
      lines: [`> **${label}:** ${text(clip(plainReason(report.reason), MAX_REASON_CHARS))}`, '']
    }
  if (
    report.result === 'promoted' &&
    report.steps.length > 0 &&
    report.steps.every((s) => s.verdict === 'pass')
  )
    return {
      lines: [
        `> **Why promoted:** every analysed step passed (${report.steps.length} of ${report.steps.length}).`,
        ''
      ]
    }
  return { lines: [] }
}

const MAX_WARNING_CHARS = 500

/** The API server's warnings on the dry-run write, one quoted line each (untrusted text). */
export function warningLines(report: RolloutReport, text: Escape): string[] {
  if (!report.warnings?.length) return []
  return [
    ...report.warnings.map(
      (w) => `> ⚠️ **Kubernetes API server warning:** ${text(clip(w, MAX_WARNING_CHARS))}`
    ),
    ''
  ]
}

/** Revisions, image, times, URLs. A revision is only called a first deploy when it was one. */
export function facts(report: RolloutReport, text: Escape): string[] {
  const lines: string[] = []
  const current = report.currentRevision && code(report.currentRevision)
  const candidate = report.candidateRevision && code(report.candidateRevision)
  const firstDeploy =
    !report.currentRevision &&
    report.command === 'rollout' &&
    report.result === 'promoted' &&
    !report.dryRun
  // A preview is no candidate: production keeps serving, the preview has its own URL.
  const preview = report.command === 'preview'
  if (preview) {
    if (current) lines.push(`- **Serving:** ${current}`)
    if (candidate)
      lines.push(`- **${removedPreview(report) ? 'Removed preview' : 'Preview'}:** ${candidate}`)
  } else if (current && candidate) lines.push(`- **Revisions:** ${current} → ${candidate}`)
  else if (firstDeploy && candidate)
    lines.push(`- **Revisions:** _none (first deploy)_ → ${candidate}`)
  else if (current) lines.push(`- **Serving:** ${current}`)
  else if (candidate) lines.push(`- **Candidate:** ${candidate}`)
  if (report.image)
    lines.push(
      `- **Image:** ${code(report.digest && !report.image.includes('@') ? `${report.image}@${report.digest}` : report.image)}`
    )
  const t = times(report)
  if (t) lines.push(`- **Time:** ${t}`)
  if (report.url) lines.push(`- **URL:** ${link(report.url, text)}`)
  if (report.candidateUrl)
    lines.push(
      `- **${preview ? 'Preview URL' : 'Candidate URL'}:** ${link(report.candidateUrl, text)}`
    )
  if (report.commit) lines.push(`- **Commit:** ${code(report.commit)}`)
  if (lines.length) lines.push('')
  return lines
}

/** Start, end and duration of the whole run: the entry's clock, else its steps'. */
function times(report: RolloutReport): string | undefined {
  const start = report.startedAt ?? report.steps[0]?.startedAt
  const end = report.endedAt ?? report.steps.at(-1)?.endedAt
  if (start === undefined || end === undefined) return undefined
  return `${dateTime(start)} → ${dateTime(end).slice(11)} (${duration(end - start)})`
}

/** The split when the run ended; Knative's `latest` tag at 0% is bookkeeping, not traffic. */
export function trafficLine(traffic: readonly TrafficShare[], text: Escape): string[] {
  const shown = traffic.filter((t) => !(t.tag === 'latest' && t.percent === 0))
  if (shown.length === 0) return []
  return [
    '**Traffic now:** ' +
      shown
        .map((t) => `${code(t.revisionName)}${t.tag ? ` (${text(t.tag)})` : ''} ${t.percent}%`)
        .join(', '),
    ''
  ]
}

/** A dry run: the steps it would walk and, folded, what it would write. */
export function planLines(report: RolloutReport): string[] {
  const plan = report.plan
  if (!plan) return []
  const steps = plan.steps.length ? plan.steps.map((p) => `${p}%`).join(' → ') : 'none'
  const lines = [
    `**Plan:** steps ${steps}, ${duration(plan.stepIntervalMs)} of analysis each${plan.pauseAt !== undefined ? `, pausing at ${plan.pauseAt}%` : ''}. Nothing was written.`,
    ''
  ]
  if (plan.changes)
    lines.push(
      '<details><summary>What it would write</summary>',
      '',
      fence('text', clip(plan.changes, MAX_CHANGES_CHARS)),
      '',
      '</details>',
      ''
    )
  return lines
}
