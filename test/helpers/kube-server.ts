// A small real HTTP server on 127.0.0.1 that answers Kubernetes-shaped JSON from a script,
// so the client is exercised over real HTTP by the real client-node (no mocks).

import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock } from '../../src/rollout/ports.js'

export interface Recorded {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: unknown
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>

export interface KubeServer {
  url: string
  requests: Recorded[]
  kubeconfig(token?: string): string
  close(): Promise<void>
}

export async function startKubeServer(handler: Handler): Promise<KubeServer> {
  const requests: Recorded[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const raw = Buffer.concat(chunks).toString('utf8')
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined
      }
      requests.push(recorded)
      Promise.resolve(handler(recorded, res)).catch((err: unknown) => {
        sendJson(res, 500, statusBody(500, 'InternalError', String(err)))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    kubeconfig: (token = 'test-token-0123456789') => kubeconfigFor(url, token),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export function kubeconfigFor(server: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: tester',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: test',
    '  context: {cluster: test, user: tester, namespace: default}',
    'current-context: test',
    ''
  ].join('\n')
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

export function statusBody(code: number, reason: string, message: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code
  }
}

/** Starts a watch stream and writes the given events, one JSON line each. */
export function watchEvents(
  res: ServerResponse,
  events: { type: string; object: unknown }[],
  end: boolean
): void {
  res.writeHead(200, { 'content-type': 'application/json' })
  for (const event of events) res.write(JSON.stringify(event) + '\n')
  if (end) res.end()
}

/** Real time for now(), but sleeps return at once and are recorded: retries without waiting. */
export function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => Date.now(),
    sleep(ms, signal) {
      sleeps.push(ms)
      signal?.throwIfAborted()
      return Promise.resolve()
    }
  }
}
