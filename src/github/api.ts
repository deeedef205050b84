// A minimal GitHub REST client: just the calls this action makes, with the headers GitHub
// documents. The token goes in one header and nowhere else (never in an error message).

import { readBody } from '../read-body.js'
import { forbiddenHint } from './permissions.js'

export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string
  ) {
    const hint = status === 403 ? forbiddenHint(method, path, detail) : undefined
    super(`GitHub API ${method} ${path} answered ${status}: ${detail}${hint ? `; ${hint}` : ''}`)
  }
}

/** A page of 100 PR comments can pass 4 MiB (each up to 65,536 characters); far less than this. */
export const MAX_GITHUB_BODY_BYTES = 32 * 1024 * 1024

export class GitHubApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'knative-rollout',
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000)
    })
    const { text, truncated } = await readBody(response, MAX_GITHUB_BODY_BYTES)
    if (truncated && response.ok)
      throw new GitHubApiError(
        response.status,
        method,
        path,
        `the answer is over ${MAX_GITHUB_BODY_BYTES} bytes; not read`
      )
    if (!response.ok) {
      let detail = text.slice(0, 300)
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail
      } catch {
        /* not JSON: keep the text */
      }
      throw new GitHubApiError(response.status, method, path, detail)
    }
    return (text ? JSON.parse(text) : undefined) as T
  }
}
