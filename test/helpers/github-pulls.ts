// The pulls endpoints of the GitHub API stand-in (github-server.ts): list, get, create and update,
// with answers shaped as GitHub documents them (the `pull-request` schema's main fields) and
// GitHub's own quirks that a client can trip on: a `head` filter without `owner:` is ignored
// (every PR comes back), a second open PR for the same head and base is refused with 422.

export interface StandInPullRequest {
  id: number
  node_id: string
  number: number
  url: string
  html_url: string
  state: 'open' | 'closed'
  title: string
  body: string | null
  draft: boolean
  maintainer_can_modify: boolean
  head: { label: string; ref: string; sha?: string; repo: { full_name: string } }
  base: { label: string; ref: string; repo: { full_name: string } }
  user: { login: string; type: string }
  created_at: string
  updated_at: string
}

export interface PullsState {
  pulls: StandInPullRequest[]
  /** When set, POST /pulls answers this, as GitHub does for a repository that forbids it. */
  refusePullRequests?: { status: number; message: string }
  /** When set, the html_url POST /pulls gives the pull request it opens (a hostile GitHub's). */
  htmlUrl?: string
}

type Send = (status: number, payload: unknown) => void

/** Answers a pulls request, or returns false when the path is not one of the pulls endpoints. */
export function routePulls(
  state: PullsState,
  baseUrl: string,
  method: string,
  url: URL,
  body: any,
  send: Send
): boolean {
  const list = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls$/)
  const one = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/)
  if (list && method === 'GET') {
    send(200, listPulls(state, url.searchParams))
    return true
  }
  if (list && method === 'POST') {
    createPull(state, baseUrl, `${list[1]}/${list[2]}`, body, send)
    return true
  }
  if (one && method === 'GET') {
    const pr = state.pulls.find((p) => p.number === Number(one[3]))
    send(pr ? 200 : 404, pr ?? { message: 'Not Found', status: '404' })
    return true
  }
  if (one && method === 'PATCH') {
    const pr = state.pulls.find((p) => p.number === Number(one[3]))
    if (!pr) send(404, { message: 'Not Found', status: '404' })
    else {
      Object.assign(pr, pick(body), { updated_at: now() })
      if (typeof body?.base === 'string') {
        pr.base = { ...pr.base, ref: body.base, label: `${one[1]}:${body.base}` }
      }
      send(200, pr)
    }
    return true
  }
  return false
}

function listPulls(state: PullsState, query: URLSearchParams): StandInPullRequest[] {
  const wanted = query.get('state') ?? 'open'
  const head = query.get('head')
  const base = query.get('base')
  return state.pulls.filter(
    (p) =>
      (wanted === 'all' || p.state === wanted) &&
      // GitHub filters by head only in the `owner:branch` form; a bare branch is ignored.
      (head === null || !head.includes(':') || p.head.label === head) &&
      (base === null || p.base.ref === base)
  )
}

function createPull(
  state: PullsState,
  baseUrl: string,
  fullName: string,
  body: any,
  send: Send
): void {
  if (state.refusePullRequests) {
    const { status, message } = state.refusePullRequests
    return send(status, {
      message,
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      status: String(status)
    })
  }
  const owner = fullName.split('/')[0]
  const label = String(body.head).includes(':') ? String(body.head) : `${owner}:${body.head}`
  const ref = label.slice(label.indexOf(':') + 1)
  if (
    state.pulls.some(
      (p) => p.state === 'open' && p.head.label === label && p.base.ref === body.base
    )
  ) {
    return send(422, {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${label}.`
        }
      ],
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      status: '422'
    })
  }
  const number = state.pulls.length + 1
  const pr: StandInPullRequest = {
    id: 5000 + number,
    node_id: `PR_stand-in${number}`,
    number,
    url: `${baseUrl}/repos/${fullName}/pulls/${number}`,
    html_url: state.htmlUrl ?? `https://github.com/${fullName}/pull/${number}`,
    state: 'open',
    title: body.title,
    body: body.body ?? null,
    draft: body.draft ?? false,
    maintainer_can_modify: body.maintainer_can_modify ?? false,
    head: { label, ref, repo: { full_name: fullName } },
    base: { label: `${owner}:${body.base}`, ref: body.base, repo: { full_name: fullName } },
    user: { login: 'github-actions[bot]', type: 'Bot' },
    created_at: now(),
    updated_at: now()
  }
  state.pulls.push(pr)
  send(201, pr)
}

function pick(body: any): Partial<StandInPullRequest> {
  const out: Record<string, unknown> = {}
  for (const key of ['title', 'body', 'state', 'maintainer_can_modify'] as const)
    if (body?.[key] !== undefined) out[key] = body[key]
  return out
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z')
}
