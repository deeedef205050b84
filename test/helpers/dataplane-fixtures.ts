// Shared by the data plane tests: Revisions and Routes written straight into a Store (as
// the controller would publish them), a data plane on a loopback port, and a keep-alive
// client that sets the Host header the way `curl -H "Host: ..."` does.

import { Agent, request } from 'node:http'
import { DataPlane, seededRandom } from '../../emulator/dataplane/index.js'
import { REVISIONS, ROUTES } from '../../emulator/resources.js'
import { defaultSettings, type EmulatorSettings } from '../../emulator/settings.js'
import { Store, type KObject } from '../../emulator/store.js'

export interface TrafficEntry {
  revisionName: string
  percent: number
  tag?: string
}

export function revision(
  name: string,
  env: Record<string, string> = {},
  { namespace = 'default', service = 'hello' } = {}
): KObject {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name,
      namespace,
      labels: {
        'serving.knative.dev/service': service,
        'serving.knative.dev/configuration': service
      }
    },
    spec: {
      containers: [
        {
          image: 'example.test/hello',
          env: Object.entries(env).map(([k, v]) => ({ name: k, value: v }))
        }
      ]
    }
  }
}

/** A Route whose controller already published `traffic` (spec says something else on purpose). */
export function route(name: string, traffic: TrafficEntry[], namespace = 'default'): KObject {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Route',
    metadata: { name, namespace },
    spec: { traffic: [{ revisionName: 'spec-only-revision', percent: 100 }] },
    status: {
      url: `http://${name}.${namespace}.example.com`,
      traffic: traffic.map((t) => ({ ...t, latestRevision: false }))
    }
  }
}

export interface Reply {
  status: number
  body: string
  revision?: string
  namespace?: string
}

export interface Client {
  get(host: string, path?: string): Promise<Reply>
  /** `count` GETs with up to `concurrency` in flight, replies in completion order. */
  many(host: string, count: number, concurrency?: number): Promise<Reply[]>
  close(): void
}

/** A keep-alive client for an ingress at `base` (loopback), picking the route by Host. */
export function ingressClient(base: string): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 })
  const get = (host: string, path = '/') => send(agent, base, host, path)
  return {
    get,
    async many(host, count, concurrency = 8) {
      const replies: Reply[] = []
      let next = 0
      const worker = async () => {
        while (next < count) {
          next++
          replies.push(await get(host))
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
      return replies
    },
    close: () => agent.destroy()
  }
}

export interface Running extends Omit<Client, 'close'> {
  store: Store
  settings: EmulatorSettings
  dataPlane: DataPlane
  url: string
  close(): Promise<void>
}

export async function startDataPlane(objects: KObject[], seed = 42): Promise<Running> {
  const store = new Store()
  for (const o of objects) store.create(o.kind === 'Route' ? ROUTES : REVISIONS, o, 'controller')
  const settings = defaultSettings()
  const dataPlane = new DataPlane(store, settings, { random: seededRandom(seed) })
  const url = await dataPlane.listen(0)
  const client = ingressClient(url)
  return {
    store,
    settings,
    dataPlane,
    url,
    get: client.get,
    many: client.many,
    async close() {
      client.close()
      await dataPlane.close()
    }
  }
}

function send(agent: Agent, base: string, host: string, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { agent, headers: { host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          revision: res.headers['knative-serving-revision'] as string | undefined,
          namespace: res.headers['knative-serving-namespace'] as string | undefined
        })
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** How many replies each revision (by header) answered. */
export function countBy(
  replies: Reply[],
  key: (r: Reply) => string | undefined
): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of replies) {
    const k = key(r) ?? '(none)'
    counts[k] = (counts[k] ?? 0) + 1
  }
  return counts
}

/** Requests and 5xx answers per revision (by header), as users' traffic looks from outside. */
export function tallyByRevision(
  replies: Reply[]
): Record<string, { requests: number; errors: number }> {
  const seen: Record<string, { requests: number; errors: number }> = {}
  for (const { status, revision } of replies) {
    const tally = (seen[revision ?? ''] ??= { requests: 0, errors: 0 })
    tally.requests++
    if (status >= 500) tally.errors++
  }
  return seen
}

/** One GET through the ingress at `base` (a client of its own, closed after). */
export async function getOnce(base: string, host: string): Promise<Reply> {
  const client = ingressClient(base)
  try {
    return await client.get(host)
  } finally {
    client.close()
  }
}

/** `n` GETs, `concurrency` at a time, tallied per revision. */
export async function usersOf(
  base: string,
  host: string,
  n: number,
  concurrency: number
): Promise<Record<string, { requests: number; errors: number }>> {
  const client = ingressClient(base)
  try {
    return tallyByRevision(await client.many(host, n, concurrency))
  } finally {
    client.close()
  }
}
