// Settings shared by the emulator's parts. One mutable object: the admin endpoints change
// it while the emulator runs (for example the status delay), and every part reads it live.

import { INITIAL_NAMESPACES } from './api/namespaces.js'
import { DEFAULT_KNATIVE_VERSION } from './knative-version.js'
import { KNATIVE_AUTOSCALING, type AutoscalingSettings } from './knative/autoscaler.js'

export interface Faults {
  /** Share of API requests (0..1) answered with `errorStatus` instead of being served. */
  errorRate: number
  errorStatus: number
  /** Added to every API request, in ms; `latencySpikeRate` of them get `latencySpikeMs` more. */
  latencyMs: number
  latencySpikeRate: number
  latencySpikeMs: number
  /** Share of writes (update / patch) answered 409 Conflict although nothing changed. */
  conflictRate: number
  /** A watch is closed by the server after this many ms (0 = never). */
  watchDropAfterMs: number
}

export const NO_FAULTS: Faults = {
  errorRate: 0,
  errorStatus: 500,
  latencyMs: 0,
  latencySpikeRate: 0,
  latencySpikeMs: 0,
  conflictRate: 0,
  watchDropAfterMs: 0
}

export interface EmulatorSettings {
  /** Cluster domain for route hosts: `<name>.<namespace>.<domain>`. */
  domain: string
  /** How long the controller waits before it writes status after a change, in ms. */
  statusDelayMs: number
  /** Also serve `serving.knative.dev/v1alpha1` (the 2019 API), converted to v1 for storage. */
  serveV1alpha1: boolean
  /** Scale to zero and cold starts (emulator/knative/autoscaler.ts). */
  autoscaling: AutoscalingSettings
  /** The Knative Serving release played, e.g. `1.21` or `1.20.2` (knative-version.ts). */
  knativeVersion: string
  /** The namespaces objects may be created in (plus any an object already lives in). */
  namespaces: string[]
  faults: Faults
}

export function defaultSettings(overrides: Partial<EmulatorSettings> = {}): EmulatorSettings {
  return {
    domain: 'example.com',
    statusDelayMs: 20,
    serveV1alpha1: false,
    knativeVersion: DEFAULT_KNATIVE_VERSION,
    ...overrides,
    namespaces: [...(overrides.namespaces ?? INITIAL_NAMESPACES)],
    autoscaling: { ...KNATIVE_AUTOSCALING, ...(overrides.autoscaling ?? {}) },
    faults: { ...NO_FAULTS, ...(overrides.faults ?? {}) }
  }
}
