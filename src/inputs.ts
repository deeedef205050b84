// The action's inputs, typed. This file mirrors action.yml: every input is read and
// validated here, once, before anything touches the cluster; the rest of the program takes
// the typed `Inputs` object.

export type Command = 'rollout' | 'promote' | 'abort' | 'status' | 'preview'

export interface BuildInputs {
  context: string
  dockerfile?: string
  builder: 'auto' | 'buildah' | 'docker'
  /** The repository pushed to, e.g. `ghcr.io/acme/shop` (from the `image` input). */
  repository: string
  registry?: string
  username?: string
  password?: string
  insecure: boolean
}

export interface Thresholds {
  /** 0..1: a revision answering a smaller share of probes with non-5xx fails the step. */
  minSuccessRate: number
  /** ms: a p99 above this fails the step. */
  maxLatencyP99Ms: number
  /** Fewer requests than this in a step is too little evidence: the step is extended. */
  minRequests: number
  /** How many failed analyses (across the rollout) roll back. */
  failureThreshold: number
}

export interface Inputs {
  command: Command
  /** Undefined when it comes from the manifest. */
  service?: string
  namespace: string
  /** Path of a Service manifest (v1, or v1alpha1 runLatest / pinned / release). */
  manifest?: string
  /** Image to deploy (replaces the manifest's), or the repository to push to when building. */
  image?: string
  build?: BuildInputs
  /** The candidate's revision name; default `<service>-<short sha>`. */
  revisionName?: string
  /** Candidate percents, strictly increasing, ending at 100. */
  steps: number[]
  stepIntervalMs: number
  pauseAt?: number
  probe: { path: string; rps: number; ingressAddress?: string }
  thresholds: Thresholds
  prometheusUrl?: string
  metrics?: string
  webhooks?: string
  /** Kubeconfig content (secret). */
  kubeconfig?: string
  githubToken?: string
  environment?: string
  timeoutMs: number
  dryRun: boolean
  waitForLock: boolean
}
