// One "sticky" comment per service (or per pipeline) on the pull request: found again by a hidden marker and
// edited in place on every run, so a PR shows the latest rollout, not a trail of comments.
// Anyone can post a comment that starts with the marker, so only one written by the token's
// own identity is edited: otherwise a stranger's comment would carry our verdict (and ours
// would be lost).

import type { GitHubApi } from './api.js'
import type { GitHubContext } from './context.js'

export function stickyMarker(namespace: string, service: string): string {
  return `<!-- knative-rollout:${namespace}/${service} -->`
}

/**
 * A pipeline's one comment: its namespace and every cluster of its waves (checked DNS
 * labels), so a run started at a later wave edits the same comment, and each job of a
 * matrix (a cluster each) has its own.
 */
export function pipelineMarker(namespace: string, clusters: readonly string[]): string {
  return `<!-- knative-rollout:pipeline:${namespace}${clusters.length ? `:${clusters.join(',')}` : ''} -->`
}

interface IssueComment {
  id: number
  body?: string
  user?: { login?: string } | null
}

/**
 * The login comments by this token show. GITHUB_TOKEN (an installation token) may not read
 * GET /user (403 "Resource not accessible by integration"); its comments are by
 * `github-actions[bot]`.
 */
export const ACTIONS_BOT = 'github-actions[bot]'

export async function tokenLogin(api: GitHubApi): Promise<string> {
  try {
    const me = await api.request<{ login?: string }>('GET', '/user')
    return me?.login || ACTIONS_BOT
  } catch {
    return ACTIONS_BOT
  }
}

/**
 * Edits our comment that starts with `marker` on the pull request, or posts one; with
 * `create: false` only edits (a note on a closed pull request that had no comment of ours
 * would be noise).
 */
export async function upsertStickyComment(
  api: GitHubApi,
  context: GitHubContext,
  marker: string,
  markdown: string,
  options: { create?: boolean } = {}
): Promise<'created' | 'updated' | 'skipped'> {
  if (context.pullRequest === undefined) return 'skipped'
  const login = await tokenLogin(api)
  const repo = `/repos/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}`
  const body = `${marker}\n${markdown}`
  for (let page = 1; page <= 10; page++) {
    const comments = await api.request<IssueComment[]>(
      'GET',
      `${repo}/issues/${context.pullRequest}/comments?per_page=100&page=${page}`
    )
    const mine = comments.find((c) => c.user?.login === login && c.body?.startsWith(marker))
    if (mine) {
      await api.request('PATCH', `${repo}/issues/comments/${mine.id}`, { body })
      return 'updated'
    }
    if (comments.length < 100) break
  }
  if (options.create === false) return 'skipped'
  await api.request('POST', `${repo}/issues/${context.pullRequest}/comments`, { body })
  return 'created'
}
