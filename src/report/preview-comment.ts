// The sticky comment a pull request's preview keeps on its pull request (github/preview-report.ts):
// where the preview answers, which revision and image it runs, and how the last run ended:
// ready, failed, or removed when the pull request closed. Pure markdown. A comment notifies
// whoever it @mentions and GitHub links what looks like a URL, so every string not written
// here goes through escapeForComment; only a plain http(s) URL stays a link.

import type { RolloutReport } from './types.js'
import { escapeForComment as text } from './untrusted.js'
import { redactUrlCredentials } from './redact.js'
import { clip, code, link } from './summary/markdown.js'

const MAX_REASON_CHARS = 2_000

export interface PreviewComment {
  pullRequest: number
  tag: string
  /** The run's log, from the runner's environment. */
  runUrl: string
  /** The pull request's head commit the preview was made from, when known. */
  sha?: string
  cleanup: boolean
}

/** The comment's markdown for the run's report (its reason or message says why it ended so). */
export function renderPreviewComment(
  report: RolloutReport & { message?: string },
  c: PreviewComment
): string {
  const what = `${code(report.service)} in ${code(report.namespace)}`
  const why = report.reason ?? report.message
  // Credentials are cut before the escape breaks the URLs they sit in.
  const reason = why
    ? [`> **Reason:** ${text(clip(redactUrlCredentials(why), MAX_REASON_CHARS))}`, '']
    : []
  const lines = c.cleanup
    ? cleanupLines(report, c, what, reason)
    : previewLines(report, c, what, reason)
  const commit = c.sha ? ` for ${code(c.sha.slice(0, 12))}` : ''
  lines.push(`<sub>Updated by ${link(c.runUrl, text)}${commit}.</sub>`)
  return redactUrlCredentials(lines.join('\n'))
}

function previewLines(
  report: RolloutReport,
  c: PreviewComment,
  what: string,
  reason: string[]
): string[] {
  const ready = report.result === 'previewed'
  const lines = [
    ready ? `### 🔎 Preview of ${what} is ready` : `### ❌ Preview of ${what} failed`,
    ''
  ]
  if (!ready) lines.push(...reason)
  if (report.candidateUrl) lines.push(`- **URL:** ${link(report.candidateUrl, text)}`)
  if (report.candidateRevision)
    lines.push(`- **Revision:** ${code(report.candidateRevision)} on the tag ${code(c.tag)}`)
  if (report.image) {
    const image =
      report.digest && !report.image.includes('@')
        ? `${report.image}@${report.digest}`
        : report.image
    lines.push(`- **Image:** ${code(image)}`)
  }
  lines.push(
    ready
      ? "- **Production:** unchanged; the preview gets no traffic but its own URL's."
      : '- **Production:** unchanged.',
    ''
  )
  return lines
}

function cleanupLines(
  report: RolloutReport,
  c: PreviewComment,
  what: string,
  reason: string[]
): string[] {
  if (report.result === 'failed')
    return [`### ❌ Preview of ${what}: its removal failed`, '', ...reason]
  const revision = report.candidateRevision ? ` (${code(report.candidateRevision)})` : ''
  return [
    `### 🧹 Preview of ${what} removed`,
    '',
    `The tag ${code(c.tag)}${revision} is gone with pull request #${c.pullRequest}; ` +
      "Knative's revision garbage collection removes the revision.",
    ''
  ]
}
