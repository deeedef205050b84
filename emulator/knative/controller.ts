// The emulator's Knative controller: reacts to store events, reconciles each touched
// object once per burst after `settings.statusDelayMs` (so an early reader sees stale
// status, as on a real cluster), and owns the asynchronous parts: image resolution,
// time-driven revision readiness, pods and cascading deletion.

import { ApiError } from '../api-error.js'
import { CONFIGURATIONS, PODS, REVISIONS, ROUTES, SERVICES } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'
import type { KObject, Store, StoreEvent } from '../store.js'
import { registryResolver, type ImageResolver } from './image.js'
import { L } from './labels.js'
import { labelRoutingState } from './labeler.js'
import { podFor } from './pods.js'
import { reconcileConfiguration } from './reconcile-configuration.js'
import { reconcileRoute } from './reconcile-route.js'
import { holdRoute } from './route-finalizer.js'
import { routeTargets } from './route-targets.js'
import { reconcileService } from './reconcile-service.js'
import { revisionStatus, type ImageState } from './revision-status.js'
import { ACTOR, writeStatus } from './writes.js'
import { rfc3339 } from '../time.js'
import type { RolloutState } from './gradual-rollout.js'

const KNATIVE = [SERVICES, CONFIGURATIONS, REVISIONS, ROUTES]
const OWNED = [CONFIGURATIONS, ROUTES, REVISIONS, PODS]
const RETRY_MS = 50

export class Controller {
  private unsubscribe?: () => void
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly wakers = new Set<ReturnType<typeof setTimeout>>()
  /** Revision uid → when its deployment started (first seen), in ms. */
  private readonly startedAt = new Map<string, number>()
  /** Revision uid → digest resolution, done once per Revision as Knative does. */
  private readonly images = new Map<string, ImageState>()
  /** Revision `namespace/name` → its last request through the ingress, in ms. */
  private readonly lastRequest = new Map<string, number>()
  /** Route `namespace/name` → its gradual rollouts in progress. */
  private readonly rollouts = new Map<string, RolloutState>()

  constructor(
    private readonly store: Store,
    private readonly settings: EmulatorSettings,
    private readonly resolveImage: ImageResolver = registryResolver,
    private readonly clock: () => number = Date.now
  ) {}

  start(): void {
    if (this.unsubscribe) return
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e))
    for (const resource of KNATIVE) {
      for (const obj of this.store.list(resource))
        this.enqueue(resource, obj.metadata.namespace, obj.metadata.name)
    }
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    for (const t of [...this.pending.values(), ...this.wakers]) clearTimeout(t)
    this.pending.clear()
    this.wakers.clear()
  }

  /**
   * The ingress served (or is about to serve) a request to this revision: it counts as
   * activity, and an inactive revision is woken (reconciled) at once.
   */
  noteRequest(namespace: string, name: string, wake: boolean): void {
    this.lastRequest.set(`${namespace}/${name}`, this.clock())
    if (wake) this.enqueue(REVISIONS, namespace, name, 0)
  }

  /** Which objects an event makes stale. */
  private onEvent(e: StoreEvent): void {
    const { namespace, name, uid } = e.object.metadata
    if (e.type === 'DELETED') {
      this.later(`gc|${uid}`, 0, () => this.collectGarbage(namespace, uid))
      if (e.resource === REVISIONS && uid) {
        this.startedAt.delete(uid)
        this.images.delete(uid)
      }
    }
    if (e.resource === PODS) {
      const rev = e.object.metadata.labels?.[L.revision]
      if (e.type === 'DELETED' && rev) this.enqueue(REVISIONS, namespace, rev)
      return
    }
    if (!KNATIVE.includes(e.resource)) return
    if (e.type !== 'DELETED') this.enqueue(e.resource, namespace, name)
    const owner = e.object.metadata.ownerReferences?.find((r) => r.controller)
    if (e.resource === CONFIGURATIONS || e.resource === ROUTES) {
      if (owner?.kind === 'Service') this.enqueue(SERVICES, namespace, owner.name)
    }
    if (e.resource === REVISIONS && owner?.kind === 'Configuration') {
      this.enqueue(CONFIGURATIONS, namespace, owner.name)
    }
    if (e.resource === CONFIGURATIONS || e.resource === REVISIONS) {
      for (const route of this.store.scan(ROUTES, namespace))
        if (routeTargets(route, e)) this.enqueue(ROUTES, namespace, route.metadata.name)
    }
  }

  private enqueue(
    resource: string,
    namespace: string | undefined,
    name: string,
    delayMs?: number
  ): void {
    const key = `${resource}|${namespace ?? ''}|${name}`
    this.later(key, delayMs ?? this.settings.statusDelayMs, () =>
      this.reconcile(resource, namespace, name)
    )
  }

  /** Debounced: a key already waiting keeps its turn. */
  private later(key: string, delayMs: number, work: () => void): void {
    if (this.pending.has(key) || !this.unsubscribe) return
    const timer = setTimeout(() => {
      this.pending.delete(key)
      try {
        work()
      } catch (e) {
        if (!(e instanceof ApiError)) console.error(`knative controller: ${key}:`, e)
        this.later(key, RETRY_MS, work)
      }
    }, delayMs)
    this.pending.set(key, timer)
  }

  private reconcile(resource: string, namespace: string | undefined, name: string): void {
    const obj = this.store.get(resource, namespace, name)
    if (!obj) return
    const now = rfc3339(this.clock())
    switch (resource) {
      case SERVICES:
        return reconcileService(this.store, obj, now)
      case CONFIGURATIONS:
        return reconcileConfiguration(this.store, obj, now)
      case ROUTES: {
        const route = holdRoute(this.store, obj, now)
        if (!route) return
        this.wakeAt(
          ROUTES,
          route,
          reconcileRoute(this.store, route, this.settings, this.clock(), this.rollouts)
        )
        return labelRoutingState(this.store, namespace, now)
      }
      case REVISIONS:
        return this.reconcileRevision(obj)
    }
  }

  private reconcileRevision(rev: KObject): void {
    const uid = rev.metadata.uid ?? rev.metadata.name
    const nowMs = this.clock()
    if (!this.startedAt.has(uid)) this.startedAt.set(uid, nowMs)
    if (!this.images.has(uid)) this.resolve(rev, uid)
    const outcome = revisionStatus(rev, {
      nowMs,
      startedMs: this.startedAt.get(uid)!,
      image: this.images.get(uid)!,
      lastRequestMs: this.lastRequest.get(`${rev.metadata.namespace}/${rev.metadata.name}`),
      autoscaling: this.settings.autoscaling
    })
    const stored = writeStatus(this.store, REVISIONS, rev, outcome.status)
    this.syncPods(stored, outcome.running, rfc3339(nowMs))
    if (outcome.wakeAtMs !== undefined) {
      const timer = setTimeout(
        () => {
          this.wakers.delete(timer)
          this.enqueue(REVISIONS, rev.metadata.namespace, rev.metadata.name, 0)
        },
        Math.max(0, outcome.wakeAtMs - nowMs)
      )
      this.wakers.add(timer)
    }
  }

  /** Reconcile `obj` again at `atMs` (its status changes by itself then). */
  private wakeAt(resource: string, obj: KObject, atMs: number | undefined): void {
    if (atMs === undefined) return
    const timer = setTimeout(
      () => {
        this.wakers.delete(timer)
        this.enqueue(resource, obj.metadata.namespace, obj.metadata.name, 0)
      },
      Math.max(0, atMs - this.clock())
    )
    this.wakers.add(timer)
  }

  private resolve(rev: KObject, uid: string): void {
    this.images.set(uid, { state: 'pending' })
    const images: string[] = (rev.spec?.containers ?? []).map((c: any) => String(c.image ?? ''))
    const attempts = images.map((image) =>
      this.resolveImage(image).then(
        (digest) => ({ image, digest, error: undefined }),
        (e: unknown) => ({ image, digest: '', error: e instanceof Error ? e.message : String(e) })
      )
    )
    void Promise.all(attempts).then((results) => {
      if (this.images.get(uid)?.state !== 'pending') return
      const failed = results.find((r) => r.error !== undefined)
      this.images.set(
        uid,
        failed
          ? { state: 'failed', image: failed.image, error: failed.error! }
          : { state: 'resolved', digests: results.map((r) => r.digest) }
      )
      this.enqueue(REVISIONS, rev.metadata.namespace, rev.metadata.name)
    })
  }

  /** One pod per running Revision. */
  private syncPods(rev: KObject, running: boolean, now: string): void {
    const pods = this.store
      .scan(PODS, rev.metadata.namespace)
      .filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rev.metadata.uid))
    if (running && !pods.length) this.store.create(PODS, podFor(rev, now), ACTOR)
    if (!running)
      for (const p of pods) this.store.delete(PODS, p.metadata.namespace, p.metadata.name, ACTOR)
  }

  /** What a deleted object owned goes too (the API server's garbage collector). */
  private collectGarbage(namespace: string | undefined, uid: string | undefined): void {
    if (!uid) return
    for (const resource of OWNED) {
      // scan: a look at every object of the namespace without copying each (scale).
      for (const obj of this.store.scan(resource, namespace)) {
        if (!obj.metadata.ownerReferences?.some((r) => r.uid === uid)) continue
        try {
          this.store.delete(resource, namespace, obj.metadata.name, ACTOR)
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e
        }
      }
    }
  }
}
