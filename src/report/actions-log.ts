// GitHub Actions reporting: the logger (groups, annotations, debug lines that only show with
// ACTIONS_STEP_DEBUG), secret masking, the outputs, the failure annotation and the job
// summary. Everything that needs @actions/core is here, so that the CLI never loads it.

import * as core from '@actions/core'
import type { Logger } from '../log.js'
import { toOutputs, type Outputs } from './outputs.js'
import { escapeLogLines, escapeUntrusted } from './untrusted.js'
import { redactUrlCredentials, secretFragments } from './redact.js'
import { renderSummary } from './summary.js'
import { clip } from './summary/markdown.js'
import type { RolloutReport } from './types.js'
import { formatResultLine, serviceName } from './cli-progress.js'

/**
 * GitHub Actions: secrets are masked by the runner once registered with `maskSecrets`.
 * core.info writes its text as is, so every line is escaped (escapeLogLines): a message that
 * quotes an app, a server or an annotation cannot start a workflow command. debug, warning,
 * error and group are commands the toolkit issues itself, with their data %-escaped. Secrets
 * are masked by the runner; credentials in a URL no mask knows are redacted here.
 */
export function actionsLogger(): Logger & { phase(title: string): void; endPhase(): void } {
  // The log's groups do not nest: a phase's group ends where the next one (or a group) begins.
  // The same phase told twice in a row (where a step's split is written, then where its
  // analysis starts) is one group.
  let open: string | undefined
  const endPhase = (): void => {
    if (open !== undefined) core.endGroup()
    open = undefined
  }
  return {
    debug: (m) => core.debug(redactUrlCredentials(m)),
    info: (m) => core.info(escapeLogLines(redactUrlCredentials(m))),
    warn: (m) => core.warning(redactUrlCredentials(m)),
    error: (m) => core.error(redactUrlCredentials(m)),
    group: (name, fn) => {
      endPhase()
      return core.group(name, fn)
    },
    phase: (title) => {
      if (title === open) return
      endPhase()
      core.startGroup(escapeUntrusted(redactUrlCredentials(title), 200))
      open = title
    },
    endPhase
  }
}

/**
 * Every output as a string (core.setOutput's $GITHUB_OUTPUT format); `traffic` as JSON. When
 * toOutputs refuses a value, only `result=failed` is written and the refusal is the error;
 * false then.
 */
export function writeActionOutputs(report: RolloutReport): boolean {
  let outputs: Outputs
  try {
    outputs = toOutputs(report)
  } catch (err) {
    core.setOutput('result', 'failed')
    core.error(err instanceof Error ? err.message : String(err))
    return false
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value))
  }
  return true
}

/**
 * Registers secrets with the runner. core.setSecret masks a whole value only; a multi-line
 * secret (a kubeconfig) is also masked line by line and by its credential values, since a
 * log line can only ever contain one line of it.
 */
export function maskSecrets(secrets: readonly (string | undefined)[]): void {
  for (const secret of secrets) {
    if (!secret) continue
    for (const fragment of secretFragments(secret)) core.setSecret(fragment)
  }
}

/** The error annotation's reason, bounded as the summary's (a builder's or app's text). */
const MAX_ANNOTATION = 4_000

/**
 * The result on the run's page: a rollback or failure as an error annotation with the reason
 * (on the manifest's file and line when the manifest was at fault), anything else as a notice.
 */
export function annotateResult(report: RolloutReport): void {
  const name = serviceName(report)
  const title = `knative-rollout${name ? `: ${name}` : ''} ${report.result}`
  if (report.result === 'rolled-back' || report.result === 'failed') {
    const at = report.location
    // Redacted before it is cut: a URL cut inside its credentials would no longer match.
    core.error(clip(redactUrlCredentials(report.reason ?? `${report.result}`), MAX_ANNOTATION), {
      title,
      ...(at ? { file: at.file, startLine: at.line, startColumn: at.column } : {})
    })
  } else {
    core.notice(redactUrlCredentials(formatResultLine(report)), { title })
  }
}

/**
 * Appends the summary (the report's, or a pipeline's page) to $GITHUB_STEP_SUMMARY; a missing
 * file is a warning, not a failure.
 */
export async function writeJobSummary(
  report: RolloutReport,
  markdown: string = renderSummary(report)
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(redactUrlCredentials(markdown), true).write()
  } catch (err) {
    core.warning(
      `could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    )
  } finally {
    core.summary.emptyBuffer()
  }
}
