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
    pullRequest: pullRequestNumber(eventPayload)
  }
}

function pullRequestNumber(payload: string | undefined): number | undefined {
  if (!payload) return undefined
  try {
    const event = JSON.parse(payload) as { pull_request?: { number?: unknown }; number?: unknown }
    const n = event.pull_request?.number ?? undefined
    return typeof n === 'number' ? n : undefined
  } catch {
    return undefined
  }
}
