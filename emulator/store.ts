// The emulator's etcd: an in-memory object store with Kubernetes semantics that the API
// server, the controller and the data plane all share. It owns resourceVersion,
// generation, uid and creation time, a bounded event log for watches (410 when a client
// asks for a version that has rolled out of it), and the full write history that the
// invariant checker reads.

import { randomUUID } from 'node:crypto'
import { ApiError } from './api-error.js'
import { rfc3339 } from './time.js'

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

export interface ObjectMeta {
  name: string
  namespace?: string
  generateName?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  finalizers?: string[]
  [key: string]: unknown
}

export interface KObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec?: any
  status?: any
  [key: string]: unknown
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

/** One write, as watches and the history see it. `object` is a frozen snapshot. */
export interface StoreEvent {
  type: WatchEventType
  /** e.g. `services.serving.knative.dev`, or `pods` for the core group. */
  resource: string
  object: KObject
  resourceVersion: number
  /** Who wrote it: `api` for client requests, `controller` for the emulator itself. */
  actor: string
  at: string
}

export interface UpdateOptions {
  /** `status` writes only `.status` (the status subresource); otherwise `.status` is kept. */
  subresource?: 'status'
  actor?: string
}

export type Listener = (event: StoreEvent) => void

const clone = <T>(value: T): T => structuredClone(value)

export class Store {
  private readonly objects = new Map<string, KObject>()
  private readonly log: StoreEvent[] = []
  private readonly listeners = new Set<Listener>()
  private version = 0

  /**
   * @param now injected clock for creationTimestamp
   * @param logLimit how many events a watch can resume from before it gets 410 Gone
   */
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly logLimit = 5000
  ) {}

  /** The newest resourceVersion, as a list's `metadata.resourceVersion`. */
  get resourceVersion(): string {
    return String(this.version)
  }

  get(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    const found = this.objects.get(key(resource, namespace, name))
    return found && clone(found)
  }

  list(resource: string, namespace?: string): KObject[] {
    return this.scan(resource, namespace).map(clone)
  }

  /**
   * The objects `list` copies, themselves: frozen, for a read-only look at many. The
   * controller reads every Route and Revision of a namespace on each Route change; a copy
   * of each made that quadratic in the Services (bench/scale.bench.ts). Write a change
   * through update() with a new object.
   */
  scan(resource: string, namespace?: string): readonly KObject[] {
    const prefix = namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => byteOrder(a, b))
      .map(([, obj]) => obj)
  }

  /**
   * The objects of `list(resource, namespace)` as they were at resourceVersion `rv`, from the
   * history; undefined when `rv` is older than the watch log keeps (compacted, as etcd).
   */
  listAt(resource: string, namespace: string | undefined, rv: number): KObject[] | undefined {
    if (rv >= this.version) return this.list(resource, namespace)
    const oldest = this.log.length ? this.log[0].resourceVersion : this.version + 1
    if (rv < oldest - 1) return undefined
    const at = new Map<string, StoreEvent>()
    for (const e of this.history) {
      if (e.resourceVersion > rv) break
      if (e.resource !== resource) continue
      if (namespace !== undefined && e.object.metadata.namespace !== namespace) continue
      at.set(key(resource, e.object.metadata.namespace, e.object.metadata.name), e)
    }
    return [...at.entries()]
      .filter(([, e]) => e.type !== 'DELETED')
      .sort(([a], [b]) => byteOrder(a, b))
      .map(([, e]) => clone(e.object))
  }

  create(resource: string, input: KObject, actor = 'api'): KObject {
    const obj = clone(input)
    const meta = obj.metadata
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix()
    const k = key(resource, meta.namespace, meta.name)
    if (this.objects.has(k)) {
      throw ApiError.alreadyExists(resource, meta.name)
    }
    meta.uid = randomUUID()
    meta.generation = 1
    meta.creationTimestamp = rfc3339(this.now())
    delete meta.deletionTimestamp
    return this.commit('ADDED', resource, k, obj, actor)
  }

  /**
   * Replace an object. A `metadata.resourceVersion` on the input is a precondition (409 on
   * mismatch); without one the write is unconditional, as for a Kubernetes update.
   */
  update(resource: string, input: KObject, opts: UpdateOptions = {}): KObject {
    const meta = input.metadata
    const k = key(resource, meta.namespace, meta.name)
    const current = this.objects.get(k)
    if (!current) throw ApiError.notFound(resource, meta.name)
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw ApiError.conflict(resource, meta.name)
    }
    let next: KObject
    if (opts.subresource === 'status') {
      next = clone(current)
      next.status = clone(input.status)
      next.metadata.resourceVersion = current.metadata.resourceVersion
    } else {
      next = clone(input)
      next.status = clone(current.status)
      next.metadata = {
        ...next.metadata,
        resourceVersion: current.metadata.resourceVersion,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        generation: current.metadata.generation
      }
      // Only a delete sets it; once set, it stays until the object goes.
      if (current.metadata.deletionTimestamp)
        next.metadata.deletionTimestamp = current.metadata.deletionTimestamp
      else delete next.metadata.deletionTimestamp
      // Generation moves only when the spec changes (CRDs with the status subresource).
      if (JSON.stringify(current.spec ?? null) !== JSON.stringify(next.spec ?? null)) {
        next.metadata.generation = (current.metadata.generation ?? 0) + 1
      }
    }
    if (JSON.stringify(next) === JSON.stringify(current)) {
      return clone(current) // a no-op write keeps its resourceVersion, as the API server does
    }
    // The last finalizer of an object being deleted is gone: so is the object.
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length)
      return this.remove(resource, k, opts.actor ?? 'api', next)
    return this.commit('MODIFIED', resource, k, next, opts.actor ?? 'api')
  }

  /**
   * Delete as the API server does: an object with finalizers is only marked, with a
   * `metadata.deletionTimestamp` (MODIFIED), and goes when an update removes the last one.
   */
  delete(resource: string, namespace: string | undefined, name: string, actor = 'api'): KObject {
    const k = key(resource, namespace, name)
    const current = this.objects.get(k)
    if (!current) throw ApiError.notFound(resource, name)
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return clone(current)
      const next = clone(current)
      next.metadata.deletionTimestamp = rfc3339(this.now())
      return this.commit('MODIFIED', resource, k, next, actor)
    }
    return this.remove(resource, k, actor)
  }

  /** Whether `delete` left the object in place, waiting for its finalizers. */
  isPending(resource: string, namespace: string | undefined, name: string): boolean {
    return !!this.objects.get(key(resource, namespace, name))?.metadata.deletionTimestamp
  }

  /** Drop the object at `k`; watchers get `last` (the update that removed it, if any). */
  private remove(resource: string, k: string, actor: string, last = this.objects.get(k)!): KObject {
    this.objects.delete(k)
    this.version += 1
    const gone = clone(last)
    gone.metadata.resourceVersion = String(this.version)
    this.record('DELETED', resource, gone, actor)
    return clone(gone)
  }

  /**
   * Events for `resource` (optionally one namespace) after `sinceVersion`, then live ones.
   * Throws 410 Gone when `sinceVersion` is older than the log keeps.
   */
  watch(
    resource: string,
    namespace: string | undefined,
    sinceVersion: number | undefined,
    listener: Listener
  ): () => void {
    const matches = (e: StoreEvent) =>
      e.resource === resource &&
      (namespace === undefined || e.object.metadata.namespace === namespace)
    if (sinceVersion !== undefined && sinceVersion > 0) {
      const oldest = this.log.length ? this.log[0].resourceVersion : this.version + 1
      if (sinceVersion < oldest - 1) throw ApiError.gone(sinceVersion)
      for (const e of this.log) if (e.resourceVersion > sinceVersion && matches(e)) listener(e)
    }
    const live: Listener = (e) => matches(e) && listener(e)
    this.listeners.add(live)
    return () => this.listeners.delete(live)
  }

  /** Every write, for controllers: called synchronously after each commit. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The events still in the watch log (the newest `logLimit`). */
  events(): readonly StoreEvent[] {
    return this.log
  }

  /** Every write ever made, oldest first, for invariant checks. */
  readonly history: StoreEvent[] = []

  private commit(
    type: WatchEventType,
    resource: string,
    k: string,
    obj: KObject,
    actor: string
  ): KObject {
    this.version += 1
    obj.metadata.resourceVersion = String(this.version)
    // Never changed once stored (writes store a new object), so scan() and the watch event
    // may both hand out this one frozen object.
    this.objects.set(k, deepFreeze(obj))
    this.record(type, resource, obj, actor)
    return clone(obj)
  }

  private record(type: WatchEventType, resource: string, object: KObject, actor: string): void {
    const event: StoreEvent = {
      type,
      resource,
      object: deepFreeze(object),
      resourceVersion: this.version,
      actor,
      at: this.now().toISOString()
    }
    this.log.push(event)
    if (this.log.length > this.logLimit) this.log.shift()
    this.history.push(event)
    for (const listener of [...this.listeners]) listener(event)
  }
}

/** etcd's key order: by code unit, not by locale. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function key(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}/${namespace ?? ''}/${name}`
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
  let out = ''
  for (let i = 0; i < 5; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)]
  return out
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
