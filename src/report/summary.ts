// The job summary: pure markdown from a report. GitHub renders table cells without
// escaping, so every string that came from a user or the cluster is escaped; the whole
// page stays under the 1 MiB a step summary may hold.

import type { ProbeSummary } from '../analysis/stats.js'
import type { Verdict } from '../analysis/verdict.js'
import type { RolloutReport, RolloutResult, StepReport } from './types.js'
import { describeEvidence, stepEvidence } from '../rollout/evidence.js'
import { escapeMarkdown } from './untrusted.js'

export type { RolloutReport, StepReport, RolloutResult, TrafficShare } from './types.js'

/** GitHub refuses step summaries above 1 MiB; leave room for other steps' markdown. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024
const MAX_REASON_CHARS = 4_000
const MAX_ROWS = 200

const RESULT_TITLE: Record<RolloutResult, string> = {
  promoted: '✅ Promoted',
  'rolled-back': '↩️ Rolled back',
  paused: '⏸️ Paused',
  aborted: '⏹️ Aborted',
  unchanged: '➖ Unchanged',
  previewed: '🔎 Preview ready',
  failed: '❌ Failed'
}

const VERDICT: Record<Verdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive'
}

/** Escapes one untrusted string for the page: escapeMarkdown, or escapeForComment for a PR comment. */
export type Escape = (value: string) => string

export function renderSummary(report: RolloutReport, escape: Escape = escapeMarkdown): string {
  const page = render(report, MAX_ROWS, escape)
  if (byteLength(page) <= SUMMARY_LIMIT_BYTES) return page
  const cut = Buffer.from(page, 'utf8')
    .subarray(0, SUMMARY_LIMIT_BYTES - 200)
    .toString('utf8')
  return `${cut.replace(/\uFFFD$/, '')}\n\n_…summary truncated to stay under GitHub's 1 MiB limit._\n`
}

function render(report: RolloutReport, maxRows: number, text: Escape): string {
  const lines: string[] = []
  const dry = report.dryRun ? ' (dry run)' : ''
  lines.push(
    `## ${RESULT_TITLE[report.result]}${dry}: ${text(report.service)} in ${text(report.namespace)}`,
    ''
  )

  const from = report.currentRevision ? code(report.currentRevision) : '_none (first deploy)_'
  const to = report.candidateRevision ? code(report.candidateRevision) : '_none_'
  lines.push(`- **Revisions:** ${from} → ${to}`)
  if (report.image)
    lines.push(
      `- **Image:** ${code(report.digest && !report.image.includes('@') ? `${report.image}@${report.digest}` : report.image)}`
    )
  if (report.url) lines.push(`- **URL:** ${link(report.url, text)}`)
  if (report.candidateUrl) lines.push(`- **Candidate URL:** ${link(report.candidateUrl, text)}`)
  lines.push('')

  if (report.reason) {
    const label = report.result === 'rolled-back' ? 'Rollback reason' : 'Reason'
    lines.push(`> **${label}:** ${text(clip(report.reason, MAX_REASON_CHARS))}`, '')
  } else if (report.result === 'promoted' && report.steps.length > 0) {
    const last = report.steps[report.steps.length - 1]
    lines.push(
      `> **Why promoted:** every analysed step passed; the last (${last.percent}%): ${text(clip(last.reason ?? 'pass', 600))}`,
      ''
    )
  }

  if (report.steps.length > 0) {
    lines.push(
      '| Step | Candidate requests | Candidate success | Candidate p99 | Current requests | Current success | Current p99 | Verdict |',
      '|---:|---:|---:|---:|---:|---:|---:|---|'
    )
    const rows = report.steps.map((step) => row(step, text))
    if (rows.length > maxRows) {
      const half = Math.floor(maxRows / 2)
      const omitted = rows.length - 2 * half
      lines.push(
        ...rows.slice(0, half),
        `| … | ${omitted} steps omitted | | | | | | |`,
        ...rows.slice(-half)
      )
    } else {
      lines.push(...rows)
    }
    lines.push('', '<details><summary>Evidence per step</summary>', '')
    for (const step of report.steps.slice(-maxRows)) lines.push(evidenceLine(step, text))
    lines.push('', '</details>', '')
  }

  if (report.traffic.length > 0) {
    lines.push(
      '**Traffic now:** ' +
        report.traffic
          .map((t) => `${code(t.revisionName)}${t.tag ? ` (${text(t.tag)})` : ''} ${t.percent}%`)
          .join(', '),
      ''
    )
  }

  const timeline = mermaidTimeline(report)
  if (timeline) lines.push(timeline, '')
  return lines.join('\n')
}

function row(step: StepReport, text: Escape): string {
  const verdict = VERDICT[step.verdict] + (step.reason ? `: ${text(clip(step.reason, 300))}` : '')
  // Figures from the data plane count users' requests too, far more than the probes send.
  const share = step.source ? `${step.percent}% (all traffic)` : `${step.percent}%`
  return `| ${share} | ${requests(step.candidate)} | ${rate(step.candidate)} | ${p99(step.candidate)} | ${requests(step.current)} | ${rate(step.current)} | ${p99(step.current)} | ${verdict} |`
}

/** The figures behind one step's verdict, then why (all generated or escaped). */
function evidenceLine(step: StepReport, text: Escape): string {
  const e = stepEvidence(step)
  const stats = Object.entries(e.stats ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  const why = step.reason ? ` **Why:** ${text(clip(step.reason, 600))}` : ''
  const n = step.networkErrors
  const net =
    n && n.candidate + n.current > 0
      ? `; network errors: candidate ${n.candidate}, current ${n.current}`
      : ''
  return `- ${text(describeEvidence(e))}${stats ? `; judge: ${text(stats)}` : ''}${net}.${why}`
}

const requests = (s?: ProbeSummary): string => (s ? String(s.requests) : '–')
const rate = (s?: ProbeSummary): string =>
  s && s.requests > 0 ? `${round(s.successRate * 100, 2)}%` : '–'
const p99 = (s?: ProbeSummary): string => (s && s.requests > 0 ? `${round(s.p99, 1)} ms` : '–')

/**
 * The candidate's share over the run: one point per step, then where it ended (100 when
 * promoted, 0 when rolled back). Labels are generated here, never user strings.
 */
function mermaidTimeline(report: RolloutReport): string | undefined {
  if (report.steps.length === 0) return undefined
  const shown = report.steps.slice(-MAX_ROWS)
  const labels = shown.map(
    (s, i) => `"${i + 1 + report.steps.length - shown.length}: ${s.percent}%"`
  )
  const values = shown.map((s) => s.percent)
  const end = finalCandidatePercent(report)
  if (end !== undefined) {
    labels.push(`"${report.result}"`)
    values.push(end)
  }
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Candidate traffic (%) per step"',
    `  x-axis [${labels.join(', ')}]`,
    '  y-axis "candidate %" 0 --> 100',
    `  line [${values.join(', ')}]`,
    '```'
  ].join('\n')
}

function finalCandidatePercent(report: RolloutReport): number | undefined {
  if (report.result === 'promoted') return 100
  if (report.result === 'rolled-back' || report.result === 'aborted') return 0
  const candidate = report.traffic.find((t) => t.revisionName === report.candidateRevision)
  return candidate?.percent
}

/** Escapes text for markdown, including inside table cells (the one Markdown escaper). */
export const text = escapeMarkdown

/** A plain http(s) URL stays clickable; anything else is escaped text. */
function link(url: string, text: Escape): string {
  return /^https?:\/\/[\w.:/%?=&-]+$/.test(url) ? url : text(url)
}

/** An inline code span; a `|` still needs its backslash inside a table, and HTML is not parsed in code. */
function code(value: string): string {
  const clean = value
    .replace(/`/g, "'")
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/\|/g, '\\|')
  return `\`${clean}\``
}

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) + '…' : value
}

function round(n: number, digits: number): string {
  return String(Math.round(n * 10 ** digits) / 10 ** digits)
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}
