// The job summary of a run of many rollouts: one table of every Service and cluster (the
// worst result in the heading), then each unit's own summary (report/summary.ts) below it,
// as many as fit GitHub's limit. Pure markdown; untrusted text escaped.

import type { RolloutResult } from '../report/types.js'
import { RESULT_TITLE, SUMMARY_LIMIT_BYTES, renderSummary } from '../report/summary.js'
import { escapeMarkdown } from '../report/untrusted.js'
import type { RunOutcome } from '../rollout/result.js'
import type { ResultRow } from './results.js'
import { SEVERITY } from './worst.js'
import type { PipelineOutcome } from './run-pipeline.js'

export interface PipelineSummaryInput {
  result: RolloutResult
  rows: readonly ResultRow[]
  /** Each unit's outcome with its row, for the details; those that never started have none. */
  ran: readonly { row: ResultRow; outcome: RunOutcome }[]
  /** Why the run ended; the page's only content when it ended before any rollout started. */
  reason?: string
}

export interface PipelineSummaryOptions {
  /** How untrusted text is written: markdown-safe (the job summary) or also mention-safe (a PR comment). */
  escape?: (text: string) => string
  /** The page's limit: GitHub's 1 MiB for a job summary, less for a comment. */
  limitBytes?: number
}

/** What the summary and the PR comment show of a pipeline's outcome. */
export function summaryInput(pipeline: PipelineOutcome): PipelineSummaryInput {
  const { outcome, results, ran } = pipeline
  return { result: outcome.result, rows: results, ran, reason: outcome.reason }
}

export function renderPipelineSummary(
  p: PipelineSummaryInput,
  o: PipelineSummaryOptions = {}
): string {
  const text = o.escape ?? escapeMarkdown
  const limit = o.limitBytes ?? SUMMARY_LIMIT_BYTES
  // A pipeline can fail before its first unit (a wave's branch that cannot be fetched): an
  // empty table would say nothing, so the page says why.
  if (p.rows.length === 0)
    return `## ${RESULT_TITLE[p.result]}: no rollout started\n\n${text(clip(p.reason || 'no reason given', 4000))}\n`
  const waves = p.rows.some((r) => r.wave)
  const counts = SEVERITY.slice()
    .reverse()
    .map((result) => [result, p.rows.filter((r) => r.result === result).length] as const)
    .filter(([, n]) => n > 0)
    .map(([result, n]) => `${n} ${result}`)
  const lines = [
    `## ${RESULT_TITLE[p.result]}: ${p.rows.length} rollouts (${counts.join(', ')})`,
    '',
    waves
      ? '| Wave | Cluster | Service | Result | Revision | Previous | Reason |'
      : '| Service | Result | Revision | Previous | Reason |',
    waves ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|'
  ]
  for (const r of p.rows) {
    const cells = [
      ...(waves ? [text(r.wave), text(r.cluster)] : []),
      `${text(r.service)} (${text(r.namespace)})`,
      RESULT_TITLE[r.result],
      r.revision ? `\`${r.revision}\`` : '–',
      r.previousRevision ? `\`${r.previousRevision}\`` : '–',
      text(clip(r.reason, 300))
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  lines.push('')
  let page = lines.join('\n')
  let left = p.ran.length
  for (const { row, outcome } of p.ran) {
    const where = row.cluster ? ` in ${text(row.wave)} / ${text(row.cluster)}` : ''
    // Each unit's own page, its heading one level down and naming the cluster.
    const detail = renderSummary(outcome, text).replace(/^## (.*)$/m, `### $1${where}`)
    if (Buffer.byteLength(page + detail, 'utf8') > limit - 200) break
    page += '\n' + detail
    left--
  }
  if (left > 0)
    page += `\n\n_…the details of ${left} more rollouts are left out (GitHub's size limit)._\n`
  return page
}

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) + '…' : value
}
