// What the rollout engine needs from the outside world. The engine is pure control logic
// over these ports; the adapters (knative/, analysis/, report/) implement them, and the
// tests drive the engine with fakes in virtual time.

import type { KService, Revision, RevisionTemplate } from '../knative/types.js'
import type { Release } from '../traffic.js'
import type { LeaseCheck } from './lease.js'
import type { RolloutState } from './state.js'
import type { Timing } from './timing.js'

/** Injected time. Tests use a virtual clock; production uses the wall clock. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Reads and writes Knative Services and Revisions. */
export interface ServingClient {
  getService(namespace: string, name: string): Promise<KService | undefined>
  createService(service: KService): Promise<KService>
  /**
   * Read the newest Service, apply `mutate`, write it with a resourceVersion precondition;
   * on 409 re-read and apply `mutate` again. `mutate` returns undefined for "no write".
   */
  updateService(
    namespace: string,
    name: string,
    mutate: (current: KService) => KService | undefined
  ): Promise<KService>
  getRevision(namespace: string, name: string): Promise<Revision | undefined>
  /**
   * The server-side dry run of writing `service` (an update when it carries a
   * resourceVersion, else a create): the Service as the API server would store it, after
   * schema pruning and Knative's defaulting; rejects with the API's refusal. Stores nothing.
   */
  dryRunService?(service: KService): Promise<KService>
  /** Resolves with the first Service state for which `until` is true (watch, reconnecting). */
  waitForService(
    namespace: string,
    name: string,
    until: (service: KService) => boolean,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<KService>
  waitForRevision(
    namespace: string,
    name: string,
    until: (revision: Revision) => boolean,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<Revision>
}

/** One synthetic request's outcome. */
export interface ProbeSample {
  /** ms since the epoch (from the injected clock) */
  at: number
  status: number // 0 for a network error
  /** A network error's code (ECONNREFUSED, ENOTFOUND, a TLS failure), when status is 0. */
  error?: string
  latencyMs: number
}

export interface ProbeTarget {
  /** The URL to request (a tag URL), or the ingress address. */
  url: string
  /** Host header, when `url` is the ingress address. */
  host?: string
}

/** Sends probes at `rps` for `durationMs`, spread evenly. */
export interface Prober {
  probe(
    target: ProbeTarget,
    rps: number,
    durationMs: number,
    signal?: AbortSignal
  ): Promise<ProbeSample[]>
}

/**
 * How a wait reports that its time ran out: it rejects with this error, the one copy
 * (knative/watch.ts throws it, the test fakes too), carrying the newest state it saw. Any other rejection is
 * a real failure (the API refused, the connection broke for good, the signal aborted).
 */
export class WaitTimeoutError<T = unknown> extends Error {
  override readonly name = 'WaitTimeoutError'
  constructor(
    message: string,
    readonly last?: T
  ) {
    super(message)
  }
}

export function isWaitTimeout(err: unknown): err is WaitTimeoutError {
  return err instanceof WaitTimeoutError
}

/** One write of the rollout's intent: each part optional; the lease is always renewed or released. */
export interface Change {
  template?: RevisionTemplate
  release?: Release
  /** The split we believe is there: anything else live is drift, and nothing is written. */
  expect?: Release
  state?: RolloutState
  lease?: 'renew' | 'release'
}

/** Why a run stops short of its intent: returned, never thrown. */
export type Stop =
  | { kind: 'drift'; message: string } // a person changed the Service's traffic or template
  | { kind: 'lease-lost'; message: string } // another run took the Service over
  | { kind: 'timeout'; message: string } // the overall timeout ran out while waiting
  // A change could not be carried out (a commit the GitOps controller did not apply in
  // time, a conflicting push): the run ends `failed` and changes nothing more.
  | { kind: 'unapplied'; message: string }

/** A dry run's answer: the template as stored, or why the API server refuses it. */
export type StoredTemplate =
  { ok: true; template: RevisionTemplate } | { ok: false; refusal: string }

export type Applied = { ok: true; service: KService } | { ok: false; stop: Stop }

/**
 * Carries out the engine's intents on one Service. The Kubernetes executor
 * (kube-executor.ts) writes the Service under a lease; another executor (commits to git,
 * applied by a GitOps controller) implements the same contract. Every method that changes
 * anything returns a Stop instead of throwing when drift or a lost lease is found; I/O
 * errors and cancellation reject.
 */
export interface Executor {
  /** The Service as it is now (undefined when it does not exist). */
  read(): Promise<KService | undefined>
  revision(name: string): Promise<Revision | undefined>
  /** Takes the right to change the Service (waiting for another run with wait-for-lock). */
  acquire(): Promise<{ service: KService; before: LeaseCheck }>
  /** A first deploy: creates the Service, with the lease, in one write. */
  create(service: KService): Promise<void>
  apply(change: Change): Promise<Applied>
  /**
   * `template` as the API server would store it in the Service `live` (undefined: a new
   * Service), asked with a server-side dry run; or the webhook's (or schema's) refusal of
   * it. Undefined when this executor cannot ask (read-only credentials). Writes nothing.
   */
  storedTemplate?(
    live: KService | undefined,
    template: RevisionTemplate
  ): Promise<StoredTemplate | undefined>
  /** What apply(change) would write over `live`, for a person to read (dry-run); writes nothing. */
  describe(change: Change, live: KService | undefined): Promise<string>
  /** Waits until the Service, as observed by its controller, satisfies `until`; renews the lease meanwhile. */
  waitFor(until: (service: KService) => boolean, what: string): Promise<Applied>
  /**
   * Waits up to `timeoutMs` for the Service to satisfy `until`, even after a cancel (a
   * rollback is confirmed in the seconds a cancelled run has left); undefined when it runs out.
   */
  settle(until: (service: KService) => boolean, timeoutMs: number): Promise<KService | undefined>
  /** Releases the lease when this run still holds it (a no-op otherwise). */
  release(): Promise<void>
  /** True while this run holds the lease. */
  readonly holding: boolean
  /**
   * A write outside the lease, for a change that leaves the rollout's split alone (a pull
   * request preview's own tag, commands/preview.ts): the newest Service, `mutate`, written
   * with its resourceVersion; on 409 read again and `mutate` again. `mutate` returns
   * undefined for "no write" (the Service as read is returned). Absent where the executor
   * does not write the Service itself (traffic-owner git).
   */
  updateOutsideLease?(mutate: (live: KService) => KService | undefined): Promise<KService>
}

/** What the engine tells an executor about the run it serves. */
export interface ExecutorSetup {
  namespace: string
  name: string
  timing: Timing
  /** ms since the epoch: waits end there. */
  deadline: number
  waitForLock: boolean
  /** Take the lease from a live holder too (abort with force). */
  breakLease: boolean
  /** Cancellation or the overall timeout. */
  signal: AbortSignal
  /** The template this rollout wrote, once it did: a different one live is drift. */
  mine: () => RevisionTemplate | undefined
}

/** Makes the run's executor; the engine uses the Kubernetes one unless given another. */
export type ExecutorFactory = (setup: ExecutorSetup) => Executor
