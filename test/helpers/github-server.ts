// A loopback stand-in for api.github.com that records every request and answers the few
// endpoints the action calls with GitHub-shaped JSON. Tests pair it with github-openapi.ts.
// The pulls endpoints (write-back pull requests) are in github-pulls.ts.

import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { routePulls, type PullsState } from './github-pulls.js'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: unknown
}

export interface StoredDeployment {
  id: number
  ref: string
  task: string
  environment: string
  payload: unknown
  statuses: { id: number; state: string; description?: string }[]
}

export interface FakeGitHub extends PullsState {
  url: string
  requests: RecordedRequest[]
  /** Existing PR comments, by issue number; `user` is who wrote each. */
  comments: Map<number, { id: number; body: string; user?: { login: string } }[]>
  /**
   * GET /user's login when set (a personal token); unset, GET /user answers 403 as it does
   * for GITHUB_TOKEN, whose comments are by github-actions[bot].
   */
  login?: string
  /** Deployments created, newest last, each with its statuses (newest last). */
  deployments: StoredDeployment[]
  /** Answer every request with this status (e.g. 401) when set. */
  failWith?: number
  /** The `message` of those answers (GitHub's error body); 'Bad credentials' unless set. */
  failMessage?: string
  close(): Promise<void>
}

export async function startGitHubServer(): Promise<FakeGitHub> {
  let nextId = 1000
  const state: Omit<FakeGitHub, 'url' | 'close'> = {
    requests: [],
    comments: new Map(),
    deployments: [],
    pulls: []
  }
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString()
    const body = text ? JSON.parse(text) : undefined
    state.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body })
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(payload))
    }
    if ((state as FakeGitHub).failWith)
      return send((state as FakeGitHub).failWith!, {
        message: (state as FakeGitHub).failMessage ?? 'Bad credentials'
      })
    const path = new URL(req.url!, 'http://x').pathname
    const base = `http://${req.headers.host}`
    if (routePulls(state, base, req.method!, new URL(req.url!, base), body, send)) return
    let m: RegExpMatchArray | null
    if (req.method === 'POST' && /\/deployments$/.test(path)) {
      const d = { id: nextId++, task: 'deploy', environment: 'production', ...body, statuses: [] }
      state.deployments.push(d)
      return send(201, d)
    }
    if (req.method === 'GET' && /\/deployments$/.test(path)) {
      // Newest first, filtered as GitHub filters (environment, task), one page.
      const q = new URL(req.url!, 'http://x').searchParams
      const list = [...state.deployments]
        .reverse()
        .filter(
          (d) =>
            (!q.get('environment') || d.environment === q.get('environment')) &&
            (!q.get('task') || d.task === q.get('task'))
        )
        .slice(0, Number(q.get('per_page') ?? 30))
      return send(
        200,
        list.map(({ statuses: _statuses, ...d }) => d)
      )
    }
    if ((m = path.match(/\/deployments\/(\d+)\/statuses$/))) {
      const d = state.deployments.find((x) => x.id === Number(m![1]))
      if (!d) return send(404, { message: 'Not Found' })
      if (req.method === 'GET') return send(200, [...d.statuses].reverse())
      const status = { id: nextId++, ...body }
      d.statuses.push(status)
      if (body.state === 'success' && body.auto_inactive !== false) autoInactive(state, d, nextId++)
      return send(201, status)
    }
    if (req.method === 'GET' && path === '/user') {
      if (!state.login) return send(403, { message: 'Resource not accessible by integration' })
      return send(200, { login: state.login, type: 'User' })
    }
    if ((m = path.match(/\/issues\/(\d+)\/comments$/))) {
      const list = state.comments.get(Number(m[1])) ?? []
      if (req.method === 'GET') return send(200, list)
      const user = { login: state.login ?? 'github-actions[bot]' }
      const comment = { id: nextId++, body: body.body, user }
      state.comments.set(Number(m[1]), [...list, comment])
      return send(201, comment)
    }
    if (req.method === 'PATCH' && (m = path.match(/\/issues\/comments\/(\d+)$/))) {
      for (const list of state.comments.values()) {
        const c = list.find((x) => x.id === Number(m![1]))
        if (c) {
          c.body = body.body
          return send(200, c)
        }
      }
      return send(404, { message: 'Not Found' })
    }
    send(404, { message: 'Not Found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }) as FakeGitHub
}

/**
 * GitHub's auto_inactive (true unless sent false): "an inactive status to all prior
 * non-transient, non-production environment deployments with the same repository and
 * environment name" that had a success state. `production` is a production environment
 * unless the deployment says otherwise (production_environment).
 */
function autoInactive(state: { deployments: StoredDeployment[] }, d: StoredDeployment, id: number) {
  const production = (x: StoredDeployment) =>
    (x as { production_environment?: boolean }).production_environment ??
    x.environment === 'production'
  if (production(d)) return
  for (const other of state.deployments) {
    if (other.id >= d.id || other.environment !== d.environment) continue
    if (other.statuses.at(-1)?.state !== 'success') continue
    other.statuses.push({ id, state: 'inactive', description: 'auto_inactive' })
  }
}
