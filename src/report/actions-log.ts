// GitHub Actions reporting: secret masking, the failure annotation and the job summary.
// Log groups per phase come from the Logger (src/log.ts, core.group).

import * as core from '@actions/core'
import { redactUrlCredentials, secretFragments } from './redact.js'
import { renderSummary } from './summary.js'
import type { RolloutReport } from './types.js'

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

/** Appends the summary to $GITHUB_STEP_SUMMARY; a missing file is a warning, not a failure. */
export async function writeJobSummary(report: RolloutReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(redactUrlCredentials(renderSummary(report)), true).write()
  } catch (err) {
    core.warning(
      `could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    )
  } finally {
    core.summary.emptyBuffer()
  }
}
