// The slice of Knative Serving v1 that the action reads and writes.

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason?: string
  message?: string
  lastTransitionTime?: string
  severity?: string
}

export interface TrafficTarget {
  tag?: string
  revisionName?: string
  configurationName?: string
  latestRevision?: boolean
  percent?: number
  url?: string
}

export interface Metadata {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  [key: string]: unknown
}

export interface Container {
  name?: string
  image: string
  env?: { name: string; value?: string; valueFrom?: unknown }[]
  [key: string]: unknown
}

export interface RevisionTemplate {
  metadata?: Partial<Metadata>
  spec: { containers: Container[]; [key: string]: unknown }
}

export interface KService {
  apiVersion: 'serving.knative.dev/v1'
  kind: 'Service'
  metadata: Metadata
  spec: { template: RevisionTemplate; traffic?: TrafficTarget[] }
  status?: {
    observedGeneration?: number
    conditions?: Condition[]
    url?: string
    latestCreatedRevisionName?: string
    latestReadyRevisionName?: string
    traffic?: TrafficTarget[]
  }
}

export interface Revision {
  apiVersion: 'serving.knative.dev/v1'
  kind: 'Revision'
  metadata: Metadata
  spec: { containers: Container[]; [key: string]: unknown }
  status?: {
    observedGeneration?: number
    conditions?: Condition[]
    containerStatuses?: { name: string; imageDigest?: string }[]
  }
}

/** Knative's `IsReady()`: Ready True, and status written for the current generation. */
export function isReady(obj: {
  metadata: Metadata
  status?: { observedGeneration?: number; conditions?: Condition[] }
}): boolean {
  return condition(obj, 'Ready')?.status === 'True' && observed(obj)
}

export function observed(obj: {
  metadata: Metadata
  status?: { observedGeneration?: number }
}): boolean {
  return obj.status?.observedGeneration === obj.metadata.generation
}

export function condition(
  obj: { status?: { conditions?: Condition[] } },
  type: string
): Condition | undefined {
  return obj.status?.conditions?.find((c) => c.type === type)
}
