// The seams between the API server and the parts it serves: Knative admission and
// presentation, and the data plane's admin hooks. They are passed in, so the HTTP layer
// runs (and is tested) with identity stand-ins as well as with the real Knative semantics.

import type { KObject } from '../store.js'
import type { ResourceType } from '../resources.js'
import type { EmulatorSettings } from '../settings.js'

export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE'
  resource: ResourceType
  /** The version the client wrote in, e.g. `v1` or `v1alpha1`. */
  version: string
  /** The body as received, in `version`. */
  object: KObject
  /** The stored (v1) object, on UPDATE. */
  oldObject?: KObject
  user: string
  /** 'status' for a write to the status subresource: only `.status` of the result is kept. */
  subresource?: 'status'
  /** Told each admission warning (sent back as a `Warning` header). */
  warn?: (warning: string) => void
}

/** Defaulting + validation (+ conversion): returns the v1 object to store, or throws ApiError. */
export type Admit = (req: AdmissionRequest, settings: EmulatorSettings) => KObject

/** Stored v1 object → what a client of `version` sees. */
export type Present = (resource: ResourceType, version: string, stored: KObject) => KObject

export interface RevisionBehaviour {
  errorRate?: number
  latencyMs?: number
}

/** What the admin endpoints need from the data plane. */
export interface DataPlaneControl {
  metrics(): string
  /** One pod's endpoint, with the release's labels where it puts them; undefined: no such pod. */
  podMetrics(namespace: string, pod: string): string | undefined
  /** Prometheus HTTP service discovery: one target per pod on `address`. */
  scrapeTargets(address: string): { targets: string[]; labels: Record<string, string> }[]
  setBehaviour(namespace: string, revision: string, behaviour: RevisionBehaviour): void
}

export const identityAdmit: Admit = (req) => structuredClone(req.object)
export const identityPresent: Present = (_resource, _version, stored) => stored
