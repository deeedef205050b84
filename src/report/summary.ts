// The job summary: pure markdown from one rollout's report. GitHub renders table cells
// without escaping, so every string that came from a user or the cluster is escaped; the
// whole page stays under the 1 MiB a step summary may hold. The parts: summary/head.ts
// (what happened and why), summary/steps.ts (the table and the statistics fold),
// summary/chart.ts (the Mermaid charts), summary/format.ts (one way to write each figure).

import type { RolloutReport } from './types.js'
import { escapeMarkdown } from './untrusted.js'
import { charts } from './summary/chart.js'
import { facts, heading, planLines, trafficLine, warningLines, why } from './summary/head.js'
import type { Escape } from './summary/markdown.js'
import { statisticsFold, stepsTable } from './summary/steps.js'

export type { RolloutReport, StepReport, RolloutResult, TrafficShare } from './types.js'
export type { Escape } from './summary/markdown.js'
export { RESULT_TITLE } from './summary/head.js'

/** GitHub refuses step summaries above 1 MiB; leave room for other steps' markdown. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024
const MAX_ROWS = 200

/** The page for one rollout outcome (every kind: rollout, promote, abort, status, dry run, bad input). */
export function renderSummary(report: RolloutReport, escape: Escape = escapeMarkdown): string {
  const page = render(report, MAX_ROWS, escape)
  if (byteLength(page) <= SUMMARY_LIMIT_BYTES) return page
  const cut = Buffer.from(page, 'utf8')
    .subarray(0, SUMMARY_LIMIT_BYTES - 200)
    .toString('utf8')
  return `${cut.replace(/\uFFFD$/, '')}\n\n_…summary truncated to stay under GitHub's 1 MiB limit._\n`
}

function render(report: RolloutReport, maxRows: number, text: Escape): string {
  const reason = why(report, text)
  const lines = [heading(report, text), '', ...reason.lines, ...warningLines(report, text)]
  if (report.badInput) {
    lines.push('Nothing was read from or written to the cluster.', '')
    return lines.join('\n')
  }
  lines.push(...facts(report, text), ...planLines(report))
  if (report.steps.length > 0) {
    // Charts first: health at a glance, the table's figures below them.
    for (const chart of charts({ steps: report.steps.slice(-maxRows) })) lines.push(chart, '')
    lines.push(...stepsTable(report.steps, maxRows, text, reason.quoted), '')
    lines.push(...statisticsFold(report.steps, maxRows, text))
  }
  lines.push(...trafficLine(report.traffic, text))
  return lines.join('\n')
}

/** Escapes text for markdown, including inside table cells (the one Markdown escaper). */
export const text = escapeMarkdown

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}
