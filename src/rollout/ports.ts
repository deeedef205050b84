// What the rollout engine needs from the outside world. The engine is pure control logic
// over these ports; the adapters (knative/, analysis/, report/) implement them, and the
// tests drive the engine with fakes in virtual time.

import type { KService, Revision } from '../knative/types.js'

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
