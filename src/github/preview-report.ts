// What a pull request's preview (commands/preview.ts) tells GitHub: a Deployment of the pull
// request's head commit in its own environment `<environment>-pr-<number>` (transient),
// `in_progress` while the preview is made and closed `success` with the tag URL (GitHub's
// "View deployment") or `failure`; and one sticky comment on the pull request, ours by
// marker and author (pr-comment.ts), edited on every run. With `cleanup` the environment's
// deployments of the Service are made inactive and the comment says the preview is gone.
// GitHub is a bystander here too: an API failure is a warning, never a failed preview.

import type { Inputs } from '../inputs.js'
import { withEventPullRequest } from '../inputs/preview.js'
import type { Logger } from '../log.js'
import { renderPreviewComment } from '../report/preview-comment.js'
import type { RolloutReport } from '../report/types.js'
import { escapeUntrusted } from '../report/untrusted.js'
import { redactUrlCredentials } from '../report/redact.js'
import { previewTag } from '../rollout/preview-traffic.js'
import { GitHubApi } from './api.js'
import { readGitHubContext, type GitHubContext } from './context.js'
import { Deployments } from './deployments.js'
import { upsertStickyComment } from './pr-comment.js'
import type { GitHubReporter } from './rollout-report.js'

/** The marker of a Service's preview comment: not the rollout's, so neither edits the other. */
export function previewMarker(namespace: string, service: string): string {
  return `<!-- knative-rollout-preview:${namespace}/${service} -->`
}

/** The GitHub environment of a pull request's preview. */
export function previewEnvironment(environment: string, pullRequest: number): string {
  return `${environment}-${previewTag(pullRequest)}`
}

/**
 * A reporter for `command: preview`, or undefined outside GitHub (no token, no
 * GITHUB_REPOSITORY / GITHUB_SHA), on a dry run, or with no pull request to report on (the
 * engine refuses that run and says why). The Deployment needs `environment`.
 */
export function previewReporter(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  eventPayload: string | undefined,
  log: Logger,
  fetchImpl: typeof fetch = fetch
): GitHubReporter | undefined {
  const context = readGitHubContext(env, eventPayload)
  const preview = withEventPullRequest(inputs.preview ?? { cleanup: false }, eventPayload)
  const pr = preview.pullRequest
  if (!inputs.githubToken || !context || inputs.dryRun || pr === undefined) return undefined
  const api = new GitHubApi(context.apiUrl, inputs.githubToken, fetchImpl)
  const onPr: GitHubContext = { ...context, pullRequest: pr }
  const deployments = inputs.environment ? new Deployments(api, onPr) : undefined
  const environment = inputs.environment && previewEnvironment(inputs.environment, pr)
  const tag = previewTag(pr)
  const warn = (what: string) => (err: unknown) =>
    log.warn(`GitHub ${what}: ${escapeUntrusted(err instanceof Error ? err.message : String(err))}`)
  let sha = preview.headSha

  return {
    async start(target) {
      if (preview.cleanup || !deployments || !environment) return
      // A dispatched preview names its pull request; its head commit is asked for.
      sha ??= await headCommit(api, onPr).catch((err) => void warn('pull request')(err))
      if (!sha) return log.warn(`GitHub deployment: no head commit known for pull request #${pr}`)
      await deployments
        .start({
          environment,
          namespace: target.namespace,
          service: target.service,
          revision: inputs.revisionName,
          ref: sha,
          preview: { pullRequest: pr, tag }
        })
        .catch(warn('deployment'))
    },
    async finish(report) {
      if (deployments && environment) {
        const recorded = preview.cleanup
          ? removed(deployments, environment, report, pr)
          : closed(deployments, report, tag)
        await recorded.catch(warn('deployment status'))
      }
      const page = renderPreviewComment(report, {
        pullRequest: pr,
        tag,
        runUrl: context.runUrl,
        sha,
        cleanup: preview.cleanup
      })
      const marker = previewMarker(report.namespace, report.service)
      await upsertStickyComment(api, onPr, marker, page, { create: !preview.cleanup }).catch(
        warn('pull request comment')
      )
    }
  }
}

/** The preview's Deployment closed: success with the tag URL, or failure with the reason. */
async function closed(deployments: Deployments, report: RolloutReport, tag: string) {
  const ready = report.result === 'previewed'
  const state = ready ? 'success' : 'failure'
  const revision = report.candidateRevision ?? report.service
  const reason = report.reason && escapeUntrusted(redactUrlCredentials(report.reason), 140)
  const line = ready
    ? `Preview ${revision} is ready on the ${tag} tag (0% of production)`
    : `Preview failed${reason ? `: ${reason}` : ''}`
  await deployments.status(state, line, ready ? report.candidateUrl : undefined)
  // A preview that failed on its probes has the tag already (commands/preview.ts): the tag
  // URL serves its revision now, so the earlier successes of this pull request are untrue.
  // One that never became ready left the tag, and the last success, where they were.
  await deployments.retireOlder(ready || report.candidateUrl ? 'success' : state)
}

/** A cleanup that removed the tag (or found none): the environment's deployments inactive. */
async function removed(
  deployments: Deployments,
  environment: string,
  report: RolloutReport,
  pr: number
) {
  if (report.result === 'failed') return
  const scope = { environment, service: report.service, namespace: report.namespace }
  await deployments.retireAll(scope, `Preview removed: pull request #${pr} closed`)
}

/** The pull request's head commit (GET /pulls/{number}), when GitHub gives one. */
async function headCommit(api: GitHubApi, context: GitHubContext): Promise<string | undefined> {
  const repo = `/repos/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}`
  const pr = await api.request<{ head?: { sha?: unknown } }>(
    'GET',
    `${repo}/pulls/${context.pullRequest}`
  )
  const sha = pr?.head?.sha
  return typeof sha === 'string' && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha) ? sha : undefined
}
