// Write-back as a pull request: one branch and one open PR per service (and environment),
// updated in place on every rollout instead of a new PR per run. The branch is force-pushed
// with the change on top of the base (branch-push.ts); the PR is found by its head branch
// (GET pulls?head=owner:branch&state=open), then edited (PATCH), or else opened (POST).

import { GitHubApiError, type GitHubApi } from '../github/api.js'
import { escapeForComment } from '../report/untrusted.js'
import type { GitBranchPusher } from './branch-push.js'
import type { FileChange } from './git.js'

export interface PullRequestRepo {
  owner: string
  repo: string
}

export interface PullRequestRef {
  number: number
  url: string
  operation: 'created' | 'updated' | 'closed'
}

export class PullRequestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PullRequestError'
  }
}

/** `knative-rollout/[<environment>/]<namespace>/<service>`: stable across runs, one per target. */
export function pullRequestBranch(
  namespace: string,
  service: string,
  environment?: string
): string {
  // Namespace and service are DNS labels already; an environment name is free text.
  const env = environment
    ?.trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/\.{2,}/g, '.')
  return ['knative-rollout', ...(env ? [env] : []), namespace, service].join('/')
}

interface PullRequestJson {
  number: number
  html_url: string
  head?: { ref?: string }
}

const repoPath = (target: PullRequestRepo): string =>
  `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`

/** The open PR whose head is `branch` in the target repository. */
async function findOpen(
  api: GitHubApi,
  target: PullRequestRepo,
  branch: string
): Promise<PullRequestJson | undefined> {
  const head = encodeURIComponent(`${target.owner}:${branch}`)
  const open = await api.request<PullRequestJson[]>(
    'GET',
    `${repoPath(target)}/pulls?head=${head}&state=open&per_page=100`
  )
  // GitHub ignores a malformed head filter and lists every PR: check the branch too.
  return open.find((p) => p.head?.ref === branch)
}

/** The open PR from `branch` into `base`, edited to `title`/`body`, or a new one. */
export async function upsertPullRequest(
  api: GitHubApi,
  target: PullRequestRepo,
  pr: { branch: string; base: string; title: string; body: string }
): Promise<PullRequestRef> {
  const repo = repoPath(target)
  const update = async (existing: PullRequestJson): Promise<PullRequestRef> => {
    const edited = await api.request<PullRequestJson>('PATCH', `${repo}/pulls/${existing.number}`, {
      title: pr.title,
      body: pr.body,
      base: pr.base
    })
    return { number: edited.number, url: edited.html_url, operation: 'updated' }
  }
  try {
    const existing = await findOpen(api, target, pr.branch)
    if (existing) return await update(existing)
    try {
      const created = await api.request<PullRequestJson>('POST', `${repo}/pulls`, {
        title: pr.title,
        head: pr.branch,
        base: pr.base,
        body: pr.body,
        maintainer_can_modify: false
      })
      return { number: created.number, url: created.html_url, operation: 'created' }
    } catch (err) {
      // Another run opened it between our list and create ("A pull request already exists").
      const raced =
        err instanceof GitHubApiError && err.status === 422
          ? await findOpen(api, target, pr.branch)
          : undefined
      if (raced) return await update(raced)
      throw err
    }
  } catch (err) {
    throw explain(err, target)
  }
}

/**
 * Closes the branch's open PR once the base already says what the cluster serves (a later
 * rollout got there another way): merging the PR now would make git disagree again.
 */
export async function closeStalePullRequest(
  api: GitHubApi,
  target: PullRequestRepo,
  branch: string,
  base: string
): Promise<PullRequestRef | undefined> {
  try {
    const open = await findOpen(api, target, branch)
    if (!open) return undefined
    const closed = await api.request<PullRequestJson>(
      'PATCH',
      `${repoPath(target)}/pulls/${open.number}`,
      {
        state: 'closed',
        body: `Closed by knative-rollout: \`${base.replace(/`/g, '')}\` already says what the cluster serves, so this change is no longer wanted.`
      }
    )
    return { number: closed.number, url: closed.html_url, operation: 'closed' }
  } catch (err) {
    throw explain(err, target)
  }
}

/** GitHub's refusals, turned into what to change (the setting or the permission). */
function explain(err: unknown, target: PullRequestRepo): unknown {
  if (!(err instanceof GitHubApiError)) return err
  const where = `${target.owner}/${target.repo}`
  if (err.status === 403 && /not permitted to create or approve pull requests/i.test(err.message)) {
    return new PullRequestError(
      `GitHub does not let GitHub Actions open pull requests in ${where}: enable the repository setting ` +
        `"Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General → ` +
        `Workflow permissions; for an organisation's repositories, the organisation's Actions settings too), ` +
        `or pass a github-token of a GitHub App or a user`
    )
  }
  if (err.status === 403 || err.status === 404) {
    return new PullRequestError(
      `the github-token may not manage pull requests in ${where} (${err.message}): ` +
        `give the job "permissions: contents: write, pull-requests: write"`
    )
  }
  return err
}

export interface PullRequestWriteBack {
  pusher: GitBranchPusher
  api: GitHubApi
  target: PullRequestRepo
  branch: string
}

export type PullRequestOutcome = {
  kind: 'pull-request'
  commit: string
  pullRequest: PullRequestRef
  pushed: boolean
}

/** Pushes the change to the PR branch (on the current base) and opens or updates its PR. */
export async function publishPullRequest(
  deps: PullRequestWriteBack,
  change: FileChange
): Promise<PullRequestOutcome> {
  const pushed = await deps.pusher.push(deps.branch, change)
  const pullRequest = await upsertPullRequest(deps.api, deps.target, {
    branch: deps.branch,
    base: deps.pusher.base,
    title: change.message,
    body: bodyFor(deps.branch, change)
  })
  return {
    kind: 'pull-request',
    commit: pushed.commit,
    pullRequest,
    pushed: pushed.kind === 'pushed'
  }
}

function bodyFor(branch: string, change: FileChange): string {
  return [
    escapeForComment(change.message),
    '',
    `Written by knative-rollout so that \`${change.path.replace(/`/g, '')}\` says what the cluster serves ` +
      `now: merging it keeps the next sync of a GitOps controller from undoing the rollout.`,
    '',
    `This pull request is updated in place by every rollout of this service: the branch ` +
      `\`${branch}\` is force-pushed with one commit on top of the base branch, so commits added to it by hand are replaced.`
  ].join('\n')
}
