// GitHub Actions reporting: the logger (groups, annotations, debug lines that only show with
// ACTIONS_STEP_DEBUG), secret masking, the outputs, the failure annotation and the job
// summary. Everything that needs @actions/core is here, so that the CLI never loads it.

import * as core from '@actions/core'
import type { Logger } from '../log.js'
import { toOutputs, type Outputs } from './outputs.js'
import { escapeLogLines } from './untrusted.js'
import { redactUrlCredentials, secretFragments } from './redact.js'
import { renderSummary } from './summary.js'
import type { RolloutReport } from './types.js'

/**
 * GitHub Actions: secrets are masked by the runner once registered with `maskSecrets`.
 * core.info writes its text as is, so every line is escaped (escapeLogLines): a message that
 * quotes an app, a server or an annotation cannot start a workflow command. debug, warning,
 * error and group are commands the toolkit issues itself, with their data %-escaped. Secrets
 * are masked by the runner; credentials in a URL no mask knows are redacted here.
 */
export function actionsLogger(): Logger {
  return {
    debug: (m) => core.debug(redactUrlCredentials(m)),
    info: (m) => core.info(escapeLogLines(redactUrlCredentials(m))),
    warn: (m) => core.warning(redactUrlCredentials(m)),
    error: (m) => core.error(redactUrlCredentials(m)),
    group: (name, fn) => core.group(name, fn)
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

/** A rollback or failure shows on the run's page as an error annotation with the reason. */
export function annotateResult(report: RolloutReport): void {
  if (report.result === 'rolled-back' || report.result === 'failed') {
    core.error(redactUrlCredentials(report.reason ?? `${report.result}`), {
      title: `knative-rollout: ${report.namespace}/${report.service} ${report.result}`
    })
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
