// What the run knows about GitHub, read once from the runner's environment
// (https://docs.github.com/actions/reference/variables-reference) and the event payload.
// Pure: the caller passes the environment and the payload's text.

export interface GitHubContext {
  apiUrl: string
  serverUrl: string
  owner: string
  repo: string
  sha: string
  ref: string
  runId: string
  runAttempt: string
  /** Link to this run's log, for Deployment statuses and lease holders. */
  runUrl: string
  /** The pull request this run belongs to, if any. */
  pullRequest?: number
  /**
   * The commit a Deployment names: on pull_request events the PR's head commit (GITHUB_SHA
   * is the merge commit there, which no one pushed), else GITHUB_SHA.
   */
  deployedSha: string
}

export function readGitHubContext(
  env: Record<string, string | undefined>,
  eventPayload?: string
): GitHubContext | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || !env.GITHUB_SHA) return undefined
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const runId = env.GITHUB_RUN_ID ?? ''
  const runAttempt = env.GITHUB_RUN_ATTEMPT ?? '1'
  return {
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    serverUrl,
    owner,
    repo,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF || env.GITHUB_SHA,
    runId,
    runAttempt,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}`,
    pullRequest: pullRequestNumber(eventPayload),
    deployedSha:
      ((env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request')
        ? headSha(eventPayload)
        : undefined) ?? env.GITHUB_SHA
  }
}

interface PullRequestEvent {
  pull_request?: { number?: unknown; head?: { sha?: unknown } }
}

function parseEvent(payload: string | undefined): PullRequestEvent | undefined {
  if (!payload) return undefined
  try {
    const event = JSON.parse(payload) as unknown
    return event && typeof event === 'object' ? (event as PullRequestEvent) : undefined
  } catch {
    return undefined
  }
}

function pullRequestNumber(payload: string | undefined): number | undefined {
  const n = parseEvent(payload)?.pull_request?.number
  return typeof n === 'number' ? n : undefined
}

/** The PR's head commit from the event payload, when it is one (40 or 64 hex digits). */
function headSha(payload: string | undefined): string | undefined {
  const sha = parseEvent(payload)?.pull_request?.head?.sha
  return typeof sha === 'string' && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha) ? sha : undefined
}
