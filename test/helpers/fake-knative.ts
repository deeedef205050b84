// In-memory Knative Serving for driving the engine in virtual time: a ServingClient and a
// Prober over one small model of Services, Revisions and routes. It follows the semantics
// the engine relies on (generation, observedGeneration, BYO names, status.traffic with tag
// URLs, a failed revision keeping the old traffic); the HTTP emulator is tested elsewhere.
// A revision's behaviour comes from its env, as in the emulator: EMULATOR_ERROR_RATE,
// EMULATOR_LATENCY_MS, EMULATOR_READY_DELAY_MS, EMULATOR_EXIT_CODE; `unpullable` images fail.

import {
  WaitTimeoutError,
  type Clock,
  type ProbeSample,
  type ProbeTarget,
  type Prober,
  type ServingClient
} from '../../src/rollout/ports.js'
import type { Condition, KService, Revision, TrafficTarget } from '../../src/knative/types.js'

const DOMAIN = 'example.com'
export const DIGEST = `sha256:${'0'.repeat(64)}`

export class FakeKnative implements ServingClient, Prober {
  private services = new Map<string, KService>()
  private revisions = new Map<string, Revision>()
  private rv = 1
  private listeners = new Set<() => void>()
  /** Every write, for assertions ("no write before validation"). */
  readonly writes: { verb: 'create' | 'update'; name: string }[] = []

  constructor(private readonly clock: Clock) {}

  // ---- ServingClient ----

  async getService(namespace: string, name: string): Promise<KService | undefined> {
    const s = this.services.get(`${namespace}/${name}`)
    return s && structuredClone(s)
  }

  async createService(service: KService): Promise<KService> {
    const ns = service.metadata.namespace ?? 'default'
    const key = `${ns}/${service.metadata.name}`
    if (this.services.has(key))
      throw new Error(`services.serving.knative.dev "${service.metadata.name}" already exists`)
    const created = structuredClone(service)
    created.metadata = {
      ...created.metadata,
      namespace: ns,
      generation: 1,
      resourceVersion: String(this.rv++)
    }
    if (!created.spec.traffic?.length)
      created.spec.traffic = [{ latestRevision: true, percent: 100 }]
    this.services.set(key, created)
    this.writes.push({ verb: 'create', name: created.metadata.name })
    this.reconcile(key)
    return structuredClone(this.services.get(key)!)
  }

  async updateService(
    namespace: string,
    name: string,
    mutate: (s: KService) => KService | undefined
  ): Promise<KService> {
    const key = `${namespace}/${name}`
    const live = this.services.get(key)
    if (!live) throw new Error(`services.serving.knative.dev "${name}" not found`)
    const next = mutate(structuredClone(live))
    if (!next) return structuredClone(live)
    this.writes.push({ verb: 'update', name })
    this.store(key, next, live)
    return structuredClone(this.services.get(key)!)
  }

  async getRevision(namespace: string, name: string): Promise<Revision | undefined> {
    const r = this.revisions.get(`${namespace}/${name}`)
    return r && structuredClone(r)
  }

  waitForService(
    namespace: string,
    name: string,
    until: (s: KService) => boolean,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<KService> {
    return this.waitFor(
      () => this.services.get(`${namespace}/${name}`),
      until,
      timeoutMs,
      signal,
      `service ${name}`
    )
  }

  waitForRevision(
    namespace: string,
    name: string,
    until: (r: Revision) => boolean,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<Revision> {
    return this.waitFor(
      () => this.revisions.get(`${namespace}/${name}`),
      until,
      timeoutMs,
      signal,
      `revision ${name}`
    )
  }

  // ---- Prober: answers as the revision behind the target's host would ----

  async probe(
    target: ProbeTarget,
    rps: number,
    durationMs: number,
    signal?: AbortSignal
  ): Promise<ProbeSample[]> {
    const start = this.clock.now()
    const revision = this.revisionForHost(target.host ?? new URL(target.url).host)
    const env = envOf(revision)
    const errorRate = Number(env.EMULATOR_ERROR_RATE ?? 0)
    const latencyMs = Number(env.EMULATOR_LATENCY_MS ?? 10)
    const n = Math.round((rps * durationMs) / 1000)
    const samples: ProbeSample[] = []
    for (let i = 0; i < n; i++) {
      // Deterministic: exactly floor(n * errorRate) errors, spread evenly.
      const error = !revision || Math.floor((i + 1) * errorRate) > Math.floor(i * errorRate)
      samples.push({ at: start + (i * 1000) / rps, status: error ? 500 : 200, latencyMs })
    }
    await this.clock.sleep(durationMs, signal)
    return samples
  }

  // ---- test controls ----

  /** Writes `spec.traffic` as a person with kubectl would (drift). */
  setTraffic(namespace: string, name: string, traffic: TrafficTarget[]): void {
    const key = `${namespace}/${name}`
    const live = this.services.get(key)!
    this.store(key, { ...structuredClone(live), spec: { ...live.spec, traffic } }, live)
  }

  /** Changes a live revision's behaviour (like the emulator's admin endpoint). */
  setEnv(namespace: string, revision: string, env: Record<string, string>): void {
    const r = this.revisions.get(`${namespace}/${revision}`)!
    r.spec.containers[0].env = Object.entries(env).map(([name, value]) => ({ name, value }))
  }

  /** Writes annotations directly (a crashed run's leftovers). */
  annotate(namespace: string, name: string, annotations: Record<string, string>): void {
    const key = `${namespace}/${name}`
    const live = this.services.get(key)!
    const next = structuredClone(live)
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...annotations }
    this.store(key, next, live)
  }

  // ---- the model ----

  private store(key: string, next: KService, live: KService): void {
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(live.spec)
    next.metadata = {
      ...next.metadata,
      generation: (live.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      resourceVersion: String(this.rv++)
    }
    next.status = live.status
    this.services.set(key, next)
    if (specChanged) this.reconcile(key)
    else this.notify()
  }

  private reconcile(key: string): void {
    const svc = this.services.get(key)!
    const ns = svc.metadata.namespace!
    const name = svc.metadata.name
    const status = structuredClone(svc.status ?? {})
    const gen = svc.metadata.generation ?? 1
    const revName = svc.spec.template.metadata?.name ?? `${name}-${String(gen).padStart(5, '0')}`
    if (!this.revisions.has(`${ns}/${revName}`)) this.createRevision(ns, name, revName, svc)
    const rev = this.revisions.get(`${ns}/${revName}`)!
    status.latestCreatedRevisionName = revName
    const ready = rev.status?.conditions?.find((c) => c.type === 'Ready')
    if (ready?.status === 'True') status.latestReadyRevisionName = revName
    const configCond: Condition =
      ready?.status === 'True'
        ? { type: 'ConfigurationsReady', status: 'True' }
        : ready?.status === 'False'
          ? {
              type: 'ConfigurationsReady',
              status: 'False',
              reason: 'RevisionFailed',
              message: `Revision "${revName}" failed with message: ${ready.message}.`
            }
          : { type: 'ConfigurationsReady', status: 'Unknown' }
    const routed = this.route(ns, name, svc.spec.traffic ?? [], status.latestReadyRevisionName)
    const routeCond: Condition = routed.ok
      ? { type: 'RoutesReady', status: 'True' }
      : {
          type: 'RoutesReady',
          status: routed.failed ? 'False' : 'Unknown',
          reason: 'RevisionMissing',
          message: routed.message
        }
    if (routed.ok) status.traffic = routed.traffic
    status.url = `http://${name}.${ns}.${DOMAIN}`
    const allTrue = configCond.status === 'True' && routeCond.status === 'True'
    const readyCond: Condition = allTrue
      ? { type: 'Ready', status: 'True' }
      : configCond.status === 'False' || routeCond.status !== 'Unknown'
        ? { ...(configCond.status === 'False' ? configCond : routeCond), type: 'Ready' }
        : { ...(configCond.status !== 'True' ? configCond : routeCond), type: 'Ready' }
    status.conditions = [configCond, readyCond, routeCond]
    status.observedGeneration = gen
    svc.status = status
    svc.metadata.resourceVersion = String(this.rv++)
    this.notify()
  }

  private route(ns: string, name: string, spec: TrafficTarget[], latestReady: string | undefined) {
    const traffic: TrafficTarget[] = []
    for (const t of spec) {
      const revisionName = t.revisionName || latestReady
      const rev = revisionName ? this.revisions.get(`${ns}/${revisionName}`) : undefined
      const ready = rev?.status?.conditions?.find((c) => c.type === 'Ready')?.status
      if (!rev)
        return {
          ok: false,
          failed: Boolean(t.revisionName),
          message: `Revision "${revisionName}" referenced in traffic not found.`
        }
      if (ready === 'False')
        return {
          ok: false,
          failed: true,
          message: `Revision "${revisionName}" failed to become ready.`
        }
      if (ready !== 'True')
        return { ok: false, failed: false, message: `Revision "${revisionName}" is not yet ready.` }
      traffic.push({
        ...(t.tag ? { tag: t.tag } : {}),
        revisionName,
        latestRevision: t.latestRevision ?? !t.revisionName,
        percent: t.percent ?? 0,
        ...(t.tag ? { url: `http://${t.tag}-${name}.${ns}.${DOMAIN}` } : {})
      })
    }
    return { ok: true as const, traffic }
  }

  private createRevision(ns: string, service: string, name: string, svc: KService): void {
    const containers = structuredClone(svc.spec.template.spec.containers)
    const rev: Revision = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Revision',
      metadata: {
        name,
        namespace: ns,
        generation: 1,
        labels: { 'serving.knative.dev/service': service }
      },
      spec: { containers },
      status: {
        observedGeneration: 1,
        conditions: [{ type: 'Ready', status: 'Unknown', reason: 'Deploying' }]
      }
    }
    this.revisions.set(`${ns}/${name}`, rev)
    const env = envOf(rev)
    const image = containers[0].image
    const settle = (ready: Condition): void => {
      rev.status = {
        observedGeneration: 1,
        conditions: [ready],
        containerStatuses: [{ name: 'user-container', imageDigest: DIGEST }]
      }
      if (this.services.has(`${ns}/${service}`)) this.reconcile(`${ns}/${service}`)
    }
    const outcome = (): Condition =>
      image.includes('unpullable')
        ? {
            type: 'Ready',
            status: 'False',
            reason: 'ContainerMissing',
            message: `Unable to fetch image "${image}": failed to resolve image to digest: not found`
          }
        : env.EMULATOR_EXIT_CODE
          ? {
              type: 'Ready',
              status: 'False',
              reason: `ExitCode${env.EMULATOR_EXIT_CODE}`,
              message: 'Container failed with: exit'
            }
          : { type: 'Ready', status: 'True' }
    const delay = Number(env.EMULATOR_READY_DELAY_MS ?? 0)
    if (delay > 0) void this.clock.sleep(delay).then(() => settle(outcome()))
    else
      rev.status = {
        observedGeneration: 1,
        conditions: [outcome()],
        containerStatuses: [{ name: 'user-container', imageDigest: DIGEST }]
      }
  }

  private revisionForHost(host: string): Revision | undefined {
    for (const svc of this.services.values()) {
      for (const t of svc.status?.traffic ?? []) {
        if (t.url && new URL(t.url).host === host)
          return this.revisions.get(`${svc.metadata.namespace}/${t.revisionName}`)
      }
    }
    return undefined
  }

  private notify(): void {
    for (const l of [...this.listeners]) l()
  }

  private waitFor<T>(
    read: () => T | undefined,
    until: (o: T) => boolean,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    what: string
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const stop = new AbortController()
      const done = (fn: () => void): void => {
        this.listeners.delete(check)
        stop.abort()
        signal?.removeEventListener('abort', onAbort)
        fn()
      }
      const check = (): void => {
        const o = read()
        if (o && until(structuredClone(o))) done(() => resolve(structuredClone(o)))
      }
      const onAbort = (): void => done(() => reject(signal?.reason))
      if (signal?.aborted) return reject(signal.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.listeners.add(check)
      this.clock.sleep(timeoutMs, stop.signal).then(
        () => done(() => reject(new WaitTimeoutError(`timed out waiting for ${what}`, read()))),
        () => undefined
      )
      check()
    })
  }
}

function envOf(revision: Revision | undefined): Record<string, string> {
  return Object.fromEntries(
    (revision?.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value ?? ''])
  )
}
