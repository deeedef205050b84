// What a rollout tells GitHub, beside the job summary: a Deployment (when `environment` is
// set) that is in progress while the rollout runs and closed with its result, and on
// pull_request runs one sticky comment with the verdict, the candidate URL and the steps.
// GitHub is a bystander here: every API failure is a warning, never a failed rollout.

import type { Inputs } from '../inputs.js'
import type { Logger } from '../log.js'
import type { RolloutReport } from '../report/types.js'
import { renderSummary } from '../report/summary.js'
import { redactUrlCredentials } from '../report/redact.js'
import { escapeForComment, escapeUntrusted } from '../report/untrusted.js'
import { GitHubApi } from './api.js'
import { readGitHubContext, type GitHubContext } from './context.js'
import { Deployments, type DeploymentState } from './deployments.js'
import { stickyMarker, upsertStickyComment } from './pr-comment.js'

export interface GitHubReporter {
  /** The rollout of this Service begins: the Deployment is created, `in_progress`. */
  start(target: { namespace: string; service: string }): Promise<void>
  /** The rollout ended: the Deployment's final state and the PR comment. */
  finish(report: RolloutReport): Promise<void>
}

/**
 * The Deployment state for a result. Paused waits for promote or abort, so it stays
 * `in_progress`; an abort is a deliberate withdrawal, `inactive`, not a failure.
 */
export function deploymentStateFor(
  report: Pick<RolloutReport, 'command' | 'result'>
): DeploymentState {
  switch (report.result) {
    case 'promoted':
      return 'success'
    case 'paused':
      return 'in_progress'
    case 'rolled-back':
    case 'failed':
      return 'failure'
    case 'aborted':
      return 'inactive'
    case 'unchanged':
      // A rollout of what already serves is live; "nothing to promote/abort" deploys nothing.
      return report.command === 'rollout' ? 'success' : 'inactive'
  }
}

/** Commands that change what serves, and so make a Deployment. */
const DEPLOYING = new Set(['rollout', 'promote', 'abort'])

/**
 * A reporter, or undefined outside GitHub (no token, no GITHUB_REPOSITORY / GITHUB_SHA).
 * `eventPayload` is the text of $GITHUB_EVENT_PATH (the pull request number and head commit
 * come from it). `recorded` reads the commit a rollout recorded on the Service: a `promote`
 * deploys that commit, not the dispatch's.
 */
export function gitHubReporter(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  eventPayload: string | undefined,
  log: Logger,
  fetchImpl: typeof fetch = fetch,
  recorded?: (target: { namespace: string; service: string }) => Promise<string | undefined>
): GitHubReporter | undefined {
  const context = readGitHubContext(env, eventPayload)
  if (!inputs.githubToken || !context || inputs.command === 'status' || inputs.dryRun)
    return undefined
  const api = new GitHubApi(context.apiUrl, inputs.githubToken, fetchImpl)
  const deployments =
    inputs.environment && DEPLOYING.has(inputs.command) ? new Deployments(api, context) : undefined
  const onPullRequest = (env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request')
  const warn = (what: string) => (err: unknown) =>
    log.warn(`GitHub ${what}: ${escapeUntrusted(err instanceof Error ? err.message : String(err))}`)

  return {
    async start(target) {
      if (!deployments) return
      const ref = inputs.command === 'promote' ? await recorded?.(target) : undefined
      await deployments
        .start({
          environment: inputs.environment!,
          namespace: target.namespace,
          service: target.service,
          revision: inputs.revisionName,
          ...(ref ? { ref } : {})
        })
        .catch(warn('deployment'))
    },
    async finish(report) {
      const state = deploymentStateFor(report)
      await deployments
        ?.status(state, statusLine(report), report.url)
        .then(() => deployments.retireOlder(state))
        .catch(warn('deployment status'))
      if (onPullRequest) await comment(api, context, report).catch(warn('pull request comment'))
    }
  }
}

async function comment(api: GitHubApi, context: GitHubContext, report: RolloutReport) {
  const marker = stickyMarker(report.namespace, report.service)
  // A comment pings whoever it @mentions: untrusted text goes through escapeForComment, after
  // the credentials in its URLs are redacted (escapeForComment breaks `://`, which hides them).
  const page = redactUrlCredentials(
    renderSummary(report, (text) => escapeForComment(redactUrlCredentials(text)))
  )
  await upsertStickyComment(api, context, marker, page)
}

/** The status description (GitHub shows it beside the state; 140 characters at most). */
export function statusLine(report: RolloutReport): string {
  const candidate = report.candidateRevision ?? report.service
  const current = report.currentRevision ?? report.service
  // Redacted before it is cut: a URL cut inside its credentials would no longer match.
  const reason = report.reason && escapeUntrusted(redactUrlCredentials(report.reason), 140)
  switch (report.result) {
    case 'promoted':
      return `Promoted ${candidate}: it serves 100%`
    case 'paused': {
      // GitHub has no paused state: in_progress, and the description says it waits.
      const share = report.traffic.find((t) => t.revisionName === report.candidateRevision)
      return `Paused at ${share?.percent ?? 0}% on ${candidate}: waiting for promote or abort`
    }
    case 'rolled-back':
      return `Rolled back ${candidate}${reason ? `: ${reason}` : ''}`
    case 'failed':
      return `Failed${reason ? `: ${reason}` : ''}`
    case 'aborted':
      return `Aborted ${candidate}; ${current} serves 100%`
    case 'unchanged':
      return `Unchanged: ${current} already serves`
  }
}
