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
import { Deployments, type DeploymentInfo, type DeploymentState } from './deployments.js'
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
    case 'previewed':
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

/** What reporting to GitHub needs; undefined when it is off. */
export interface Reporting {
  api: GitHubApi
  context: GitHubContext
  /** `environment` is set and the command changes what serves: Deployments are made. */
  deploying: boolean
  /** A pull_request run: the verdict goes in a sticky comment. */
  onPullRequest: boolean
  /** An API failure is a warning, never a failed rollout. */
  warn(what: string): (err: unknown) => void
}

/** Off outside GitHub (no token, no GITHUB_REPOSITORY / GITHUB_SHA), for status and dry runs. */
export function reportingFor(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  eventPayload: string | undefined,
  log: Logger,
  fetchImpl: typeof fetch = fetch
): Reporting | undefined {
  const context = readGitHubContext(env, eventPayload)
  if (!inputs.githubToken || !context || inputs.command === 'status' || inputs.dryRun)
    return undefined
  return {
    api: new GitHubApi(context.apiUrl, inputs.githubToken, fetchImpl),
    context,
    deploying: !!inputs.environment && DEPLOYING.has(inputs.command),
    onPullRequest: (env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request'),
    warn: (what) => (err) =>
      log.warn(
        `GitHub ${what}: ${escapeUntrusted(err instanceof Error ? err.message : String(err))}`
      )
  }
}

/** A rollout's Deployment, created `in_progress`; undefined when Deployments are off. */
export async function startDeployment(
  r: Reporting,
  info: DeploymentInfo
): Promise<Deployments | undefined> {
  if (!r.deploying) return undefined
  const deployments = new Deployments(r.api, r.context)
  await deployments.start(info).catch(r.warn('deployment'))
  return deployments
}

/** The Deployment closed with the rollout's result; older ones that no longer serve retired. */
export async function finishDeployment(
  r: Reporting,
  deployments: Deployments | undefined,
  report: RolloutReport
): Promise<void> {
  const state = deploymentStateFor(report)
  await deployments
    ?.status(state, statusLine(report), report.url)
    .then(() => deployments.retireOlder(state))
    .catch(r.warn('deployment status'))
}

/** The sticky comment behind `marker`: a comment pings whoever it @mentions, so `page` is escaped for one. */
export async function postComment(r: Reporting, marker: string, page: string): Promise<void> {
  if (!r.onPullRequest) return
  await upsertStickyComment(r.api, r.context, marker, redactUrlCredentials(page)).catch(
    r.warn('pull request comment')
  )
}

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
  const r = reportingFor(inputs, env, eventPayload, log, fetchImpl)
  if (!r) return undefined
  let deployments: Promise<Deployments | undefined> | undefined
  return {
    async start(target) {
      if (!r.deploying) return
      const ref = inputs.command === 'promote' ? await recorded?.(target) : undefined
      deployments = startDeployment(r, {
        environment: inputs.environment!,
        namespace: target.namespace,
        service: target.service,
        revision: inputs.revisionName,
        ...(ref ? { ref } : {})
      })
      await deployments
    },
    async finish(report) {
      await finishDeployment(r, await deployments, report)
      const marker = stickyMarker(report.namespace, report.service)
      await postComment(r, marker, renderSummary(report, escapeForComment))
    }
  }
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
    case 'previewed':
      return `Preview ${candidate} is ready at 0% on its own tag`
  }
}
