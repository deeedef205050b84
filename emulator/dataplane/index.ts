// The emulator's data plane: an ingress that splits real HTTP requests across simulated
// revisions by the Routes' published `status.traffic`, and the queue-proxy metrics those
// requests produce. It keeps its routing table current from store events, so a request
// costs a map lookup, never a scan of the store.

import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { ApiError } from '../api-error.js'
import { PODS, REVISIONS, ROUTES } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject, Store, StoreEvent } from '../store.js'
import {
  behaviourFromEnv,
  checkOverride,
  sampleLatencyMs,
  withOverride,
  type Behaviour,
  type BehaviourOverride
} from './behaviour.js'
import { isInactive } from '../knative/autoscaler.js'
import { metricGenerationOf, parseKnativeVersion } from '../knative-version.js'
import { MetricsRegistry, type RevisionMetrics } from './metrics.js'
import type { Random } from './random.js'
import { pickRevision, requestHost, RoutingTable } from './routing-table.js'

export type { BehaviourOverride } from './behaviour.js'
export { seededRandom, type Random } from './random.js'

export interface DataPlaneOptions {
  /** Uniform [0, 1) source for the split, errors and jitter; seed it in tests. */
  random?: Random
  /** Told of every request a revision gets; `wake`: the revision is scaled to zero. */
  onRequest?: (namespace: string, revision: string, wake: boolean) => void
}

/** What the ingress needs to answer for one revision, computed when the revision changes. */
interface RevisionEntry {
  object: KObject
  behaviour: Behaviour
  okBody: string
  headers: Record<string, string>
  metrics: RevisionMetrics
}

const REVISION_LABEL = 'serving.knative.dev/revision'
const SERVICE_LABEL = 'serving.knative.dev/service'
const CONFIGURATION_LABEL = 'serving.knative.dev/configuration'

export class DataPlane {
  private readonly random: Random
  private readonly table: RoutingTable
  private readonly revisions = new Map<string, RevisionEntry>()
  private readonly overrides = new Map<string, BehaviourOverride>()
  private readonly registry = new MetricsRegistry(() =>
    metricGenerationOf(parseKnativeVersion(this.settings.knativeVersion))
  )
  private readonly unsubscribe: () => void
  private readonly onRequest?: DataPlaneOptions['onRequest']
  private server?: Server

  constructor(
    private readonly store: Store,
    private readonly settings: EmulatorSettings,
    options: DataPlaneOptions = {}
  ) {
    this.random = options.random ?? Math.random
    this.onRequest = options.onRequest
    this.table = new RoutingTable(settings.domain)
    for (const revision of store.list(REVISIONS)) this.setRevision(revision)
    for (const route of store.list(ROUTES)) this.table.setRoute(route)
    this.unsubscribe = store.subscribe((event) => this.onEvent(event))
  }

  /** Starts the ingress; resolves to its base URL. `port` 0 picks a free one. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const address = server.address() as AddressInfo
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
    return `http://${shown}:${address.port}`
  }

  async close(): Promise<void> {
    this.unsubscribe()
    const server = this.server
    if (!server) return
    this.server = undefined
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections() // keep-alive clients would otherwise hold close() open
    })
  }

  /** Prometheus text exposition (0.0.4) of every revision's request metrics. */
  metrics(): string {
    return this.registry.exposition()
  }

  /** One pod's queue-proxy endpoint, as a cluster's Prometheus scrapes it (metrics.ts). */
  podMetrics(namespace: string, pod: string): string | undefined {
    return this.registry.podExposition(namespace, pod)
  }

  /**
   * Prometheus HTTP service discovery: one target per pod (its own path and `instance`),
   * on `address`, as kubernetes_sd_configs finds queue-proxies on a cluster.
   */
  scrapeTargets(address: string): { targets: string[]; labels: Record<string, string> }[] {
    return this.registry.pods().map((p) => ({
      targets: [address],
      labels: {
        __metrics_path__: `/emulator/metrics/pods/${p.namespace}/${p.pod}`,
        instance: `${p.pod}:9091`
      }
    }))
  }

  /** Live override of a revision's error rate or latency, on top of its env. */
  setBehaviour(namespace: string, revision: string, b: BehaviourOverride): void {
    const key = `${namespace}/${revision}`
    const entry = this.revisions.get(key)
    if (!entry) throw ApiError.notFound(REVISIONS, revision)
    checkOverride(b)
    const merged = { ...this.overrides.get(key) }
    if (b.errorRate !== undefined) merged.errorRate = b.errorRate
    if (b.latencyMs !== undefined) merged.latencyMs = b.latencyMs
    this.overrides.set(key, merged)
    this.setRevision(entry.object)
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume() // the body is never read; drain it so keep-alive connections stay usable
    this.table.useDomain(this.settings.domain)
    const target = this.table.lookup(requestHost(req.headers.host))
    if (!target) {
      plain(res, 404, 'no Route serves this host\n')
      return
    }
    const name = pickRevision(target, this.random())
    const revision = this.revisions.get(`${target.namespace}/${name}`)
    if (!revision) {
      plain(res, 503, `revision "${name}" is not available\n`)
      return
    }
    const started = performance.now()
    const cold = isInactive(revision.object)
    this.onRequest?.(target.namespace, name, cold)
    const { errorRate, latencyMs } = revision.behaviour
    const fails = errorRate > 0 && this.random() < errorRate
    // A request to a revision scaled to zero waits for its pod (the activator buffers it).
    const delay =
      sampleLatencyMs(latencyMs, this.random) + (cold ? this.settings.autoscaling.coldStartMs : 0)
    const answer = () => {
      const code = fails ? 500 : 200
      res.writeHead(code, revision.headers)
      res.end(fails ? 'Internal Server Error\n' : revision.okBody)
      revision.metrics.record(code, target.routeTag, performance.now() - started)
      this.onRequest?.(target.namespace, name, false) // idle time counts from the answer
    }
    if (delay > 0) setTimeout(answer, delay)
    else answer()
  }

  private onEvent(event: StoreEvent): void {
    const { object } = event
    if (event.resource === ROUTES) {
      if (event.type === 'DELETED')
        this.table.deleteRoute(object.metadata.namespace, object.metadata.name)
      else this.table.setRoute(object)
    } else if (event.resource === REVISIONS) {
      const key = `${object.metadata.namespace}/${object.metadata.name}`
      if (event.type === 'DELETED') {
        this.revisions.delete(key)
        this.overrides.delete(key)
      } else this.setRevision(object)
    } else if (event.resource === PODS) {
      // A pod the controller made gives the series their `pod_name`.
      const revision = object.metadata.labels?.[REVISION_LABEL]
      const entry = revision && this.revisions.get(`${object.metadata.namespace}/${revision}`)
      if (entry) this.setRevision(entry.object)
    }
  }

  private setRevision(object: KObject): void {
    const meta = object.metadata
    const namespace = meta.namespace ?? 'default'
    const key = `${namespace}/${meta.name}`
    const base = behaviourFromEnv(object.spec?.containers?.[0]?.env)
    this.revisions.set(key, {
      object,
      behaviour: withOverride(base, this.overrides.get(key)),
      okBody: `Hello ${base.target}!\n`,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'knative-serving-revision': meta.name,
        'knative-serving-namespace': namespace
      },
      metrics: this.registry.forRevision({
        namespace,
        service: meta.labels?.[SERVICE_LABEL] ?? '',
        configuration: meta.labels?.[CONFIGURATION_LABEL] ?? '',
        revision: meta.name,
        pod: this.podName(namespace, object)
      })
    })
  }

  /** The controller's pod for the revision if it made one, else a stable Deployment-style name. */
  private podName(namespace: string, revision: KObject): string {
    const name = revision.metadata.name
    const pod = this.store
      .scan(PODS, namespace)
      .find((p) => p.metadata.labels?.[REVISION_LABEL] === name && !p.metadata.deletionTimestamp)
    if (pod) return pod.metadata.name
    const hash = createHash('sha256')
      .update(revision.metadata.uid ?? name)
      .digest('hex')
    return `${name}-deployment-${hash.slice(0, 10)}-${hash.slice(10, 15)}`
  }
}

function plain(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(body)
}
